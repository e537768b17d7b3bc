"""The invitation and password reset e-mails are sent by a real Celery worker over real Redis."""

import time

import pytest

from core.models import Role
from people import services
from tests.actions.test_celery_worker import wait_for_messages

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(start_worker, tmp_path):
    start_worker(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    return tmp_path / "mail"


def test_an_invitation_and_a_password_reset_are_emailed_by_the_worker(world, worker):
    services.invitation_create(
        actor=world.admin,
        partnership=world.partnership,
        email="new@example.test",
        full_name="New Person",
        organisation=world.council,
        roles=[Role.BOARD],
    )
    services.password_reset_request(email=world.officer.email)
    deadline = time.monotonic() + 60
    messages = wait_for_messages(worker)
    while len(messages) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
        messages = wait_for_messages(worker)
    assert len(messages) == 2, "the worker did not send both e-mails within a minute"
    text = "\n".join(messages)
    assert "To: new@example.test" in text
    assert "/join/" in text
    assert f"To: {world.officer.email}" in text
    assert "/sign-in/new-password/" in text
