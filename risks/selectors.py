"""Every read of the risk log, scoped to the partnership: another partnership's risk is a 404."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from actions.models import Action
from core.models import Membership, Partnership, User
from risks.models import SCALE, Escalation, Risk, RiskMatrix, ScoreChange


def matrix_of(partnership: Partnership) -> RiskMatrix:
    """The partnership's matrix, or the default one (unsaved) until an admin sets it."""
    return RiskMatrix.objects.filter(partnership=partnership).first() or RiskMatrix(partnership=partnership)


def risks_in(partnership: Partnership) -> QuerySet[Risk]:
    return Risk.objects.filter(partnership=partnership).select_related("owner")


def live_risks(partnership: Partnership) -> list[Risk]:
    """Open and escalated risks, highest residual score first."""
    risks = list(risks_in(partnership).exclude(status=Risk.Status.CLOSED))
    return sorted(risks, key=lambda risk: (-risk.residual_score, -risk.inherent_score, risk.number))


def risk_in(partnership: Partnership, pk: int) -> Risk:
    return get_object_or_404(
        risks_in(partnership).prefetch_related(
            Prefetch("score_changes", queryset=ScoreChange.objects.select_related("changed_by")),
            Prefetch("escalations", queryset=Escalation.objects.select_related("escalated_by")),
            Prefetch("actions", queryset=actions_queryset()),
        ),
        pk=pk,
    )


def actions_queryset() -> QuerySet[Action]:
    return Action.objects.select_related("recommendation").order_by("recommendation__number", "order")


def plan_actions(partnership: Partnership) -> QuerySet[Action]:
    """The actions of the partnership's plan that a risk may name as mitigating it."""
    return actions_queryset().filter(recommendation__plan__partnership=partnership)


def possible_owners(partnership: Partnership) -> list[User]:
    """Everyone with a role in the partnership, each once, by name."""
    users = {m.user for m in Membership.objects.filter(partnership=partnership).select_related("user")}
    return sorted((u for u in users if u.is_active), key=lambda u: (u.get_full_name() or u.email).lower())


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    band: str
    risks: list[Risk] = field(default_factory=list)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass
class HeatRow:
    likelihood: int
    label: str
    cells: list[HeatCell]


def heat_map(matrix: RiskMatrix, risks: list[Risk]) -> list[HeatRow]:
    """The 5 x 5 grid of residual scores, most likely at the top, with the live risks in each cell."""
    rows = []
    for likelihood in reversed(SCALE):
        cells = [HeatCell(likelihood, impact, matrix.band(likelihood * impact)) for impact in SCALE]
        rows.append(HeatRow(likelihood, matrix.likelihood(likelihood), cells))
    by_place = {(cell.likelihood, cell.impact): cell for row in rows for cell in row.cells}
    for risk in risks:
        by_place[(risk.residual_likelihood, risk.residual_impact)].risks.append(risk)
    return rows


def scores_as_at(risks: list[Risk], when: datetime) -> dict[int, ScoreChange]:
    """Each risk's scores as they stood at a moment: the last change made by then (none if raised later)."""
    found: dict[int, ScoreChange] = {}
    for change in ScoreChange.objects.filter(risk__in=risks, changed_at__lte=when).order_by(
        "changed_at", "pk"
    ):
        found[change.risk_id] = change
    return found


def overdue_reviews(today: date) -> QuerySet[Risk]:
    """Open and escalated risks whose review date has passed, with their owners and partnerships."""
    return (
        Risk.objects.exclude(status=Risk.Status.CLOSED)
        .filter(review_date__lt=today)
        .select_related("owner", "partnership")
        .order_by("partnership_id", "number")
    )
