from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate
from actions.services import UpdateInput, progress_update_save, progress_update_submit
from core.models import AuditEvent
from tests.actions.factories import rag

pytestmark = pytest.mark.django_db


def submitted_update(world, key="amber", **fields) -> ProgressUpdate:
    from actions.services import reporting_period_ensure

    update = progress_update_save(
        action=world.action,
        period=reporting_period_ensure(partnership=world.partnership, day=timezone.localdate()),
        user=world.officer,
        data=UpdateInput(rag=rag(world.partnership, key), commentary="Behind by a month.", **fields),
        lock_version=None,
    )
    return progress_update_submit(update=update, user=world.officer)


def review(client, update, **data):
    return client.post(
        reverse("actions:review", args=[update.pk]), {"lock_version": update.lock_version, **data}
    )


def test_the_lead_sees_the_update_in_the_queue_and_approves_it(
    client, signed_in, world, django_capture_on_commit_callbacks
):
    update = submitted_update(world)
    signed_in(world.lead)
    queue = client.get(reverse("actions:review_queue")).content.decode()
    assert "Review R2.1" in queue
    # what the action is for beside its reference, so the lead knows which it is without opening it
    assert f'Review R2.1</a><br><span class="govuk-body-s">{world.action.what_we_want}</span>' in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = review(client, update, decision="approve")
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.APPROVED
    assert (update.reviewed_by, update.reviewed_at is not None) == (world.lead, True)
    assert mail.outbox[-1].to == ["officer@example.test"]
    assert "approved" in mail.outbox[-1].subject
    assert "Review R2.1" not in client.get(reverse("actions:review_queue")).content.decode()
    page = client.get(world.action.get_absolute_url()).content.decode()
    assert "Behind by a month." in page
    assert "Amber" in page


def test_an_update_already_decided_shows_the_decision_and_offers_no_approve_or_return(
    client, signed_in, world
):
    update = submitted_update(world)
    signed_in(world.lead)
    waiting = client.get(reverse("actions:review", args=[update.pk])).content.decode()
    assert "Approve update" in waiting
    assert "Return update" in waiting
    assert (
        "No change asked for.<br>Due date now: " in waiting
    )  # two facts, not "No change asked for: Not set"

    review(client, update, decision="approve")
    decided = client.get(reverse("actions:review", args=[update.pk])).content.decode()
    assert "Approve update" not in decided
    assert "Return update" not in decided
    assert "The update, approved" in decided
    assert f"by {world.lead.get_full_name()}: there is nothing to decide." in decided
    assert "last approved" not in decided  # it would compare the update with itself


def test_returning_needs_a_reason_and_the_officer_can_change_and_resubmit(
    client, signed_in, world, django_capture_on_commit_callbacks
):
    update = submitted_update(world)
    signed_in(world.lead)
    missing_reason = review(client, update, decision="return", reason="")
    assert missing_reason.status_code == 400
    page = missing_reason.content.decode()
    assert "Enter the reason you are returning the update" in page
    # The error is read out with the box it belongs to, and the form still carries the version it was opened at.
    assert 'aria-describedby="id_reason_hint id_reason_error id_reason-info"' in page
    assert '<p id="id_reason_error" class="govuk-error-message">' in page
    assert f'name="lock_version" value="{update.lock_version}" id="id_lock_version"' in page
    with django_capture_on_commit_callbacks(execute=True):
        review(client, update, decision="return", reason="Say which wards.\r\n\r\nAnd when the pilot ends.")
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.RETURNED
    assert update.return_reason.startswith("Say which wards.")
    assert "Say which wards." in mail.outbox[-1].body

    signed_in(world.officer)
    form = client.get(reverse("actions:update", args=[world.action.pk])).content.decode()
    # The lead's paragraphs stay paragraphs where the officer reads them.
    assert '<div class="govuk-inset-text app-verbatim"><strong>Returned by' in form
    assert "Say which wards.\r\n\r\nAnd when the pilot ends." in form
    action_page = client.get(world.action.get_absolute_url()).content.decode()
    assert (
        '<p class="govuk-body app-verbatim"><strong>Returned because:</strong> Say which wards.'
        in action_page
    )
    assert update.is_editable
    # Changing the update and checking it before resubmitting it, the officer still sees what the lead asked for.
    changed = client.post(
        reverse("actions:update", args=[world.action.pk]),
        {
            "rag": str(update.rag_id),
            "commentary": "Wards 1 to 4; the pilot ends in March.",
            "lock_version": str(update.lock_version),
        },
    )
    assert changed.status_code == 302
    check = client.get(changed["Location"]).content.decode()
    assert "Returned by Lee Lead:</strong> Say which wards." in check
    form = client.get(reverse("actions:update", args=[world.action.pk])).content.decode()
    assert "Returned by Lee Lead:</strong> Say which wards." in form


def test_a_return_reason_over_the_limit_is_named_as_the_reason_not_by_the_question(client, signed_in, world):
    update = submitted_update(world)
    signed_in(world.lead)
    page = review(client, update, decision="return", reason="x" * 5_001).content.decode()
    assert (
        "The reason for returning it must be 5,000 characters or fewer: you entered 5,001 characters" in page
    )
    assert "Why are you returning this update? must be" not in page
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


def test_a_lead_reviews_only_their_own_recommendation(client, signed_in, world):
    update = submitted_update(world)
    signed_in(world.other_lead)
    assert client.get(reverse("actions:review", args=[update.pk])).status_code == 403
    assert review(client, update, decision="approve").status_code == 403
    assert "R2.1" not in client.get(reverse("actions:review_queue")).content.decode()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


def test_an_admin_reviews_any_recommendation(client, signed_in, world):
    update = submitted_update(world)
    signed_in(world.admin)
    review(client, update, decision="approve")
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.APPROVED


def test_approving_applies_a_new_due_date_and_completed_milestones(client, signed_in, world):
    world.action.original_due_date = date(2026, 3, 31)
    world.action.save()
    update = submitted_update(
        world,
        proposed_due_date=date(2026, 6, 30),
        proposed_due_reason="Recruitment",
        completed_milestones=[world.milestone],
    )
    signed_in(world.lead)
    page = client.get(reverse("actions:review", args=[update.pk])).content.decode()
    action_page = reverse("actions:action", args=[world.action.pk])
    assert "New due date asked for:</strong> 30 June 2026" in client.get(action_page).content.decode()
    review(client, update, decision="approve")
    world.action.refresh_from_db()
    world.milestone.refresh_from_db()
    # Once approved, the action's history says the date was agreed, no longer that it was asked for.
    approved_page = client.get(action_page).content.decode()
    assert "New due date agreed:</strong> 30 June 2026" in approved_page
    assert "New due date asked for" not in approved_page
    # The lead sees the date the action has beside the one asked for, and what approving does.
    assert "New date asked for: 30 June 2026" in page and "Due date now: 31 March 2026" in page
    assert "Approving the update sets the new date." in page
    assert world.action.original_due_date == date(2026, 3, 31)
    assert world.action.revised_due_date == date(2026, 6, 30)
    assert world.action.replan_count == 1
    assert world.action.revision_reason == "Recruitment"
    assert world.milestone.completed_on == timezone.localdate()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"created", "submitted", "approved", "re-planned", "completed"} <= verbs


def test_a_review_of_an_update_already_reviewed_is_refused_and_explained(client, signed_in, world):
    update = submitted_update(world)
    signed_in(world.lead)
    stale_version = update.lock_version
    review(client, update, decision="approve")
    response = client.post(
        reverse("actions:review", args=[update.pk]),
        {"decision": "return", "reason": "Late", "lock_version": stale_version},
        follow=True,
    )
    assert "This update is approved, so it cannot be returned." in response.content.decode()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.APPROVED


def test_every_step_is_audited_with_who_and_when(client, signed_in, world):
    update = submitted_update(world)
    signed_in(world.lead)
    review(client, update, decision="approve")
    events = AuditEvent.objects.filter(object_type="actions.progressupdate", object_id=str(update.pk))
    assert [(e.verb, e.actor) for e in events.order_by("at", "id")] == [
        ("created", world.officer),
        ("submitted", world.officer),
        ("approved", world.lead),
    ]
    approved = events.get(verb="approved")
    assert approved.before["state"] == "submitted"
    assert approved.after["state"] == "approved"
    history = client.get(reverse("actions:history", args=[world.action.pk])).content.decode()
    assert f"Amber, approved by {world.lead.get_full_name()} on " in history
    assert "state:" not in history and "submitted</td>" not in history
