"""Who may do what with the public pages. Views and services ask the same questions."""

from core.models import Role, User
from public.models import ApiToken

# Choosing what is public, and moderating what families send, are the partnership admin's.
PUBLISHERS = (Role.ADMIN,)
MODERATORS = (Role.ADMIN,)
# Any member may hold a personal API token: it opens only what their roles open on the pages.
TOKEN_HOLDERS = tuple(Role)


def may_revoke(user: User, roles: frozenset[str], token: ApiToken) -> bool:
    """Its holder, or the partnership's admin (for someone who has left, or a token that got out)."""
    return token.user_id == user.pk or Role.ADMIN in roles
