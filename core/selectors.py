from typing import Any

from django.db.models import Count, Max, QuerySet

from core.models import AuditEvent, Membership, Organisation, Partnership, User


def current_memberships(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, user__is_active=True).select_related(
        "partnership", "organisation"
    )


def organisations_in(partnership: Partnership) -> QuerySet[Organisation]:
    return partnership.organisations.annotate(member_count=Count("memberships")).order_by("kind", "name")


def organisation_in(partnership: Partnership, pk: int) -> Organisation:
    """An organisation of this partnership; another partnership's answers 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Organisation, partnership=partnership, pk=pk)


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__full_name", "role")


def audit_trail(object_type: str, object_id: int | str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).select_related(
        "actor"
    )


def next_order(rows: QuerySet[Any]) -> int:
    """The position after the last of these rows (1 when there are none)."""
    return (rows.aggregate(last=Max("order"))["last"] or 0) + 1
