import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent, Role
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_step(client, email="pat@example.test"):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


def test_a_password_alone_opens_nothing_until_the_app_is_set_up(client):
    member(Role.OFFICER, email="pat@example.test")
    password_step(client)
    response = client.get(reverse("actions:plan"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_setup')}?next=%2Fplan%2F"


@pytest.fixture
def no_throttle(settings):
    """django-otp delays attempts after a wrong code (tested below); these tests retry at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_setting_up_the_app_shows_a_qr_code_and_key_then_recovery_codes_once(client, no_throttle):
    user = member(Role.OFFICER, email="pat@example.test")
    password_step(client)
    page = client.get(reverse("two_factor_setup"))
    assert "<svg" in page.content.decode()
    assert client.get(reverse("two_factor_setup")).context["secret"] == page.context["secret"]
    assert not TOTPDevice.objects.filter(user=user).exists()  # opening the page stores nothing

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": "/plan/"})
    assert wrong.status_code == 400
    assert "The code is not right" in wrong.content.decode()
    device = TOTPDevice.objects.get(
        user=user, confirmed=False
    )  # stored with the first code, to count wrong ones
    assert wrong.context["secret"] == page.context["secret"]

    response = client.post(reverse("two_factor_setup"), {"code": code_for(device), "next": "/plan/"})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    codes = list(codes_page.context["codes"])
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.get(response["Location"]).status_code == 302  # shown only once
    assert client.get(reverse("actions:plan")).status_code == 200
    assert AuditEvent.objects.filter(verb="set up two-factor sign-in", actor=user).exists()


def test_returning_users_enter_a_code_or_a_recovery_code(client, no_throttle):
    user = member(Role.OFFICER, email="pat@example.test")
    device = TOTPDevice.objects.create(user=user, confirmed=True)
    password_step(client)
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
    bad = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert bad.status_code == 400
    ok = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/plan/"})
    assert ok["Location"] == "/plan/"
    assert client.get(reverse("home")).status_code == 200


def test_a_recovery_code_works_once(client):
    from core.two_factor import recovery_codes_replace

    user = member(Role.OFFICER, email="pat@example.test")
    TOTPDevice.objects.create(user=user, confirmed=True)
    code = recovery_codes_replace(user)[0]
    password_step(client)
    assert client.post(reverse("two_factor_verify"), {"code": code.upper()}).status_code == 302
    client.post(reverse("logout"))
    password_step(client)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 400


def test_the_next_address_must_stay_on_the_portal(client):
    user = member(Role.OFFICER, email="pat@example.test")
    device = TOTPDevice.objects.create(user=user, confirmed=True)
    password_step(client)
    response = client.post(
        reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_local_demo_accounts_may_skip_two_factor_but_production_settings_never_allow_it(client, settings):
    user = member(Role.OFFICER, email="demo@example.test", is_demo=True)
    settings.DEMO_SKIPS_TWO_FACTOR = True
    password_step(client, "demo@example.test")
    assert client.get(reverse("home")).status_code == 200
    settings.DEMO_ACCOUNTS_ALLOWED = False  # as under production settings
    assert client.get(reverse("home")).status_code == 302
    assert user.is_demo


def test_deactivating_a_user_ends_their_session_at_once(client, signed_in):
    user = member(Role.OFFICER)
    signed_in(user)
    assert client.get(reverse("home")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_codes_slow_down_further_attempts(client):
    user = member(Role.OFFICER, email="pat@example.test")
    device = TOTPDevice.objects.create(user=user, confirmed=True)
    password_step(client)
    client.post(reverse("two_factor_verify"), {"code": "000000"})
    right_but_too_soon = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert right_but_too_soon.status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_the_session_key_changes_when_the_second_factor_is_completed(client, no_throttle):
    user = member(Role.OFFICER, email="pat@example.test")
    device = TOTPDevice.objects.create(user=user, confirmed=True)
    password_step(client)
    key_after_password = client.session.session_key
    wrong = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert wrong.status_code == 400
    assert client.session.session_key == key_after_password

    client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/plan/"})
    assert client.session.session_key != key_after_password
    assert client.get(reverse("actions:plan")).status_code == 200

    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key_after_password
    assert stolen.get(reverse("actions:plan")).status_code == 302
