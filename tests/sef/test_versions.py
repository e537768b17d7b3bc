"""Drafts, editing with a version check, submission, agreement, locking and comparison."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse

from core.models import AuditEvent, Role
from sef import services
from sef.models import AreaEvaluation, AreaItem, SelfEvaluation
from sef.selectors import compare_versions, list_changes
from tests.factories import OrganisationFactory, member
from tests.sef.factories import plan_with_actions, self_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def lead(organisation):
    return member(Role.LEAD, organisation, full_name="Lee Lead")


@pytest.fixture
def submitted(organisation):
    return self_evaluation(organisation.partnership, version=1)


@pytest.fixture
def draft(submitted, lead):
    return services.evaluation_start_draft(actor=lead, partnership=submitted.partnership)


def area_post(area_evaluation, **changes):
    data = {
        "do_well": "Early help works",
        "impact": "",
        "improve": "Faster plans",
        "judgement": "",
        "judgement_rationale": "",
        "row_version": area_evaluation.row_version,
    }
    return data | changes


def test_a_new_draft_copies_everything_forward_and_leaves_the_source_alone(submitted, lead):
    plan = plan_with_actions(submitted.partnership)
    action = plan.recommendations.get().actions.first()
    source_area = submitted.area_evaluations.get(area__number=1)
    source_area.actions.add(action)
    source_issue = submitted.key_issues.get()
    source_issue.areas.add(source_area.area)
    source_issue.after_paragraph = 1
    source_issue.save()
    submitted.priority_groups.get().priorities.get().actions.add(action)

    draft = services.evaluation_start_draft(actor=lead, partnership=submitted.partnership)

    assert (draft.version, draft.status, draft.based_on) == (2, SelfEvaluation.Status.DRAFT, submitted)
    assert draft.area_evaluations.count() == 11
    area = draft.area_evaluations.get(area__number=1)
    assert area.pk != source_area.pk
    assert list(area.items.values_list("heading", "text")) == list(
        source_area.items.values_list("heading", "text")
    )
    assert list(area.actions.all()) == [action]
    assert list(draft.key_issues.get().areas.all()) == [source_area.area]
    assert draft.key_issues.get().after_paragraph == 1
    assert list(draft.priority_groups.get().priorities.get().actions.all()) == [action]
    assert submitted.area_evaluations.get(area__number=1).items.count() == 2
    assert AuditEvent.objects.filter(
        verb="created", object_type="sef.selfevaluation", object_id=draft.pk
    ).exists()


def test_there_is_only_ever_one_draft(draft, lead):
    with pytest.raises(ValidationError):
        services.evaluation_start_draft(actor=lead, partnership=draft.partnership)
    with pytest.raises(IntegrityError):
        SelfEvaluation.objects.create(
            partnership=draft.partnership, framework=draft.framework, version=9, title="x", dated=draft.dated
        )


def test_only_leads_and_admins_start_drafts(submitted, organisation):
    with pytest.raises(PermissionDenied):
        services.evaluation_start_draft(
            actor=member(Role.BOARD, organisation), partnership=submitted.partnership
        )


def test_the_draft_is_offered_to_carry_on_to_those_who_edit_it_and_to_read_to_the_rest(
    client, signed_in, draft, lead, organisation
):
    signed_in(lead)
    assert "Carry on with the draft" in client.get(reverse("sef:index")).content.decode()
    signed_in(member(Role.BOARD, organisation))
    page = client.get(reverse("sef:index")).content.decode()
    assert "Read the draft" in page and "Carry on" not in page and "Start a new draft" not in page


def test_a_partnership_with_no_sef_starts_with_every_area_empty(lead):
    draft = services.evaluation_start_draft(actor=lead, partnership=lead.memberships.get().partnership)
    assert draft.version == 1
    assert draft.area_evaluations.count() == 11
    assert not AreaItem.objects.filter(area_evaluation__evaluation=draft).exists()
    assert draft.partnership.judgement_levels.count() == 3


def test_a_lead_edits_an_area_and_the_change_is_audited(client, signed_in, draft, lead):
    area = draft.area_evaluations.get(area__number=1)
    level = draft.partnership.judgement_levels.get(order=2)
    signed_in(lead)
    response = client.post(
        reverse("sef:area_edit", args=[draft.pk, 1]),
        area_post(
            area,
            do_well="Early help works\r\n\r\nA new item\nwith a second line",
            judgement=level.pk,
            judgement_rationale="Waiting times are still long",
        ),
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert list(area.items.filter(heading="do_well").values_list("text", flat=True)) == [
        "Early help works",
        "A new item\nwith a second line",
    ]
    assert (area.judgement, area.row_version, area.last_edited_by) == (level, 2, lead)
    event = AuditEvent.objects.get(verb="updated", object_type="sef.areaevaluation")
    assert event.before["do_well"] == ["Early help works"]
    assert event.after["do_well"] == ["Early help works", "A new item\nwith a second line"]
    assert event.actor == lead


def test_a_judgement_needs_its_rationale(client, signed_in, draft, lead):
    area = draft.area_evaluations.get(area__number=1)
    signed_in(lead)
    response = client.post(
        reverse("sef:area_edit", args=[draft.pk, 1]),
        area_post(area, judgement=draft.partnership.judgement_levels.first().pk),
    )
    assert response.status_code == 200
    assert "Enter why you have made this judgement" in response.content.decode()
    assert response.content.decode().count("<title>Error: ") == 1


def test_a_second_editor_is_told_and_loses_nothing_when_someone_saved_first(client, signed_in, draft, lead):
    area = draft.area_evaluations.get(area__number=1)
    opened_at = area.row_version
    services.area_evaluation_update(
        actor=member(Role.ADMIN, lead.memberships.get().organisation, full_name="Ada Admin"),
        area_evaluation=area,
        expected_row_version=opened_at,
        items={"do_well": ["Ada's item"]},
        judgement=None,
        judgement_rationale="",
        actions=[],
        key_issues=[],
    )
    signed_in(lead)
    response = client.post(
        reverse("sef:area_edit", args=[draft.pk, 1]),
        area_post(area, do_well="Lee's careful paragraph", row_version=opened_at),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada Admin saved this area" in page
    assert "Lee&#x27;s careful paragraph" in page  # still in the form
    assert "Ada&#x27;s item" in page  # what was saved, to compare
    area.refresh_from_db()
    assert list(area.items.values_list("text", flat=True)) == ["Ada's item"]
    assert f'name="row_version" value="{area.row_version}"' in page  # saving again is now a deliberate choice


def test_a_stale_save_is_refused_by_the_service(draft, lead):
    area = draft.area_evaluations.get(area__number=1)
    kwargs: dict = {
        "items": {},
        "judgement": None,
        "judgement_rationale": "",
        "actions": [],
        "key_issues": [],
    }
    services.area_evaluation_update(actor=lead, area_evaluation=area, expected_row_version=1, **kwargs)
    with pytest.raises(services.StaleEditError):
        services.area_evaluation_update(actor=lead, area_evaluation=area, expected_row_version=1, **kwargs)


def test_linking_key_issues_and_actions_from_an_area_shows_both_ways(client, signed_in, draft, lead):
    action = plan_with_actions(draft.partnership).recommendations.get().actions.get(reference="R1.2")
    issue = draft.key_issues.get()
    area = draft.area_evaluations.get(area__number=3)
    signed_in(lead)
    response = client.post(
        reverse("sef:area_edit", args=[draft.pk, 3]),
        area_post(area, key_issues=[issue.pk], actions=[action.pk]),
    )
    assert response.status_code == 302
    assert f"Area 3: {area.area.title}" in client.get(reverse("sef:part_a", args=[draft.pk])).content.decode()
    area_page = client.get(reverse("sef:area", args=[draft.pk, 3])).content.decode()
    action_link = f'<a class="govuk-link" href="{action.get_absolute_url()}">R1.2</a>: Outcome wanted 2'
    assert "Key issue 1" in area_page and action_link in area_page
    links_page = client.get(reverse("sef:links", args=[draft.pk])).content.decode()
    assert action_link in links_page and "Area 3" in links_page
    action_page = client.get(action.get_absolute_url()).content.decode()
    assert f"Area 3: {area.area.title}" in action_page


def test_submitting_locks_the_draft_against_edits(client, signed_in, draft, lead):
    signed_in(lead)
    response = client.post(
        reverse("sef:submit", args=[draft.pk]),
        {"meeting_body": "Health and Wellbeing Board", "meeting_date": "10/12/2025"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SelfEvaluation.Status.SUBMITTED
    assert str(draft.meeting_date) == "2025-12-10"
    area = draft.area_evaluations.get(area__number=1)
    response = client.post(reverse("sef:area_edit", args=[draft.pk, 1]), area_post(area, do_well="Sneaky"))
    assert response.status_code == 302
    assert not area.items.filter(text="Sneaky").exists()
    with pytest.raises(ValidationError):
        services.area_evaluation_update(
            actor=lead,
            area_evaluation=area,
            expected_row_version=area.row_version,
            items={},
            judgement=None,
            judgement_rationale="",
            actions=[],
            key_issues=[],
        )


def test_recording_agreement_locks_the_version_and_supersedes_the_one_before(organisation, submitted, lead):
    democratic = member(Role.DEMOCRATIC, organisation)
    services.evaluation_record_agreement(
        actor=democratic, evaluation=submitted, body="HWBB", agreed_on="2024-12-10", minute_reference="M1"
    )
    draft = services.evaluation_start_draft(actor=lead, partnership=submitted.partnership)
    services.evaluation_submit(actor=lead, evaluation=draft, meeting_body="HWBB", meeting_date="2025-06-10")
    services.evaluation_record_agreement(
        actor=democratic, evaluation=draft, body="HWBB", agreed_on="2025-06-10", minute_reference="M2"
    )
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert submitted.status == SelfEvaluation.Status.SUPERSEDED and submitted.is_locked
    assert (draft.status, draft.minute_reference, draft.agreement_recorded_by) == ("agreed", "M2", democratic)
    assert draft.is_locked and not draft.is_editable
    assert AuditEvent.objects.filter(verb="supersede", object_id=submitted.pk).exists()
    with pytest.raises(ValidationError):
        services.evaluation_record_agreement(
            actor=democratic, evaluation=draft, body="HWBB", agreed_on="2025-06-10", minute_reference="M3"
        )


def test_only_democratic_services_or_admins_record_agreement(organisation, submitted, lead):
    with pytest.raises(PermissionDenied):
        services.evaluation_record_agreement(
            actor=lead, evaluation=submitted, body="HWBB", agreed_on="2024-12-10", minute_reference="M1"
        )


def test_a_draft_cannot_be_recorded_as_agreed(organisation, draft):
    with pytest.raises(ValidationError):
        services.evaluation_record_agreement(
            actor=member(Role.ADMIN, organisation),
            evaluation=draft,
            body="B",
            agreed_on="2025-01-01",
            minute_reference="1",
        )


def test_list_changes_reports_added_removed_and_changed_items():
    changes = list_changes(["a", "b", "c", "d"], ["a", "B", "c", "e", "f"])
    assert [(c.kind, c.before, c.after) for c in changes] == [
        ("changed", "b", "B"),
        ("changed", "d", "e"),
        ("added", "", "f"),
    ]
    assert [(c.kind, c.before) for c in list_changes(["a", "b"], ["b"])] == [("removed", "a")]
    assert list_changes(["a"], ["a"]) == []


def test_comparing_two_versions_shows_each_areas_changes(submitted, draft, lead):
    area = draft.area_evaluations.get(area__number=1)
    level = draft.partnership.judgement_levels.get(order=1)
    services.area_evaluation_update(
        actor=lead,
        area_evaluation=area,
        expected_row_version=area.row_version,
        items={"do_well": ["Early help works", "Newly added"], "improve": []},
        judgement=level,
        judgement_rationale="Because",
        actions=[],
        key_issues=[],
    )
    comparisons = {c.number: c for c in compare_versions(submitted, draft)}
    assert len(comparisons) == 11
    assert not comparisons[2].changed
    first = dict(comparisons[1].headings)
    assert [(c.kind, c.after) for c in first["What we do well"]] == [("added", "Newly added")]
    assert [(c.kind, c.before) for c in first["What we need to improve"]] == [("removed", "Faster plans")]
    assert comparisons[1].judgement == ("Not judged", level.label)
    assert first["Linked actions"] == []


def test_comparison_shows_actions_linked_and_unlinked(submitted, draft, lead):
    actions = list(plan_with_actions(draft.partnership).recommendations.get().actions.order_by("order"))
    submitted.area_evaluations.get(area__number=5).actions.add(actions[0])
    area = draft.area_evaluations.get(area__number=5)
    services.area_evaluation_update(
        actor=lead,
        area_evaluation=area,
        expected_row_version=area.row_version,
        items={},
        judgement=None,
        judgement_rationale="",
        actions=[actions[1]],
        key_issues=[],
    )
    links = dict(next(c for c in compare_versions(submitted, draft) if c.number == 5).headings)[
        "Linked actions"
    ]
    assert [(c.kind, c.before or c.after) for c in links] == [
        ("removed", "R1.1: Outcome wanted 1"),
        ("added", "R1.2: Outcome wanted 2"),
    ]


def test_the_compare_page_shows_the_change(client, signed_in, submitted, draft, lead):
    area = draft.area_evaluations.get(area__number=4)
    services.area_evaluation_update(
        actor=lead,
        area_evaluation=area,
        expected_row_version=area.row_version,
        items={"do_well": ["A brand new strength"]},
        judgement=None,
        judgement_rationale="",
        actions=[],
        key_issues=[],
    )
    signed_in(lead)
    page = client.get(reverse("sef:compare"), {"older": submitted.pk, "newer": draft.pk}).content.decode()
    assert "A brand new strength" in page
    assert "Added" in page
    assert page.count("No changes.") == 10


def test_comparing_a_version_with_itself_is_an_error(client, signed_in, submitted, draft, lead):
    signed_in(lead)
    response = client.get(reverse("sef:compare"), {"older": draft.pk, "newer": draft.pk})
    assert "Choose two different versions" in response.content.decode()


def test_area_evaluation_rows_are_unique_per_version(draft):
    with pytest.raises(IntegrityError):
        AreaEvaluation.objects.create(evaluation=draft, area=draft.area_evaluations.first().area)


def test_a_lead_links_a_part_c_priority_to_actions_and_it_shows_both_ways(client, signed_in, draft, lead):
    action = plan_with_actions(draft.partnership).recommendations.get().actions.get(reference="R1.1")
    priority = draft.priority_groups.get().priorities.get()
    signed_in(lead)
    url = reverse("sef:priority_edit", args=[draft.pk, 1, 1])
    response = client.post(url, {"text": priority.text, "actions": [action.pk], "row_version": 1})
    assert response.status_code == 302
    assert list(priority.actions.all()) == [action]
    part_c = client.get(reverse("sef:part_c", args=[draft.pk])).content.decode()
    assert f'Actions: <a class="govuk-link" href="{action.get_absolute_url()}">R1.1</a>' in part_c
    assert "Part C priority 1.1" in client.get(action.get_absolute_url()).content.decode()
    assert "Priority 1.1" in client.get(reverse("sef:links", args=[draft.pk])).content.decode()
    assert AuditEvent.objects.get(object_type="sef.priority").after == {
        "text": priority.text,
        "actions": ["R1.1"],
    }
    stale = client.post(url, {"text": "My rewording", "actions": [], "row_version": 1})
    assert stale.status_code == 200
    assert "Someone else saved this priority" in stale.content.decode()
    assert "My rewording" in stale.content.decode()
    priority.refresh_from_db()
    assert priority.text == "Set up a forum"


def section_post(**changes):
    return {
        "narrative": "Our area has grown.\r\n\r\nMore families ask for help.",
        "data_references": "",
    } | changes


def test_a_lead_rewrites_a_part_a_section_of_the_draft_and_the_change_is_recorded(
    client, signed_in, draft, lead
):
    signed_in(lead)
    part_a = client.get(reverse("sef:part_a", args=[draft.pk])).content.decode()
    url = reverse("sef:section_edit", args=[draft.pk, 1])
    assert (
        f'href="{url}"' in part_a
        and 'Edit<span class="govuk-visually-hidden"> section 1, Context</span>' in part_a
    )
    form = client.get(url).content.decode()
    assert "Our area</textarea>" in form and 'name="row_version" value="1"' in form

    saved = client.post(url, section_post(data_references="JSNA 2024", row_version=1))

    assert (
        saved.status_code == 302
        and saved["Location"] == f"{reverse('sef:part_a', args=[draft.pk])}#section-1"
    )
    part_a = client.get(reverse("sef:part_a", args=[draft.pk])).content.decode()
    assert '<p class="govuk-body">More families ask for help.</p>' in part_a and "Data: JSNA 2024" in part_a
    assert "Key issue 1" in part_a  # the key issue stays with its section
    event = AuditEvent.objects.get(object_type="sef.contextsection")
    assert event.actor == lead and event.before["narrative"] == "Our area"
    assert event.after["narrative"] == "Our area has grown.\r\n\r\nMore families ask for help."


def test_a_section_saved_by_someone_else_after_it_was_opened_is_not_overwritten(
    client, signed_in, draft, lead
):
    signed_in(lead)
    url = reverse("sef:section_edit", args=[draft.pk, 1])
    client.post(url, section_post(narrative="Their wording", row_version=1))

    stale = client.post(url, section_post(narrative="My wording", row_version=1))

    page = stale.content.decode()
    assert stale.status_code == 400
    assert "Someone else saved this section after you opened it" in page
    assert "My wording</textarea>" in page and "Their wording" in page
    assert 'name="row_version" value="2"' in page  # a second save is deliberate
    assert draft.sections.get().narrative == "Their wording"


def test_a_section_too_long_is_refused_with_what_was_typed_kept(client, signed_in, draft, lead):
    signed_in(lead)
    typed = "word " * 2001

    refused = client.post(
        reverse("sef:section_edit", args=[draft.pk, 1]), section_post(narrative=typed, row_version=1)
    )

    assert refused.status_code == 400
    assert (
        "Narrative must be 10,000 characters or fewer: you entered 10,005 characters"
        in refused.content.decode()
    )
    assert typed in refused.content.decode()
    assert draft.sections.get().narrative == "Our area"


def test_only_a_draft_section_is_edited_and_only_by_those_who_edit_the_sef(
    client, signed_in, submitted, draft, lead, organisation
):
    signed_in(member(Role.BOARD, organisation))
    assert client.get(reverse("sef:section_edit", args=[draft.pk, 1])).status_code == 403
    assert "sef:section_edit" not in client.get(reverse("sef:part_a", args=[draft.pk])).content.decode()
    with pytest.raises(PermissionDenied):
        services.context_section_update(
            actor=member(Role.BOARD, organisation),
            section=draft.sections.get(),
            expected_row_version=1,
            narrative="x",
            data_references="",
        )

    signed_in(lead)
    assert client.get(reverse("sef:section_edit", args=[draft.pk, 1])).status_code == 200
    submitted_url = reverse("sef:section_edit", args=[submitted.pk, 1])
    assert (
        f'href="{submitted_url}"'
        not in client.get(reverse("sef:part_a", args=[submitted.pk])).content.decode()
    )
    assert client.get(submitted_url)["Location"] == reverse("sef:part_a", args=[submitted.pk])
    with pytest.raises(ValidationError, match="only a draft can change"):
        services.context_section_update(
            actor=lead,
            section=submitted.sections.get(),
            expected_row_version=1,
            narrative="x",
            data_references="",
        )
