"""Words for the board dashboards, so that no status is shown by colour or symbol alone."""

from django import template

from actions.models import RagLevel
from dashboards.board_selectors import Reading

register = template.Library()

DIRECTIONS = {
    "better": "Improving",
    "worse": "Worsening",
    "same": "No change",
    "up": "Rising (neither direction is better)",
    "down": "Falling (neither direction is better)",
    "none": "Not enough values to say",
}


@register.filter
def get_level(levels: dict[int, RagLevel], pk: int | None) -> RagLevel | str:
    # rag_tag reads "" as no update yet.
    return levels.get(pk, "") if pk is not None else ""


@register.filter
def direction_text(reading: Reading) -> str:
    if reading.hidden:
        return "Not shown: small numbers"
    return DIRECTIONS[reading.direction]
