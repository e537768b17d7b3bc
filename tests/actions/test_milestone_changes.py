"""The partnership admin puts right a mistyped or duplicated milestone: its title and due date change, or it is
removed, and the action's history keeps every step (found by a usability tester signed in as the admin)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Milestone, ProgressUpdate
from core.models import AuditEvent
from tests.actions.factories import MilestoneFactory, approved_update

pytestmark = pytest.mark.django_db


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def date_fields(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def change(client, milestone: Milestone, title: str, due: date):
    return client.post(
        reverse("actions:change_milestone", args=[milestone.pk]),
        {"title": title, **date_fields("due_date", due)},
    )


def remove(client, milestone: Milestone):
    return client.post(reverse("actions:remove_milestone", args=[milestone.pk]))


def history(client, world) -> str:
    return client.get(reverse("actions:history", args=[world.action.pk])).content.decode()


def test_the_change_form_opens_with_the_milestones_title_and_due_date(client, signed_in, world):
    milestone = MilestoneFactory(action=world.action, title="Pilot in three wrads", due_date=in_days(30))
    signed_in(world.admin)

    page = client.get(reverse("actions:change_milestone", args=[milestone.pk])).content.decode()

    due = in_days(30)
    assert 'value="Pilot in three wrads"' in page
    for part in (due.day, due.month, due.year):
        assert f'value="{part}"' in page


def test_an_admin_changes_a_milestone_and_the_change_is_audited_and_in_the_history(client, signed_in, world):
    milestone = services.milestone_add(
        action=world.action, user=world.admin, title="Pilot in three wrads", due_date=in_days(30)
    )
    signed_in(world.admin)

    response = change(client, milestone, "  Pilot in three wards ", in_days(45))

    assert response.status_code == 302 and response["Location"] == world.action.get_absolute_url()
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date) == ("Pilot in three wards", in_days(45))
    event = AuditEvent.objects.get(object_type="actions.milestone", verb=AuditEvent.Verb.UPDATED)
    assert (event.actor, event.object_id) == (world.admin, str(milestone.pk))
    assert event.before["title"] == "Pilot in three wrads" and event.after["title"] == "Pilot in three wards"
    assert event.before["due_date"] == str(in_days(30)) and event.after["due_date"] == str(in_days(45))
    page = history(client, world)
    today = long_date(timezone.localdate())
    assert f"{world.admin.get_full_name()} updated the milestone “Pilot in three wards” on {today}." in page
    assert "Title: was “Pilot in three wrads”, now “Pilot in three wards”" in page
    assert f"Due date: was “{long_date(in_days(30))}”, now “{long_date(in_days(45))}”" in page
    assert f"added the milestone “Pilot in three wrads” on {today}" in page


def test_a_milestone_saved_unchanged_records_nothing(client, signed_in, world):
    milestone = MilestoneFactory(action=world.action, title="Report to the Board", due_date=in_days(30))
    signed_in(world.admin)

    response = change(client, milestone, "Report to the Board", in_days(30))

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(object_type="actions.milestone").exists()


def test_a_milestone_may_keep_its_past_due_date_but_not_move_to_another_past_one(client, signed_in, world):
    milestone = MilestoneFactory(action=world.action, title="Pilot in three wrads", due_date=in_days(-10))
    signed_in(world.admin)

    moved_to_the_past = change(client, milestone, "Pilot in three wards", in_days(-5))
    kept = change(client, milestone, "Pilot in three wards", in_days(-10))

    assert moved_to_the_past.status_code == 400
    page = moved_to_the_past.content.decode()
    assert "The due date must be today or in the future" in page
    assert 'value="Pilot in three wards"' in page  # what was typed is kept
    assert kept.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date) == ("Pilot in three wards", in_days(-10))


def test_a_change_that_makes_a_milestone_the_same_as_another_is_refused(client, signed_in, world):
    MilestoneFactory(action=world.action, title="Report to the Board", due_date=in_days(30))
    milestone = MilestoneFactory(action=world.action, title="Report to the Bored", due_date=in_days(30))
    signed_in(world.admin)

    duplicate = change(client, milestone, " report to the BOARD", in_days(30))
    another_day = change(client, milestone, "Report to the Board", in_days(60))
    its_own_title_again = change(client, milestone, "REPORT to the Board", in_days(60))

    assert duplicate.status_code == 400
    assert "R2.1 already has the milestone “report to the BOARD”" in duplicate.content.decode()
    assert another_day.status_code == its_own_title_again.status_code == 302  # it is not its own duplicate
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date) == ("REPORT to the Board", in_days(60))


def test_a_completed_milestone_keeps_its_title_and_due_date(client, signed_in, world):
    done = MilestoneFactory(action=world.action, title="Pilot in three wards", completed_on=in_days(-3))
    signed_in(world.admin)

    shown = client.get(reverse("actions:change_milestone", args=[done.pk]))
    posted = change(client, done, "Another title", in_days(30))

    for response in (shown, posted):
        page = response.content.decode()
        assert f"“Pilot in three wards” was completed on {long_date(in_days(-3))}" in page
        assert 'name="title"' not in page
    done.refresh_from_db()
    assert done.title == "Pilot in three wards"
    with pytest.raises(ValidationError, match="was completed on"):
        services.milestone_change(
            milestone=done, user=world.admin, title="Another title", due_date=in_days(30)
        )


def test_an_officer_cannot_change_or_remove_a_milestone_while_an_admin_can(client, signed_in, world):
    milestone = MilestoneFactory(action=world.action, title="Report to the Board", due_date=in_days(30))
    change_url = reverse("actions:change_milestone", args=[milestone.pk])
    remove_url = reverse("actions:remove_milestone", args=[milestone.pk])
    signed_in(world.officer)

    refused = [
        client.get(change_url),
        change(client, milestone, "Renamed", in_days(40)),
        client.get(remove_url),
        remove(client, milestone),
    ]
    action_page = client.get(world.action.get_absolute_url()).content.decode()

    assert [response.status_code for response in refused] == [403, 403, 403, 403]
    assert change_url not in action_page and remove_url not in action_page
    assert Milestone.objects.get(pk=milestone.pk).title == "Report to the Board"
    with pytest.raises(PermissionDenied):
        services.milestone_change(
            milestone=milestone, user=world.officer, title="Renamed", due_date=in_days(40)
        )
    with pytest.raises(PermissionDenied):
        services.milestone_remove(milestone=milestone, user=world.officer)

    signed_in(world.admin)
    action_page = client.get(world.action.get_absolute_url()).content.decode()
    assert change_url in action_page and remove_url in action_page
    assert (
        'Change<span class="govuk-visually-hidden"> the milestone Report to the Board</span>' in action_page
    )
    assert client.get(change_url).status_code == client.get(remove_url).status_code == 200
    assert change(client, milestone, "Renamed", in_days(40)).status_code == 302
    assert remove(client, milestone).status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_an_admin_removes_a_milestone_and_the_history_keeps_its_addition_and_removal(
    client, signed_in, world
):
    milestone = services.milestone_add(
        action=world.action, user=world.admin, title="Report to the Board", due_date=in_days(30)
    )
    signed_in(world.admin)

    asked = client.get(reverse("actions:remove_milestone", args=[milestone.pk]))
    assert asked.status_code == 200 and Milestone.objects.filter(pk=milestone.pk).exists()  # GET only asks
    assert "Remove the milestone “Report to the Board”?" in asked.content.decode()
    response = remove(client, milestone)

    assert response.status_code == 302 and response["Location"] == world.action.get_absolute_url()
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    event = AuditEvent.objects.get(object_type="actions.milestone", verb=AuditEvent.Verb.REMOVED)
    assert (event.actor, event.object_id) == (world.admin, str(milestone.pk))
    assert event.before["action"] == world.action.pk and event.before["title"] == "Report to the Board"
    page = history(client, world)
    today = long_date(timezone.localdate())
    assert f"{world.admin.get_full_name()} added the milestone “Report to the Board” on {today}." in page
    assert f"{world.admin.get_full_name()} removed the milestone “Report to the Board” on {today}." in page
    assert f"It was due on {long_date(in_days(30))}" in page
    # Another action's history does not take it.
    other = client.get(reverse("actions:history", args=[world.other_action.pk])).content.decode()
    assert "Report to the Board" not in other


def test_a_completed_milestone_cannot_be_removed(client, signed_in, world):
    done = MilestoneFactory(action=world.action, title="Pilot in three wards", completed_on=in_days(-3))
    open_one = MilestoneFactory(action=world.action, title="Report to the Board", due_date=in_days(30))
    signed_in(world.admin)

    action_page = client.get(world.action.get_absolute_url()).content.decode()
    asked = client.get(reverse("actions:remove_milestone", args=[done.pk])).content.decode()
    refused = remove(client, done)

    assert reverse("actions:remove_milestone", args=[done.pk]) not in action_page
    assert reverse("actions:change_milestone", args=[done.pk]) not in action_page
    assert f"It cannot be removed: it was completed on {long_date(in_days(-3))}." in asked
    assert "Remove milestone</button>" not in asked
    assert refused.status_code == 400
    assert "govuk-error-summary" in refused.content.decode()
    assert "“Pilot in three wards” cannot be removed: it was completed on" in refused.content.decode()
    assert Milestone.objects.filter(pk=done.pk).exists()
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.REMOVED).exists()
    assert remove(client, open_one).status_code == 302  # an open milestone goes
    assert not Milestone.objects.filter(pk=open_one.pk).exists()


def test_a_milestone_an_approved_or_waiting_update_completes_cannot_be_removed(client, signed_in, world):
    approved = MilestoneFactory(action=world.action, title="Pilot in three wards", due_date=in_days(30))
    waiting = MilestoneFactory(action=world.action, title="Report to the Board", due_date=in_days(30))
    in_a_draft = MilestoneFactory(action=world.action, title="Survey families", due_date=in_days(30))
    approved_update(world.action, in_days(-40)).completed_milestones.add(approved)
    approved_update(
        world.action, timezone.localdate(), state=ProgressUpdate.State.SUBMITTED
    ).completed_milestones.add(waiting)
    approved_update(world.action, in_days(40), state=ProgressUpdate.State.DRAFT).completed_milestones.add(
        in_a_draft
    )
    signed_in(world.admin)

    assert remove(client, approved).status_code == 400
    assert remove(client, waiting).status_code == 400
    asked = client.get(reverse("actions:remove_milestone", args=[approved.pk])).content.decode()
    assert "It cannot be removed: an approved update records it as completed." in asked
    assert Milestone.objects.filter(pk__in=[approved.pk, waiting.pk]).count() == 2
    assert remove(client, in_a_draft).status_code == 302  # a draft's choice goes with it
    assert not Milestone.objects.filter(pk=in_a_draft.pk).exists()
