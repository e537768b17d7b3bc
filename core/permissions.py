"""Every permission decision goes through django-rules: the predicates are in each app's rules.py, registered as
"<app>.<verb>_<thing>" (docs/adr/0019-permissions-through-django-rules.md). Views declare theirs with
`permission_required`; services check with `require_perm`; templates ask `{% has_perm %}`."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from core.models import User

ViewFunc = Callable[..., HttpResponseBase]
# The object a view's permission is asked about, from the request and the URL's arguments.
ObjectOf = Callable[..., Any]


def permission_required(perm: str, obj: ObjectOf | None = None) -> Callable[[ViewFunc], ViewFunc]:
    """Signed-in users of the current partnership holding `perm` on it (or on `obj(request, *args, **kwargs)`).

    Anonymous visitors are sent to sign in; everyone else without the permission gets 403.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            partnership = request.partnership  # type: ignore[attr-defined]
            if partnership is None:
                raise PermissionDenied("You are not a member of any partnership.")
            target = partnership if obj is None else obj(request, *args, **kwargs)
            if not request.user.has_perm(perm, target):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require_perm(user: User, perm: str, obj: Any) -> None:
    """For services, which are called from views, tasks and commands alike."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("Your role does not allow this change.")
