"""Single sign-on with OpenID Connect, one or more identity providers per partnership (docs/adr/0014).

mozilla-django-oidc does the protocol: the authorisation request with state, nonce and PKCE, the code exchange,
and the ID token's signature checked against the provider's published keys. It reads one provider from settings;
here the provider is the one chosen at the start of the sign-in and kept in the session, read from the database.
"""

import time
from typing import Any

from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from core.audit import audit_record
from core.middleware import SECOND_FACTOR_BY_PROVIDER, SIGNED_IN_AT
from core.models import AuditEvent, Membership, User
from people import services
from people.models import IdentityProvider, Invitation

PROVIDER = "sso_provider_id"
REFUSAL = "sso_refusal"
BACKEND = "people.sso.PartnershipOIDCBackend"

NOT_INVITED = (
    "Your organisation's account is not yet registered in this partnership's portal. "
    "Ask your partnership admin to invite you, then use the link in the invitation e-mail."
)
WRONG_DOMAIN = "Your organisation signed you in with an e-mail address it does not look after here."


def provider_for_email(email: str) -> IdentityProvider | None:
    """The active identity provider that looks after this address's domain, if any; none for what is not an e-mail
    address (typed wrong, or hostile: a NUL byte cannot even be looked up), which the sign-in form then refuses."""
    try:
        validate_email(email)
    except ValidationError:
        return None
    domain = email.rpartition("@")[2].lower()
    for provider in IdentityProvider.objects.filter(is_active=True, email_domains__icontains=domain):
        if provider.signs_in(email):
            return provider
    return None


def provider_in_session(request: HttpRequest) -> IdentityProvider | None:
    provider_id = request.session.get(PROVIDER)
    if not isinstance(provider_id, int):
        return None
    return (
        IdentityProvider.objects.filter(pk=provider_id, is_active=True).select_related("partnership").first()
    )


class PartnershipOIDCBackend(OIDCAuthenticationBackend):
    """Signs in someone whom the chosen provider vouches for, only if they belong to its partnership already or
    hold an invitation there: nobody joins a partnership by signing in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The provider is known only once a sign-in comes back (see authenticate), not from settings.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "code" not in request.GET:
            return None  # a password sign-in, which the model back end handles
        provider = provider_in_session(request)
        if provider is None:
            return None
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def get_user(self, user_id: int) -> User | None:
        """As Django's own back end: a deactivated person's session opens nothing."""
        user: User | None = ModelBackend.get_user(self, user_id)
        return user

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The ID token's own claims, whose signature was checked: amr and acr are there, not in userinfo."""
        return payload

    def email_of(self, claims: dict[str, Any]) -> str:
        # Entra ID puts the sign-in address in preferred_username; e-mail is an optional claim there.
        return str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if str(claims.get("iss", "")).rstrip("/") != self.provider.issuer.rstrip("/"):
            return False
        if not self.provider.signs_in(self.email_of(claims)):
            self.request.session[REFUSAL] = WRONG_DOMAIN
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return self.UserModel.objects.filter(email=self.email_of(claims))

    def pending_invitation(self, email: str) -> Invitation | None:
        return next(
            (
                invitation
                for invitation in Invitation.objects.filter(
                    partnership=self.provider.partnership, email=email
                )
                if invitation.status == Invitation.Status.PENDING
            ),
            None,
        )

    def create_user(self, claims: dict[str, Any]) -> User | None:
        email = self.email_of(claims)
        invitation = self.pending_invitation(email)
        if invitation is None:
            self.request.session[REFUSAL] = NOT_INVITED
            return None
        user = self.UserModel.objects.create_user(
            email, None, full_name=str(claims.get("name") or invitation.full_name)
        )
        audit_record(
            actor=user,
            verb=AuditEvent.Verb.JOINED_BY_SINGLE_SIGN_ON,
            instance=user,
            partnership=invitation.partnership,
        )
        services.invitation_accept(invitation=invitation, user=user)
        return self.signed_in(user, claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User | None:
        if not Membership.objects.filter(user=user, partnership=self.provider.partnership).exists():
            invitation = self.pending_invitation(user.email)
            if invitation is None:
                self.request.session[REFUSAL] = NOT_INVITED
                return None
            services.invitation_accept(invitation=invitation, user=user)
        return self.signed_in(user, claims)

    def signed_in(self, user: User, claims: dict[str, Any]) -> User:
        user.provider_mfa = self.provider.says_mfa_was_done(claims)  # type: ignore[attr-defined]
        user.provider_id = self.provider.pk  # type: ignore[attr-defined]
        return user


@require_GET
def sso_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Sends the browser to the provider's sign-in page, remembering which provider it went to."""
    provider = get_object_or_404(IdentityProvider, pk=pk, is_active=True)
    request.session[PROVIDER] = provider.pk
    request.session.pop(REFUSAL, None)
    response: HttpResponse = ProviderRequestView(provider).get(request)
    return response


class ProviderRequestView(OIDCAuthenticationRequestView):
    """The library's authorisation request, to this provider rather than to one named in settings."""

    def __init__(self, provider: IdentityProvider) -> None:
        View.__init__(self)
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: signs in, and skips the portal's second step only when the
    provider's token says it asked for one itself."""

    def login_success(self) -> HttpResponse:
        user = self.user
        auth.login(self.request, user, backend=BACKEND)
        self.request.session[SIGNED_IN_AT] = time.time()
        if getattr(user, "provider_mfa", False):
            self.request.session[SECOND_FACTOR_BY_PROVIDER] = user.provider_id
        audit_record(
            actor=user, verb=AuditEvent.Verb.SIGNED_IN_BY_SINGLE_SIGN_ON, instance=user, partnership=None
        )
        return HttpResponseRedirect(self.success_url)

    def login_failure(self) -> HttpResponse:
        return redirect("people:sso_refused")


@require_GET
def sso_refused(request: HttpRequest) -> HttpResponse:
    """Why the sign-in with the organisation's account did not let the person in."""
    reason = request.session.pop(REFUSAL, None) or (
        "Your organisation's sign-in did not complete. Try again, or sign in with your password."
    )
    return render(request, "people/sso_refused.html", {"reason": reason})
