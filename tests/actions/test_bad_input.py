"""Hostile and careless input on the action plan's forms: a clear error, never a 500, nothing half-saved."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actions.models import Evidence, ProgressUpdate
from core.privacy import personal_data_warnings
from tests.actions.factories import rag
from tests.actions.test_update_journey import PDF, form_data
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def post(client, world, **extra):
    return client.post(reverse("actions:update", args=[world.action.pk]), form_data(world, **extra))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("commentary", "A\x00B", "Null characters are not allowed"),
        ("next_steps", "y" * 5001, "Next steps must be 5,000 characters or fewer"),
        ("rag", "not-a-number", "Select how the action is going"),
        ("rag", "999999", "Select how the action is going"),
        ("proposed_due_date_0", "31", "date"),
        ("lock_version", "abc", "This form is out of date or was changed"),
        ("evidence_link", "ftp://example.org/x", "Enter a web address in the correct format"),
    ],
)
def test_each_bad_field_gets_a_clear_error_and_nothing_is_saved(
    client, signed_in, world, field, value, message
):
    signed_in(world.officer)
    response = post(client, world, **{field: value})
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not ProgressUpdate.objects.exists()


def test_another_partnerships_rag_level_is_refused(client, signed_in, world):
    signed_in(world.officer)
    theirs = rag(world.stranger_action.recommendation.plan.partnership, "green")
    response = post(client, world, rag=str(theirs.pk))
    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists()


def test_another_actions_milestone_is_refused(client, signed_in, world):
    from tests.actions.factories import MilestoneFactory

    signed_in(world.officer)
    foreign = MilestoneFactory(action=world.other_action)
    response = post(client, world, completed_milestones=[foreign.pk])
    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("macro.docx", b"PK\x03\x04 not really a document"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("image.png", b"GIF89a an animated picture"),
        ("data.csv", b"a,b\x00,c"),
        ("empty.pdf", b""),
    ],
)
def test_wrong_type_and_broken_files_are_refused_and_nothing_is_stored(
    client, signed_in, world, name, content
):
    signed_in(world.officer)
    response = post(client, world, evidence_file=SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert not Evidence.objects.exists()
    assert not ProgressUpdate.objects.exists()


def test_a_double_submitted_form_makes_one_update(client, signed_in, world):
    signed_in(world.officer)
    first = post(client, world, evidence_file=SimpleUploadedFile("a.pdf", PDF))
    update = ProgressUpdate.objects.get()
    check = reverse("actions:check", args=[update.pk])
    client.post(check, {"lock_version": update.lock_version})
    again = client.post(check, {"lock_version": update.lock_version}, follow=True)
    assert first.status_code == 302
    assert ProgressUpdate.objects.count() == 1
    assert "This update is submitted, so it cannot be submitted again." in again.content.decode()


def test_a_post_without_a_csrf_token_is_refused(world):
    client = sign_in(Client(enforce_csrf_checks=True), world.officer)
    assert post(client, world).status_code == 403
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Child 943 476 5919 waited 30 weeks", ["an NHS number"]),
        ("Pupil A123456789012 moved school", ["a unique pupil number (UPN)"]),
        ("DOB: 03/04/2015 and needs a place", ["a date of birth"]),
        ("born on 3rd April 2015", ["a date of birth"]),
        ("Plans issued by 31/03/2025 for 1737 children; call 01702 215000", []),
        ("943 476 5918 is not a valid NHS number", []),
    ],
)
def test_personal_data_patterns_are_recognised(text, found):
    assert personal_data_warnings(text) == found


def test_commentary_that_looks_like_personal_data_needs_confirmation_before_saving(client, signed_in, world):
    signed_in(world.officer)
    warned = post(client, world, commentary="Child 943 476 5919 is waiting.")
    page = warned.content.decode()
    assert warned.status_code == 400
    assert "Commentary may contain an NHS number" in page
    assert "I confirm this update identifies no individual child" in page
    assert not ProgressUpdate.objects.exists()
    confirmed = post(
        client, world, commentary="Reference 943 476 5919 is a contract number.", no_personal_data="on"
    )
    assert confirmed.status_code == 302
    assert ProgressUpdate.objects.count() == 1


def test_the_confirmation_box_is_not_shown_until_needed(client, signed_in, world):
    signed_in(world.officer)
    page = client.get(reverse("actions:update", args=[world.action.pk])).content.decode()
    assert "I confirm this update identifies no individual child" not in page


def test_a_half_filled_proposed_date_outlines_the_boxes_it_lacks_and_its_error_leads_to_the_first(
    client, signed_in, world
):
    signed_in(world.officer)

    page = post(
        client, world, proposed_due_date_0="31", proposed_due_date_1="", proposed_due_date_2=""
    ).content.decode()

    outlined = re.findall(r'<input[^>]*class="([^"]*)"[^>]*id="id_proposed_due_date_(\d)"', page)
    assert [n for classes, n in outlined if "govuk-input--error" in classes] == ["1", "2"]
    assert '<a href="#id_proposed_due_date_1">' in page
