"""Turns the narrative's plain text into numbered paragraphs and bullet lists, escaping everything."""

from dataclasses import dataclass, field

from django import template

from reports.models import GovernanceBody

register = template.Library()


@dataclass
class Block:
    text: str
    bullets: list[str] = field(default_factory=list)


@register.filter
def blocks(text: str) -> list[Block]:
    """Paragraphs separated by blank lines; lines starting with "- " are bullets under the paragraph."""
    found = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        prose = " ".join(line for line in lines if not line.startswith("- "))
        bullets = [line[2:].strip() for line in lines if line.startswith("- ")]
        found.append(Block(prose, bullets))
    return found


@register.filter
def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def get(mapping: dict, key: object) -> object:
    return mapping.get(str(key), "")


@register.filter
def answers_to(body: GovernanceBody, kind: str) -> list[str]:
    """The names of the bodies this one reports ("reports_to") or is accountable ("accountable_to") to."""
    return [relation.to.name for relation in body.answers_to.all() if relation.kind == kind]
