import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action, ProgressUpdate, Reminder
from actions.notifications import send_reminders
from actions.services import reporting_period_ensure
from tests.actions.factories import ActionFactory, MilestoneFactory, approved_update

pytestmark = pytest.mark.django_db


def add_owned_actions(world, count):
    for _ in range(count):
        action = ActionFactory(recommendation=world.recommendation)
        action.owner_organisations.add(world.council)
        approved_update(action, timezone.localdate(), "green")
        MilestoneFactory(action=action)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_task_list_takes_the_same_number_of_queries_however_many_actions(
    client, signed_in, world, django_assert_num_queries, extra
):
    add_owned_actions(world, extra)
    signed_in(world.officer)
    reporting_period_ensure(partnership=world.partnership, day=timezone.localdate())
    with django_assert_num_queries(10):
        response = client.get(reverse("actions:mine"))
    assert response.status_code == 200
    assert response.content.decode().count('class="govuk-task-list__item ') == 1 + extra


@pytest.mark.parametrize("updates", [1, 12])
def test_the_action_page_takes_the_same_number_of_queries_however_long_its_history(
    client, signed_in, world, django_assert_num_queries, updates
):
    for months in range(updates):
        approved_update(world.action, date(2025, 1, 1) + timedelta(days=31 * months), "green")
    signed_in(world.board)
    with django_assert_num_queries(15):
        response = client.get(world.action.get_absolute_url())
    assert response.status_code == 200


def monthly_updates(world, count: int) -> None:
    for month in range(count):
        approved_update(
            world.action,
            date(2025, 1, 1) + timedelta(days=31 * month),
            "green",
            commentary=f"Commentary for month {month + 1}.",
        )


def test_the_action_page_shows_a_year_of_updates_and_links_to_all_of_them(client, signed_in, world):
    monthly_updates(world, 14)
    signed_in(world.board)
    page = client.get(world.action.get_absolute_url()).content.decode()
    assert "The latest 12 of 14 updates, newest first." in page
    assert "Commentary for month 14." in page and "Commentary for month 3." in page
    assert "Commentary for month 2." not in page and "Commentary for month 1." not in page
    assert 'href="?updates=all#progress-updates">Show all 14 progress updates' in page

    everything = client.get(world.action.get_absolute_url(), {"updates": "all"}).content.decode()
    assert all(f"Commentary for month {month}." in everything for month in range(1, 15))
    assert "The latest" not in everything and "Show all" not in everything


def test_a_year_of_updates_or_fewer_is_shown_whole_without_a_link(client, signed_in, world):
    monthly_updates(world, 12)
    signed_in(world.board)
    page = client.get(world.action.get_absolute_url()).content.decode()
    assert "Commentary for month 1." in page and "Commentary for month 12." in page
    assert "The latest" not in page and "Show all" not in page


def test_a_draft_a_reader_may_not_see_is_neither_shown_nor_counted(client, signed_in, world):
    monthly_updates(world, 12)
    ProgressUpdate.objects.create(
        action=world.action,
        period=reporting_period_ensure(partnership=world.partnership, day=timezone.localdate()),
        rag=world.action.updates.first().rag,
        commentary="Draft words about a delayed contract.",
        created_by=world.officer,
    )
    signed_in(world.board)
    page = client.get(world.action.get_absolute_url()).content.decode()
    assert "Draft words" not in page and "Show all" not in page

    signed_in(world.officer)
    page = client.get(world.action.get_absolute_url()).content.decode()
    assert "Draft words about a delayed contract." in page
    assert "The latest 12 of 13 updates, newest first." in page
    assert "Commentary for month 1." not in page


@pytest.mark.parametrize("extra", [0, 30])
def test_the_recommendation_page_does_not_grow_with_its_actions(
    client, signed_in, world, django_assert_num_queries, extra
):
    add_owned_actions(world, extra)
    reporting_period_ensure(partnership=world.partnership, day=timezone.localdate())
    signed_in(world.board)
    with django_assert_num_queries(13):
        assert client.get(world.recommendation.get_absolute_url()).status_code == 200


def test_the_task_list_flags_overdue_and_re_planned_actions_and_last_update(client, signed_in, world):
    today = timezone.localdate()
    Action.objects.filter(pk=world.action.pk).update(
        original_due_date=today - timedelta(days=40),
        revised_due_date=today - timedelta(days=1),
        replan_count=2,
    )
    approved_update(world.action, today - timedelta(days=35), "amber")
    reporting_period_ensure(partnership=world.partnership, day=today)
    signed_in(world.officer)
    page = client.get(reverse("actions:mine")).content.decode()
    assert "Overdue" in page
    assert "Re-planned 2 times" in page
    # The status beside the action is the last approved one, and says so: a draft since is not yet a status.
    assert re.search(r"Last approved <strong[^>]*>Amber</strong>", page)
    assert "Update not started" in page and "Due this month" not in page


def test_your_actions_says_how_this_periods_updates_stand_what_came_back_first(client, signed_in, world):
    today = timezone.localdate()
    period = reporting_period_ensure(partnership=world.partnership, day=today)
    returned = ActionFactory(recommendation=world.recommendation, reference="R2.2")
    drafted = ActionFactory(recommendation=world.recommendation, reference="R2.3")
    closed = ActionFactory(
        recommendation=world.recommendation, reference="R2.4", lifecycle=Action.Lifecycle.CLOSED
    )
    for action in (returned, drafted, closed):
        action.owner_organisations.add(world.council)
    approved_update(returned, today, "amber", state=ProgressUpdate.State.RETURNED, return_reason="Say more.")
    approved_update(drafted, today, "green", state=ProgressUpdate.State.DRAFT)
    signed_in(world.officer)

    page = client.get(reverse("actions:mine")).content.decode()

    assert f"Your updates for {period}:" in page
    standings = re.findall(
        r"<li>(\d+ [^<]+)</li>", page.split(f"Your updates for {period}:")[1].split("</ul>")[0]
    )
    # R2.1 has no update yet; the closed action owes none.
    assert standings == ["1 returned to you to change", "1 draft, not yet submitted", "1 not started"]


def test_missing_updates_lists_open_actions_without_a_submission_this_period(client, signed_in, world):
    reporting_period_ensure(partnership=world.partnership, day=timezone.localdate())
    approved_update(world.other_action, timezone.localdate(), "green")
    signed_in(world.lead)
    page = client.get(reverse("actions:missing")).content.decode()
    assert "R2.1" in page
    assert "R3.1" not in page


def test_reminders_go_before_the_deadline_and_after_it_is_missed_and_never_twice(world):
    world.action.lead_officer = world.officer
    world.action.save()
    period = reporting_period_ensure(partnership=world.partnership, day=date(2026, 11, 10))
    assert period.update_deadline == date(2026, 12, 5)
    assert send_reminders(date(2026, 11, 20)) == 0
    assert send_reminders(date(2026, 12, 3)) == 2  # R2.1 to its lead officer, R3.1 to the trust's officer
    assert send_reminders(date(2026, 12, 4)) == 0
    assert send_reminders(date(2026, 12, 6)) == 2
    assert send_reminders(date(2026, 12, 6)) == 0
    assert Reminder.objects.count() == 4
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["officer@example.test"] * 2 + ["trust@example.test"] * 2
    assert "was due by 5 December 2026" in mail.outbox[-1].subject


def test_no_reminder_for_an_action_already_updated(world):
    period = reporting_period_ensure(partnership=world.partnership, day=date(2026, 11, 10))
    approved_update(world.action, period.start, "green")
    approved_update(world.other_action, period.start, "green")
    assert send_reminders(date(2026, 12, 3)) == 0


def test_the_csv_export_has_the_current_rag_and_last_commentary_and_is_formula_safe(client, signed_in, world):
    approved_update(world.action, date(2026, 1, 1), "red", commentary="Older.")
    approved_update(world.action, date(2026, 2, 1), "amber", commentary='=HYPERLINK("http://evil")')
    signed_in(world.board)
    response = client.get(reverse("actions:export_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["Reference"] == "R2.1")
    assert row["Current RAG"] == "Amber"
    assert row["RAG period"] == "February 2026"
    assert row["Last commentary"] == '\'=HYPERLINK("http://evil")'
    assert next(r for r in rows if r["Reference"] == "R3.1")["Current RAG"] == "No update recorded yet"


def test_the_xlsx_export_opens_with_one_row_per_action(client, signed_in, world):
    signed_in(world.board)
    response = client.get(reverse("actions:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "Reference"
    assert sheet.max_row == 3


def test_an_admin_assigns_owners_and_a_lead_and_re_plans_with_a_reason(client, signed_in, world):
    due, later = timezone.localdate() + timedelta(days=60), timezone.localdate() + timedelta(days=180)
    signed_in(world.admin)
    response = client.post(
        reverse("actions:edit", args=[world.action.pk]),
        {
            "lead_officer": world.officer.pk,
            "owner_organisations": [world.council.pk],
            "start_date_0": "1",
            "start_date_1": "9",
            "start_date_2": "2023",
            "original_due_date_0": str(due.day),
            "original_due_date_1": str(due.month),
            "original_due_date_2": str(due.year),
            "lifecycle": "open",
            "lock_version": world.action.lock_version,
        },
    )
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.original_due_date == due
    assert world.action.lead_officer == world.officer

    new_date = {
        "new_due_date_0": str(later.day),
        "new_due_date_1": str(later.month),
        "new_due_date_2": str(later.year),
    }
    no_reason = client.post(reverse("actions:replan", args=[world.action.pk]), {**new_date, "reason": ""})
    assert no_reason.status_code == 400
    assert "Enter the reason the due date changed" in no_reason.content.decode()
    client.post(reverse("actions:replan", args=[world.action.pk]), {**new_date, "reason": "Staffing"})
    world.action.refresh_from_db()
    assert (world.action.original_due_date, world.action.revised_due_date) == (due, later)
    assert world.action.replan_count == 1
    page = client.get(world.action.get_absolute_url()).content.decode()
    assert "Re-planned 1 time" in page
    assert "Staffing" in page


def test_the_original_due_date_cannot_be_overwritten_once_an_update_is_approved(client, signed_in, world):
    world.action.original_due_date = date(2024, 7, 31)
    world.action.save()
    approved_update(world.action, date(2024, 6, 1))
    signed_in(world.admin)
    response = client.post(
        reverse("actions:edit", args=[world.action.pk]),
        {
            "original_due_date_0": "31",
            "original_due_date_1": "12",
            "original_due_date_2": "2024",
            "lifecycle": "open",
            "lock_version": world.action.lock_version,
        },
    )
    assert response.status_code == 400
    assert "re-plan the action instead" in response.content.decode()


def test_an_admin_cannot_assign_another_partnerships_organisation(client, signed_in, world):
    signed_in(world.admin)
    stranger_org = world.stranger.memberships.get().organisation
    response = client.post(
        reverse("actions:edit", args=[world.action.pk]),
        {
            "owner_organisations": [stranger_org.pk],
            "lifecycle": "open",
            "lock_version": world.action.lock_version,
        },
    )
    assert response.status_code == 400
    assert not world.action.owner_organisations.filter(pk=stranger_org.pk).exists()


def test_an_admin_sets_the_recommendation_lead_and_adds_a_milestone(client, signed_in, world):
    signed_in(world.admin)
    lead_membership = world.other_lead.memberships.get()
    client.post(
        reverse("actions:recommendation_lead", args=[world.recommendation.pk]), {"lead": lead_membership.pk}
    )
    world.recommendation.refresh_from_db()
    assert world.recommendation.lead == lead_membership
    client.post(
        reverse("actions:add_milestone", args=[world.action.pk]),
        {
            "title": "Report to the Board",
            "due_date_0": "1",
            "due_date_1": "3",
            "due_date_2": "2027",
        },
    )
    assert world.action.milestones.filter(title="Report to the Board", due_date=date(2027, 3, 1)).exists()


def test_the_daily_job_opens_this_months_period_for_every_partnership(world):
    from actions.tasks import open_reporting_periods

    assert open_reporting_periods() == 2
    assert open_reporting_periods() == 2
    today = timezone.localdate()
    assert world.partnership.periods.filter(start=today.replace(day=1)).count() == 1


def test_an_admin_rewords_a_rag_level_and_officers_see_the_new_definition(client, signed_in, world):
    from actions.models import RagLevel

    amber = RagLevel.objects.get(partnership=world.partnership, key="amber")
    signed_in(world.admin)
    bad = client.post(
        reverse("actions:rag_level_edit", args=[amber.pk]),
        {
            "label": "Yellow",
            "meaning": "needs watching",
            "definition": "Watch it.",
            "tag_class": "govuk-tag--yellow",
            "colour": "yellow",
            "needs_commentary": "on",
        },
    )
    assert bad.status_code == 400
    assert "Enter the chart colour as # and then 6 characters, each 0 to 9 or a to f" in bad.content.decode()
    assert "hex" not in bad.content.decode()
    client.post(
        reverse("actions:rag_level_edit", args=[amber.pk]),
        {
            "label": "Yellow",
            "meaning": "needs watching",
            "definition": "Watch it closely.",
            "tag_class": "govuk-tag--yellow",
            "colour": "#ffdd00",
            "needs_commentary": "on",
        },
    )
    amber.refresh_from_db()
    assert (amber.label, amber.colour, amber.tag_class) == ("Yellow", "#ffdd00", "govuk-tag--yellow")
    signed_in(world.officer)
    form = client.get(reverse("actions:update", args=[world.action.pk])).content.decode()
    assert "Yellow – needs watching" in form and "Watch it closely." in form


def details_form(world, **changes):
    return {
        "lead_officer": world.officer.pk,
        "owner_organisations": [world.council.pk],
        "start_date_0": "1",
        "start_date_1": "9",
        "start_date_2": "2023",
        "original_due_date_0": "31",
        "original_due_date_1": "7",
        "original_due_date_2": "2024",
        "lifecycle": "open",
        **changes,
    }


def test_a_re_plan_approved_while_an_admin_edits_the_details_is_never_erased(client, signed_in, world):
    world.action.original_due_date = date(2024, 7, 31)
    world.action.save()
    signed_in(world.admin)
    edit_url = reverse("actions:edit", args=[world.action.pk])
    opened_at = client.get(edit_url).context["form"].initial["lock_version"]

    # Meanwhile the lead approves an update that re-plans the action.
    update = approved_update(
        world.action,
        date(2026, 10, 1),
        created_by=world.officer,
        state=ProgressUpdate.State.SUBMITTED,
        proposed_due_date=date(2027, 9, 30),
        proposed_due_reason="The provider changed.",
    )
    signed_in(world.lead)
    approval = client.post(
        reverse("actions:review", args=[update.pk]),
        {"decision": "approve", "lock_version": update.lock_version},
    )
    assert approval.status_code == 302

    signed_in(world.admin)
    stale = client.post(edit_url, details_form(world, lock_version=opened_at, lifecycle="closed"))
    assert stale.status_code == 302 and stale["Location"] == edit_url
    world.action.refresh_from_db()
    assert (world.action.revised_due_date, world.action.replan_count) == (date(2027, 9, 30), 1)
    assert world.action.lifecycle == "open"
    reopened = client.get(edit_url)
    assert "was changed since you opened this page" in reopened.content.decode()
    assert reopened.context["form"].initial["lock_version"] == world.action.lock_version

    saved = client.post(
        edit_url, details_form(world, lock_version=world.action.lock_version, lifecycle="closed")
    )
    assert saved.status_code == 302
    world.action.refresh_from_db()
    assert world.action.lifecycle == "closed"
    assert (world.action.revised_due_date, world.action.replan_count) == (date(2027, 9, 30), 1)
