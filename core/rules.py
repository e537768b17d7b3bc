"""The roles a person holds in a partnership, as django-rules predicates: every app's rules.py builds on these.

A predicate is called as (user, obj), obj being the partnership a page works in or an object that belongs to one.
Roles are read once per user object (core.middleware hands over the memberships it has already read, so a page
asks the database nothing more), then every check is answered from memory.
"""

from typing import Any

import rules

from core.models import Membership, Partnership, Role, User

# On the user object: {partnership id: [membership, ...]}, and whether it holds every partnership the user is in.
MEMBERSHIPS = "_memberships_by_partnership"
ALL_KNOWN = "_memberships_all_known"


def remember_memberships(user: User, memberships: list[Membership]) -> None:
    """Every membership of a signed-in user, already read for the request: no check reads them again."""
    by_partnership: dict[int, list[Membership]] = {}
    for membership in memberships:
        by_partnership.setdefault(membership.partnership_id, []).append(membership)
    setattr(user, MEMBERSHIPS, by_partnership)
    setattr(user, ALL_KNOWN, True)


def partnership_id_of(obj: Any) -> int | None:
    """The partnership a page works in, or the one an object belongs to."""
    if isinstance(obj, Partnership):
        return obj.pk
    return getattr(obj, "partnership_id", None)


def memberships_in(user: User, partnership_id: int | None) -> list[Membership]:
    """The user's memberships in one partnership: read once per user object, then from memory."""
    if partnership_id is None or not user.is_authenticated:
        return []
    known: dict[int, list[Membership]] = getattr(user, MEMBERSHIPS, None) or {}
    if partnership_id not in known and not getattr(user, ALL_KNOWN, False):
        known[partnership_id] = list(
            Membership.objects.filter(user_id=user.pk, user__is_active=True, partnership_id=partnership_id)
        )
        setattr(user, MEMBERSHIPS, known)
    return known.get(partnership_id, [])


def roles_in(user: User, obj: Any) -> frozenset[str]:
    return frozenset(m.role for m in memberships_in(user, partnership_id_of(obj)))


def officer_organisations(user: User, obj: Any) -> set[int]:
    """The organisations a user works for as an officer in the object's partnership: their actions and returns."""
    return {m.organisation_id for m in memberships_in(user, partnership_id_of(obj)) if m.role == Role.OFFICER}


def holds(*roles: str) -> rules.Predicate:
    """A predicate: the user holds one of these roles in the object's partnership (any role, if none are named)."""
    wanted = frozenset(roles or Role)

    def check(user: User, obj: Any) -> bool:
        return bool(roles_in(user, obj) & wanted)

    return rules.Predicate(check, name=f"holds({', '.join(sorted(wanted))})")


is_member = holds()
is_officer = holds(Role.OFFICER)
is_lead = holds(Role.LEAD)
is_board = holds(Role.BOARD)
is_democratic = holds(Role.DEMOCRATIC)
is_admin = holds(Role.ADMIN)


@rules.predicate
def is_operator(user: User) -> bool:
    """A site operator runs the service itself: creates partnerships and uses Django admin.

    Operators stand apart from every partnership: someone with a role in a partnership is never an operator,
    so no partnership user sees another partnership's people through the operators' pages or Django admin.
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if getattr(user, ALL_KNOWN, False):
        return not any(getattr(user, MEMBERSHIPS).values())
    return not user.memberships.exists()


rules.add_perm("core.view_partnership", is_member)
rules.add_perm("core.operate_site", is_operator)
