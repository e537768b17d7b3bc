from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.documents import document_name
from core.text import line_blocks, paragraphs, text_blocks

register = template.Library()


@register.filter
def document(source: str) -> str:
    return document_name(source)


@register.simple_tag
def rag_tag(level: object | None) -> str:
    """A status as a GOV.UK tag: always its words, the colour only as an aid."""
    if not level:  # no update yet (templates pass "" for a missing value)
        return mark_safe('<strong class="govuk-tag app-tag--no-update">No update recorded yet</strong>')
    return format_html('<strong class="govuk-tag {}">{}</strong>', level.tag_class, level.label)  # type: ignore[attr-defined]


@register.simple_tag
def demo_tag() -> str:
    return mark_safe('<strong class="govuk-tag govuk-tag--yellow">Demo data</strong>')


@register.filter
def days_ago(days: int | None) -> str:
    if days is None:
        return "never updated"
    if days == 0:
        return "updated today"
    if days == 1:
        return "updated yesterday"
    return f"updated {days} days ago"


# How the documents mark a point nested under a bullet ("○ The Lighthouse ASC team...", "➢ 'The Sanctuary'...").
SUB_POINT_MARKS = ("○", "➢", "◦")


@register.filter
def with_sub_points(text: str) -> str:
    """A listed item as the document wrote it: lines starting with a sub-point's mark become a list nested in the
    item, marks kept, as the document indents them; any other line break stays a line break."""
    head: list[str] = []
    points: list[list[str]] = []
    for line in text.split("\n"):
        if line.lstrip().startswith(SUB_POINT_MARKS):
            points.append([line.strip()])
        elif points:
            points[-1].append(line)
        else:
            head.append(line)
    html = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in head))
    if not points:
        return html
    items = format_html_join(
        "",
        "<li>{}</li>",
        ((format_html_join(mark_safe("<br>"), "{}", ((line,) for line in point)),) for point in points),
    )
    return format_html('{}<ul class="app-sub-points">{}</ul>', html, items)


register.filter("paragraphs", paragraphs)
register.filter("blocks", text_blocks)
register.filter("line_blocks", line_blocks)


@register.filter
def long_date(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "Not set"


@register.filter
def moment(value: datetime | None) -> str:
    """A date and time as GOV.UK writes them, in the portal's time zone: 2 December 2026, 5:30pm; 5pm on the hour;
    midday and midnight by name, since 12pm and 12am are read both ways."""
    if value is None:
        return "Not recorded"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if (local.hour, local.minute) == (12, 0):
        time = "midday"
    elif (local.hour, local.minute) == (0, 0):
        time = "midnight"
    else:
        hour = local.hour % 12 or 12
        time = f"{hour}{f':{local.minute:02d}' if local.minute else ''}{'am' if local.hour < 12 else 'pm'}"
    return f"{long_date(local.date())}, {time}"
