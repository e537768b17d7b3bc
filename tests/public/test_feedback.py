"""Families' feedback: the public form and its spam protection, moderation, replies by e-mail through a real
worker, "You said, we did", and erasing personal data after the retention period."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OutboxJob
from public import services
from public.forms import time_trap_token
from public.models import Feedback
from public.tasks import erase_personal_data
from tests.actions.test_celery_worker import wait_for_messages
from tests.conftest import public_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_to_feedback(world):
    return public_everything(world.partnership)


def message(**fields: object) -> dict[str, object]:
    return {
        "kind": "question",
        "message": "Will the new specialist places open in September?",
        "name": "Sam Parent",
        "contact": "sam@example.test",
        "started": time_trap_token(time.time() - 30),
        **fields,
    }


def send(world, **fields: object):
    return Client().post(reverse("public:feedback", args=[world.partnership.ons_code]), message(**fields))


def test_a_message_is_kept_for_moderation_and_is_not_public(world, open_to_feedback):
    response = send(world)
    assert response.status_code == 302
    assert response["Location"] == reverse("public:feedback_sent", args=[world.partnership.ons_code])
    kept = Feedback.objects.get()
    assert (kept.kind, kept.name, kept.contact, kept.state) == (
        "question",
        "Sam Parent",
        "sam@example.test",
        "new",
    )
    assert kept.sender_key and "127.0.0.1" not in kept.sender_key
    public = Client().get(reverse("public:you_said", args=[world.partnership.ons_code])).content.decode()
    assert "specialist places" not in public and "Sam Parent" not in public
    assert AuditEvent.objects.get(verb="received").after == {"kind": "question"}  # no words, no details


def test_the_form_says_how_what_is_sent_is_used(world, open_to_feedback):
    page = Client().get(reverse("public:feedback", args=[world.partnership.ons_code])).content.decode()
    assert "How we use what you send" in page
    assert "We delete your name, e-mail address and message 180 days after you send them" in page


def test_mistakes_are_shown_once_per_field_and_nothing_typed_is_lost(world, open_to_feedback):
    response = send(world, kind="", message="", contact="not an address", name="Sam Parent")
    assert response.status_code == 400
    page = response.content.decode()
    for error in (
        "Select whether you are sending a question, a suggestion or feedback",
        "Enter your message",
        "Enter an e-mail address in the correct format, like name@example.com",
    ):
        assert page.count(error) == 2  # the error summary and the field
    assert 'value="Sam Parent"' in page and 'value="not an address"' in page
    assert "<title>Error: " in page
    assert not Feedback.objects.exists()


def test_a_script_filling_the_hidden_field_is_thanked_and_nothing_is_kept(world, open_to_feedback):
    response = send(world, website="http://spam.example")
    assert response.status_code == 302
    assert not Feedback.objects.exists()
    assert send(world).status_code == 302 and Feedback.objects.count() == 1  # a person is not


def test_a_form_sent_faster_than_a_person_types_is_refused_and_keeps_the_message(world, open_to_feedback):
    response = send(world, started=time_trap_token())
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your message was sent too quickly. Check it, then send it again" in page
    assert "Will the new specialist places open in September?" in page
    assert send(world, started="forged").status_code == 400
    assert not Feedback.objects.exists()


def test_a_sixth_message_in_an_hour_from_one_address_is_refused(world, open_to_feedback):
    for number in range(services.FEEDBACK_LIMIT):
        assert send(world, message=f"Message {number}").status_code == 302
    refused = send(world, message="One too many")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "You have sent 5 messages in the last hour" in page and "One too many" in page
    assert Feedback.objects.count() == services.FEEDBACK_LIMIT
    other = Client(REMOTE_ADDR="192.0.2.7").post(
        reverse("public:feedback", args=[world.partnership.ons_code]), message()
    )
    assert other.status_code == 302


def test_a_partnership_not_taking_feedback_has_no_form(world, open_to_feedback):
    open_to_feedback.take_feedback = False
    open_to_feedback.save()
    assert send(world).status_code == 404


def test_a_moderator_publishes_a_summary_and_response_without_the_senders_words(
    world, open_to_feedback, signed_in
):
    send(world)
    item = Feedback.objects.get()
    form = {
        "you_said": "Families asked when new specialist places open.",
        "we_did": "They open in September 2025.",
    }
    assert signed_in(world.lead).post(reverse("public:publish", args=[item.pk]), form).status_code == 403
    assert signed_in(world.admin).post(reverse("public:publish", args=[item.pk]), form).status_code == 302
    page = Client().get(reverse("public:you_said", args=[world.partnership.ons_code])).content.decode()
    assert (
        "Families asked when new specialist places open." in page and "They open in September 2025." in page
    )
    assert "Sam Parent" not in page and "Will the new specialist places" not in page
    assert AuditEvent.objects.get(verb="published").actor == world.admin


def test_publishing_needs_both_the_summary_and_the_response(world, open_to_feedback, signed_in):
    send(world)
    item = Feedback.objects.get()
    response = signed_in(world.admin).post(
        reverse("public:publish", args=[item.pk]), {"you_said": "Asked about places"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Enter what the partnership did") == 2 and "Asked about places" in page
    assert Feedback.objects.get().state == Feedback.State.NEW


def test_archiving_takes_an_entry_off_the_public_page(world, open_to_feedback, signed_in):
    send(world)
    item = Feedback.objects.get()
    admin = signed_in(world.admin)
    admin.post(
        reverse("public:publish", args=[item.pk]), {"you_said": "A question on places", "we_did": "Answered"}
    )
    admin.post(reverse("public:archive", args=[item.pk]))
    page = Client().get(reverse("public:you_said", args=[world.partnership.ons_code])).content.decode()
    assert "A question on places" not in page
    assert Feedback.objects.get().state == Feedback.State.ARCHIVED


def test_a_reply_is_recorded_and_queued_for_the_worker_in_the_outbox(
    world, open_to_feedback, signed_in, django_capture_on_commit_callbacks
):
    send(world)
    item = Feedback.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(world.admin).post(
            reverse("public:reply", args=[item.pk]), {"reply": "Yes, in September."}
        )
    assert response.status_code == 302
    assert OutboxJob.objects.get().task_name == "public.send_feedback_reply"
    sent = mail.outbox[-1]  # jobs run in the test process here; the worker test below runs a real one
    assert (
        sent.to == ["sam@example.test"]
        and "Yes, in September." in sent.body
        and "Dear Sam Parent," in sent.body
    )


def test_a_reply_needs_an_address_to_go_to(world, open_to_feedback, signed_in):
    send(world, contact="")
    item = Feedback.objects.get()
    response = signed_in(world.admin).post(reverse("public:reply", args=[item.pk]), {"reply": "Thank you"})
    assert response.status_code == 400
    assert "This person gave no e-mail address" in response.content.decode()
    assert not OutboxJob.objects.exists()


def test_personal_data_is_erased_after_the_retention_period_and_a_published_entry_stays(
    world, open_to_feedback
):
    open_to_feedback.retention_days = 30
    open_to_feedback.save()
    send(world)
    send(world, message="Sent recently")
    old, recent = Feedback.objects.order_by("pk")
    Feedback.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=31))
    services.feedback_publish(
        actor=world.admin, feedback=old, you_said="A question on places", we_did="Answered"
    )
    assert erase_personal_data() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.message, old.name, old.contact, old.sender_key) == ("", "", "", "")
    assert old.personal_data_erased_at is not None and old.you_said == "A question on places"
    assert recent.message == "Sent recently" and recent.contact == "sam@example.test"
    assert erase_personal_data() == 0  # nothing twice
    assert AuditEvent.objects.filter(verb="erased personal data").count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_reply_is_emailed_by_a_real_worker(world, start_worker, tmp_path, signed_in):
    public_everything(world.partnership)
    start_worker(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    send(world)
    item = Feedback.objects.get()
    signed_in(world.admin).post(reverse("public:reply", args=[item.pk]), {"reply": "Yes, in September."})
    messages = wait_for_messages(tmp_path / "mail")
    assert messages, "the worker sent no whole e-mail within 60 seconds"
    assert "To: sam@example.test" in messages[0] and "Yes, in September." in messages[0]


def test_the_public_are_pointed_to_the_feedback_form_not_to_a_partnership_admin(world, open_to_feedback):
    home = reverse("public:home", args=[world.partnership.ons_code])
    feedback = reverse("public:feedback", args=[world.partnership.ons_code])

    banner = Client().get(home).content.decode().split("govuk-phase-banner__text")[1].split("</span>")[0]
    assert f'<a class="govuk-link" href="{feedback}">Tell the partnership</a>' in banner
    assert "admin" not in banner
    open_to_feedback.take_feedback = False
    open_to_feedback.save()
    cache.clear()  # the public pages are kept in the cache
    banner = Client().get(home).content.decode().split("govuk-phase-banner__text")[1].split("</span>")[0]
    assert "Tell" not in banner and "admin" not in banner
