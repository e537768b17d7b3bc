"""Audit helpers: every service that changes data records what it changed here.

Recording a change also gives the partnership a new board version where the change is one the board pages show
(`board_changed`): the audit trail is the one place every write passes through, Django admin's included.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from core.models import AuditEvent, Partnership, User, new_board_version

Verb = AuditEvent.Verb
# What changes nothing the board pages show: a progress update's steps before approval (the board reads approved
# updates only, and an approved update is never edited: a correction is a new revision), downloads and exports,
# and sign-in bookkeeping. Officers saving drafts on the deadline so keep the board's drawings.
UNSEEN_BY_THE_BOARD = frozenset(
    ("actions.progressupdate", verb)
    for verb in (Verb.CREATED, Verb.UPDATED, Verb.SUBMITTED, Verb.RETURNED, Verb.REMOVED_EVIDENCE)
)
VERBS_UNSEEN_BY_THE_BOARD = frozenset(
    {
        Verb.DOWNLOAD,
        Verb.EXPORTED_CSV,
        Verb.EXPORTED_XLSX,
        Verb.SET_UP_TWO_FACTOR_SIGN_IN,
        Verb.USED_A_RECOVERY_CODE,
        Verb.ASKED_FOR_A_PASSWORD_RESET,
        Verb.SIGNED_IN_BY_SINGLE_SIGN_ON,
    }
)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model's own field values."""
    return {key: json_safe(value) for key, value in model_to_dict(instance, fields=fields).items()}


def json_safe(value: Any) -> Any:
    if isinstance(value, str | int | float | bool | type(None)):
        return value
    if isinstance(value, list) and all(isinstance(item, models.Model) for item in value):
        # A many-to-many field: its ids, which a history can name, rather than the text of its objects.
        return sorted(item.pk for item in value)
    return str(value)


def audit_record(
    *,
    actor: User | None,
    verb: AuditEvent.Verb,
    instance: models.Model,
    partnership: Partnership | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = audit_event(
        actor=actor, verb=verb, instance=instance, partnership=partnership, before=before, after=after
    )
    event.save()
    board_changed_by([event])
    return event


def audit_record_all(events: list[AuditEvent]) -> None:
    """Save the records of many changes made at once (audit_event), in one statement."""
    AuditEvent.objects.bulk_create(events)
    board_changed_by(events)


def board_changed_by(events: Iterable[AuditEvent]) -> None:
    seen = [
        event
        for event in events
        if event.verb not in VERBS_UNSEEN_BY_THE_BOARD
        and (event.object_type, event.verb) not in UNSEEN_BY_THE_BOARD
    ]
    if seen:
        # A change that belongs to no partnership (a person's name changed in Django's admin) may show on any board.
        ids = {event.partnership_id for event in seen}
        board_changed(None if None in ids else {pk for pk in ids if pk is not None})


def board_changed(partnership_ids: set[int] | None) -> None:
    """A new board version for these partnerships (None: every one). Call it inside the change's own transaction,
    after or with the change: a version committed before its change would let a page drawn in between be kept.

    The partnership's row stays locked until the change commits, so two changes commit in the order of their
    versions, and a reader who sees a version sees every change made before it (dashboards.pagecache).
    """
    partnerships = Partnership.objects.all()
    if partnership_ids is not None:
        partnerships = partnerships.filter(pk__in=partnership_ids)
    partnerships.update(board_version=new_board_version())


def audit_event(
    *,
    actor: User | None,
    verb: AuditEvent.Verb,
    instance: models.Model,
    partnership: Partnership | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """The record of a change, not yet saved: a service that changes many rows at once saves theirs together."""
    return AuditEvent(
        actor=actor,
        verb=verb,
        partnership=partnership,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before or {},
        after=after or {},
    )


def audited_update(
    *,
    actor: User,
    instance: models.Model,
    verb: AuditEvent.Verb,
    partnership: Partnership,
    fields: list[str] | None = None,
    **changes: Any,
) -> None:
    """Set the changed values, save only them, and record the change with the values before and after."""
    before = snapshot(instance, fields)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        verb=verb,
        instance=instance,
        partnership=partnership,
        before=before,
        after=snapshot(instance, fields),
    )


def audited_delete(
    *, actor: User, instance: models.Model, partnership: Partnership, fields: list[str] | None = None
) -> None:
    """Record what is removed, with its values, then remove it."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.REMOVED,
        instance=instance,
        partnership=partnership,
        before=snapshot(instance, fields),
    )
    instance.delete()


def audited_create(
    *, actor: User, instance: models.Model, partnership: Partnership, fields: list[str] | None = None
) -> None:
    """Record a newly created object with its values."""
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        instance=instance,
        partnership=partnership,
        after=snapshot(instance, fields),
    )
