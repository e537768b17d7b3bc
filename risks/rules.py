"""Who may change the risk log. Views and services ask the same questions."""

from core.models import Role, User
from risks.models import Risk

# Leads and admins sit on the group that keeps the log, so they raise risks; each risk then has an owner.
RAISER_ROLES = (Role.LEAD, Role.ADMIN)


def can_raise_risk(roles: frozenset[str]) -> bool:
    return bool(roles & set(RAISER_ROLES))


def can_edit_risk(user: User, roles: frozenset[str], risk: Risk) -> bool:
    """A risk's owner and the partnership's admins change it, rescore it, escalate it and close it."""
    return Role.ADMIN in roles or risk.owner_id == user.pk


def can_set_matrix(roles: frozenset[str]) -> bool:
    return Role.ADMIN in roles
