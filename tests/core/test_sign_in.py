import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.middleware import RENEWED_AT, SIGNED_IN_AT
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


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def renewed_seconds_ago(client, seconds):
    session = client.session
    session[RENEWED_AT] = time.time() - seconds
    session.save()


def test_a_session_ends_after_thirty_idle_minutes(client, signed_in):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    signed_in(member(Role.OFFICER))
    client.get(reverse("home"))
    assert (
        timezone.now() + timedelta(minutes=29)
        < stored_expiry(client)
        <= timezone.now() + timedelta(minutes=30)
    )

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_reading_pages_renews_the_idle_limit_at_most_once_a_minute(client, signed_in):
    signed_in(member(Role.OFFICER))
    renewed_seconds_ago(client, 30)
    expiry = stored_expiry(client)
    client.get(reverse("home"))
    assert stored_expiry(client) == expiry
    assert 29 < time.time() - client.session[RENEWED_AT] < 35

    renewed_seconds_ago(client, 61)
    client.get(reverse("home"))
    assert time.time() - client.session[RENEWED_AT] < 5
    assert stored_expiry(client) > expiry


def test_a_page_read_within_the_minute_writes_nothing_to_the_session(client, signed_in):
    signed_in(member(Role.OFFICER))
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    session_queries = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]
    assert len(session_queries) == 1
    assert session_queries[0].startswith("SELECT")


def test_pages_tell_the_browser_the_seconds_left_before_the_idle_limit(client, signed_in):
    signed_in(member(Role.OFFICER))
    renewed_seconds_ago(client, 50)
    page = client.get(reverse("home")).content.decode()
    left = int(page.split('data-session-seconds="')[1].split('"')[0])
    assert 30 * 60 - 52 <= left <= 30 * 60 - 50
    assert 'data-session-age="1800"' in page


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
    renewed_seconds_ago(client, 50)
    before = stored_expiry(client)
    assert client.get(reverse("keep_alive")).status_code == 405
    assert client.post(reverse("keep_alive")).status_code == 204
    assert time.time() - client.session[RENEWED_AT] < 5
    assert stored_expiry(client) > before


def test_a_timed_out_visitor_is_told_why_they_were_signed_out(client):
    page = client.get(reverse("login") + "?timed_out=1").content.decode()
    assert "You were signed out because you did nothing for 30 minutes." in page
