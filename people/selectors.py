from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Membership, Organisation, Partnership, Role, User
from people.models import Invitation


@dataclass(frozen=True)
class Person:
    """Someone with a role in the partnership, their roles here, and whether they can sign in now."""

    user: User
    memberships: list[Membership]
    locked_out: bool

    @property
    def organisation(self) -> Organisation:
        return self.memberships[0].organisation

    @property
    def role_names(self) -> list[str]:
        return [m.get_role_display() for m in self.memberships]

    @property
    def roles(self) -> list[str]:
        return [m.role for m in self.memberships]


def memberships_here(partnership: Partnership) -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(partnership=partnership).select_related("organisation"),
        to_attr="memberships_here",
    )


def locked_out_addresses(emails: list[str]) -> set[str]:
    """The addresses that django-axes is refusing now: too many failed sign-ins within the cool-off time."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=emails,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


def people_in(partnership: Partnership) -> list[Person]:
    users = list(
        User.objects.filter(memberships__partnership=partnership)
        .distinct()
        .prefetch_related(memberships_here(partnership))
        .order_by("full_name", "email")
    )
    locked = locked_out_addresses([u.email for u in users])
    return [Person(u, u.memberships_here, u.email in locked) for u in users]  # type: ignore[attr-defined]


def person_in(partnership: Partnership, pk: int) -> Person:
    """Someone with a role in this partnership; anyone else answers 404."""
    user = get_object_or_404(
        User.objects.filter(memberships__partnership=partnership)
        .distinct()
        .prefetch_related(memberships_here(partnership)),
        pk=pk,
    )
    return Person(user, user.memberships_here, bool(locked_out_addresses([user.email])))  # type: ignore[attr-defined]


def open_invitations(partnership: Partnership) -> QuerySet[Invitation]:
    """Invitations not yet accepted or withdrawn, expired ones included so they can be sent again."""
    return partnership.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related(
        "organisation"
    )


def person_with_address(partnership: Partnership, email: str) -> User | None:
    """Someone with a role here whose e-mail address this is, however it was typed."""
    return User.objects.filter(memberships__partnership=partnership, email=email.strip().lower()).first()


def waiting_invitation(partnership: Partnership, email: str) -> Invitation | None:
    """The invitation to this address that waits to be accepted, however the address was typed."""
    return open_invitations(partnership).filter(email=email.strip().lower()).first()


def people_with_a_role_for(organisation: Organisation) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__organisation=organisation).distinct().order_by("full_name", "email")
    )


def waiting_invitations_for(organisation: Organisation) -> QuerySet[Invitation]:
    return open_invitations(organisation.partnership).filter(organisation=organisation)


def invitation_in(partnership: Partnership, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("organisation"), partnership=partnership, pk=pk
    )


def active_organisations(partnership: Partnership) -> QuerySet[Organisation]:
    return partnership.organisations.filter(is_active=True).order_by("name")


def partnerships_overview() -> QuerySet[Partnership]:
    """Every partnership, for site operators, with how many people can sign in to it as its admin."""
    return Partnership.objects.annotate(
        admin_count=Count(
            "memberships",
            filter=Q(memberships__role=Role.ADMIN, memberships__user__is_active=True),
            distinct=True,
        ),
    ).order_by("name")
