from django.conf import settings
from django.http import HttpRequest

from core.middleware import otp_verified, session_seconds_left
from core.models import User
from core.navigation import menu_for
from core.two_factor import may_skip_two_factor


def signed_in_fully(request: HttpRequest) -> bool:
    """Past both sign-in steps: until then the navigation would only lead back to the second step."""
    user = request.user
    return isinstance(user, User) and (otp_verified(request) or may_skip_two_factor(user))


def portal(request: HttpRequest) -> dict[str, object]:
    partnership = getattr(request, "partnership", None)
    return {
        "portal_name": settings.PORTAL_NAME,
        "session_seconds": session_seconds_left(request.session),
        "session_age": settings.SESSION_COOKIE_AGE,
        "current_partnership": partnership,
        "service_name": f"{partnership.short_name} SEND partnership" if partnership else settings.PORTAL_NAME,
        "navigation": menu_for(request) if partnership and signed_in_fully(request) else [],
        "other_partnerships": list(
            {
                m.partnership_id: m.partnership
                for m in getattr(request, "all_memberships", [])
                if partnership and m.partnership_id != partnership.pk
            }.values()
        ),
    }
