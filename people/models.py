from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import Organisation, Partnership, Role

INVITATION_LIFETIME = timedelta(days=7)


class Invitation(models.Model):
    """An e-mailed offer of roles in a partnership; accepting it creates the person's memberships.

    The link carries the invitation's number and nonce, signed (people.invitations): resending draws a new nonce,
    so only the newest e-mail's link works.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        EXPIRED = "expired", "Expired"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Withdrawn"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField("e-mail address")
    full_name = models.CharField(max_length=150)
    roles = models.JSONField(default=list)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    nonce = models.CharField(max_length=32)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.full_name} <{self.email}>"

    @property
    def status(self) -> "Invitation.Status":
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def role_names(self) -> list[str]:
        return [Role(role).label for role in self.roles]

    @property
    def is_open(self) -> bool:
        """Waiting or expired: the admin may still resend or withdraw it."""
        return self.accepted_at is None and self.revoked_at is None


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect sign-in (for example a council's or an ICB's Microsoft Entra ID tenant),
    offered to the partnership's people whose e-mail addresses are in its domains. Set up by site operators."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="identity_providers")
    name = models.CharField(
        max_length=150, help_text="Shown on the button, for example Southend-on-Sea City Council"
    )
    email_domains = models.CharField(
        max_length=500,
        help_text="The e-mail domains it signs in, separated by commas, for example southend.gov.uk",
    )
    issuer = models.URLField(help_text="For Entra ID: https://login.microsoftonline.com/<tenant ID>/v2.0")
    authorization_endpoint = models.URLField()
    token_endpoint = models.URLField()
    jwks_endpoint = models.URLField("JWKS endpoint")
    client_id = models.CharField(max_length=200)
    client_secret = models.CharField(max_length=500)
    mfa_amr_values = models.CharField(
        "amr values that mean multi-factor",
        max_length=200,
        default="mfa",
        help_text="When the ID token's amr claim holds one of these (comma-separated), the portal skips its own "
        "second step",
    )
    mfa_acr_values = models.CharField(
        "acr values that mean multi-factor",
        max_length=200,
        blank=True,
        help_text="When the ID token's acr claim is one of these (comma-separated), the portal skips its own second step",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["partnership__name", "name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def listed(values: str) -> set[str]:
        return {value.strip().lower() for value in values.split(",") if value.strip()}

    @property
    def domains(self) -> set[str]:
        return self.listed(self.email_domains)

    def signs_in(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.domains

    def says_mfa_was_done(self, claims: dict[str, object]) -> bool:
        """True only when the provider's token says a second factor was used (amr or acr)."""
        amr = claims.get("amr") or []
        methods = {str(method).lower() for method in (amr if isinstance(amr, list) else [amr])}
        acr = str(claims.get("acr") or "").lower()
        return bool(methods & self.listed(self.mfa_amr_values)) or (acr in self.listed(self.mfa_acr_values))
