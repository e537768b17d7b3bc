"""Every write of the risk log, one function per intention, each checking permission and audited."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from actions.models import Action
from core.audit import audit_record, audited_create, audited_update
from core.jobs import enqueue_on_commit
from core.models import AuditEvent, Membership, Partnership, User
from risks import selectors
from risks.models import DetailChange, Escalation, ReviewReminder, Risk, RiskMatrix, ScoreChange

DETAIL_FIELDS = ["title", "cause", "effect", "owner", "controls", "review_date"]
# What a report shows of a risk as at its cut-off, so kept in its history each time it changes.
WORDING_FIELDS = ["title", "cause", "effect", "owner", "controls"]
SCORE_FIELDS = ["inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"]
MATRIX_FIELDS = [
    "likelihood_labels",
    "impact_labels",
    "medium_from",
    "high_from",
    "very_high_from",
    "held_by",
    "escalates_to",
]
NOT_CHANGED = "The scores are the same as before: change at least one, or go back"
CLOSED = "This risk is closed, so it cannot be changed"
NOT_CLOSED = "This risk is not closed, so there is nothing to reopen"


def require_raiser(actor: User, partnership: Partnership) -> None:
    if not actor.has_perm("risks.raise_risk", partnership):
        raise PermissionDenied("Only recommendation leads and admins raise risks.")


def require_editor(actor: User, risk: Risk) -> None:
    if not actor.has_perm("risks.change_risk", risk):
        raise PermissionDenied("Only the risk's owner and the partnership's admins change a risk.")


def require_live(risk: Risk) -> None:
    if not risk.is_live:
        raise ValidationError(CLOSED, code="closed")


def require_member(partnership: Partnership, owner: User) -> None:
    if not Membership.objects.filter(partnership=partnership, user=owner).exists():
        raise ValidationError({"owner": "Choose someone with a role in this partnership"})


def require_plan_actions(partnership: Partnership, actions: list[Action]) -> None:
    allowed = set(selectors.plan_actions(partnership).values_list("pk", flat=True))
    if any(action.pk not in allowed for action in actions):
        raise ValidationError({"actions": "Choose actions of this partnership's plan"})


def record_scores(*, actor: User | None, risk: Risk, reason: str, at: datetime | None = None) -> ScoreChange:
    return ScoreChange.objects.create(
        risk=risk,
        changed_by=actor,
        changed_at=at or timezone.now(),
        reason=reason,
        **{name: getattr(risk, name) for name in SCORE_FIELDS},
    )


def record_details(
    *, actor: User | None, risk: Risk, reason: str = "", at: datetime | None = None
) -> DetailChange:
    return DetailChange.objects.create(
        risk=risk,
        changed_by=actor,
        changed_at=at or timezone.now(),
        reason=reason,
        status=risk.status,
        **{name: getattr(risk, name) for name in WORDING_FIELDS},
    )


@transaction.atomic
def risk_raise(
    *,
    actor: User,
    partnership: Partnership,
    data: dict[str, Any],
    actions: list[Action],
) -> Risk:
    """A new risk on the log, numbered after the last, with its first scores in its history."""
    require_raiser(actor, partnership)
    require_member(partnership, data["owner"])
    require_plan_actions(partnership, actions)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()  # numbers given one at a time
    number = (Risk.objects.filter(partnership=partnership).aggregate(n=Max("number"))["n"] or 0) + 1
    risk = Risk.objects.create(partnership=partnership, number=number, raised_by=actor, **data)
    risk.actions.set(actions)
    # Its first words and scores are its own as raised, so the log as at that moment holds it.
    record_scores(actor=actor, risk=risk, reason="First scored when the risk was raised", at=risk.raised_at)
    record_details(actor=actor, risk=risk, at=risk.raised_at)
    audited_create(actor=actor, instance=risk, partnership=partnership, fields=DETAIL_FIELDS + SCORE_FIELDS)
    return risk


@transaction.atomic
def risk_update(*, actor: User, risk: Risk, data: dict[str, Any], actions: list[Action]) -> Risk:
    """The risk's words, owner, controls, mitigating actions and review date; its scores change by rescoring."""
    require_editor(actor, risk)
    require_live(risk)
    require_member(risk.partnership, data["owner"])
    require_plan_actions(risk.partnership, actions)
    before_actions = sorted(a.reference for a in risk.actions.all())
    before_wording = [getattr(risk, name) for name in WORDING_FIELDS]
    audited_update(
        actor=actor,
        instance=risk,
        verb=AuditEvent.Verb.UPDATED,
        partnership=risk.partnership,
        fields=DETAIL_FIELDS,
        **{name: data[name] for name in DETAIL_FIELDS},
    )
    if [getattr(risk, name) for name in WORDING_FIELDS] != before_wording:
        record_details(actor=actor, risk=risk)
    after_actions = sorted(a.reference for a in actions)
    if after_actions != before_actions:
        risk.actions.set(actions)
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.CHANGED_MITIGATING_ACTIONS,
            instance=risk,
            partnership=risk.partnership,
            before={"actions": before_actions},
            after={"actions": after_actions},
        )
    return risk


@transaction.atomic
def risk_rescore(*, actor: User, risk: Risk, scores: dict[str, int], reason: str) -> ScoreChange:
    """New scores with the reason for them, kept in the risk's history."""
    require_editor(actor, risk)
    require_live(risk)
    if all(getattr(risk, name) == scores[name] for name in SCORE_FIELDS):
        raise ValidationError(NOT_CHANGED, code="unchanged")
    audited_update(
        actor=actor,
        instance=risk,
        verb=AuditEvent.Verb.RESCORED,
        partnership=risk.partnership,
        fields=SCORE_FIELDS,
        **{name: scores[name] for name in SCORE_FIELDS},
    )
    return record_scores(actor=actor, risk=risk, reason=reason)


def status_set(*, actor: User, risk: Risk, verb: AuditEvent.Verb, status: str, reason: str) -> None:
    """The risk's new status, audited and kept in its history with the reason; only a closed risk keeps the
    reason on the risk itself, to show why it was closed."""
    audited_update(
        actor=actor,
        instance=risk,
        verb=verb,
        partnership=risk.partnership,
        fields=["status", "closed_reason"],
        status=status,
        closed_reason=reason if status == Risk.Status.CLOSED else "",
    )
    record_details(actor=actor, risk=risk, reason=reason)


@transaction.atomic
def risk_escalate(*, actor: User, risk: Risk, reason: str) -> Escalation:
    """Raised from the group that holds the log to the board; the risk stays escalated until closed."""
    require_editor(actor, risk)
    require_live(risk)
    if risk.status == Risk.Status.ESCALATED:
        raise ValidationError("This risk is already escalated to the board", code="escalated")
    matrix = selectors.matrix_of(risk.partnership)
    escalation = Escalation.objects.create(
        risk=risk,
        from_body=matrix.held_by,
        to_body=matrix.escalates_to,
        reason=reason,
        escalated_by=actor,
    )
    status_set(
        actor=actor, risk=risk, verb=AuditEvent.Verb.ESCALATED, status=Risk.Status.ESCALATED, reason=reason
    )
    return escalation


@transaction.atomic
def risk_close(*, actor: User, risk: Risk, reason: str) -> Risk:
    """Off the live log and the heat map; kept, with its history, on record."""
    require_editor(actor, risk)
    require_live(risk)
    status_set(actor=actor, risk=risk, verb=AuditEvent.Verb.CLOSED, status=Risk.Status.CLOSED, reason=reason)
    return risk


@transaction.atomic
def risk_reopen(*, actor: User, risk: Risk, reason: str) -> Risk:
    """Back on the live log, open, by whoever may close it; its closing stays in its history. A risk that was
    escalated is escalated again if the board still needs to see it."""
    require_editor(actor, risk)
    if risk.is_live:
        raise ValidationError(NOT_CLOSED, code="not_closed")
    status_set(actor=actor, risk=risk, verb=AuditEvent.Verb.REOPENED, status=Risk.Status.OPEN, reason=reason)
    return risk


@transaction.atomic
def matrix_set(*, actor: User, partnership: Partnership, data: dict[str, Any]) -> RiskMatrix:
    """The words of the matrix, its bands and the escalation route, for the log from now on."""
    if not actor.has_perm("risks.set_matrix", partnership):
        raise PermissionDenied("Only the partnership admin sets the risk matrix.")
    if not 1 < data["medium_from"] < data["high_from"] < data["very_high_from"] <= 25:
        raise ValidationError(
            "Each band must start at a higher score than the one before, between 2 and 25", code="bands"
        )
    matrix = selectors.matrix_of(partnership)
    if matrix.pk is None:
        for name, value in data.items():
            setattr(matrix, name, value)
        matrix.save()
        audited_create(actor=actor, instance=matrix, partnership=partnership, fields=MATRIX_FIELDS)
        return matrix
    audited_update(
        actor=actor,
        instance=matrix,
        verb=AuditEvent.Verb.UPDATED,
        partnership=partnership,
        fields=MATRIX_FIELDS,
        **data,
    )
    return matrix


def review_reminders_send(*, today: date) -> int:
    """Each owner of a risk whose review date has passed is told once for that date, through the outbox."""
    queued = 0
    for risk in selectors.overdue_reviews(today):
        if not risk.owner.is_active:
            continue
        try:
            with transaction.atomic():
                reminder = ReviewReminder.objects.create(
                    risk=risk, review_date=risk.review_date, sent_to=risk.owner.email
                )
                enqueue_on_commit("risks.send_review_reminder", reminder_id=reminder.pk)
                audit_record(
                    actor=None,
                    verb=AuditEvent.Verb.REVIEW_REMINDER,
                    instance=risk,
                    partnership=risk.partnership,
                    after={"review_date": risk.review_date.isoformat(), "sent_to": risk.owner.email},
                )
        except IntegrityError:
            continue  # already reminded for this review date
        queued += 1
    return queued
