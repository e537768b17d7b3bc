"""Every read of the risk log, scoped to the partnership: another partnership's risk is a 404."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from actions.models import Action
from core.models import Membership, Partnership, User
from risks.models import SCALE, DetailChange, Escalation, Risk, RiskMatrix, ScoreChange


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
            Prefetch("detail_changes", queryset=DetailChange.objects.select_related("changed_by")),
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


class OnTheMap(Protocol):
    """What the heat map places: a risk now, or as it stood at a report's cut-off."""

    @property
    def number(self) -> int: ...

    @property
    def residual_likelihood(self) -> int: ...

    @property
    def residual_impact(self) -> int: ...

    def get_absolute_url(self) -> str: ...


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    band: str
    risks: list[OnTheMap] = field(default_factory=list)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass
class HeatRow:
    likelihood: int
    label: str
    cells: list[HeatCell]


def heat_map(matrix: RiskMatrix, risks: Sequence[OnTheMap]) -> list[HeatRow]:
    """The 5 x 5 grid of residual scores, most likely at the top, with the given live risks in each cell."""
    rows = []
    for likelihood in reversed(SCALE):
        cells = [HeatCell(likelihood, impact, matrix.band(likelihood * impact)) for impact in SCALE]
        rows.append(HeatRow(likelihood, matrix.likelihood(likelihood), cells))
    by_place = {(cell.likelihood, cell.impact): cell for row in rows for cell in row.cells}
    for risk in risks:
        by_place[(risk.residual_likelihood, risk.residual_impact)].risks.append(risk)
    return rows


@dataclass
class RiskAsAt:
    """A risk as it stood at a moment: its words, owner and status, and its scores, from its history."""

    risk: Risk
    details: DetailChange
    scores: ScoreChange

    @property
    def number(self) -> int:
        return self.risk.number

    @property
    def title(self) -> str:
        return self.details.title

    @property
    def owner(self) -> User:
        return self.details.owner

    @property
    def status(self) -> str:
        return self.details.status

    @property
    def status_label(self) -> str:
        return self.details.get_status_display()

    @property
    def is_live(self) -> bool:
        return self.details.status != Risk.Status.CLOSED

    @property
    def residual_likelihood(self) -> int:
        return self.scores.residual_likelihood

    @property
    def residual_impact(self) -> int:
        return self.scores.residual_impact

    @property
    def residual_score(self) -> int:
        return self.scores.residual_score

    @property
    def inherent_score(self) -> int:
        return self.scores.inherent_score

    def get_absolute_url(self) -> str:
        return self.risk.get_absolute_url()


def last_by(changes: QuerySet[Any], when: datetime) -> dict[int, Any]:
    """Each risk's last change made by a moment, by risk."""
    found: dict[int, Any] = {}
    for change in changes.filter(changed_at__lte=when).order_by("changed_at", "pk"):
        found[change.risk_id] = change
    return found


def risks_as_at(partnership: Partnership, when: datetime) -> list[RiskAsAt]:
    """Every risk raised by a moment, with its words, owner, status and scores as they stood then, highest
    residual score first; a risk raised later is absent. The one reader of the log's past, for the reports."""
    risks = {risk.pk: risk for risk in risks_in(partnership).filter(raised_at__lte=when)}
    details = last_by(DetailChange.objects.filter(risk__in=risks).select_related("owner"), when)
    scores = last_by(ScoreChange.objects.filter(risk__in=risks), when)
    found = [
        RiskAsAt(risk, details[pk], scores[pk])
        for pk, risk in risks.items()
        if pk in details and pk in scores
    ]
    return sorted(found, key=lambda row: (-row.residual_score, -row.inherent_score, row.number))


def overdue_reviews(today: date) -> QuerySet[Risk]:
    """Open and escalated risks whose review date has passed, with their owners and partnerships."""
    return (
        Risk.objects.exclude(status=Risk.Status.CLOSED)
        .filter(review_date__lt=today)
        .select_related("owner", "partnership")
        .order_by("partnership_id", "number")
    )
