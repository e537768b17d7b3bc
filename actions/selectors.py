"""Every read of the action plan. Scoping to the current partnership happens here and only here."""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
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
from core.models import AuditEvent, Organisation, Partnership, User


def published_plan(partnership: Partnership) -> Plan | None:
    return Plan.objects.filter(partnership=partnership, status=Plan.Status.PUBLISHED).first()


def rag_scale(partnership: Partnership) -> list[RagLevel]:
    return list(RagLevel.objects.filter(partnership=partnership).order_by("order"))


def current_period(partnership: Partnership, today: date) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(partnership=partnership, start__lte=today).order_by("-start").first()
    )


def reporting_period_of(partnership: Partnership, day: date) -> ReportingPeriod:
    """The month containing the day as stored, or not yet stored: the month's first saved update stores it."""
    month = ReportingPeriod.of_month(partnership, day)
    return ReportingPeriod.objects.filter(partnership=partnership, start=month.start).first() or month


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
    ).select_related("recommendation__plan", "lead_officer")


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


def action_to_update(partnership: Partnership, pk: int) -> Action:
    """An action as its update form needs it: with the organisations that own it (who may update it), without
    the milestones and self-evaluation links the action's own page shows (the form reads its open milestones)."""
    return get_object_or_404(actions_in(partnership).prefetch_related("owner_organisations"), pk=pk)


def recommendation_in(partnership: Partnership, pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.filter(
            plan__partnership=partnership, plan__status=Plan.Status.PUBLISHED
        ).select_related("plan", "lead__user"),
        pk=pk,
    )


def milestone_in(partnership: Partnership, pk: int) -> Milestone:
    """A milestone of an action of the partnership's published plan, with the plan its permission checks ask for."""
    return get_object_or_404(
        Milestone.objects.filter(
            action__recommendation__plan__partnership=partnership,
            action__recommendation__plan__status=Plan.Status.PUBLISHED,
        ).select_related("action__recommendation__plan__partnership"),
        pk=pk,
    )


def update_in(partnership: Partnership, pk: int) -> ProgressUpdate:
    return get_object_or_404(
        # What the check-answers and review pages show, and the plan whose partnership the permission checks ask
        # for. No more: each table joined here costs the database more to plan than the row costs to read.
        ProgressUpdate.objects.filter(action__recommendation__plan__partnership=partnership).select_related(
            "action__recommendation__plan", "period", "rag", "submitted_by"
        ),
        pk=pk,
    )


def evidence_in(partnership: Partnership, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.filter(update__action__recommendation__plan__partnership=partnership).select_related(
            "update__period", "update__action__recommendation__plan"
        ),
        pk=pk,
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


# An action's updates, newest first: by their month, then the latest revision within it.
NEWEST_FIRST = ("-period__start", "-revision")


def latest_approved_rag(cutoff: datetime | None, month: date | None = None) -> Subquery:
    """For annotating actions: the RAG id of each action's latest update in `approved_as_at`."""
    latest = approved_as_at(cutoff, month).filter(action=OuterRef("pk")).order_by(*NEWEST_FIRST)
    return Subquery(latest.values("rag_id")[:1], output_field=IntegerField())


def latest_approved(
    action: Action, cutoff: datetime | None = None, month: date | None = None
) -> ProgressUpdate | None:
    """The action's latest update in `approved_as_at` (by default: approved so far): the newest row in the
    order latest_approved_by_action ranks by, asked for without the ranking, whose SQL costs several times the
    CPU to build. For one action's pages (its update form, its save, its review)."""
    return (
        approved_as_at(cutoff, month)
        .filter(action=action)
        .select_related("rag", "period")
        .order_by(*NEWEST_FIRST)
        .first()
    )


def latest_approved_by_action(
    partnership: Partnership, actions: list[Action], cutoff: datetime | None = None, month: date | None = None
) -> dict[int, ProgressUpdate]:
    """The latest update of each of the partnership's actions in `approved_as_at` (by default: approved so far),
    in one query.

    The database ranks each action's updates and returns the first of each: an action has an update a month,
    and reading them all to keep one was most of the work of the pages that show actions. The updates' months
    are asked for within the partnership, to which every update's month belongs as its action does (the update
    form reads the month of the action's own partnership): without it PostgreSQL read every partnership's months
    to join them (13 ms for an officer's 24 actions on the bench data, against 5 ms).
    """
    updates = (
        approved_as_at(cutoff, month)
        .filter(action__in=actions, period__partnership=partnership)
        .select_related("rag", "period")
        .annotate(
            newest_first=Window(
                RowNumber(),
                partition_by=[F("action_id")],
                order_by=NEWEST_FIRST,
            )
        )
        .filter(newest_first=1)
        # No order: the answer is by action, and the model's ordering (by the action's own) would join the
        # action and its recommendation to every update only to sort them.
        .order_by()
    )
    return {update.action_id: update for update in updates}


def has_approved_update(action: Action) -> bool:
    """Whether any update of the action has been approved: reported on, so its original due date is settled."""
    return action.updates.filter(state=ProgressUpdate.State.APPROVED).exists()


def open_update(action: Action, period: ReportingPeriod) -> ProgressUpdate | None:
    """The update being written or reviewed for this action and period, if any."""
    if period.pk is None:  # a month nobody has written an update for yet
        return None
    return (
        ProgressUpdate.objects.filter(action=action, period=period)
        .exclude(state=ProgressUpdate.State.APPROVED)
        .select_related("rag")
        # The model's order for one action and month, without joining the action and its recommendation to sort.
        .order_by("-revision")
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


def timeline(action: Action, *, with_unsubmitted: bool) -> QuerySet[ProgressUpdate]:
    """The action's updates, newest first; drafts and returned updates only for those who may read them."""
    updates = action.updates.all()
    if not with_unsubmitted:
        updates = updates.exclude(state__in=[ProgressUpdate.State.DRAFT, ProgressUpdate.State.RETURNED])
    return (
        updates.select_related("rag", "period", "created_by", "submitted_by", "reviewed_by")
        .prefetch_related(
            # Each update's own in the models' order, which within one update (one action) is this: sorting by
            # the update's and the action's order as well would join them to every row for nothing.
            Prefetch("evidence", queryset=Evidence.objects.order_by("added_at")),
            Prefetch("completed_milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
        )
        .order_by("-period__start", "-revision")
    )


def actions_for_officer(partnership: Partnership, user: User, organisation_ids: set[int]) -> QuerySet[Action]:
    """Actions assigned to the user, or owned by the organisations they are an officer of (core.rules)."""
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


def action_rows(
    partnership: Partnership, actions: list[Action], period: ReportingPeriod | None, today: date
) -> list[ActionRow]:
    """Rows for a list of actions in a constant number of queries, however many actions there are."""
    latest = latest_approved_by_action(partnership, actions)
    this_period = updates_in_period_by_action(actions, period)
    return [ActionRow(a, latest.get(a.pk), this_period.get(a.pk), today) for a in actions]


# Where this period's updates stand, in the order an officer acts on them: what came back first.
UPDATE_STANDINGS = [
    ("returned", "returned to you to change"),
    ("draft", "draft, not yet submitted"),
    ("not started", "not started"),
    ("submitted", "submitted, waiting for the lead"),
    ("approved", "approved"),
]


def update_standings(rows: list[ActionRow]) -> list[tuple[int, str]]:
    """How many of the open actions' updates for this period stand each way, leaving out the ways none do."""
    counts = Counter(
        row.this_period.state if row.this_period else "not started"
        for row in rows
        if row.this_period or row.action.lifecycle == Action.Lifecycle.OPEN
    )
    return [(counts[state], words) for state, words in UPDATE_STANDINGS if counts[state]]


def group_by_recommendation(rows: list[ActionRow]) -> list[tuple[Recommendation, list[ActionRow]]]:
    groups: dict[int, tuple[Recommendation, list[ActionRow]]] = {}
    for row in rows:
        recommendation = row.action.recommendation
        groups.setdefault(recommendation.pk, (recommendation, []))[1].append(row)
    return list(groups.values())


def last_saved_by(update: ProgressUpdate) -> User | None:
    """Who last saved the update, from its audit trail (the update itself keeps only who created and submitted it)."""
    event = (
        AuditEvent.objects.filter(object_type=ProgressUpdate._meta.label_lower, object_id=str(update.pk))
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    return event.actor if event else update.created_by


def action_audit_trail(action: Action, with_unsubmitted: bool = True) -> list[AuditEvent]:
    """Every recorded change to the action, its milestones and its updates, newest first.

    Without `with_unsubmitted`, the changes to drafts and returned updates are left out (the permission actions.view_unsubmitted).
    """
    milestone_ids = [str(pk) for pk in action.milestones.values_list("pk", flat=True)]
    # A removed milestone is no longer among the action's: its removal recorded the action (services.milestone_remove),
    # which finds its id, and by that its addition and changes.
    removed_milestone_ids = AuditEvent.objects.filter(
        object_type="actions.milestone", verb=AuditEvent.Verb.REMOVED, before__action=action.pk
    ).values("object_id")
    updates = action.updates.all()
    if not with_unsubmitted:
        updates = updates.exclude(state__in=[ProgressUpdate.State.DRAFT, ProgressUpdate.State.RETURNED])
    update_ids = [str(pk) for pk in updates.values_list("pk", flat=True)]
    return list(
        AuditEvent.objects.filter(
            Q(object_type="actions.action", object_id=str(action.pk))
            | Q(object_type="actions.milestone", object_id__in=milestone_ids)
            | Q(object_type="actions.milestone", object_id__in=removed_milestone_ids)
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


# The action's history in sentences


@dataclass
class HistoryEntry:
    """One recorded change as a reader says it: "Amber to Green, approved by Ann Lead on 3 June 2026"."""

    at: datetime
    sentence: str
    details: list[str]

    @property
    def ends_a_sentence(self) -> bool:
        """Already ends as a sentence does, as a quoted reason may (“…the timeline.”): no full stop after it."""
        return self.sentence.rstrip("”’\"'").endswith((".", "!", "?"))


def date_words(text: object) -> str:
    """A stored ISO date as people write it ("31 July 2026"); anything else as it is."""
    try:
        return f"{date.fromisoformat(str(text)):%-d %B %Y}"
    except ValueError:
        return str(text)


def _names(model: type, ids: set[int], label: Callable[[Any], str]) -> dict[str, str]:
    """Names for the ids a history mentions, keyed by the id as the audit trail wrote it."""
    return {str(item.pk): label(item) for item in model.objects.filter(pk__in=ids)} if ids else {}  # type: ignore[attr-defined]


def _id_list(value: object) -> list[str]:
    """The ids in a stored many-to-many value, as text: a list of numbers, or (written so once) its text "[1, 2]"."""
    if isinstance(value, list):
        return [str(item) for item in value]
    return [part.strip() for part in str(value).strip("[]").split(",") if part.strip().isdigit()]


# How the owners and dates were recorded until their ids were: each organisation's own text, "<Organisation: name>",
# which keeps the name it had then (and nothing else to look it up by).
ORGANISATION_TEXT = re.compile(r"<Organisation: (.*?)>")


def _ids(events: list[AuditEvent], field: str) -> set[int]:
    found: set[int] = set()
    for event in events:
        for side in (event.before, event.after):
            value = side.get(field)
            if isinstance(value, int):
                found.add(value)
            elif isinstance(value, list | str):
                found.update(int(pk) for pk in _id_list(value))
    return found


class HistoryWords:
    """What the audit trail's stored values mean: RAG levels, people, organisations and states by name."""

    def __init__(self, action: Action, events: list[AuditEvent]) -> None:
        self.rags = _names(RagLevel, _ids(events, "rag"), lambda level: level.label)
        self.people = _names(User, _ids(events, "lead_officer"), lambda user: user.get_full_name())
        self.organisations = _names(Organisation, _ids(events, "owner_organisations"), lambda org: org.name)
        self.reference = action.reference
        self.updates = {
            str(update.pk): update for update in action.updates.select_related("rag", "period").order_by("pk")
        }

    def value(self, field: str, value: object) -> str:
        if is_empty(value):
            return "none"
        text = str(value)
        if field.endswith(("_date", "_on")):
            return date_words(text)
        if field == "rag":
            return self.rags.get(text, "a level since removed")
        if field == "lead_officer":
            return self.people.get(text, "someone since removed")
        if field == "owner_organisations":
            if named := ORGANISATION_TEXT.findall(text):
                return ", ".join(named)
            ids = _id_list(value)
            return ", ".join(self.organisations.get(pk, "an organisation since removed") for pk in ids)
        if field == "state":
            return str(ProgressUpdate.State(text).label).lower()
        if field == "lifecycle":
            return str(Action.Lifecycle(text).label).lower()
        return text

    def previous_rag(self, update: ProgressUpdate) -> str | None:
        """The RAG of the action's approved update before this one, for "Amber to Green"."""
        earlier = [
            u
            for u in self.updates.values()
            if u.state == ProgressUpdate.State.APPROVED
            and (u.period.start, u.revision) < (update.period.start, update.revision)
        ]
        latest = max(earlier, key=lambda u: (u.period.start, u.revision), default=None)
        return latest.rag.label if latest else None


FIELD_NAMES = {
    "rag": "RAG",
    "commentary": "Commentary",
    "next_steps": "Next steps",
    "risks_and_issues": "Risks and issues",
    "proposed_due_date": "New due date",
    "proposed_due_reason": "Reason for the new due date",
    "lead_officer": "Lead officer",
    "owner_organisations": "Owner organisations",
    "start_date": "Start date",
    "original_due_date": "Due date",
    "revised_due_date": "Revised due date",
    "revision_reason": "Reason for the change",
    "replan_count": "Times re-planned",
    "lifecycle": "Status",
    "completed_on": "Completed on",
    "lead": "Lead",
    "evidence": "Evidence added",
}
# Said by the sentence itself, or bookkeeping a reader has no use for.
UNSAID_FIELDS = {"state", "lock_version", "return_reason", "replan_count"}


def is_empty(value: object) -> bool:
    return value in (None, "", "[]", [])


def changes_in_words(event: AuditEvent, words: HistoryWords) -> list[str]:
    """Each changed field: "Commentary: was “…”, now “…”"."""
    lines = []
    for field in [*event.before, *(f for f in event.after if f not in event.before)]:
        before, after = event.before.get(field), event.after.get(field)
        if before == after or field in UNSAID_FIELDS or (is_empty(before) and is_empty(after)):
            continue
        name = FIELD_NAMES.get(field, field.replace("_", " ").capitalize())
        if is_empty(before):
            lines.append(f"{name}: “{words.value(field, after)}”")
        else:
            lines.append(f"{name}: was “{words.value(field, before)}”, now “{words.value(field, after)}”")
    return lines


def update_sentence(event: AuditEvent, words: HistoryWords, who: str, day: str) -> str:
    update = words.updates.get(event.object_id)
    period = str(update.period) if update else "a month"
    rag = words.value("rag", event.after.get("rag"))
    if event.verb == AuditEvent.Verb.APPROVED:
        before = words.previous_rag(update) if update else None
        change = f"{before} to {rag}" if before and before != rag else f"{rag}, no change" if before else rag
        return f"{change}, approved by {who} on {day} (update for {period})"
    if event.verb == AuditEvent.Verb.SUBMITTED:
        return f"{who} submitted the update for {period} at {rag} on {day}"
    if event.verb == AuditEvent.Verb.RETURNED:
        reason = event.after.get("return_reason") or ""
        return f"{who} returned the update for {period} on {day}" + (f": “{reason}”" if reason else "")
    if event.verb == AuditEvent.Verb.CREATED:
        return f"{who} started the update for {period} at {rag} on {day}"
    if event.verb == AuditEvent.Verb.UPDATED:
        return f"{who} changed the update for {period} on {day}"
    if event.verb == AuditEvent.Verb.REMOVED_EVIDENCE:
        return f"{who} removed the evidence “{event.before.get('evidence', '')}” from the update for {period} on {day}"
    return f"{who} {event.verb} the update for {period} on {day}"


def update_details(event: AuditEvent, details: list[str]) -> list[str]:
    """The lines under an update's sentence: a removal's sentence names the evidence itself, and only a change of
    a draft lists its RAG (the other sentences say it)."""
    if event.verb == AuditEvent.Verb.REMOVED_EVIDENCE:
        return []
    if event.verb == AuditEvent.Verb.UPDATED:
        return details
    return [line for line in details if not line.startswith("RAG:")]


def history_entry(event: AuditEvent, words: HistoryWords) -> HistoryEntry:
    who = event.actor.get_full_name() if event.actor else "The system"
    day = f"{timezone.localtime(event.at):%-d %B %Y}"
    details = changes_in_words(event, words)
    if event.object_type == "actions.progressupdate":
        sentence = update_sentence(event, words, who, day)
        details = update_details(event, details)
    elif event.verb == AuditEvent.Verb.RE_PLANNED:
        old = event.before.get("revised_due_date") or event.before.get("original_due_date")
        new = event.after.get("revised_due_date") or event.after.get("original_due_date")
        moved = f"Due date moved from {date_words(old)} to" if old else "First due date set:"
        sentence = f"{moved} {date_words(new)}, by {who} on {day}"
    elif event.object_type == "actions.milestone" and event.verb == AuditEvent.Verb.COMPLETED:
        completed = date_words(event.after.get("completed_on"))
        sentence = f"Milestone “{event.object_repr}” completed on {completed}, recorded by {who}"
        details = []
    elif event.object_type == "actions.milestone" and event.verb == AuditEvent.Verb.REMOVED:
        sentence = f"{who} removed {subject(event, words)} on {day}"
        due = event.before.get("revised_due_date") or event.before.get("due_date")
        details = [f"It was due on {date_words(due)}"] if due else []
    elif event.verb == AuditEvent.Verb.ADDED_TO_THE_PLAN:
        sentence = f"{who} added {subject(event, words)} to the plan on {day}"
    elif event.verb == AuditEvent.Verb.CREATED:
        sentence = f"{who} added {subject(event, words)} on {day}"
    else:
        sentence = f"{who} {event.verb} {subject(event, words)} on {day}"
    return HistoryEntry(event.at, sentence, details)


def subject(event: AuditEvent, words: HistoryWords) -> str:
    """What a change was made to, as a sentence names it before its date. The action by its reference (the page is
    its own history, and its recorded text, "…about their EHC plan.", would end the sentence mid-way); a milestone
    by its title in quotes."""
    if event.object_type == "actions.action":
        return words.reference
    if event.object_type == "actions.milestone":
        return f"the milestone “{event.object_repr}”"
    return event.object_repr.rstrip(".")


def action_history(action: Action, with_unsubmitted: bool = True) -> list[HistoryEntry]:
    """Every recorded change to the action, its milestones and updates, newest first, in sentences."""
    events = action_audit_trail(action, with_unsubmitted)
    words = HistoryWords(action, events)
    return [history_entry(event, words) for event in events]
