"""Who may do what with the public pages and the read API. Views, templates and services ask these through
django-rules."""

import rules

from core.models import User
from core.rules import is_admin, is_member
from public.models import ApiToken


@rules.predicate
def holds_token(user: User, token: ApiToken) -> bool:
    return token.user_id == user.pk


# Choosing what is public, and moderating what families send, are the partnership admin's.
rules.add_perm("public.choose_public_pages", is_admin)
rules.add_perm("public.moderate_feedback", is_admin)
# Any member may hold a personal API token: it opens only what their roles open on the pages.
rules.add_perm("public.hold_tokens", is_member)
# Its holder, or the partnership's admin (for someone who has left, or a token that got out).
rules.add_perm("public.revoke_token", holds_token | is_admin)
