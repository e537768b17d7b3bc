import html
import io
import os
import re
from datetime import date, timedelta
from pathlib import PurePath

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Evidence, ProgressUpdate
from actions.services import (
    evidence_remove,
    held_evidence_keep,
    held_evidence_remove_expired,
    reporting_period_ensure,
)
from core.models import AuditEvent, Role
from tests.actions.factories import approved_update, rag
from tests.factories import member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(world, key="amber", **extra):
    data = {
        "rag": str(rag(world.partnership, key).pk),
        "commentary": "Recruitment delayed the pilot by a month.",
        "next_steps": "Start the pilot in January.",
        "risks_and_issues": "",
        "proposed_due_date_0": "",
        "proposed_due_date_1": "",
        "proposed_due_date_2": "",
        "proposed_due_reason": "",
        "evidence_link": "",
        "evidence_link_title": "",
        "lock_version": "",
    }
    data.update(extra)
    return data


def post_update(client, world, **extra):
    return client.post(reverse("actions:update", args=[world.action.pk]), form_data(world, **extra))


def test_an_officer_saves_checks_and_submits_an_update_and_the_lead_is_emailed(
    client, signed_in, world, django_capture_on_commit_callbacks
):
    signed_in(world.officer)
    response = post_update(client, world, evidence_file=SimpleUploadedFile("minutes.pdf", PDF))
    update = ProgressUpdate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:check", args=[update.pk])
    assert update.state == ProgressUpdate.State.DRAFT
    assert update.rag.key == "amber"
    assert update.evidence.get().content_type == "application/pdf"

    check = client.get(response["Location"]).content.decode()
    assert "Recruitment delayed the pilot by a month." in check
    assert "minutes.pdf" in check
    assert "Milestones completed" not in check  # none completed: no row of "None" to change
    # Risks and issues were left empty: said as the KPI pages say it, not "None".
    assert (
        '<dd class="govuk-summary-list__value app-verbatim">Not given</dd>' in check and ">None<" not in check
    )
    assert f'href="{reverse("actions:update", args=[world.action.pk])}#id_proposed_due_date_0"' in check

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(response["Location"], {"lock_version": update.lock_version})
    update.refresh_from_db()
    assert submitted.status_code == 302
    assert update.state == ProgressUpdate.State.SUBMITTED
    assert update.submitted_by == world.officer
    assert update.submitted_at is not None
    assert [m.to for m in mail.outbox] == [["lead@example.test"]]
    assert "R2.1" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(object_id=str(update.pk), verb="submitted").exists()


def test_red_or_amber_needs_commentary(client, signed_in, world):
    signed_in(world.officer)
    response = post_update(client, world, key="red", commentary="")
    assert response.status_code == 400
    assert "Enter commentary explaining why the action is Red" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_a_change_of_status_needs_commentary_but_an_unchanged_green_does_not(client, signed_in, world):
    approved_update(world.action, date(2026, 1, 1), "grey")
    signed_in(world.officer)
    changed = post_update(client, world, key="green", commentary="")
    assert "why the status changed from Grey to Green" in changed.content.decode()
    world.action.updates.all().delete()
    approved_update(world.action, date(2026, 1, 1), "green")
    unchanged = post_update(client, world, key="green", commentary="")
    assert unchanged.status_code == 302


def test_over_long_text_is_refused_with_a_message_and_nothing_saved(client, signed_in, world):
    signed_in(world.officer)
    response = post_update(client, world, commentary="x" * 5001)
    assert response.status_code == 400
    assert "Commentary must be 5,000 characters or fewer" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    "upload, error",
    [
        (
            SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is really a program"),
            "The selected file must be a PDF, DOCX, XLSX, CSV, PNG or JPG",
        ),
        (
            SimpleUploadedFile("empty.pdf", b""),
            "The selected file is empty",
        ),  # ours, not Django's "submitted"
    ],
)
def test_a_file_that_is_not_what_its_name_says_or_is_empty_is_refused_and_the_rest_of_the_form_is_kept(
    client, signed_in, world, upload, error
):
    signed_in(world.officer)
    response = post_update(client, world, evidence_file=upload, commentary="Keep this sentence.")
    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert "submitted file" not in page
    assert "Keep this sentence." in page
    assert not Evidence.objects.exists()


def test_files_over_10_mb_are_refused(client, signed_in, world):
    signed_in(world.officer)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = post_update(client, world, evidence_file=big)
    assert "The selected file must be smaller than 10 MB" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_a_csv_is_accepted_by_its_text_content(client, signed_in, world):
    signed_in(world.officer)
    post_update(client, world, evidence_file=SimpleUploadedFile("figures.csv", b"school,count\nA,3\n"))
    assert Evidence.objects.get().content_type == "text/csv"


def test_evidence_is_served_to_members_only_and_never_to_another_partnership(client, signed_in, world):
    signed_in(world.officer)
    post_update(client, world, evidence_file=SimpleUploadedFile("minutes.pdf", PDF))
    evidence = Evidence.objects.get()
    url = reverse("actions:evidence", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    ProgressUpdate.objects.update(state=ProgressUpdate.State.SUBMITTED)
    signed_in(world.board)
    assert client.get(url).status_code == 200
    signed_in(world.stranger)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_stale_form_is_refused_and_explained_and_the_typed_text_is_kept(client, signed_in, world):
    colleague = member(Role.OFFICER, world.council, email="colleague@example.test", full_name="Cal Colleague")
    signed_in(world.officer)
    post_update(client, world)
    update = ProgressUpdate.objects.get()
    stale_version = update.lock_version
    signed_in(colleague)
    post_update(client, world, commentary="A colleague's newer text.", lock_version=stale_version)
    signed_in(world.officer)
    response = post_update(client, world, commentary="My older text.", lock_version=stale_version)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Cal Colleague changed this update while you were editing it" in page
    assert "My older text." in page
    update.refresh_from_db()
    assert update.commentary == "A colleague's newer text."


def test_a_form_left_open_in_another_tab_says_it_was_you_who_saved_since(client, signed_in, world):
    signed_in(world.officer)
    post_update(client, world)
    stale_version = ProgressUpdate.objects.get().lock_version
    post_update(client, world, commentary="Saved in the other tab.", lock_version=stale_version)
    response = post_update(client, world, commentary="Typed in this tab.", lock_version=stale_version)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "You saved this update in another tab or window after opening this page." in page
    assert "Olu Officer changed" not in page
    assert "Typed in this tab." in page


def test_a_submitted_update_cannot_be_changed_from_a_form_opened_before(client, signed_in, world):
    signed_in(world.officer)
    post_update(client, world)
    update = ProgressUpdate.objects.get()
    version = update.lock_version
    client.post(reverse("actions:check", args=[update.pk]), {"lock_version": version})
    response = post_update(client, world, commentary="Too late.", lock_version=version)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f"You submitted this update for review on {timezone.localdate():%-d %B %Y}" in page
    assert "changed this update while you were editing it" not in page
    assert "Too late." in page
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED
    assert update.commentary != "Too late."


def test_every_change_link_on_the_check_page_leads_to_a_box_on_the_form(client, signed_in, world):
    signed_in(world.officer)
    check = post_update(
        client,
        world,
        completed_milestones=[str(world.milestone.pk)],
        proposed_due_date_0="1",
        proposed_due_date_1="1",
        proposed_due_date_2="2099",
        proposed_due_reason="Waiting for the new provider.",
    )["Location"]
    links = re.findall(r'href="([^"#]+)#([^"]+)"', client.get(check).content.decode())
    assert {fragment for _, fragment in links} >= {"id_rag_1", "id_commentary", "id_completed_milestones_1"}
    for url, fragment in links:
        assert f'id="{fragment}"' in client.get(url).content.decode(), fragment


def test_a_submitted_update_opens_as_waiting_for_review_not_as_a_form(client, signed_in, world):
    signed_in(world.officer)
    form_page = reverse("actions:update", args=[world.action.pk])
    post_update(client, world)
    draft = client.get(form_page).content.decode()
    assert 'name="commentary"' in draft  # a draft is still the officer's to change
    assert "waiting for the recommendation lead" not in draft
    assert f'href="{form_page}"' in client.get(world.action.get_absolute_url()).content.decode()
    update = ProgressUpdate.objects.get()
    client.post(reverse("actions:check", args=[update.pk]), {"lock_version": update.lock_version})

    page = client.get(form_page)
    text = page.content.decode()
    assert page.status_code == 200
    assert f"{world.officer.get_full_name()} submitted the {update.period} update on" in text
    assert "waiting for the recommendation lead" in text
    assert 'enctype="multipart/form-data"' not in text
    assert 'name="commentary"' not in text
    assert "Add more below" not in text
    action_page = client.get(world.action.get_absolute_url()).content.decode()
    assert "This month's update is waiting for the recommendation lead's review" in action_page
    assert f'href="{form_page}"' not in action_page  # no button to a form that could not be saved


def test_the_action_page_reminds_the_officer_of_a_draft_not_yet_submitted_and_of_a_returned_update(
    client, signed_in, world
):
    signed_in(world.officer)
    assert "saved as a draft" not in client.get(world.action.get_absolute_url()).content.decode()
    post_update(client, world)
    update = ProgressUpdate.objects.get()

    page = client.get(world.action.get_absolute_url()).content.decode()

    assert (
        "This month's update is saved as a draft. The recommendation lead sees it only once you submit it."
        in page
    )
    assert (
        f'href="{reverse("actions:check", args=[update.pk])}"' in page
        and "Check and submit the update" in page
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(
        state=ProgressUpdate.State.RETURNED, return_reason="More."
    )
    returned = client.get(world.action.get_absolute_url()).content.decode()
    assert "returned this month's update: change it, then submit it again" in returned
    assert "Check and submit the update" not in returned
    assert f'href="{reverse("actions:update", args=[world.action.pk])}"' in returned


def test_an_approved_update_is_never_edited_and_a_correction_is_a_new_revision(client, signed_in, world):
    today = timezone.localdate()
    first = approved_update(world.action, today, "green", commentary="Original words.")
    signed_in(world.officer)
    response = post_update(client, world, key="amber", commentary="Correction: it is at risk.")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.commentary == "Original words."
    assert first.state == ProgressUpdate.State.APPROVED
    correction = ProgressUpdate.objects.exclude(pk=first.pk).get()
    assert (correction.period, correction.revision) == (first.period, 2)


def test_where_are_we_now_is_never_changed_by_progress(client, signed_in, world):
    signed_in(world.officer)
    post_update(client, world)
    world.action.refresh_from_db()
    assert world.action.where_are_we_now == "The baseline."


def test_officers_update_only_actions_their_organisation_owns_or_they_are_assigned(client, signed_in, world):
    signed_in(world.trust_officer)
    assert client.get(reverse("actions:update", args=[world.action.pk])).status_code == 403
    assert client.get(reverse("actions:update", args=[world.other_action.pk])).status_code == 200
    Action.objects.filter(pk=world.action.pk).update(lead_officer=world.trust_officer)
    assert client.get(reverse("actions:update", args=[world.action.pk])).status_code == 200


def test_html_in_commentary_is_shown_as_text(client, signed_in, world):
    signed_in(world.officer)
    post_update(client, world, commentary="<script>alert(1)</script>")
    page = client.get(reverse("actions:check", args=[ProgressUpdate.objects.get().pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_evidence_link_needs_a_web_address(client, signed_in, world):
    signed_in(world.officer)
    bad = post_update(client, world, evidence_link="javascript:alert(1)")
    assert bad.status_code == 400
    assert "Enter a web address in the correct format" in bad.content.decode()
    good = post_update(
        client, world, evidence_link="https://example.org/minutes", evidence_link_title="Minutes"
    )
    assert good.status_code == 302
    assert Evidence.objects.get().link == "https://example.org/minutes"


def test_the_update_form_marks_the_questions_that_may_be_left_empty_as_optional(client, signed_in, world):
    signed_in(world.officer)
    page = client.get(reverse("actions:update", args=[world.action.pk])).content.decode()
    labels = [
        html.unescape(text).strip()
        for text in re.findall(r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>", page, re.S)
    ]
    for optional in (
        "Next steps",
        "Risks and issues",
        "When the action will finish",  # the world's action has no due date yet
        "Upload evidence",
        "Link to evidence",
        "Title of the linked evidence",
    ):
        assert any(label == f"{optional} (optional)" for label in labels), optional
    # Needed for a Red or Amber, or a change of status; its hint says when.
    assert "Commentary" in labels and "Commentary (optional)" not in labels


def test_a_link_title_without_a_link_is_refused_not_dropped(client, signed_in, world):
    signed_in(world.officer)
    response = post_update(client, world, evidence_link_title="Minutes of the ICB board")
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Enter the link to the evidence, or delete its title" in page
    assert 'value="Minutes of the ICB board"' in page
    assert not ProgressUpdate.objects.exists()


def test_removing_evidence_from_a_draft_removes_its_file_once_saved(
    client, signed_in, world, django_capture_on_commit_callbacks
):
    signed_in(world.officer)
    post_update(client, world, evidence_file=SimpleUploadedFile("minutes.pdf", PDF))
    evidence = Evidence.objects.get()
    stored = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actions:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not stored[0].exists(stored[1])


def test_removing_a_link_from_a_draft_goes_back_to_the_check_page_without_the_link(
    client, signed_in, world, django_capture_on_commit_callbacks
):
    signed_in(world.officer)
    post_update(client, world, evidence_link="https://example.org/minutes", evidence_link_title="Minutes")
    evidence = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actions:evidence_remove", args=[evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Removed “Minutes”" in page
    assert "https://example.org/minutes" not in page


def test_a_removal_of_evidence_that_is_rolled_back_keeps_its_file(client, signed_in, world):
    signed_in(world.officer)
    post_update(client, world, evidence_file=SimpleUploadedFile("minutes.pdf", PDF))
    evidence = Evidence.objects.get()
    with transaction.atomic():
        evidence_remove(evidence=evidence, user=world.officer)
        transaction.set_rollback(True)
    evidence = Evidence.objects.get()
    assert evidence.file.storage.exists(evidence.file.name)
    assert client.get(reverse("actions:evidence", args=[evidence.pk])).status_code == 200


def test_an_upload_outside_the_form_is_still_a_pdf_check(world):
    from actions.evidence import evidence_content_type

    upload = SimpleUploadedFile("x.png", io.BytesIO(PDF).read())
    assert evidence_content_type(upload) == "application/pdf"


def test_an_evidence_file_with_a_very_long_name_is_kept_with_a_shortened_title(
    client, signed_in, world, settings
):
    signed_in(world.officer)
    long_name = "Minutes of the SEND partnership meeting " * 6 + "final.pdf"
    assert len(long_name) > 200
    response = post_update(client, world, evidence_file=SimpleUploadedFile(long_name, PDF))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert len(evidence.title) <= 200
    assert evidence.title.startswith("Minutes of the SEND partnership meeting")
    assert evidence.title.endswith("….pdf")
    stored = [p for p in (settings.MEDIA_ROOT / "evidence").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [PurePath(evidence.file.name).name]
    download = client.get(reverse("actions:evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_text_over_the_limit_is_refused_with_our_error_and_kept_whole(client, signed_in, world):
    signed_in(world.officer)
    pasted = "The assessment pilot moved to the alternative provision. " * 110
    assert len(pasted) > 6000
    response = post_update(client, world, commentary=pasted)
    page = response.content.decode()
    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists()
    assert (
        f"Commentary must be 5,000 characters or fewer: you entered {len(pasted):,} characters" in page
    )  # counted as typed, its last space included, as the count below the box counts it
    assert pasted.rstrip() in html.unescape(page)  # nothing was cut: the person can shorten it themselves
    textarea = re.search(r"<textarea[^>]*name=\"commentary\"[^>]*>", page).group(0)
    assert "maxlength" not in textarea
    assert "govuk-js-character-count" in textarea
    assert 'data-module="govuk-character-count" data-maxlength="5000"' in page


def test_spaces_at_the_end_count_as_the_box_counts_them_and_are_not_stored(client, signed_in, world):
    signed_in(world.officer)
    over_with_spaces = "x" * 4998 + "   "
    refused = post_update(client, world, commentary=over_with_spaces)
    assert refused.status_code == 400
    assert (
        "Commentary must be 5,000 characters or fewer: you entered 5,001 characters"
        in refused.content.decode()
    )
    assert post_update(client, world, commentary="x" * 4997 + "   ").status_code == 302
    assert ProgressUpdate.objects.get().commentary == "x" * 4997


@pytest.mark.parametrize(
    "day, month, names, box",
    [
        ("31", "2", "the day must exist in that month", "0"),  # the whole date: its first box
        ("12", "13", "the month must be a number from 1 to 12", "1"),  # the month's box
    ],
)
def test_an_impossible_date_and_a_bad_link_each_get_one_error_in_our_words(
    client, signed_in, world, day, month, names, box
):
    signed_in(world.officer)
    response = post_update(
        client,
        world,
        proposed_due_date_0=day,
        proposed_due_date_1=month,
        proposed_due_date_2="2027",
        proposed_due_reason="Waiting for the new provider.",
        evidence_link="minutes on the shared drive",
    )
    summary = re.search(r"govuk-error-summary__list.*?</ul>", response.content.decode(), re.S).group(0)
    example = f"for example 28 2 {timezone.localdate().year + 1}"
    assert f"The new due date must be a real date: {names}, {example}" in summary
    assert summary.count("must be a real date") == 1
    # The summary's link takes the person to the box at fault, an element that exists and takes the focus.
    assert f'href="#id_proposed_due_date_{box}">The new due date must be a real date: {names}' in summary
    assert f'id="id_proposed_due_date_{box}"' in response.content.decode()
    assert "out of range" not in summary
    assert summary.count("Enter a web address in the correct format") == 1
    assert not ProgressUpdate.objects.exists()


def test_the_updates_own_rules_show_beside_field_errors_all_at_once(client, signed_in, world):
    """Red without commentary and a new date without its reason, posted with a link that is not a web address:
    the person sees all three errors the first time, not one more after each fix."""
    signed_in(world.officer)
    future = timezone.localdate() + timedelta(days=60)
    response = post_update(
        client,
        world,
        key="red",
        commentary="",
        proposed_due_date_0=str(future.day),
        proposed_due_date_1=str(future.month),
        proposed_due_date_2=str(future.year),
        proposed_due_reason="",
        evidence_link="minutes on the shared drive",
    )
    assert response.status_code == 400
    summary = re.search(r"govuk-error-summary__list.*?</ul>", response.content.decode(), re.S).group(0)
    assert summary.count("Enter a web address in the correct format") == 1
    assert summary.count("Enter commentary explaining why the action is Red") == 1
    assert summary.count("Enter the reason the due date needs to change") == 1
    assert not ProgressUpdate.objects.exists()


def test_an_impossible_new_date_without_a_reason_gets_both_errors_at_once(client, signed_in, world):
    signed_in(world.officer)
    response = post_update(
        client,
        world,
        proposed_due_date_0="31",
        proposed_due_date_1="2",
        proposed_due_date_2=str(timezone.localdate().year + 1),
        proposed_due_reason="",
    )
    assert response.status_code == 400
    summary = re.search(r"govuk-error-summary__list.*?</ul>", response.content.decode(), re.S).group(0)
    assert summary.count("the day must exist in that month") == 1
    assert summary.count("Enter the reason the due date needs to change") == 1
    assert "later than the current due date" not in summary


def propose_due_date(client, world, day):
    return post_update(
        client,
        world,
        proposed_due_date_0=str(day.day),
        proposed_due_date_1=str(day.month),
        proposed_due_date_2=str(day.year),
        proposed_due_reason="Waiting for the new provider.",
    )


def test_a_new_due_date_in_the_past_is_refused_and_today_is_accepted(client, signed_in, world):
    signed_in(world.officer)
    yesterday, today = timezone.localdate() - timedelta(days=1), timezone.localdate()

    refused = propose_due_date(client, world, yesterday)
    assert refused.status_code == 400
    assert "The new due date must be today or in the future" in refused.content.decode()
    assert not ProgressUpdate.objects.exists()

    assert propose_due_date(client, world, today).status_code == 302
    assert ProgressUpdate.objects.get().proposed_due_date == today


def test_a_new_due_date_must_be_later_than_the_current_one(client, signed_in, world):
    due = timezone.localdate() + timedelta(days=150)
    Action.objects.filter(pk=world.action.pk).update(original_due_date=due, revised_due_date=None)
    signed_in(world.officer)

    for earlier_or_same in (due - timedelta(days=30), due):
        refused = propose_due_date(client, world, earlier_or_same)
        assert refused.status_code == 400
        assert f"The new due date must be later than the current due date, {due:%-d %B %Y}" in html.unescape(
            refused.content.decode()
        )
        assert not ProgressUpdate.objects.exists()
    assert propose_due_date(client, world, due + timedelta(days=1)).status_code == 302
    assert ProgressUpdate.objects.get().proposed_due_date == due + timedelta(days=1)


def test_a_draft_and_its_files_belong_to_its_organisation_and_lead_until_submitted(client, signed_in, world):
    signed_in(world.officer)
    post_update(
        client,
        world,
        commentary="Draft words about a delayed contract.",
        evidence_file=SimpleUploadedFile("minutes.pdf", PDF),
    )
    update = ProgressUpdate.objects.get()
    evidence_url = reverse("actions:evidence", args=[Evidence.objects.get().pk])
    action_url = reverse("actions:action", args=[world.action.pk])
    history_url = reverse("actions:history", args=[world.action.pk])

    def sees_draft(user) -> tuple[bool, bool, bool]:
        signed_in(user)
        return (
            "Draft words about a delayed contract." in client.get(action_url).content.decode(),
            "Draft words about a delayed contract." in client.get(history_url).content.decode(),
            client.get(evidence_url).status_code == 200,
        )

    for allowed in (world.officer, world.lead, world.admin):
        assert sees_draft(allowed) == (True, True, True), allowed.email
    for refused in (world.trust_officer, world.board, world.other_lead, world.democratic):
        assert sees_draft(refused) == (False, False, False), refused.email

    signed_in(world.officer)
    client.post(reverse("actions:check", args=[update.pk]), {"lock_version": update.lock_version})
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED
    assert sees_draft(world.board) == (True, True, True)


# Evidence and the check page once an update is submitted (who may open them at all: the permission matrix)


def submitted_with_evidence(world) -> ProgressUpdate:
    update = ProgressUpdate.objects.create(
        action=world.action,
        rag=rag(world.partnership, "green"),
        created_by=world.officer,
        period=reporting_period_ensure(partnership=world.partnership, day=timezone.localdate()),
        state=ProgressUpdate.State.SUBMITTED,
        submitted_by=world.officer,
    )
    Evidence.objects.create(
        update=update, title="Minutes", link="https://example.org", added_by=world.officer
    )
    return update


def test_a_submitted_updates_file_evidence_downloads_but_a_link_is_not_a_download(client, signed_in, world):
    update = submitted_with_evidence(world)
    link = update.evidence.get()
    upload = Evidence(
        update=update,
        title="minutes.pdf",
        content_type="application/pdf",
        size=len(PDF),
        added_by=world.officer,
    )
    upload.file.save("minutes.pdf", ContentFile(PDF))
    signed_in(world.board)
    assert client.get(reverse("actions:evidence", args=[upload.pk])).status_code == 200
    assert client.get(reverse("actions:evidence", args=[link.pk])).status_code == 403


def test_checking_an_update_already_submitted_sends_the_officer_back_to_the_action(client, signed_in, world):
    update = submitted_with_evidence(world)
    signed_in(world.officer)
    response = client.get(reverse("actions:check", args=[update.pk]))
    assert response["Location"] == reverse("actions:action", args=[world.action.pk])
    assert ProgressUpdate.objects.get().state == ProgressUpdate.State.SUBMITTED
    assert (
        f"The {update.period} update has been submitted for review"
        in client.get(response["Location"]).content.decode()
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(state=ProgressUpdate.State.APPROVED)
    approved = client.get(reverse("actions:check", args=[update.pk]), follow=True).content.decode()
    assert f"The {update.period} update has been approved, so it can no longer be changed" in approved


def test_the_update_form_ties_each_hint_and_error_to_its_control_and_keeps_what_was_entered(
    client, signed_in, world
):
    signed_in(world.officer)
    page = post_update(
        client,
        world,
        key="red",
        next_steps="x" * 5001,
        proposed_due_date_0="31",
        proposed_due_date_1="2",
        proposed_due_date_2="2027",
        completed_milestones=[str(world.milestone.pk)],
    ).content.decode()

    red_pk = rag(world.partnership, "red").pk
    red = re.search(rf'<input type="radio"[^>]*value="{red_pk}"[^>]*>', page)
    assert " checked" in red.group(0)
    hint_id = re.search(r'aria-describedby="(id_rag_\d_hint)"', red.group(0)).group(1)
    assert re.search(rf'<div id="{hint_id}" class="govuk-hint govuk-radios__hint">The action will not', page)

    textarea = re.search(r'<textarea[^>]*name="next_steps"[^>]*>', page).group(0)
    assert 'aria-describedby="id_next_steps_error id_next_steps-info"' in textarea
    assert "govuk-textarea--error" in textarea
    assert '<p id="id_next_steps_error" class="govuk-error-message">' in page
    assert 'class="govuk-form-group govuk-form-group--error"><label for="id_next_steps"' in page

    day = re.search(r'<input type="text" name="proposed_due_date_0"[^>]*>', page).group(0)
    assert 'value="31"' in day and "govuk-input--error" in day
    assert 'aria-describedby="id_proposed_due_date_hint id_proposed_due_date_error"' in page

    milestone = re.search(r'<input type="checkbox" name="completed_milestones"[^>]*>', page).group(0)
    assert " checked" in milestone
    commentary = re.search(r'<textarea[^>]*name="commentary"[^>]*>', page).group(0)
    assert "govuk-textarea--error" not in commentary


def test_a_saved_draft_reopens_with_its_status_and_milestones_chosen(client, signed_in, world):
    signed_in(world.officer)
    post_update(client, world, key="amber", completed_milestones=[str(world.milestone.pk)])
    page = client.get(reverse("actions:update", args=[world.action.pk])).content.decode()
    checked = re.findall(r'<input type="(?:radio|checkbox)"[^>]*value="(\d+)"[^>]* checked', page)
    assert checked == [str(rag(world.partnership, "amber").pk), str(world.milestone.pk)]
    assert f'name="lock_version" value="{ProgressUpdate.objects.get().lock_version}"' in page
    check = client.get(reverse("actions:check", args=[ProgressUpdate.objects.get().pk])).content.decode()
    assert "Milestones completed" in check and world.milestone.title in check


def test_deadline_days_save_check_submit_and_approval_each_ask_the_database_a_fixed_number_of_queries(
    client, signed_in, world, django_assert_num_queries
):
    """The officer's and the lead's requests of deadline day (docs/adr/0013-serving-deadline-day.md): the update
    is read with only what its pages show, locked with its action and month, and its month is not read again."""
    url = reverse("actions:update", args=[world.action.pk])
    first, second = form_data(world), form_data(world, lock_version="1")
    signed_in(world.officer)
    # The first page after signing in renews the session (a write at most once a minute, IdleSessionMiddleware).
    client.get(url)
    with django_assert_num_queries(21):  # the month's first save also stores the month
        saved = client.post(url, first)
    with django_assert_num_queries(20):
        saved = client.post(url, second)
    update = ProgressUpdate.objects.get()
    assert (saved.status_code, update.lock_version) == (302, 2)
    with django_assert_num_queries(7):
        assert client.get(saved["Location"]).status_code == 200
    with django_assert_num_queries(12):
        submitted = client.post(saved["Location"], {"lock_version": update.lock_version})
    assert submitted["Location"] == reverse("actions:action", args=[world.action.pk])
    update.refresh_from_db()
    signed_in(world.lead)
    with django_assert_num_queries(17):  # the lead's first request, so with the session's renewal
        approved = client.post(
            reverse("actions:review", args=[update.pk]),
            {"decision": "approve", "lock_version": update.lock_version},
        )
    update.refresh_from_db()
    assert (approved.status_code, update.state) == (302, ProgressUpdate.State.APPROVED)


# A file chosen on a form sent back for another field's error is kept (a browser cannot put it back in the form).


def held_token(page: str) -> str:
    return re.search(r'name="held_evidence" value="([^"]+)"', page).group(1)


def test_a_file_chosen_on_a_form_sent_back_for_another_error_is_saved_with_the_next_continue(
    client, signed_in, world, settings
):
    signed_in(world.officer)
    sent_back = post_update(
        client, world, commentary="", evidence_file=SimpleUploadedFile("minutes.pdf", PDF), key="red"
    )
    page = sent_back.content.decode()
    assert sent_back.status_code == 400 and "You chose minutes.pdf. It will be saved with this update" in page
    assert not Evidence.objects.exists()

    saved = post_update(client, world, key="red", held_evidence=held_token(page))

    assert saved.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.title == "minutes.pdf" and evidence.file.read() == PDF
    assert not list((settings.MEDIA_ROOT / "held-evidence").iterdir())  # the kept copy went once attached


def test_a_kept_file_goes_only_to_the_person_and_action_it_was_chosen_for(client, signed_in, world):
    signed_in(world.officer)
    page = post_update(
        client, world, commentary="", evidence_file=SimpleUploadedFile("a.pdf", PDF), key="red"
    )
    token = held_token(page.content.decode())
    signed_in(world.admin)  # may update every action
    someone_else = post_update(client, world, held_evidence=token)
    own = post_update(client, world, commentary="", evidence_file=SimpleUploadedFile("b.pdf", PDF), key="red")
    other_action = client.post(
        reverse("actions:update", args=[world.other_action.pk]),
        {**form_data(world), "held_evidence": held_token(own.content.decode())},
    )
    signed_in(world.officer)
    altered = post_update(client, world, held_evidence=token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))

    # None of them attaches a file: each is told to choose it again, and nothing is saved.
    for refused in (someone_else, other_action, altered):
        assert refused.status_code == 400
        assert "Select the file again: the one you chose before was not kept" in refused.content.decode()
    assert not Evidence.objects.exists()
    # The officer, on the action it was chosen for, gets it.
    assert post_update(client, world, key="red", held_evidence=token).status_code == 302
    assert Evidence.objects.get().title == "a.pdf"


def test_a_kept_file_removed_after_a_day_is_asked_for_again_not_dropped(client, signed_in, world, settings):
    signed_in(world.officer)
    page = post_update(
        client, world, commentary="", evidence_file=SimpleUploadedFile("a.pdf", PDF), key="red"
    )
    for kept in (settings.MEDIA_ROOT / "held-evidence").iterdir():
        kept.unlink()

    response = post_update(client, world, key="red", held_evidence=held_token(page.content.decode()))

    assert response.status_code == 400
    assert "Select the file again: the one you chose before was not kept" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def second_file_chosen(client, world, first: SimpleUploadedFile, second: SimpleUploadedFile):
    """A file chosen on a form sent back (a Red without commentary), then another chosen on the form shown again."""
    kept = post_update(client, world, commentary="", evidence_file=first, key="red")
    return post_update(
        client,
        world,
        commentary="",
        key="red",
        held_evidence=held_token(kept.content.decode()),
        evidence_file=second,
    )


def test_a_second_file_chosen_replaces_the_kept_one(client, signed_in, world, settings):
    signed_in(world.officer)
    second = second_file_chosen(
        client, world, SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.csv", b"school,count\nA,3\n")
    )
    page = second.content.decode()
    assert "You chose b.csv." in page and "a.pdf" not in page
    assert len(list((settings.MEDIA_ROOT / "held-evidence").iterdir())) == 1

    post_update(client, world, key="red", held_evidence=held_token(page))
    assert Evidence.objects.get().title == "b.csv"


def test_a_refused_second_file_is_named_and_the_kept_one_still_goes_with_the_update(client, signed_in, world):
    signed_in(world.officer)
    refused = second_file_chosen(
        client,
        world,
        SimpleUploadedFile("evidence.pdf", PDF),
        SimpleUploadedFile("notes.txt", b"MZ\x90\x00 not a document"),
    )
    page = html.unescape(refused.content.decode())
    assert "notes.txt was not added. evidence.pdf, chosen before, will be saved with this update" in page
    assert "The selected file must be a PDF, DOCX, XLSX, CSV, PNG or JPG" in page

    post_update(client, world, key="red", held_evidence=held_token(page))
    assert Evidence.objects.get().title == "evidence.pdf"


def test_kept_files_not_used_within_a_day_are_removed(world, settings):
    old = held_evidence_keep(
        upload=SimpleUploadedFile("old.pdf", PDF), user=world.officer, action=world.action
    )
    new = held_evidence_keep(
        upload=SimpleUploadedFile("new.pdf", PDF), user=world.officer, action=world.action
    )
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(settings.MEDIA_ROOT / old.path, (two_days_ago, two_days_ago))

    assert held_evidence_remove_expired(timezone.now()) == 1
    assert [path.name for path in (settings.MEDIA_ROOT / "held-evidence").iterdir()] == [
        PurePath(new.path).name
    ]


def test_the_new_due_date_hint_gives_an_example_that_the_form_would_accept(client, signed_in, world):
    signed_in(world.officer)
    page = client.get(reverse("actions:update", args=[world.action.pk])).content.decode()
    assert f"For example, 31 3 {timezone.localdate().year + 1}" in page


def test_a_half_filled_date_is_named_in_the_error(client, signed_in, world):
    signed_in(world.officer)
    response = post_update(client, world, proposed_due_date_0="12", proposed_due_reason="Waiting.")
    assert response.status_code == 400
    assert (
        "The new due date must include a day, month and year, or be left empty" in response.content.decode()
    )
    assert not ProgressUpdate.objects.exists()


def test_the_day_an_update_was_submitted_is_said_in_the_portals_time_zone():
    from datetime import UTC, datetime

    from actions.services import stale_update_message
    from core.models import User

    officer = User(pk=7, full_name="Olu Officer")
    late_on_30_june = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London (summer time)
    update = ProgressUpdate(
        state=ProgressUpdate.State.SUBMITTED, submitted_by=officer, submitted_at=late_on_30_june
    )
    assert stale_update_message(update, officer).startswith(
        "You submitted this update for review on 1 July 2026"
    )


def test_the_same_file_and_link_sent_again_after_the_back_button_are_kept_once(client, signed_in, world):
    """The browser's Back button brings back the chosen file and the typed link on a form that was saved: sent
    again, they are not stored a second time; a different file of the same name still is."""
    signed_in(world.officer)
    evidence = {
        "evidence_link": "https://www.southend.gov.uk/localoffer",
        "evidence_link_title": "Local Offer",
    }
    post_update(client, world, evidence_file=SimpleUploadedFile("minutes.pdf", PDF), **evidence)
    update = ProgressUpdate.objects.get()

    again = post_update(
        client,
        world,
        evidence_file=SimpleUploadedFile("minutes.pdf", PDF),
        lock_version=update.lock_version,
        **evidence,
    )

    assert again.status_code == 302
    assert sorted(update.evidence.values_list("title", flat=True)) == ["Local Offer", "minutes.pdf"]
    assert (
        "evidence" not in AuditEvent.objects.filter(object_id=str(update.pk)).latest("pk").after
    )  # none added
    update.refresh_from_db()
    revised = PDF.replace(b"1 0 obj", b"2 0 obj")
    post_update(
        client,
        world,
        evidence_file=SimpleUploadedFile("minutes.pdf", revised),
        lock_version=update.lock_version,
    )
    assert update.evidence.filter(title="minutes.pdf").count() == 2


def test_an_action_with_no_due_date_is_asked_when_it_will_finish_not_for_a_new_due_date(
    client, signed_in, world
):
    signed_in(world.officer)
    url = reverse("actions:update", args=[world.action.pk])
    Action.objects.filter(pk=world.action.pk).update(original_due_date=None, revised_due_date=None)

    form = client.get(url).content.decode()

    assert "When the action will finish (optional)" in form and "New due date (optional)" not in form
    assert (
        "The action has no due date yet: the date you give becomes its due date once the lead approves."
        in form
    )
    Action.objects.filter(pk=world.action.pk).update(original_due_date=date(2027, 3, 31))
    assert "New due date (optional)" in client.get(url).content.decode()
