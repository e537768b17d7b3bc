from django.http import HttpRequest

from core.models import Membership, Partnership, Role, User


class PortalRequest(HttpRequest):
    """A request to a page behind `role_required`: signed in, within a partnership (see core.middleware)."""

    user: User
    partnership: Partnership
    memberships: list[Membership]
    all_memberships: list[Membership]
    roles: frozenset[Role]
