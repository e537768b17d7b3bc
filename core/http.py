from django.conf import settings
from django.http import HttpRequest

from core.models import Membership, Partnership, User


class PortalRequest(HttpRequest):
    """A request to a page behind `permission_required`: signed in, within a partnership (see core.middleware)."""

    user: User
    partnership: Partnership
    memberships: list[Membership]
    all_memberships: list[Membership]


def absolute(path: str) -> str:
    """The portal's address of a page, for an e-mail, which is read outside any request."""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"
