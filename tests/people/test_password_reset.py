"""Password reset: the same answer for every address, a link e-mailed by the worker, other sessions ended."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent, OutboxJob, Role
from tests.conftest import sign_in
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-password-9876"


def ask(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, follow=True)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, django_capture_on_commit_callbacks):
    member(Role.OFFICER, email="pat@example.test")
    unknown = ask(Client(), "nobody@example.test", django_capture_on_commit_callbacks)
    known = ask(client, "pat@example.test", django_capture_on_commit_callbacks)
    assert unknown.status_code == known.status_code == 200
    shown = [
        r.content.decode().replace("nobody@example.test", "X").replace("pat@example.test", "X")
        for r in (unknown, known)
    ]
    assert shown[0] == shown[1]
    assert [m.to for m in mail.outbox] == [["pat@example.test"]]
    assert OutboxJob.objects.get().task_name == "people.send_password_reset"


def test_a_deactivated_account_is_sent_nothing(client, django_capture_on_commit_callbacks):
    member(Role.OFFICER, email="gone@example.test", is_active=False)
    ask(client, "gone@example.test", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_emailed_link_sets_a_new_password_once_and_ends_other_sessions(
    client, django_capture_on_commit_callbacks
):
    user = member(Role.OFFICER, email="pat@example.test")
    elsewhere = sign_in(Client(), user)
    assert elsewhere.get(reverse("home")).status_code == 200
    ask(client, "Pat@Example.test", django_capture_on_commit_callbacks)
    link = re.search(r"http://[^/]+(/sign-in/new-password/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    mismatch = client.post(
        form.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": "other"}
    )
    assert "The passwords do not match" in mismatch.content.decode()
    done = client.post(
        form.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    assert elsewhere.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert "This link does not work" in Client().get(link, follow=True).content.decode()
    assert AuditEvent.objects.filter(verb="asked for a password reset", object_id=str(user.pk)).exists()
