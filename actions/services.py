"""Every write to the action plan: each records who and when, audits before and after, and queues e-mail."""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Trim
from django.utils import timezone

from actions import selectors
from actions.evidence import (
    HELD_FOLDER,
    HELD_SECONDS,
    HeldEvidence,
    evidence_content_type,
    evidence_title,
    held_evidence_token,
    stored_file_name,
)
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
from core.audit import audit_record, audited_create, audited_delete, audited_update, snapshot
from core.jobs import enqueue_on_commit
from core.models import AuditEvent, Membership, Organisation, Partnership, User
from core.permissions import require_perm
from core.selectors import next_order
from core.storage import delete_after_commit, sha256_of

UPDATE_FIELDS = [
    "rag",
    "commentary",
    "next_steps",
    "risks_and_issues",
    "proposed_due_date",
    "proposed_due_reason",
    "state",
]
EDITABLE_STATES = {ProgressUpdate.State.DRAFT, ProgressUpdate.State.RETURNED}
AWAITING_REVIEW = {ProgressUpdate.State.SUBMITTED}


def reporting_period_ensure(*, partnership: Partnership, day: date) -> ReportingPeriod:
    """The month containing the day, created on first use with its update deadline."""
    month = ReportingPeriod.of_month(partnership, day)
    period, _ = ReportingPeriod.objects.get_or_create(
        partnership=partnership,
        start=month.start,
        defaults={"end": month.end, "update_deadline": month.update_deadline},
    )
    return period


@dataclass
class UpdateInput:
    """What an officer enters on the update form."""

    rag: RagLevel
    commentary: str = ""
    next_steps: str = ""
    risks_and_issues: str = ""
    proposed_due_date: date | None = None
    proposed_due_reason: str = ""
    completed_milestones: list[Milestone] = field(default_factory=list)
    evidence_files: list[UploadedFile] = field(default_factory=list)
    evidence_links: list[tuple[str, str]] = field(default_factory=list)


def commentary_needed(rag: RagLevel, previous: ProgressUpdate | None) -> bool:
    """Boards ask "why?": a change of status, or any Red or Amber, needs its reason."""
    return rag.needs_commentary or (previous is not None and previous.rag_id != rag.pk)


def validate_update_input(data: UpdateInput, action: Action, previous: ProgressUpdate | None) -> None:
    errors: dict[str, str] = {}
    if commentary_needed(data.rag, previous) and not data.commentary.strip():
        errors["commentary"] = f"Enter commentary explaining why the action is {data.rag.label}"
        if previous is not None and previous.rag_id != data.rag.pk:
            errors["commentary"] = (
                f"Enter commentary explaining why the status changed from {previous.rag.label} to {data.rag.label}"
            )
    if data.proposed_due_date and not data.proposed_due_reason.strip():
        errors["proposed_due_reason"] = "Enter the reason the due date needs to change"
    if data.proposed_due_reason.strip() and not data.proposed_due_date:
        errors["proposed_due_date"] = "Enter the new due date"
    if data.proposed_due_date and action.due_date and data.proposed_due_date <= action.due_date:
        # As an admin's re-plan (replan_errors): a date moves later; an action that finishes early is completed.
        errors["proposed_due_date"] = (
            f"The new due date must be later than the current due date, {long_date(action.due_date)}"
        )
    if any(m.action_id != action.pk for m in data.completed_milestones):
        errors["completed_milestones"] = "Select only milestones of this action"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def progress_update_save(
    *,
    action: Action,
    period: ReportingPeriod,
    user: User,
    data: UpdateInput,
    lock_version: int | None,
) -> ProgressUpdate:
    """Create or change this period's draft. A stale form (someone saved or submitted since) is refused.

    The period may be a month not yet stored (selectors.reporting_period_of): its first saved update stores it.
    """
    if not user.has_perm("actions.update_action", action):
        raise PermissionDenied("You cannot update this action.")
    action = action_locked(action)  # one writer per action at a time
    if period.pk is None:
        period = reporting_period_ensure(partnership=period.partnership, day=period.start)
    update = selectors.open_update(action, period)
    if update is not None and (not update.is_editable or update.lock_version != lock_version):
        raise ValidationError(stale_update_message(update, user), code="stale")
    if update is None and lock_version is not None:
        raise ValidationError("This update has been approved since you opened it.", code="stale")
    previous = selectors.latest_approved(action)
    validate_update_input(data, action, previous)

    before = snapshot(update, UPDATE_FIELDS) if update else {}
    if update is None:
        revision = (action.updates.filter(period=period).aggregate(Max("revision"))["revision__max"] or 0) + 1
        update = ProgressUpdate(action=action, period=period, revision=revision, created_by=user)
    update.rag = data.rag
    update.commentary = data.commentary.strip()
    update.next_steps = data.next_steps.strip()
    update.risks_and_issues = data.risks_and_issues.strip()
    update.proposed_due_date = data.proposed_due_date
    update.proposed_due_reason = data.proposed_due_reason.strip()
    update.state = ProgressUpdate.State.DRAFT
    update.lock_version += 1
    update.save()
    update.completed_milestones.set(data.completed_milestones)
    # Read once, and only when something is attached: a save without evidence reads nothing more.
    held = list(update.evidence.all()) if data.evidence_files or data.evidence_links else []
    added = [
        evidence_attach_file(update=update, user=user, upload=upload) for upload in new_files(held, data)
    ]
    added += [
        Evidence.objects.create(update=update, title=title or link, link=link, added_by=user)
        for title, link in new_links(held, data)
    ]
    after = snapshot(update, UPDATE_FIELDS)
    if added:
        after["evidence"] = ", ".join(evidence.title for evidence in added)  # the history's "Evidence added"
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.UPDATED if before else AuditEvent.Verb.CREATED,
        instance=update,
        partnership=action.recommendation.plan.partnership,
        before=before,
        after=after,
    )
    return update


def new_files(held: list[Evidence], data: UpdateInput) -> list[UploadedFile]:
    """The files not already among the update's evidence. A form sent again with the same file (after the browser's
    Back button brought back what was chosen) does not store it twice."""
    files = [evidence for evidence in held if evidence.file]
    return [upload for upload in data.evidence_files if not any(same_file(upload, e) for e in files)]


def same_file(upload: UploadedFile, evidence: Evidence) -> bool:
    if upload.size != evidence.size:
        return False
    with evidence.file.open("rb"):
        return sha256_of(evidence.file) == sha256_of(upload)


def new_links(held: list[Evidence], data: UpdateInput) -> list[tuple[str, str]]:
    """The links not already among the update's evidence, for the same reason as new_files."""
    links = {evidence.link for evidence in held if evidence.link}
    return [(title, link) for title, link in data.evidence_links if link not in links]


def stale_update_message(update: ProgressUpdate, user: User) -> str:
    """Why a form opened before the update last changed cannot save it, naming the person as "you" when it was
    them (in another tab or window)."""
    kept = "What you typed is still on this page."
    if update.state == ProgressUpdate.State.SUBMITTED:
        who = "You" if update.submitted_by_id == user.pk else str(update.submitted_by)
        return (
            f"{who} submitted this update for review on {long_date(timezone.localdate(update.submitted_at))}: "
            f"it cannot be changed unless the recommendation lead returns it. {kept}"
        )
    editor = selectors.last_saved_by(update)
    if editor is not None and editor.pk == user.pk:
        return (
            "You saved this update in another tab or window after opening this page. "
            f"{kept} Check the saved version before you save this one."
        )
    return f"{editor} changed this update while you were editing it. {kept} Check their version before you save yours."


def evidence_attach_file(*, update: ProgressUpdate, user: User, upload: UploadedFile) -> Evidence:
    content_type = evidence_content_type(upload)
    evidence = Evidence(
        update=update,
        title=evidence_title(upload),
        content_type=content_type,
        size=upload.size or 0,
        added_by=user,
    )
    evidence.file.save(stored_file_name(upload), upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)  # a row that could not be written leaves no file behind
        raise
    return evidence


def held_evidence_keep(*, upload: UploadedFile, user: User, action: Action) -> HeldEvidence:
    """Keeps a checked evidence file chosen on an update form that had other errors (actions.evidence)."""
    path = default_storage.save(f"{HELD_FOLDER}/{secrets.token_hex(16)}", upload)
    name = upload.name or "evidence"
    token = held_evidence_token(path=path, name=name, user_id=user.pk, action_id=action.pk)
    upload.seek(0)
    return HeldEvidence(token=token, name=name, path=path, content=upload.read())


def held_evidence_release(held: HeldEvidence) -> None:
    """A kept file goes once it is attached to an update, or replaced by another chosen file."""
    default_storage.delete(held.path)


def held_evidence_remove_expired(now: datetime) -> int:
    """Removes kept files older than their note can be used (a form left with an error); returns how many."""
    if not default_storage.exists(HELD_FOLDER):
        return 0
    expired = [
        f"{HELD_FOLDER}/{name}"
        for name in default_storage.listdir(HELD_FOLDER)[1]
        if (now - default_storage.get_modified_time(f"{HELD_FOLDER}/{name}")).total_seconds() > HELD_SECONDS
    ]
    for path in expired:
        default_storage.delete(path)
    return len(expired)


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    update = evidence.update
    if not update.is_editable or not user.has_perm("actions.update_action", update.action):
        raise PermissionDenied("This evidence can no longer be removed.")
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.REMOVED_EVIDENCE,
        instance=update,
        partnership=update.period.partnership,
        before={"evidence": evidence.title},
        after={},
    )
    delete_after_commit(evidence.file)
    evidence.delete()


def lock_for_change(
    update: ProgressUpdate,
    lock_version: int | None,
    allowed_states: set[ProgressUpdate.State],
    action_name: str,
) -> ProgressUpdate:
    """The update, locked, if it is still in a state that allows this change and unchanged since the form."""
    locked = (
        # The update's row only (see action_locked), with the action and month its audit record reads.
        ProgressUpdate.objects.select_for_update(of=("self",))
        .select_related("action", "period__partnership")
        .get(pk=update.pk)
    )
    if locked.state not in allowed_states:
        raise ValidationError(
            f"This update is {locked.get_state_display().lower()}, so it cannot be {action_name}.",
            code="stale",
        )
    if lock_version is not None and locked.lock_version != lock_version:
        raise ValidationError(
            "Someone else changed this update since you opened it. Check it again.", code="stale"
        )
    return locked


@transaction.atomic
def progress_update_submit(
    *, update: ProgressUpdate, user: User, lock_version: int | None = None
) -> ProgressUpdate:
    if not user.has_perm("actions.update_action", update.action):
        raise PermissionDenied("You cannot submit updates for this action.")
    update = lock_for_change(update, lock_version, EDITABLE_STATES, "submitted again")
    audited_update(
        actor=user,
        instance=update,
        verb=AuditEvent.Verb.SUBMITTED,
        partnership=update.period.partnership,
        fields=UPDATE_FIELDS,
        state=ProgressUpdate.State.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
        return_reason="",
        lock_version=update.lock_version + 1,
    )
    notify(update, "submitted")
    return update


def check_reviewer(update: ProgressUpdate, user: User) -> ProgressUpdate:
    if not user.has_perm("actions.review_update", update):
        raise PermissionDenied("Only the recommendation's lead or an admin can review this update.")
    if update.submitted_by_id == user.pk and not user.has_perm("actions.review_any_update", update):
        raise PermissionDenied("Someone other than the person who submitted an update must review it.")
    return update


@transaction.atomic
def progress_update_approve(
    *, update: ProgressUpdate, user: User, lock_version: int | None = None
) -> ProgressUpdate:
    update = check_reviewer(lock_for_change(update, lock_version, AWAITING_REVIEW, "approved"), user)
    audited_update(
        actor=user,
        instance=update,
        verb=AuditEvent.Verb.APPROVED,
        partnership=update.period.partnership,
        fields=UPDATE_FIELDS,
        state=ProgressUpdate.State.APPROVED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        lock_version=update.lock_version + 1,
    )
    apply_approved_changes(update, user)
    notify(update, "approved")
    return update


def apply_approved_changes(update: ProgressUpdate, user: User) -> None:
    """An approved update's milestone completions and re-planned due date become the action's record."""
    for milestone in update.completed_milestones.filter(completed_on__isnull=True):
        milestone.completed_on = update.reviewed_at.date() if update.reviewed_at else timezone.localdate()
        milestone.save(update_fields=["completed_on"])
        audit_record(
            actor=user,
            verb=AuditEvent.Verb.COMPLETED,
            instance=milestone,
            partnership=update.period.partnership,
            before={"completed_on": None},
            after={"completed_on": str(milestone.completed_on)},
        )
    if update.proposed_due_date:
        action_revise_due_date(
            action=update.action,
            user=user,
            new_due_date=update.proposed_due_date,
            reason=update.proposed_due_reason,
        )


@transaction.atomic
def progress_update_return(
    *,
    update: ProgressUpdate,
    user: User,
    reason: str,
    lock_version: int | None = None,
) -> ProgressUpdate:
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason you are returning the update"})
    update = check_reviewer(lock_for_change(update, lock_version, AWAITING_REVIEW, "returned"), user)
    audited_update(
        actor=user,
        instance=update,
        verb=AuditEvent.Verb.RETURNED,
        partnership=update.period.partnership,
        fields=[*UPDATE_FIELDS, "return_reason"],
        state=ProgressUpdate.State.RETURNED,
        return_reason=reason.strip(),
        reviewed_by=user,
        reviewed_at=timezone.now(),
        lock_version=update.lock_version + 1,
    )
    notify(update, "returned")
    return update


def notify(update: ProgressUpdate, event: str) -> None:
    enqueue_on_commit("actions.send_update_email", update_id=update.pk, event=event)


def action_locked(action: Action) -> Action:
    """The action as stored now, locked until the transaction ends, so two writers queue instead of erasing each
    other's changes."""
    return (
        # The action's row only: the partnership's is written by the board version (core.audit.board_changed),
        # and locking it here too would let two writers each hold what the other waits for.
        Action.objects.select_for_update(of=("self",))
        .select_related("recommendation__plan__partnership")
        .get(pk=action.pk)
    )


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def replan_date_error(action: Action, new_due_date: date) -> str:
    """What is wrong with a re-plan's new date, if anything (replan_errors says why the rule is so); the form asks
    too, so that a wrong date and a missing reason are named together."""
    current = action.due_date
    if new_due_date < timezone.localdate():
        return "The new due date must be today or in the future"
    if current is not None and new_due_date <= current:
        return f"The new due date must be later than the current due date, {long_date(current)}"
    return ""


def replan_errors(action: Action, new_due_date: date, reason: str) -> dict[str, str]:
    """A re-plan moves the due date later, to a day still to come: an earlier date would read in the history as a
    slip it is not, and a past one would make the action overdue the moment it is saved. An action that finishes
    early is closed or completed, not re-planned."""
    errors = {}
    if date_error := replan_date_error(action, new_due_date):
        errors["new_due_date"] = date_error
    if not reason.strip():
        errors["reason"] = "Enter the reason the due date changed"
    return errors


@transaction.atomic
def action_replan(*, action: Action, user: User, new_due_date: date, reason: str) -> Action:
    """An admin moves an action's due date later, with the reason."""
    require_perm(user, "actions.change_plan", action.recommendation.plan.partnership)
    action = action_locked(action)  # compared with the due date as stored now, not as the form saw it
    errors = replan_errors(action, new_due_date, reason)
    if errors:
        raise ValidationError(errors)
    return action_revise_due_date(action=action, user=user, new_due_date=new_due_date, reason=reason)


@transaction.atomic
def action_revise_due_date(*, action: Action, user: User, new_due_date: date, reason: str) -> Action:
    """A changed due date keeps the original, records the reason and counts the re-plan. Callers check who may:
    action_replan for an admin, or the approval of an update that proposed the date."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason the due date changed"})
    action = action_locked(action)
    before = snapshot(action, ["original_due_date", "revised_due_date", "revision_reason", "replan_count"])
    if action.original_due_date is None:
        action.original_due_date = new_due_date
    else:
        action.revised_due_date = new_due_date
        action.replan_count += 1
    action.revision_reason = reason.strip()
    action.lock_version += 1
    action.save(
        update_fields=[
            "original_due_date",
            "revised_due_date",
            "revision_reason",
            "replan_count",
            "lock_version",
        ]
    )
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.RE_PLANNED,
        instance=action,
        partnership=action.recommendation.plan.partnership,
        before=before,
        after=snapshot(action, ["original_due_date", "revised_due_date", "revision_reason", "replan_count"]),
    )
    return action


ACTION_ADMIN_FIELDS = ["lead_officer", "owner_organisations", "start_date", "original_due_date", "lifecycle"]


def original_due_date_correctable(action: Action) -> bool:
    """The original due date is the baseline slippage is counted from, so once the action has been reported on (an
    approved update) or re-planned it stays as it was. Before then nobody has read it: a mistyped date may be put
    right."""
    return action.replan_count == 0 and not selectors.has_approved_update(action)


def details_errors(
    action: Action,
    partnership: Partnership,
    owner_organisations: list[Organisation],
    start_date: date | None,
    original_due_date: date | None,
) -> dict[str, str]:
    errors = {}
    if any(o.partnership_id != partnership.pk for o in owner_organisations):
        errors["owner_organisations"] = "Choose organisations of this partnership"
    # An unchanged date, even one now past, is not asked about: the form posts it back with every other change.
    if original_due_date != action.original_due_date:
        if action.original_due_date and not original_due_date_correctable(action):
            errors["original_due_date"] = (
                "The original due date cannot change once an update has been approved or the action "
                "re-planned: re-plan the action instead"
            )
        elif original_due_date and original_due_date < timezone.localdate():
            errors["original_due_date"] = "The due date must be today or in the future"
    if (
        "original_due_date" not in errors
        and start_date
        and original_due_date
        and original_due_date < start_date
    ):
        errors["original_due_date"] = "The due date must be on or after the start date"
    return errors


@transaction.atomic
def action_set_details(
    *,
    action: Action,
    user: User,
    lead_officer: User | None,
    owner_organisations: list[Organisation],
    start_date: date | None,
    original_due_date: date | None,
    lifecycle: str,
    lock_version: int,
) -> Action:
    """Admins assign owners and set the planned dates. An original due date is set once, though it may be corrected
    until the action is reported on (original_due_date_correctable); after that, moving it is a re-plan.

    Only these fields are written, and only if nobody changed the action since the form was opened (lock_version):
    a re-plan approved meanwhile must not be erased by a form read before it.
    """
    require_perm(user, "actions.change_plan", action.recommendation.plan.partnership)
    action = action_locked(action)
    if action.lock_version != lock_version:
        raise ValidationError(
            "This action was changed since you opened this page (for example, its due date was re-planned). "
            "The page now shows its current owners and dates: check them and save again.",
            code="stale",
        )
    partnership = action.recommendation.plan.partnership
    errors = details_errors(action, partnership, owner_organisations, start_date, original_due_date)
    if errors:
        raise ValidationError(errors)
    before = snapshot(action, ACTION_ADMIN_FIELDS)
    action.lead_officer = lead_officer
    action.start_date = start_date
    action.original_due_date = original_due_date
    action.lifecycle = lifecycle
    action.lock_version += 1
    action.save(
        update_fields=["lead_officer", "start_date", "original_due_date", "lifecycle", "lock_version"]
    )
    action.owner_organisations.set(owner_organisations)
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.UPDATED,
        instance=action,
        partnership=partnership,
        before=before,
        after=snapshot(action, ACTION_ADMIN_FIELDS),
    )
    return action


@transaction.atomic
def recommendation_set_lead(*, recommendation: Recommendation, user: User, lead: Membership | None) -> None:
    partnership = recommendation.plan.partnership
    require_perm(user, "actions.change_plan", partnership)
    if lead is not None and (lead.partnership_id != partnership.pk or lead.role != "lead"):
        raise ValidationError({"lead": "Choose a recommendation lead of this partnership"})
    before = {"lead": str(recommendation.lead) if recommendation.lead else None}
    recommendation.lead = lead
    recommendation.save(update_fields=["lead"])
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.UPDATED,
        instance=recommendation,
        partnership=partnership,
        before=before,
        after={"lead": str(lead) if lead else None},
    )


def milestone_errors(
    action: Action, title: str, due_date: date, milestone: Milestone | None = None
) -> dict[str, str]:
    """A milestone due in the past would show as overdue the moment it is added; one with the same title (whatever
    its case and spaces) and due date as another of the action's is the same milestone added twice, as pressing
    Back and Add again does.

    A `milestone` being changed is not its own duplicate, and may keep the due date it has even once that is past:
    putting right a mistyped title must not make anyone move the date too."""
    if due_date < timezone.localdate() and (milestone is None or due_date != milestone.current_due_date):
        return {"due_date": "The due date must be today or in the future"}
    same = (
        Milestone.objects.filter(action=action)
        .annotate(trimmed_title=Trim("title"))
        .filter(trimmed_title__iexact=title.strip())
        .filter(Q(revised_due_date=due_date) | Q(revised_due_date__isnull=True, due_date=due_date))
    )
    if milestone is not None:
        same = same.exclude(pk=milestone.pk)
    if same.exists():
        return {
            "title": f"{action.reference} already has the milestone “{title.strip()}” due {long_date(due_date)}"
        }
    return {}


@transaction.atomic
def milestone_add(*, action: Action, user: User, title: str, due_date: date) -> Milestone:
    require_perm(user, "actions.change_plan", action.recommendation.plan.partnership)
    action = action_locked(action)  # two presses of "Add milestone" queue here, so the second sees the first
    errors = milestone_errors(action, title, due_date)
    if errors:
        raise ValidationError(errors)
    milestone = Milestone.objects.create(action=action, title=title.strip(), due_date=due_date)
    audited_create(
        actor=user,
        instance=milestone,
        partnership=action.recommendation.plan.partnership,
        fields=["title", "due_date"],
    )
    return milestone


# What a milestone's change and removal record; a removal also records its action, which the action's history
# finds it by once the milestone itself is gone (selectors.action_audit_trail).
MILESTONE_FIELDS = ["title", "due_date", "revised_due_date"]


def milestone_as_stored(action: Action, milestone: Milestone) -> Milestone:
    """The milestone as stored now, read under its action's lock (action_locked), so that a change or removal is
    checked against what another admin may just have saved; refused if it was removed meanwhile."""
    stored = Milestone.objects.filter(pk=milestone.pk, action=action).first()
    if stored is None:
        raise ValidationError("This milestone was removed since you opened this page.", code="stale")
    stored.action = action
    return stored


def milestone_change_refusal(milestone: Milestone) -> str:
    """Why the milestone's title and due date cannot change, or "": asked before its form is offered."""
    if milestone.completed_on:
        return (
            f"“{milestone.title}” was completed on {long_date(milestone.completed_on)}, so its title and due date "
            "stay as they were when it was completed"
        )
    return ""


def milestone_to_write(milestone: Milestone, user: User) -> tuple[Partnership, Action, Milestone]:
    """The milestone as stored now, for an admin, with its action locked: one writer of the action's milestones at a
    time, as milestone_add."""
    partnership = milestone.action.recommendation.plan.partnership
    require_perm(user, "actions.change_plan", partnership)
    action = action_locked(milestone.action)
    return partnership, action, milestone_as_stored(action, milestone)


@transaction.atomic
def milestone_change(*, milestone: Milestone, user: User, title: str, due_date: date) -> Milestone:
    """An admin puts right a milestone's title or due date: the same rules as adding one, against the action's
    other milestones. A completed milestone keeps the title and date it was completed under."""
    partnership, action, milestone = milestone_to_write(milestone, user)
    refusal = milestone_change_refusal(milestone)
    if refusal:
        raise ValidationError(refusal)
    errors = milestone_errors(action, title, due_date, milestone)
    if errors:
        raise ValidationError(errors)
    # A milestone whose date was revised shows the revised date as its due date, and the original beside it.
    date_field = "revised_due_date" if milestone.revised_due_date else "due_date"
    changes = {
        name: value
        for name, value in (("title", title.strip()), (date_field, due_date))
        if getattr(milestone, name) != value
    }
    if changes:  # saved unchanged, nothing happened worth a line in the history
        audited_update(
            actor=user,
            instance=milestone,
            verb=AuditEvent.Verb.UPDATED,
            partnership=partnership,
            fields=MILESTONE_FIELDS,
            **changes,
        )
    return milestone


def milestone_removal_refusal(milestone: Milestone) -> str:
    """Why the milestone cannot be removed, or "": asked before the confirmation page offers it. Once it is
    completed, or an approved update (what the boards read) says it was, it is part of the action's record; while
    an update waiting for review says so, removing it would change what the lead is approving."""
    if milestone.completed_on:
        return f"it was completed on {long_date(milestone.completed_on)}"
    claimed = set(milestone.completed_by_updates.values_list("state", flat=True))
    if ProgressUpdate.State.APPROVED in claimed:
        return "an approved update records it as completed"
    if ProgressUpdate.State.SUBMITTED in claimed:
        return (
            "an update waiting for review says it is completed: the update must be approved or returned first"
        )
    return ""


@transaction.atomic
def milestone_remove(*, milestone: Milestone, user: User) -> None:
    """An admin removes a milestone added by mistake or twice. The action's history keeps its addition, its
    changes and its removal."""
    partnership, _, milestone = milestone_to_write(milestone, user)
    refusal = milestone_removal_refusal(milestone)
    if refusal:
        raise ValidationError(f"“{milestone.title}” cannot be removed: {refusal}.")
    audited_delete(
        actor=user, instance=milestone, partnership=partnership, fields=["action", *MILESTONE_FIELDS]
    )


ACTION_TEXT_FIELDS = [
    "what_we_want",
    "what_we_will_do",
    "where_are_we_now",
    "what_we_will_see",
    "difference_this_will_make",
]


def plan_content(plan: Plan) -> list[dict[str, object]]:
    """The plan's recommendations and actions as published: what an earlier version keeps."""
    return [
        {
            "number": recommendation.number,
            "short_title": recommendation.short_title,
            "text": recommendation.text,
            "actions": [
                {
                    "reference": action.reference,
                    **{name: getattr(action, name) for name in ACTION_TEXT_FIELDS},
                }
                for action in recommendation.actions.order_by("order")
            ],
        }
        for recommendation in plan.recommendations.order_by("number").prefetch_related("actions")
    ]


@transaction.atomic
def plan_action_add(
    *, recommendation: Recommendation, user: User, texts: dict[str, str], reason: str
) -> Action:
    """A new action makes a new version of the plan; the version it replaces is kept word for word."""
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("partnership")
        .get(pk=recommendation.plan_id)
    )
    require_perm(user, "actions.change_plan", plan.partnership)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the plan is changing"})
    recommendation.plan = (
        plan  # the locked row, which gets the new version: the caller reads it from the action
    )
    PlanVersion.objects.create(
        plan=plan,
        version=plan.version,
        published_on=plan.published_on,
        published_label=plan.published_label,
        content=plan_content(plan),
        superseded_because=reason.strip(),
        superseded_by=user,
    )
    order = next_order(recommendation.actions.all())
    action = Action.objects.create(
        recommendation=recommendation,
        reference=f"R{recommendation.number}.{order}",
        order=order,
        **{name: texts[name].strip() for name in ACTION_TEXT_FIELDS},
    )
    plan.version += 1
    plan.published_on = timezone.localdate()
    plan.published_label = f"Version {plan.version}, {plan.published_on:%-d %B %Y}"
    plan.save(update_fields=["version", "published_on", "published_label"])
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.ADDED_TO_THE_PLAN,
        instance=action,
        partnership=plan.partnership,
        after={
            **snapshot(action, ["reference", *ACTION_TEXT_FIELDS]),
            "plan_version": plan.version,
            "reason": reason.strip(),
        },
    )
    return action


RAG_FIELDS = ["label", "meaning", "definition", "tag_class", "colour", "needs_commentary"]


@transaction.atomic
def rag_level_update(*, level: RagLevel, user: User, **values: object) -> RagLevel:
    """A partnership's RAG scale is its own: admins word and colour each level."""
    require_perm(user, "actions.change_plan", level.partnership)
    audited_update(
        actor=user,
        instance=level,
        verb=AuditEvent.Verb.UPDATED,
        partnership=level.partnership,
        fields=RAG_FIELDS,
        **{name: values[name] for name in RAG_FIELDS},
    )
    return level
