"""Every read of the action plan. Scoping to the current partnership happens here and only here."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.models import (
    Action,
    Evidence,
    Milestone,
    Plan,
    PlanVersion,
    ProgressUpdate,
    RagLevel,
    Recommendation,
    ReportingPeriod,
)
from core.models import AuditEvent, Membership, Partnership, Role, User


def published_plan(partnership: Partnership) -> Plan | None:
    return Plan.objects.filter(partnership=partnership, status=Plan.Status.PUBLISHED).first()


def rag_scale(partnership: Partnership) -> list[RagLevel]:
    return list(RagLevel.objects.filter(partnership=partnership).order_by("order"))


def current_period(partnership: Partnership, today: date) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(partnership=partnership, start__lte=today).order_by("-start").first()
    )


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(partnership_id=period.partnership_id, start__lt=period.start)
        .order_by("-start")
        .first()
    )


def actions_in(partnership: Partnership) -> QuerySet[Action]:
    """The actions of the partnership's published plan."""
    return Action.objects.filter(
        recommendation__plan__partnership=partnership, recommendation__plan__status=Plan.Status.PUBLISHED
    ).select_related("recommendation", "lead_officer")


def action_in(partnership: Partnership, pk: int) -> Action:
    action = get_object_or_404(
        actions_in(partnership).prefetch_related(
            "owner_organisations",
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
            # Traceability links that the self-evaluation app keeps to actions (shown on the action page).
            "sef_area_evaluations__area",
            "sef_area_evaluations__evaluation",
            "sef_priorities__group__evaluation",
        ),
        pk=pk,
    )
    return action


def recommendation_in(partnership: Partnership, pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.filter(
            plan__partnership=partnership, plan__status=Plan.Status.PUBLISHED
        ).select_related("lead__user"),
        pk=pk,
    )


def update_in(partnership: Partnership, pk: int) -> ProgressUpdate:
    return get_object_or_404(
        ProgressUpdate.objects.filter(action__recommendation__plan__partnership=partnership).select_related(
            "action__recommendation__lead__user",
            "period",
            "rag",
            "created_by",
            "submitted_by",
            "reviewed_by",
        ),
        pk=pk,
    )


def evidence_in(partnership: Partnership, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.filter(update__action__recommendation__plan__partnership=partnership), pk=pk
    )


def approved_updates(partnership: Partnership) -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.filter(
        action__recommendation__plan__partnership=partnership, state=ProgressUpdate.State.APPROVED
    )


def approved_as_at(cutoff: datetime | None, month: date | None = None) -> QuerySet[ProgressUpdate]:
    """Approved updates as they were known at `cutoff`: for months up to `month`, approved by `cutoff`.

    The one rule for "an action's approved update as at a date", used by the action pages, the board
    dashboards and the Board pack alike, so that they cannot disagree. `month` defaults to the cutoff's
    month; no cutoff means everything approved so far.

    An approval without `reviewed_at` was not reviewed in the portal: it was loaded with the plan's
    history. It counts from its own reporting month, as a figure loaded from a published document
    counts from its own date: the day it was typed in says nothing about when it was known, and its
    month is already bounded by `month`.
    """
    updates = ProgressUpdate.objects.filter(state=ProgressUpdate.State.APPROVED)
    if cutoff is not None:
        month = month or timezone.localdate(cutoff).replace(day=1)
        updates = updates.filter(Q(reviewed_at__lte=cutoff) | Q(reviewed_at__isnull=True))
    if month is not None:
        updates = updates.filter(period__start__lte=month)
    return updates


def latest_approved_rag(cutoff: datetime | None, month: date | None = None) -> Subquery:
    """For annotating actions: the RAG id of each action's latest update in `approved_as_at`."""
    latest = (
        approved_as_at(cutoff, month).filter(action=OuterRef("pk")).order_by("-period__start", "-revision")
    )
    return Subquery(latest.values("rag_id")[:1], output_field=IntegerField())


def latest_approved_by_action(
    actions: list[Action], cutoff: datetime | None = None, month: date | None = None
) -> dict[int, ProgressUpdate]:
    """The latest update of each action in `approved_as_at` (by default: approved so far), in one query."""
    updates = (
        approved_as_at(cutoff, month)
        .filter(action__in=actions)
        .select_related("rag", "period")
        .order_by("action_id", "-period__start", "-revision")
    )
    latest: dict[int, ProgressUpdate] = {}
    for update in updates:
        latest.setdefault(update.action_id, update)
    return latest


def open_update(action: Action, period: ReportingPeriod) -> ProgressUpdate | None:
    """The update being written or reviewed for this action and period, if any."""
    return (
        ProgressUpdate.objects.filter(action=action, period=period)
        .exclude(state=ProgressUpdate.State.APPROVED)
        .select_related("rag")
        .first()
    )


def updates_in_period_by_action(
    actions: list[Action], period: ReportingPeriod | None
) -> dict[int, ProgressUpdate]:
    """This period's newest update of each action, whatever its state, in one query."""
    if period is None:
        return {}
    updates = ProgressUpdate.objects.filter(action__in=actions, period=period).order_by(
        "action_id", "-revision"
    )
    found: dict[int, ProgressUpdate] = {}
    for update in updates:
        found.setdefault(update.action_id, update)
    return found


def timeline(action: Action) -> QuerySet[ProgressUpdate]:
    return (
        action.updates.select_related("rag", "period", "created_by", "submitted_by", "reviewed_by")
        .prefetch_related("evidence", "completed_milestones")
        .order_by("-period__start", "-revision")
    )


def officer_organisation_ids(memberships: list[Membership]) -> set[int]:
    return {m.organisation_id for m in memberships if m.role == Role.OFFICER}


def actions_for_officer(
    partnership: Partnership, user: User, memberships: list[Membership]
) -> QuerySet[Action]:
    """Actions assigned to the user, or owned by an organisation they are an officer of."""
    organisation_ids = officer_organisation_ids(memberships)
    owned = Action.owner_organisations.through.objects.filter(
        action_id=OuterRef("pk"), organisation_id__in=organisation_ids
    )
    return (
        actions_in(partnership)
        .filter(Exists(owned) | Q(lead_officer=user))
        .order_by("recommendation__number", "order")
    )


def review_queue(partnership: Partnership, user: User, is_admin: bool) -> QuerySet[ProgressUpdate]:
    queue = ProgressUpdate.objects.filter(
        action__recommendation__plan__partnership=partnership, state=ProgressUpdate.State.SUBMITTED
    ).select_related("action__recommendation", "rag", "period", "submitted_by")
    if not is_admin:
        queue = queue.filter(action__recommendation__lead__user=user)
    return queue.order_by("submitted_at")


def missing_updates(partnership: Partnership, period: ReportingPeriod) -> list[Action]:
    """Open actions with nothing submitted or approved for the period."""
    done = ProgressUpdate.objects.filter(
        action=OuterRef("pk"),
        period=period,
        state__in=[ProgressUpdate.State.SUBMITTED, ProgressUpdate.State.APPROVED],
    )
    return list(
        actions_in(partnership)
        .filter(lifecycle=Action.Lifecycle.OPEN)
        .exclude(Exists(done))
        .prefetch_related("owner_organisations")
        .order_by("recommendation__number", "order")
    )


@dataclass
class ActionRow:
    """An action with what a list needs to say about it."""

    action: Action
    latest: ProgressUpdate | None
    this_period: ProgressUpdate | None
    today: date

    @property
    def overdue(self) -> bool:
        due = self.action.due_date
        return due is not None and due < self.today and self.action.lifecycle == Action.Lifecycle.OPEN

    @property
    def last_updated_days(self) -> int | None:
        """Days since anyone last wrote an update for the action, approved or not."""
        times = [u.submitted_at or u.created_at for u in (self.latest, self.this_period) if u is not None]
        if not times:
            return None
        return (self.today - timezone.localtime(max(times)).date()).days


def action_rows(actions: list[Action], period: ReportingPeriod | None, today: date) -> list[ActionRow]:
    """Rows for a list of actions in a constant number of queries, however many actions there are."""
    latest = latest_approved_by_action(actions)
    this_period = updates_in_period_by_action(actions, period)
    return [ActionRow(a, latest.get(a.pk), this_period.get(a.pk), today) for a in actions]


def group_by_recommendation(rows: list[ActionRow]) -> list[tuple[Recommendation, list[ActionRow]]]:
    groups: dict[int, tuple[Recommendation, list[ActionRow]]] = {}
    for row in rows:
        recommendation = row.action.recommendation
        groups.setdefault(recommendation.pk, (recommendation, []))[1].append(row)
    return list(groups.values())


def action_audit_trail(action: Action) -> list[AuditEvent]:
    """Every recorded change to the action, its milestones and its updates, newest first."""
    milestone_ids = [str(pk) for pk in action.milestones.values_list("pk", flat=True)]
    update_ids = [str(pk) for pk in action.updates.values_list("pk", flat=True)]
    return list(
        AuditEvent.objects.filter(
            Q(object_type="actions.action", object_id=str(action.pk))
            | Q(object_type="actions.milestone", object_id__in=milestone_ids)
            | Q(object_type="actions.progressupdate", object_id__in=update_ids)
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )


def plan_version_in(partnership: Partnership, pk: int) -> PlanVersion:
    return get_object_or_404(
        PlanVersion.objects.filter(plan__partnership=partnership).select_related("plan"), pk=pk
    )


def rag_level_in(partnership: Partnership, pk: int) -> RagLevel:
    return get_object_or_404(RagLevel, partnership=partnership, pk=pk)
