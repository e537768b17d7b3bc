"""The SEND risk log: raising, rescoring with history, escalation, closing, the heat map, exports and reminders."""

import csv
import importlib
import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent, OutboxJob
from risks import selectors, services
from risks.models import DetailChange, Escalation, ReviewReminder, Risk, RiskMatrix, ScoreChange
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

SCORES = {"inherent_likelihood": 4, "inherent_impact": 5, "residual_likelihood": 3, "residual_impact": 4}


def details(owner, **extra):
    return {
        "title": "Too few educational psychologists",
        "cause": "Vacancies in the educational psychology service.",
        "effect": "Advice for EHC needs assessments is late.",
        "owner": owner,
        "controls": "Locum cover\nWeekly triage",
        "review_date": date(2030, 3, 31),
        **SCORES,
        **extra,
    }


def raise_risk(world, actor=None, owner=None, **extra):
    actor = actor or world.lead
    return services.risk_raise(
        actor=actor,
        partnership=world.partnership,
        data=details(owner or world.lead, **extra),
        actions=[world.action],
    )


def test_a_lead_raises_a_risk_numbered_after_the_last_with_its_first_scores_in_its_history(world):
    first = raise_risk(world)
    second = raise_risk(world, title="Transport contract ends")
    assert (first.number, second.number) == (1, 2)
    assert first.inherent_score == 20 and first.residual_score == 12
    assert list(first.actions.all()) == [world.action]
    history = list(first.score_changes.all())
    assert [(c.inherent_score, c.residual_score, c.changed_by) for c in history] == [(20, 12, world.lead)]
    assert AuditEvent.objects.filter(
        object_type="risks.risk", object_id=str(first.pk), verb="created"
    ).exists()


def test_an_officer_cannot_raise_a_risk_but_an_admin_can(world):
    with pytest.raises(PermissionDenied):
        raise_risk(world, actor=world.officer)
    assert raise_risk(world, actor=world.admin).number == 1


def test_a_risk_owner_must_hold_a_role_in_the_partnership_and_its_actions_must_be_the_plans(world):
    with pytest.raises(ValidationError) as owner_error:
        raise_risk(world, owner=world.stranger)
    assert "owner" in owner_error.value.message_dict
    with pytest.raises(ValidationError) as action_error:
        services.risk_raise(
            actor=world.lead,
            partnership=world.partnership,
            data=details(world.lead),
            actions=[world.stranger_action],
        )
    assert "actions" in action_error.value.message_dict
    assert not Risk.objects.exists()


def test_rescoring_keeps_every_score_change_with_its_reason_and_who_made_it(world):
    risk = raise_risk(world)
    new = {**SCORES, "residual_likelihood": 2}
    services.risk_rescore(actor=world.lead, risk=risk, scores=new, reason="Locums started.")
    risk.refresh_from_db()
    assert risk.residual_score == 8
    history = list(risk.score_changes.all())
    assert [c.residual_score for c in history] == [12, 8]
    assert history[-1].reason == "Locums started." and history[-1].changed_by == world.lead
    audit = AuditEvent.objects.get(object_type="risks.risk", verb="rescored")
    assert (audit.before["residual_likelihood"], audit.after["residual_likelihood"]) == (3, 2)


def test_rescoring_to_the_same_scores_is_refused_and_records_nothing(world):
    risk = raise_risk(world)
    with pytest.raises(ValidationError):
        services.risk_rescore(actor=world.lead, risk=risk, scores=SCORES, reason="No change")
    assert risk.score_changes.count() == 1


def test_only_the_owner_and_admins_change_a_risk(world):
    risk = raise_risk(world)  # owned by the lead
    new = {**SCORES, "inherent_impact": 4}
    with pytest.raises(PermissionDenied):
        services.risk_rescore(actor=world.other_lead, risk=risk, scores=new, reason="Mine now")
    services.risk_rescore(actor=world.admin, risk=risk, scores=new, reason="Agreed at the group")
    assert risk.score_changes.count() == 2


def test_escalation_records_who_escalated_from_which_group_to_which_board_and_why(world):
    RiskMatrix.objects.create(
        partnership=world.partnership,
        held_by="SENDAP Operations Group",
        escalates_to="SEND Strategic Partnership Board",
    )
    risk = raise_risk(world)
    escalation = services.risk_escalate(actor=world.lead, risk=risk, reason="Needs partners' funding.")
    risk.refresh_from_db()
    assert risk.status == Risk.Status.ESCALATED
    assert (escalation.from_body, escalation.to_body) == (
        "SENDAP Operations Group",
        "SEND Strategic Partnership Board",
    )
    assert escalation.escalated_by == world.lead and escalation.reason == "Needs partners' funding."
    with pytest.raises(ValidationError):
        services.risk_escalate(actor=world.lead, risk=risk, reason="Again")
    assert Escalation.objects.count() == 1


def test_a_closed_risk_leaves_the_heat_map_and_can_no_longer_be_changed(world):
    risk = raise_risk(world)
    services.risk_close(actor=world.lead, risk=risk, reason="Posts filled.")
    assert selectors.live_risks(world.partnership) == []
    with pytest.raises(ValidationError):
        services.risk_rescore(
            actor=world.lead,
            risk=risk,
            scores={**SCORES, "inherent_impact": 1},
            reason="Too late",
        )


def test_the_heat_map_places_each_live_risk_by_its_scores_with_the_controls_and_names_each_band(world):
    matrix = selectors.matrix_of(world.partnership)
    high = RiskFactory(
        partnership=world.partnership, owner=world.lead, residual_likelihood=5, residual_impact=4
    )
    low = RiskFactory(
        partnership=world.partnership, owner=world.lead, residual_likelihood=1, residual_impact=2
    )
    rows = selectors.heat_map(matrix, selectors.live_risks(world.partnership))
    assert [row.likelihood for row in rows] == [5, 4, 3, 2, 1]
    assert rows[0].label == "Almost certain"
    assert rows[0].cells[3].risks == [high] and rows[0].cells[3].band == "Very high"
    assert rows[4].cells[1].risks == [low] and rows[4].cells[1].band == "Low"
    assert sum(len(cell.risks) for row in rows for cell in row.cells) == 2


def test_the_matrix_is_configurable_and_its_bands_must_rise(world):
    data = {
        "likelihood_labels": ["Very low", "Low", "Medium", "High", "Very high"],
        "impact_labels": ["Minimal", "Minor", "Moderate", "Significant", "Critical"],
        "medium_from": 4,
        "high_from": 9,
        "very_high_from": 16,
        "held_by": "SENDAP Operations Group",
        "escalates_to": "SEND Strategic Partnership Board",
    }
    with pytest.raises(PermissionDenied):
        services.matrix_set(actor=world.lead, partnership=world.partnership, data=data)
    matrix = services.matrix_set(actor=world.admin, partnership=world.partnership, data=data)
    assert matrix.band(9) == "High" and matrix.band(8) == "Medium" and matrix.likelihood(5) == "Very high"
    with pytest.raises(ValidationError):
        services.matrix_set(
            actor=world.admin,
            partnership=world.partnership,
            data={**data, "high_from": 3},
        )


def test_scores_as_at_a_moment_are_the_last_change_made_by_then(world):
    risk = raise_risk(world)
    raised = risk.score_changes.get()
    services.risk_rescore(
        actor=world.lead,
        risk=risk,
        scores={**SCORES, "residual_impact": 5},
        reason="Worse",
    )
    [then] = selectors.risks_as_at(world.partnership, raised.changed_at)
    assert then.residual_score == 12
    later = risk.score_changes.order_by("pk").last().changed_at
    [now] = selectors.risks_as_at(world.partnership, later)
    assert now.residual_score == 15
    assert selectors.risks_as_at(world.partnership, raised.changed_at - timedelta(seconds=1)) == []


def moments(risk) -> list:
    """When each step of a risk's history was recorded, oldest first."""
    return [change.changed_at for change in risk.detail_changes.order_by("changed_at", "pk")]


def test_a_risk_as_at_a_moment_has_the_words_owner_status_and_scores_it_had_then(world):
    risk = raise_risk(world)
    services.risk_update(
        actor=world.lead,
        risk=risk,
        data={**{name: getattr(risk, name) for name in services.DETAIL_FIELDS}, "title": "No psychologists"},
        actions=[world.action],
    )
    services.risk_escalate(actor=world.lead, risk=risk, reason="Funding")
    services.risk_rescore(
        actor=world.lead,
        risk=risk,
        scores={**SCORES, "residual_impact": 5},
        reason="Worse",
    )
    services.risk_close(actor=world.lead, risk=risk, reason="Posts filled.")
    raised, renamed, escalated, closed = moments(risk)

    def as_at(when):
        [found] = selectors.risks_as_at(world.partnership, when)
        return (found.title, found.status, found.residual_score, found.is_live)

    assert as_at(raised) == ("Too few educational psychologists", "open", 12, True)
    assert as_at(renamed) == ("No psychologists", "open", 12, True)
    assert as_at(escalated) == ("No psychologists", "escalated", 12, True)
    assert as_at(closed) == ("No psychologists", "closed", 15, False)
    assert [c.reason for c in risk.detail_changes.all()] == ["", "", "Funding", "Posts filled."]


def test_changing_only_the_review_date_adds_nothing_to_the_wording_history(world):
    risk = raise_risk(world)
    services.risk_update(
        actor=world.lead,
        risk=risk,
        data={
            **{name: getattr(risk, name) for name in services.DETAIL_FIELDS},
            "review_date": date(2031, 1, 1),
        },
        actions=[world.action],
    )
    assert risk.detail_changes.count() == 1


def test_a_closed_risk_is_reopened_by_whoever_may_close_it_in_its_history_and_audited(world, signed_in):
    risk = raise_risk(world)  # owned by the lead
    services.risk_close(actor=world.lead, risk=risk, reason="Posts filled.")
    with pytest.raises(PermissionDenied):
        services.risk_reopen(actor=world.other_lead, risk=risk, reason="Not theirs to reopen")
    refused = signed_in(world.other_lead).post(reverse("risks:reopen", args=[risk.pk]), {"reason": "x"})
    assert refused.status_code == 403
    client = signed_in(world.lead)
    assert "Reopen" in client.get(risk.get_absolute_url()).content.decode()
    response = client.post(reverse("risks:reopen", args=[risk.pk]), {"reason": "Two psychologists left."})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.status == Risk.Status.OPEN and risk.closed_reason == ""
    assert selectors.live_risks(world.partnership) == [risk]
    assert [(c.status, c.reason, c.changed_by) for c in risk.detail_changes.all()][-2:] == [
        ("closed", "Posts filled.", world.lead),
        ("open", "Two psychologists left.", world.lead),
    ]
    audit = AuditEvent.objects.get(object_type="risks.risk", verb="reopened")
    assert (audit.before["status"], audit.after["status"], audit.actor) == ("closed", "open", world.lead)
    assert audit.before["closed_reason"] == "Posts filled."
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "Closed to open: Two psychologists left." in page and "Open to closed: Posts filled." in page
    with pytest.raises(ValidationError):  # an open risk has nothing to reopen
        services.risk_reopen(actor=world.lead, risk=risk, reason="Again")


def test_an_admin_reopens_a_risk_that_someone_else_owns(world):
    risk = raise_risk(world)
    services.risk_close(actor=world.lead, risk=risk, reason="Posts filled.")
    services.risk_reopen(actor=world.admin, risk=risk, reason="Agreed")
    assert risk.status == Risk.Status.OPEN
    assert risk.detail_changes.last().changed_by == world.admin


def test_an_overdue_review_queues_one_reminder_email_to_the_owner_through_the_outbox(
    world, django_capture_on_commit_callbacks
):
    overdue = RiskFactory(partnership=world.partnership, owner=world.lead, review_date=date(2030, 1, 31))
    RiskFactory(partnership=world.partnership, owner=world.lead, review_date=date(2030, 2, 28))  # not yet due
    RiskFactory(
        partnership=world.partnership,
        owner=world.lead,
        review_date=date(2030, 1, 1),
        status=Risk.Status.CLOSED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_reminders_send(today=date(2030, 2, 1)) == 1
    assert OutboxJob.objects.filter(task_name="risks.send_review_reminder").count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@example.test"]
    assert f"Risk review overdue: risk {overdue.number}" in message.subject
    assert "was due for review on 31 January 2030" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_reminders_send(today=date(2030, 2, 2)) == 0  # once per review date
    assert ReviewReminder.objects.count() == 1 and len(mail.outbox) == 1


def test_the_log_downloads_as_csv_and_xlsx_with_readers_words(world, signed_in):
    risk = RiskFactory(partnership=world.partnership, owner=world.lead, title="=HYPERLINK(1)")
    risk.actions.add(world.action)
    client = signed_in(world.board)
    response = client.get(reverse("risks:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Risk", "Title", "Status"]
    assert rows[1][1] == "'=HYPERLINK(1)" and rows[1][2] == "Open"
    assert rows[1][9:13] == ["3 Possible", "3 Moderate", "9", "Medium"]
    assert rows[1][14] == "R2.1"
    assert rows[1][15] == "2030-01-31"  # the review date, ISO 8601 in the CSV
    sheet = load_workbook(io.BytesIO(client.get(reverse("risks:export_xlsx")).content)).active
    assert sheet.title == "Risk log" and sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["L2"].value == 9
    # The review date is a date a spreadsheet sorts and filters as one, shown as people write it.
    assert sheet["P2"].value == datetime(2030, 1, 31) and sheet["P2"].number_format == "d mmm yyyy"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width  # the cause is wider


def test_the_log_page_shows_the_heat_map_and_its_table_in_a_fixed_number_of_queries(
    world, signed_in, django_assert_max_num_queries
):
    client = signed_in(world.board)
    RiskFactory(partnership=world.partnership, owner=world.lead, title="Few risks")
    with django_assert_max_num_queries(12):
        small = client.get(reverse("risks:index"))
    for _ in range(20):
        RiskFactory(partnership=world.partnership, owner=world.lead)
    with django_assert_max_num_queries(12):
        large = client.get(reverse("risks:index"))
    assert small.status_code == large.status_code == 200
    page = large.content.decode()
    assert "Heat map of live risks" in page and "Medium, 9" in page and "Few risks" in page
    assert "Add a risk" not in page  # board members read the log; leads and admins add to it


def test_the_risk_page_shows_its_history_in_a_fixed_number_of_queries(
    world, signed_in, django_assert_max_num_queries
):
    risk = raise_risk(world)
    for impact in (3, 2, 1):
        services.risk_rescore(
            actor=world.lead,
            risk=risk,
            scores={**SCORES, "residual_impact": impact},
            reason=f"Impact now {impact}",
        )
    client = signed_in(world.lead)
    with django_assert_max_num_queries(14):
        response = client.get(risk.get_absolute_url())
    page = response.content.decode()
    assert "12 to 9" in page and "Impact now 1" in page and "Rescore" in page
    assert ScoreChange.objects.filter(risk=risk).count() == 4


def test_a_rescore_without_a_reason_keeps_what_was_chosen_and_says_what_is_missing(world, signed_in):
    risk = raise_risk(world)
    client = signed_in(world.lead)
    response = client.post(
        reverse("risks:rescore", args=[risk.pk]), {**SCORES, "residual_likelihood": 1, "reason": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter why the scores changed" in page
    assert re.search(r'id="id_residual_likelihood_1"\s+value="1"\s+checked', page)  # the choice is kept
    assert risk.score_changes.count() == 1


def test_risks_raised_before_the_detail_history_get_their_status_history_from_the_record(world):
    backfill = importlib.import_module("risks.migrations.0002_detail_history").history_from_the_record
    risk = raise_risk(world)
    services.risk_escalate(actor=world.lead, risk=risk, reason="Funding")
    services.risk_close(actor=world.lead, risk=risk, reason="Posts filled.")
    DetailChange.objects.all().delete()
    backfill(django_apps, None)
    steps = list(risk.detail_changes.all())
    assert [(c.status, c.reason, c.changed_by) for c in steps] == [
        ("open", "", world.lead),
        ("escalated", "Funding", world.lead),
        ("closed", "Posts filled.", world.lead),
    ]
    assert (
        steps[0].changed_at == risk.raised_at and steps[1].changed_at == risk.escalations.get().escalated_at
    )
    assert steps[2].changed_at == AuditEvent.objects.get(verb="closed").at
    assert {c.title for c in steps} == {risk.title}


def test_a_review_date_already_past_is_refused_so_no_risk_is_raised_overdue(world, signed_in):
    client = signed_in(world.lead)

    def raise_with_review(day: date):
        form = {
            **{k: v for k, v in details(world.lead.pk).items() if k != "review_date"},
            "review_date_0": day.day,
            "review_date_1": day.month,
            "review_date_2": day.year,
        }
        return client.post(reverse("risks:add"), form)

    refused = raise_with_review(timezone.localdate() - timedelta(days=1))

    assert refused.status_code == 400
    assert "The review date must be today or in the future" in refused.content.decode()
    assert not Risk.objects.exists()
    assert raise_with_review(timezone.localdate()).status_code == 302
    assert Risk.objects.get().review_date == timezone.localdate()


def test_a_risk_scored_higher_with_its_controls_than_without_is_refused_as_the_two_swapped(world, signed_in):
    client = signed_in(world.lead)
    review = date(2030, 3, 31)

    def raise_scored(before: int, after: int):
        form = {
            **{k: v for k, v in details(world.lead.pk).items() if k != "review_date" and k not in SCORES},
            "review_date_0": review.day,
            "review_date_1": review.month,
            "review_date_2": review.year,
            "inherent_likelihood": before,
            "inherent_impact": before,
            "residual_likelihood": after,
            "residual_impact": after,
        }
        return client.post(reverse("risks:add"), form)

    refused = raise_scored(2, 5)

    assert refused.status_code == 400
    page = refused.content.decode()
    assert (
        "The score with the controls in place (likelihood 5 × impact 5 = 25) must not be higher than the score "
        "before controls (likelihood 2 × impact 2 = 4)"
    ) in page
    assert not Risk.objects.exists()
    assert raise_scored(5, 2).status_code == 302
    assert raise_scored(3, 3).status_code == 302  # the controls may leave it as it was


def test_an_overdue_risks_details_can_be_corrected_without_moving_its_review_date(world, signed_in):
    overdue = date(2020, 1, 31)
    risk = RiskFactory(partnership=world.partnership, owner=world.lead, review_date=overdue)
    client = signed_in(world.lead)

    def change(**extra):
        data = {
            **{k: v for k, v in details(world.lead.pk).items() if k != "review_date" and k not in SCORES},
            "review_date_0": overdue.day,
            "review_date_1": overdue.month,
            "review_date_2": overdue.year,
            **extra,
        }
        return client.post(reverse("risks:edit", args=[risk.pk]), data)

    assert change(title="Too few educational psychologists in post").status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.review_date) == ("Too few educational psychologists in post", overdue)
    moved_back = change(review_date_0=1, review_date_1=1)
    assert "The review date must be today or in the future" in moved_back.content.decode()
