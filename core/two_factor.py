"""Two-factor sign-in with an authenticator app (TOTP), and one-time recovery codes."""

import io
import secrets

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from core.audit import audit_record
from core.models import AuditEvent, User

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
PENDING_KEY_SESSION_KEY = "authenticator_key_being_set_up"


def may_skip_two_factor(user: User) -> bool:
    """Only the local demo accounts, and only where settings allow demo accounts (never in production)."""
    return bool(settings.DEMO_ACCOUNTS_ALLOWED and settings.DEMO_SKIPS_TWO_FACTOR and user.is_demo)


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(request: HttpRequest, user: User) -> TOTPDevice:
    """The authenticator app being set up, not stored: its secret waits in the session, so that the set-up page
    shows the same one until a code confirms it, and opening the page writes nothing."""
    key = request.session.setdefault(PENDING_KEY_SESSION_KEY, default_key())
    return TOTPDevice(user=user, name=AUTHENTICATOR_NAME, key=key, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for people who cannot scan the QR code."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def authenticator_confirm(*, request: HttpRequest, user: User, code: str) -> list[str] | None:
    """Confirms the app with a first code; returns the new recovery codes, or None if the code is wrong.

    The device is stored, unconfirmed, at the first code sent: django-otp counts wrong codes on it and slows
    further attempts."""
    pending = pending_authenticator(request, user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, key=pending.key, defaults={"name": pending.name}
    )
    if not device.verify_token(normalised(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    del request.session[PENDING_KEY_SESSION_KEY]
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = recovery_codes_replace(user)
    second_factor_complete(request, device)
    audit_record(actor=user, verb=AuditEvent.Verb.SET_UP_TWO_FACTOR_SIGN_IN, instance=user, partnership=None)
    return codes


def second_factor_complete(request: HttpRequest, device: Device) -> None:
    """Marks the session as past the second step under a new session key.

    The key the browser held during the password-only step must not open the fully signed-in session:
    whoever saw it (a shared machine, a logged URL) would otherwise skip the second factor.
    """
    otp_login(request, device)
    request.session.cycle_key()


def recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=normalised(code)) for code in codes])
    return codes


def verify(*, request: HttpRequest, user: User, code: str) -> bool:
    """A code from the app, or an unused recovery code (which is then used up)."""
    token = normalised(code)
    for device in (
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ):
        if device.verify_token(token):
            second_factor_complete(request, device)
            if isinstance(device, StaticDevice):
                audit_record(
                    actor=user, verb=AuditEvent.Verb.USED_A_RECOVERY_CODE, instance=user, partnership=None
                )
            return True
    return False
