import time

import pytest
from django.conf import settings
from django.urls import reverse

from core.middleware import SIGNED_IN_AT
from core.models import Role
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


def attempt(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_a_member_signs_in_with_their_email_address_in_any_case(client):
    user = member(Role.OFFICER, email="pat@example.test")
    response = attempt(client, "Pat@Example.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_shows_the_error_summary_and_an_error_title(client):
    member(Role.OFFICER, email="pat@example.test")
    response = attempt(client, "pat@example.test", "not-the-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in page
    assert "govuk-error-summary" in page
    assert "Enter a correct e-mail address and password" in page


def test_a_deactivated_account_cannot_sign_in(client):
    member(Role.OFFICER, email="gone@example.test", is_active=False)
    response = attempt(client, "gone@example.test", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_ten_failures_lock_the_account_from_that_address_for_fifteen_minutes(client):
    member(Role.OFFICER, email="pat@example.test")
    for _ in range(9):
        assert attempt(client, "pat@example.test", "wrong").status_code == 200
    locked = attempt(client, "pat@example.test", "wrong")
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # Even the right password is refused while locked.
    assert attempt(client, "pat@example.test", PASSWORD).status_code == 429
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_lockout_is_per_user_and_address(client):
    member(Role.OFFICER, email="pat@example.test")
    member(Role.OFFICER, email="sam@example.test")
    for _ in range(10):
        attempt(client, "pat@example.test", "wrong")
    assert attempt(client, "pat@example.test", PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    assert attempt(client, "sam@example.test", PASSWORD).status_code == 302


def test_sign_out_ends_the_session(client, signed_in):
    signed_in(member(Role.OFFICER))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client, signed_in):
    signed_in(member(Role.OFFICER))
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_keep_alive_renews_the_session_by_post_only(client, signed_in):
    signed_in(member(Role.OFFICER))
    assert client.get(reverse("keep_alive")).status_code == 405
    assert client.post(reverse("keep_alive")).status_code == 204


def test_a_timed_out_visitor_is_told_why_they_were_signed_out(client):
    page = client.get(reverse("login") + "?timed_out=1").content.decode()
    assert "You were signed out because you did nothing for 30 minutes." in page
