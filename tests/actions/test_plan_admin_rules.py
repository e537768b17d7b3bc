"""What the partnership admin may set on an action's owners, dates and milestones, and how its history reads them
(found by a usability tester signed in as the admin)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Action
from core.audit import audit_record
from core.models import AuditEvent, Organisation
from tests.actions.factories import approved_update
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def date_fields(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def details(world, **changes) -> dict[str, object]:
    """The owners and dates form as the admin posts it, at the action's current version."""
    action = Action.objects.get(pk=world.action.pk)
    return {
        "owner_organisations": [o.pk for o in action.owner_organisations.all()],
        "lifecycle": "open",
        "lock_version": action.lock_version,
        **changes,
    }


def history(client, world) -> str:
    return client.get(reverse("actions:history", args=[world.action.pk])).content.decode()


def set_details(world, **changes) -> Action:
    action = Action.objects.get(pk=world.action.pk)
    values = {
        "lead_officer": None,
        "owner_organisations": list(action.owner_organisations.all()),
        "start_date": None,
        "original_due_date": action.original_due_date,
        "lifecycle": action.lifecycle,
        **changes,
    }
    return services.action_set_details(
        action=action, user=world.admin, lock_version=action.lock_version, **values
    )


# 1. Owning organisations in the history


def test_history_names_the_owning_organisations_an_admin_adds_and_removes(client, signed_in, world):
    trust = Organisation.objects.get(partnership=world.partnership, name="NHS trust")
    signed_in(world.admin)
    edit = reverse("actions:edit", args=[world.action.pk])

    added = client.post(edit, details(world, owner_organisations=[world.council.pk, trust.pk]))
    removed = client.post(edit, details(world, owner_organisations=[trust.pk]))

    assert added.status_code == removed.status_code == 302
    page = history(client, world)
    assert "Owner organisations: was “Council”, now “Council, NHS trust”" in page
    assert "Owner organisations: was “Council, NHS trust”, now “NHS trust”" in page
    assert "since removed" not in page
    # Kept as ids, which the history looks up, rather than each organisation's text.
    latest = AuditEvent.objects.filter(object_type="actions.action").latest("id")
    assert latest.after["owner_organisations"] == [trust.pk]


def test_history_still_says_an_organisation_since_removed_for_one_deleted(client, signed_in, world):
    short_lived = OrganisationFactory(partnership=world.partnership, name="Short-lived provider")
    set_details(world, owner_organisations=[world.council, short_lived])
    set_details(world, owner_organisations=[world.council])
    short_lived.delete()
    signed_in(world.admin)

    page = history(client, world)

    assert "now “Council, an organisation since removed”" in page
    assert "Owner organisations: was “Council”, now" in page


def test_history_names_organisations_recorded_as_text_before_ids_were_kept(client, signed_in, world):
    audit_record(
        actor=world.admin,
        verb=AuditEvent.Verb.UPDATED,
        instance=world.action,
        partnership=world.partnership,
        before={"owner_organisations": "[]"},
        after={"owner_organisations": "[<Organisation: Southend-on-Sea City Council>]"},
    )
    signed_in(world.admin)

    page = history(client, world)

    assert "Owner organisations: “Southend-on-Sea City Council”" in page
    assert "since removed" not in page


# 2. Due dates


def test_a_past_due_date_is_refused_when_first_set_and_what_was_typed_is_kept(client, signed_in, world):
    signed_in(world.admin)
    edit = reverse("actions:edit", args=[world.action.pk])

    refused = client.post(
        edit,
        details(
            world,
            **date_fields("start_date", date(2020, 1, 1)),
            **date_fields("original_due_date", date(2021, 1, 1)),
        ),
    )
    allowed = client.post(
        edit,
        details(
            world,
            **date_fields("start_date", date(2020, 1, 1)),
            **date_fields("original_due_date", in_days(90)),
        ),
    )

    assert refused.status_code == 400
    page = refused.content.decode()
    assert "The due date must be today or in the future" in page
    assert 'value="2021"' in page  # what was typed stays
    assert allowed.status_code == 302
    world.action.refresh_from_db()
    assert world.action.original_due_date == in_days(90)


def test_a_mistyped_original_due_date_can_be_corrected_until_an_update_is_approved(client, signed_in, world):
    set_details(world, original_due_date=in_days(400))
    signed_in(world.admin)
    edit = reverse("actions:edit", args=[world.action.pk])

    corrected = client.post(edit, details(world, **date_fields("original_due_date", in_days(35))))
    approved_update(world.action, timezone.localdate())
    locked = client.post(edit, details(world, **date_fields("original_due_date", in_days(60))))

    assert corrected.status_code == 302
    assert locked.status_code == 400
    assert "re-plan the action instead" in locked.content.decode()
    world.action.refresh_from_db()
    assert world.action.original_due_date == in_days(35)


def test_an_original_due_date_cannot_be_corrected_once_the_action_is_re_planned(world):
    set_details(world, original_due_date=in_days(30))
    services.action_replan(
        action=world.action, user=world.admin, new_due_date=in_days(60), reason="Provider changed"
    )

    with pytest.raises(services.ValidationError) as refused:
        set_details(world, original_due_date=in_days(40))

    assert "re-plan the action instead" in refused.value.message_dict["original_due_date"][0]


def test_an_unchanged_past_due_date_does_not_stop_other_changes(world):
    Action.objects.filter(pk=world.action.pk).update(original_due_date=date(2024, 7, 31))

    saved = set_details(world, lifecycle=Action.Lifecycle.CLOSED)

    assert (saved.original_due_date, saved.lifecycle) == (date(2024, 7, 31), Action.Lifecycle.CLOSED)


def test_a_re_plan_must_move_the_due_date_later_and_not_into_the_past(client, signed_in, world):
    set_details(world, original_due_date=in_days(60))
    signed_in(world.admin)
    replan = reverse("actions:replan", args=[world.action.pk])

    form = client.get(replan).content.decode()
    earlier = client.post(replan, {**date_fields("new_due_date", in_days(30)), "reason": "Sooner"})
    past = client.post(replan, {**date_fields("new_due_date", date(2020, 6, 1)), "reason": "Typo"})
    both = client.post(replan, {**date_fields("new_due_date", date(2020, 6, 1)), "reason": ""})
    later = client.post(replan, {**date_fields("new_due_date", in_days(120)), "reason": "Staffing"})

    due = f"{in_days(60):%-d %B %Y}"
    assert f"later than the current due date, {due}" in form
    assert earlier.status_code == 400
    assert f"The new due date must be later than the current due date, {due}" in earlier.content.decode()
    assert "Sooner" in earlier.content.decode()  # what was typed stays
    assert past.status_code == 400
    assert "The new due date must be today or in the future" in past.content.decode()
    # A past date and no reason are named together, not one after the other.
    assert both.context["form"].errors == {
        "new_due_date": ["The new due date must be today or in the future"],
        "reason": ["Enter the reason the due date changed"],
    }
    assert later.status_code == 302
    world.action.refresh_from_db()
    assert (world.action.revised_due_date, world.action.replan_count) == (in_days(120), 1)
    assert f"Due date moved from {due} to {in_days(120):%-d %B %Y}" in history(client, world)


# 3. Milestones


def add_milestone(client, world, title: str, due: date):
    return client.post(
        reverse("actions:add_milestone", args=[world.action.pk]),
        {"title": title, **date_fields("due_date", due)},
    )


def test_a_milestone_due_in_the_past_is_refused(client, signed_in, world):
    signed_in(world.admin)

    past = add_milestone(client, world, "Report to the Board", date(2019, 1, 1))
    future = add_milestone(client, world, "Report to the Board", in_days(30))

    assert past.status_code == 400
    assert "The due date must be today or in the future" in past.content.decode()
    assert future.status_code == 302
    assert list(
        world.action.milestones.filter(title="Report to the Board").values_list("due_date", flat=True)
    ) == [in_days(30)]


def test_the_same_milestone_added_twice_is_refused(client, signed_in, world):
    signed_in(world.admin)

    first = add_milestone(client, world, "Report to the Board", in_days(30))
    again = add_milestone(client, world, "  report to the BOARD ", in_days(30))
    another_day = add_milestone(client, world, "Report to the Board", in_days(60))

    assert first.status_code == another_day.status_code == 302
    assert again.status_code == 400
    assert "already has the milestone “report to the BOARD”" in again.content.decode()
    assert world.action.milestones.filter(title__iexact="report to the board").count() == 2


# 4. The history's sentences


def test_history_names_the_action_by_its_reference_without_a_doubled_full_stop(client, signed_in, world):
    Action.objects.filter(pk=world.action.pk).update(
        what_we_want="Every family knows who to contact about their EHC plan."
    )
    set_details(world, lifecycle=Action.Lifecycle.CLOSED)
    signed_in(world.admin)

    page = history(client, world)

    today = f"{timezone.localdate():%-d %B %Y}"
    assert f"{world.admin.get_full_name()} updated R2.1 on {today}." in page
    assert ". on" not in page


def test_a_deactivated_organisation_is_not_offered_as_an_owner_but_stays_ticked_where_it_owns_the_action(
    world, signed_in
):
    closed = OrganisationFactory(partnership=world.council.partnership, name="Closed trust", is_active=False)
    client = signed_in(world.admin)
    offered = client.get(reverse("actions:edit", args=[world.action.pk])).content.decode()
    assert world.council.name in offered and "Closed trust" not in offered

    world.action.owner_organisations.add(closed)  # owned before it closed
    offered = client.get(reverse("actions:edit", args=[world.action.pk])).content.decode()
    assert "Closed trust" in offered
    response = client.post(reverse("actions:edit", args=[world.action.pk]), details(world))
    assert response.status_code == 302
    assert closed in Action.objects.get(pk=world.action.pk).owner_organisations.all()
