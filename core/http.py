from django.http import HttpRequest

from core.models import Membership, Partnership, User


class PortalRequest(HttpRequest):
    """A request to a page behind `permission_required`: signed in, within a partnership (see core.middleware)."""

    user: User
    partnership: Partnership
    memberships: list[Membership]
    all_memberships: list[Membership]
