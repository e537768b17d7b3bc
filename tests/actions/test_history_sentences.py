"""An action's history in sentences a board member can read, and the menu that says where they are."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate
from actions.services import (
    UpdateInput,
    progress_update_approve,
    progress_update_save,
    progress_update_submit,
)
from tests.actions.factories import rag

pytestmark = pytest.mark.django_db


def approved_through_the_portal(world, key: str, commentary: str) -> ProgressUpdate:
    """Written and submitted by the officer, approved by the lead, as the review journey does it."""
    from django.utils import timezone

    from actions.services import reporting_period_ensure

    period = reporting_period_ensure(partnership=world.partnership, day=timezone.localdate())
    earlier = ProgressUpdate.objects.filter(action=world.action, period=period).order_by("-revision").first()
    update = progress_update_save(
        action=world.action,
        period=period,
        user=world.officer,
        data=UpdateInput(rag=rag(world.partnership, key), commentary=commentary),
        lock_version=earlier.lock_version if earlier and earlier.is_editable else None,
    )
    update = progress_update_submit(update=update, user=world.officer)
    return progress_update_approve(update=update, user=world.lead)


def test_history_reads_amber_to_green_approved_by_whom_and_when_with_the_commentary_change(
    client, signed_in, world
):
    approved_through_the_portal(world, "amber", "Behind by a month.")
    approved_through_the_portal(world, "green", "Caught up in June.")
    signed_in(world.board)

    page = client.get(reverse("actions:history", args=[world.action.pk])).content.decode()

    today = f"{timezone.localdate():%-d %B %Y}"
    assert f"Amber to Green, approved by {world.lead.get_full_name()} on {today}" in page
    assert f"Amber, approved by {world.lead.get_full_name()} on {today}" in page
    assert "Commentary: “Caught up in June.”" in page
    assert "Next steps" not in page  # left empty, so not a change worth a line
    assert f"{world.officer.get_full_name()} submitted the update for" in page
    # No stored field names or codes reach the reader.
    for raw in ("rag:", "state:", "submitted</td>", "lock_version"):
        assert raw not in page


def test_the_menu_marks_your_work_for_a_work_queue_and_the_plan_for_an_action(client, signed_in, world):
    signed_in(world.officer)

    mine = client.get(reverse("actions:mine")).content.decode()
    action = client.get(world.action.get_absolute_url()).content.decode()

    def current(page: str) -> str:
        return page.split('aria-current="page"')[1].split("</strong>")[0].rsplit(">", 1)[1]

    assert current(mine) == "Your work"
    assert current(action) == "Action plan"
    menu = mine.split('id="navigation"')[1].split("</ul>")[0]
    assert "Your actions" not in menu and "Board dashboard" in menu


def test_history_says_a_first_due_date_was_set_and_a_later_one_moved_it(client, signed_in, world):
    """An action without a due date gets its first one from an approved update: nothing was "moved from none"."""
    from datetime import date

    from actions.services import action_revise_due_date

    world.action.original_due_date = None
    world.action.save(update_fields=["original_due_date"])
    action_revise_due_date(
        action=world.action, user=world.lead, new_due_date=date(2027, 6, 30), reason="Agreed"
    )
    world.action.refresh_from_db()
    action_revise_due_date(
        action=world.action, user=world.lead, new_due_date=date(2027, 9, 30), reason="Later"
    )
    signed_in(world.board)

    page = client.get(reverse("actions:history", args=[world.action.pk])).content.decode()

    assert "First due date set: 30 June 2027, by" in page
    assert "Due date moved from 30 June 2027 to 30 September 2027, by" in page
    assert "none" not in page.lower().split("<main")[1]


def test_history_says_what_evidence_was_added_and_removed_and_ends_a_quoted_reason_once(
    client, signed_in, world, django_capture_on_commit_callbacks
):
    signed_in(world.officer)
    form = {
        "rag": str(rag(world.partnership, "amber").pk),
        "commentary": "Behind by a month.",
        "evidence_link": "https://example.org/minutes",
        "evidence_link_title": "Minutes of the ICB board",
    }
    check = client.post(reverse("actions:update", args=[world.action.pk]), form)["Location"]
    update = ProgressUpdate.objects.get()
    changed = {**form, "commentary": "Behind by six weeks.", "lock_version": str(update.lock_version)}
    changed.update(evidence_link="https://example.org/timeline", evidence_link_title="Recruitment timeline")
    client.post(reverse("actions:update", args=[world.action.pk]), changed)
    minutes = update.evidence.get(title="Minutes of the ICB board")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("actions:evidence_remove", args=[minutes.pk]))
    client.post(check, {"lock_version": str(ProgressUpdate.objects.get().lock_version)})
    signed_in(world.lead)
    update.refresh_from_db()
    returned = client.post(
        reverse("actions:review", args=[update.pk]),
        {
            "decision": "return",
            "reason": "Attach the recruitment timeline.",
            "lock_version": update.lock_version,
        },
    )
    assert returned.status_code == 302

    page = client.get(reverse("actions:history", args=[world.action.pk])).content.decode()

    who, month = world.officer.get_full_name(), update.period
    assert "Evidence added: “Minutes of the ICB board”" in page
    assert f"{who} changed the update for {month}" in page and "updated the update" not in page
    assert "Evidence added: “Recruitment timeline”" in page
    assert f"{who} removed the evidence “Minutes of the ICB board” from the update for {month}" in page
    assert "Attach the recruitment timeline.”</p>" in page and ".”.</p>" not in page
