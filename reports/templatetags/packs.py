"""The pack's own filters; its text is split into paragraphs, lists and tables by core's `blocks` (core.text)."""

from django import template

from reports.models import GovernanceBody

register = template.Library()


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
