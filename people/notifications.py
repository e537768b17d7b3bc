"""E-mails about access: invitations and password resets. Sent from Celery tasks, never inside a request."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.http import absolute
from core.models import Role, User
from people.models import Invitation
from people.tokens import invitation_token


def invitation_email(invitation: Invitation) -> tuple[str, str]:
    roles = " and ".join(Role(role).label.lower() for role in invitation.roles)
    link = absolute(reverse("people:join", args=[invitation_token(invitation)]))
    expires = timezone.localtime(invitation.expires_at)
    subject = f"You are invited to the {invitation.partnership.name} on the {settings.PORTAL_NAME}"
    body = (
        f"Dear {invitation.full_name},\n\n"
        f"{invitation.invited_by} has invited you to the {invitation.partnership.name}'s portal, "
        f"as {roles} for {invitation.organisation}.\n\n"
        f"Accept the invitation: {link}\n\n"
        f"The link works until {expires:%-d %B %Y at %H:%M}. You will choose a password and set up an "
        "authenticator app, or sign in with your organisation's account where your organisation offers it.\n\n"
        "If you did not expect this e-mail, you can ignore it.\n"
    )
    return subject, body


def send_invitation(invitation_id: int) -> int:
    invitation = (
        Invitation.objects.select_related("partnership", "organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return 0
    subject, body = invitation_email(invitation)
    return send_mail(subject, body, None, [invitation.email])


def password_reset_email(user: User) -> tuple[str, str]:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = absolute(reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)]))
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    subject = f"Reset your password for the {settings.PORTAL_NAME}"
    body = (
        f"Dear {user.get_full_name()},\n\n"
        f"Someone asked to reset the password for your account on the {settings.PORTAL_NAME}.\n\n"
        f"Choose a new password: {link}\n\n"
        f"The link works once, for {hours} hours. Choosing a new password signs you out everywhere else.\n\n"
        "If you did not ask for this, you can ignore this e-mail: your password has not changed.\n"
    )
    return subject, body


def send_password_reset(user_id: int) -> int:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return 0
    subject, body = password_reset_email(user)
    return send_mail(subject, body, None, [user.email])
