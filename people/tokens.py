"""The link in an invitation e-mail: the invitation's number and nonce, signed with the site's secret key."""

from django.core import signing

from people.models import Invitation

SALT = "people.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, invitation.nonce], salt=SALT, compress=True)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation this link names, whatever its state; None for a forged link or one replaced by a resend."""
    try:
        pk, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Invitation.objects.select_related("partnership", "organisation").filter(pk=pk, nonce=nonce).first()
