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
