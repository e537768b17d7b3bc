"""Audit helpers: every service that changes data records what it changed here."""

from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from core.models import AuditEvent, Partnership, User


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model's own field values."""
    data = model_to_dict(instance, fields=fields)
    return {
        key: value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        for key, value in data.items()
    }


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
    return event


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
