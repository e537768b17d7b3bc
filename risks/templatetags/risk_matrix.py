from django import template

from risks.models import RiskMatrix

register = template.Library()


@register.filter
def band(matrix: RiskMatrix, score: int) -> str:
    return matrix.band(score)


@register.filter
def likelihood(matrix: RiskMatrix, value: int) -> str:
    return matrix.likelihood(value)


@register.filter
def impact(matrix: RiskMatrix, value: int) -> str:
    return matrix.impact(value)
