import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django_otp import DEVICE_ID_SESSION_KEY

from core.models import User
from core.rules import remember_memberships
from core.selectors import current_memberships

SIGNED_IN_AT = "signed_in_at"
RENEWED_AT = "renewed_at"
CURRENT_PARTNERSHIP = "partnership_id"
# Set at a single sign-on whose provider's token says it used a second factor (people.sso): the portal's own is skipped.
SECOND_FACTOR_BY_PROVIDER = "second_factor_by_provider"


def renew_session(session: SessionBase) -> None:
    """Starts the idle limit (SESSION_COOKIE_AGE) again: changing the session saves it with a new expiry."""
    session[RENEWED_AT] = time.time()


def session_seconds_left(session: SessionBase) -> int:
    """Seconds until an idle session ends, counted from when it was last renewed."""
    renewed_at = session.get(RENEWED_AT, time.time())
    return max(0, int(renewed_at + settings.SESSION_COOKIE_AGE - time.time()))


class IdleSessionMiddleware:
    """Keeps a working user's session alive, writing it at most once per SESSION_RENEW_INTERVAL.

    Saving the session on every request would add a write, three queries, to every page a board member
    reads; a minute's slack on a 30-minute idle limit is not worth that. Pages are told the seconds left
    (session_seconds_left), so the warning still comes two minutes before the real end.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            renewed_at = request.session.get(RENEWED_AT, 0)
            if time.time() - renewed_at >= settings.SESSION_RENEW_INTERVAL.total_seconds():
                renew_session(request.session)
        return self.get_response(request)


class AbsoluteSessionLimitMiddleware:
    """Ends a session 12 hours after sign-in, however active it has been."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = settings.SESSION_ABSOLUTE_LIMIT.total_seconds()
            if signed_in_at is None or time.time() - signed_in_at > limit:
                logout(request)
                messages.info(
                    request, "You have been signed out because your session reached its time limit."
                )
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is over MAX_REQUEST_BYTES before any of it is read.

    Django checks an uploaded file's size only after writing the whole file to a temporary file; a 300 MB POST
    would fill the disk first. The proxy in front (docker-compose's nginx) enforces the same limit on the wire.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        size = int(declared) if declared.isdigit() else 0
        if size > settings.MAX_REQUEST_BYTES:
            megabytes = 1024 * 1024
            return render(
                request,
                "errors/413.html",
                {"sent_mb": round(size / megabytes, 1), "limit_mb": settings.MAX_REQUEST_BYTES // megabytes},
                status=413,
            )
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Nothing shown to a signed-in user is kept by the browser or any cache between it and the portal.

    Pages, evidence, packs and exports hold partnership data; on a shared council or NHS machine the back button
    or a proxy cache must not show them to the next person after sign-out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class CurrentPartnershipMiddleware:
    """Sets request.partnership, request.all_memberships and request.memberships for the signed-in user.

    Every page works within one partnership: the one chosen in the session, or the user's first. The memberships
    read here are handed to core.rules, so permission checks in this request ask the database nothing more.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.partnership = None  # type: ignore[attr-defined]
        request.all_memberships = []  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = list(current_memberships(request.user))
            remember_memberships(request.user, memberships)
            chosen = request.session.get(CURRENT_PARTNERSHIP)
            partnerships = {m.partnership_id: m.partnership for m in memberships}
            partnership_id = chosen if chosen in partnerships else next(iter(partnerships), None)
            if partnership_id is not None:
                request.partnership = partnerships[partnership_id]  # type: ignore[attr-defined]
                request.all_memberships = memberships  # type: ignore[attr-defined]
                request.memberships = [m for m in memberships if m.partnership_id == partnership_id]  # type: ignore[attr-defined]
        return self.get_response(request)


def otp_verified(request: HttpRequest) -> bool:
    """True once a second factor was used in this session: the portal's own (django_otp.login records the device
    in the session) or the identity provider's, at a single sign-on whose token said so.

    Read from the session rather than through django_otp's middleware, which would query the device on every request.
    """
    return DEVICE_ID_SESSION_KEY in request.session or SECOND_FACTOR_BY_PROVIDER in request.session


class TwoFactorRequiredMiddleware:
    """A password alone opens nothing: the user must set up, then use, their authenticator app."""

    EXEMPT_URL_NAMES = ("login", "logout", "two_factor_setup", "two_factor_verify", "accessibility", "health")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from core import two_factor

        user = request.user
        if (
            isinstance(user, User)
            and not otp_verified(request)
            and not two_factor.may_skip_two_factor(user)
            and not self.exempt(request)
        ):
            step = "two_factor_verify" if two_factor.has_authenticator(user) else "two_factor_setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def exempt(self, request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in self.EXEMPT_URL_NAMES and not match.namespace
