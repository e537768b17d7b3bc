"""Who may open what: roles are held per partnership, in request.roles (see core.middleware)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from core.models import Membership, Partnership, Role, User

ViewFunc = Callable[..., HttpResponseBase]


def has_role(request: HttpRequest, *roles: str) -> bool:
    return bool(request.roles & set(roles))  # type: ignore[attr-defined]


def role_required(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """Signed-in users with one of these roles in the current partnership; others get 403.

    With no roles given, any member of the current partnership may open the page.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.partnership is None:  # type: ignore[attr-defined]
                raise PermissionDenied("You are not a member of any partnership.")
            if roles and not has_role(request, *roles):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


member_required = role_required()
admin_required = role_required(Role.ADMIN)


def require_role(user: User, partnership: Partnership, *roles: str) -> None:
    """For services, which are called from views, tasks and commands alike: the user must hold a role here."""
    if not Membership.objects.filter(user=user, partnership=partnership, role__in=roles).exists():
        raise PermissionDenied("Your role does not allow this change.")


def is_operator(user: User) -> bool:
    """A site operator runs the service itself: creates partnerships and uses Django admin.

    Operators stand apart from every partnership: someone with a role in a partnership is never an operator,
    so no partnership user sees another partnership's people through the operators' pages or Django admin.
    """
    return bool(user.is_authenticated and user.is_active and user.is_staff) and not user.memberships.exists()
