from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import PortalRequest
from core.pages import confirm_page, form_page
from core.permissions import permission_required
from core.templatetags.portal import moment
from reports import selectors, services
from reports.appendices import unknown_references
from reports.changes import compare
from reports.drafting import narrative_text, section_states, sections_still_to_write
from reports.forms import (
    AppendixAddForm,
    AppendixRenameForm,
    AppendixReplaceForm,
    AppendixUploadForm,
    CancelMeetingForm,
    FrontSheetForm,
    GovernanceBodyForm,
    MeetingForm,
    NarrativeForm,
    NewVersionForm,
    RedraftForm,
    ReportSectionsForm,
)
from reports.models import Appendix, Meeting, Pack
from reports.report_types import contents_of, kind_of, sections_of, written_fields
from sef import selectors as sef_selectors


def can_build(request: PortalRequest) -> bool:
    return request.user.has_perm("reports.build_packs", request.partnership)


def can_see_drafts(request: PortalRequest) -> bool:
    """Democratic services and admins see every version; everyone else sees published versions only."""
    return can_build(request)


@require_GET
@permission_required("reports.view_reports")
def index(request: PortalRequest) -> HttpResponse:
    upcoming, past = selectors.meetings_listed(request.partnership, timezone.localdate())
    return render(
        request,
        "reports/index.html",
        {
            "upcoming": upcoming,
            "past": past,
            "can_build": can_build(request),
            "keeps_front_sheet": request.user.has_perm("reports.keep_front_sheet", request.partnership),
        },
    )


def meeting_form(request: PortalRequest, initial: dict[str, Any]) -> MeetingForm:
    return MeetingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        earliest=selectors.earliest_meeting_date(request.partnership),
        today=timezone.localdate(),
    )


def meeting_form_page(request: PortalRequest, form: MeetingForm, meeting: Meeting | None) -> HttpResponse:
    return render(
        request,
        "reports/meeting_form.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def meeting_create(request: PortalRequest) -> HttpResponse:
    sheet = selectors.front_sheet_of(request.partnership)
    form = meeting_form(
        request, {"council": sheet.council if sheet else "", "body": "Health and Wellbeing Board"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user,
                partnership=request.partnership,
                data=form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            drafted = (
                " The portal has drafted the narrative from the data: check it."
                if selectors.narrative_parts_of(meeting)
                else ""
            )
            messages.success(request, f"Meeting recorded.{drafted}")
            return redirect(meeting)
    return meeting_form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def meeting_edit(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    form = meeting_form(request, MeetingForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=found, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Meeting details saved. The next version of the pack will use them.")
            return redirect(found)
    return meeting_form_page(request, form, found)


def meeting_back(meeting: Meeting) -> tuple[str, str]:
    return meeting.get_absolute_url(), "Back to the meeting"


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def meeting_cancel(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    if found.is_cancelled:
        messages.error(request, "This meeting is already cancelled.")
        return redirect(found)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.meeting_cancel(actor=request.user, meeting=found, reason=form.cleaned_data["reason"])
        messages.success(request, "Meeting cancelled. No more packs will be built for it.")
        return redirect(found)
    return form_page(
        request,
        form,
        heading=f"Cancel the meeting of {found.date:%-d %B %Y}",
        caption=found.body,
        back=meeting_back(found),
        submit_label="Cancel the meeting",
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def meeting_delete(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    published = any(pack.is_published for pack in found.packs.all())
    if request.method == "POST" and not published:
        services.meeting_delete(actor=request.user, meeting=found)
        messages.success(request, f"The meeting of {found.date:%-d %B %Y} has been deleted.")
        return redirect("reports:index")
    page = confirm_page(
        request,
        heading=f"Delete the meeting of {found.date:%-d %B %Y}?",
        caption=found.body,
        text="Only for a meeting recorded by mistake: its narrative and draft packs are deleted too.",
        button="Delete the meeting",
        back=meeting_back(found),
        error=services.MEETING_PUBLISHED if published else "",
    )
    if request.method == "GET":
        page.status_code = 200  # opening the page is no mistake; only a refused deletion is a 400
    return page


def meeting_page(request: PortalRequest, found: Meeting, version_form: NewVersionForm | None) -> HttpResponse:
    drafts = can_see_drafts(request)
    packs = selectors.packs_visible(found, drafts=drafts)
    needs_reason = any(pack.is_published for pack in found.packs.all())
    parts = selectors.narrative_parts_of(found)
    if version_form is None and needs_reason:
        version_form = NewVersionForm()
    return render(
        request,
        "reports/meeting.html",
        {
            "meeting": found,
            "kind": kind_of(found.report_type),
            "contents": contents_of(found.report_type, found.sections),
            "writes_sections": bool(written_fields(sections_of(found.report_type, found.sections))),
            "packs": packs,
            "can_build": can_build(request),
            "form": version_form,
            "needs_reason": needs_reason,
            "prints_narrative": bool(parts),
            "still_to_write": sections_still_to_write(found.narrative, parts)
            if hasattr(found, "narrative")
            else [],
        },
        status=400 if version_form is not None and version_form.errors else 200,
    )


@require_GET
@permission_required("reports.view_reports")
def meeting(request: PortalRequest, pk: int) -> HttpResponse:
    return meeting_page(request, selectors.meeting_in(request.partnership, pk), None)


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def narrative_edit(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    parts = selectors.narrative_parts_of(found)
    if not parts:
        raise Http404("This kind of report prints no narrative.")
    form = NarrativeForm(request.POST or None, narrative=found.narrative, parts=parts)
    if request.method == "POST" and form.is_valid():
        services.narrative_update(actor=request.user, narrative=found.narrative, data=form.narrative_fields())
        messages.success(request, "Narrative saved. The next pack you build will use it.")
        return redirect(found)
    return render(
        request,
        "reports/narrative_form.html",
        {"form": form, "meeting": found, "sections": section_states(found.narrative, parts)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def narrative_redraft(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    sections = section_states(found.narrative, selectors.narrative_parts_of(found))
    if not sections:
        raise Http404("This kind of report prints no narrative.")
    form = RedraftForm(
        request.POST or None, sections=[(s.key, f"{s.label} ({s.state.lower()})") for s in sections]
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["section"]
        replaced = services.narrative_redraft(
            actor=request.user,
            narrative=found.narrative,
            sections=None if chosen == "unedited" else {chosen},
        )
        messages.success(
            request,
            f"The portal drafted {len(replaced)} section{'s' if len(replaced) != 1 else ''} again from the data. "
            "Check them before you build the pack.",
        )
        return redirect("reports:narrative", pk=found.pk)
    return render(
        request,
        "reports/narrative_redraft.html",
        {"form": form, "meeting": found, "sections": sections},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def report_sections(request: PortalRequest, pk: int) -> HttpResponse:
    """The texts of a report type's own sections; a report with none has no such page."""
    found = selectors.meeting_in(request.partnership, pk)
    written = written_fields(sections_of(found.report_type, found.sections))
    if not written:
        raise Http404("This kind of report has no sections of its own to write.")
    form = ReportSectionsForm(
        request.POST if request.method == "POST" else None,
        written=written,
        initial=found.narrative.sections,
    )
    if request.method == "POST" and form.is_valid():
        services.narrative_sections_update(
            actor=request.user, narrative=found.narrative, texts=form.cleaned_data
        )
        messages.success(request, "Sections saved. The next version you build will use them.")
        return redirect(found)
    return form_page(
        request,
        form,
        heading="Write the report's own sections",
        caption=f"{found.get_report_type_display()}, {found}",
        back=meeting_back(found),
    )


@require_POST
@permission_required("reports.build_packs")
def pack_build(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    form = NewVersionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        pack = services.pack_request(actor=request.user, meeting=found, reason=reason)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, " ".join(error.messages))
            return redirect(found)
        return meeting_page(request, found, form)
    if not services.pack_queue(pack):
        messages.error(request, services.QUEUE_DOWN_MESSAGE)
    return redirect(pack)


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def pack_publish(request: PortalRequest, pk: int) -> HttpResponse:
    """Asks first: a published version is locked for good."""
    found = selectors.pack_in(request.partnership, pk)
    refusal = services.publish_refusal(found)
    if request.method == "POST" and not refusal:
        try:
            services.pack_publish(actor=request.user, pack=found)
        except ValidationError as error:  # published by someone else since the check above
            refusal = " ".join(error.messages)
        else:
            messages.success(request, f"Version {found.version} is published: board members can now read it.")
            return redirect(found)
    page = confirm_page(
        request,
        heading=f"Version {found.version} cannot be published"
        if refusal
        else f"Publish version {found.version} of the pack?",
        caption=str(found.meeting),
        text=refusal or publish_consequences(found),
        button="" if refusal else f"Publish version {found.version}",
        back=(found.get_absolute_url(), f"Back to version {found.version}"),
        removes=False,
    )
    if request.method == "POST":
        page.status_code = 400  # only a refused publish is drawn again after the button
    return page


def publish_consequences(pack: Pack) -> str:
    if pack.meeting.classification == Meeting.Classification.PART_2:
        public = "It is an exempt (Part 2) paper, so it is never shown on the public pages."
    else:
        public = (
            "Where the partnership publishes its progress, the public can read it on its public pages from its issue "
            f"date, {pack.issue_date or pack.meeting.pack_issue_date:%-d %B %Y}, and those pages then show the "
            "position it gives."
        )
    return (
        f"It has {pack.page_count} page{pluralize(pack.page_count)}, with data as at {moment(pack.as_at)}. Once "
        "published, board members can read and download it, and this version can never change: to correct it, build "
        f"a new version and publish that. {public}"
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.keep_front_sheet")
def front_sheet(request: PortalRequest) -> HttpResponse:
    form = FrontSheetForm(request.POST or None, instance=selectors.front_sheet_of(request.partnership))
    if request.method == "POST" and form.is_valid():
        services.front_sheet_save(actor=request.user, partnership=request.partnership, data=form.cleaned_data)
        messages.success(request, "Front sheet saved. Packs built from now on will use it.")
        return redirect("reports:index")
    return form_page(
        request,
        form,
        heading="The council's details on the front sheet",
        caption="Board packs",
        back=(reverse("reports:index"), "Back to board packs"),
    )


def status_fragment(request: PortalRequest, pack: Pack, *, watched: bool = False) -> str:
    """The pack's state; `watched` is the page polling a build, whose finishing is announced as a success."""
    builds = can_build(request)
    unpublished = builds and pack.status == Pack.Status.READY and not pack.is_published
    return render_to_string(
        "reports/_pack_status.html",
        {
            "pack": pack,
            "can_build": builds,
            "watched": watched,
            "refusal": services.publish_refusal(pack) if unpublished else "",
        },
        request=request,
    )


def visible_pack(request: PortalRequest, pk: int) -> Pack:
    return selectors.pack_in(request.partnership, pk, drafts=can_see_drafts(request))


@require_GET
@permission_required("reports.view_reports")
def pack(request: PortalRequest, pk: int) -> HttpResponse:
    found = visible_pack(request, pk)
    return render(
        request,
        "reports/pack.html",
        {"pack": found, "meeting": found.meeting, "status_html": status_fragment(request, found)},
    )


@require_GET
@permission_required("reports.view_reports")
def pack_status(request: PortalRequest, pk: int) -> JsonResponse:
    found = visible_pack(request, pk)
    return JsonResponse(
        {
            "status": found.status,
            "stage": found.stage,
            "progress": found.progress,
            "finished": found.is_finished,
            "html": status_fragment(request, found, watched=True),
        }
    )


@require_POST
@permission_required("reports.build_packs")
def pack_retry(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.pack_in(request.partnership, pk)
    try:
        services.pack_retry(actor=request.user, pack=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(found)
    if not services.pack_queue(found):
        messages.error(request, services.QUEUE_DOWN_MESSAGE)
    return redirect(found)


@require_GET
@permission_required("reports.view_reports")
def pack_changes(request: PortalRequest, pk: int) -> HttpResponse:
    found = ready_pack(request, pk)
    baseline = found.compared_with
    changes = compare(baseline["snapshot"], found.snapshot) if baseline else None
    return render(
        request,
        "reports/changes.html",
        {
            "pack": found,
            "meeting": found.meeting,
            "previous": baseline,
            "previous_as_at": datetime.fromisoformat(baseline["as_at"]) if baseline else None,
            "changes": changes,
        },
    )


def ready_pack(request: PortalRequest, pk: int) -> Pack:
    found = visible_pack(request, pk)
    if found.status != Pack.Status.READY:
        raise Http404("This pack is not ready.")
    return found


@require_GET
@permission_required("reports.view_reports")
def pack_pdf(request: PortalRequest, pk: int) -> FileResponse:
    found = ready_pack(request, pk)
    services.pack_record_download(actor=request.user, pack=found, kind="pdf")
    return FileResponse(
        found.pdf.open("rb"),
        as_attachment=True,
        filename=f"{kind_of(found.meeting.report_type).file_stem}-{found.meeting.date:%Y-%m-%d}-pack-v{found.version}.pdf",
        content_type="application/pdf",
    )


@require_GET
@permission_required("reports.view_reports")
def pack_html(request: PortalRequest, pk: int) -> FileResponse:
    found = ready_pack(request, pk)
    services.pack_record_download(actor=request.user, pack=found, kind="html")
    return FileResponse(found.html.open("rb"), content_type="text/html; charset=utf-8")


# Governance: the boards and groups that Appendix 2 of every pack describes


@require_GET
@permission_required("reports.view_reports")
def governance(request: PortalRequest) -> HttpResponse:
    return render(
        request,
        "reports/governance.html",
        {"bodies": selectors.governance_page(request.partnership), "can_build": can_build(request)},
    )


def governance_back() -> tuple[str, str]:
    return reverse("reports:governance"), "Governance"


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def governance_add(request: PortalRequest) -> HttpResponse:
    form = GovernanceBodyForm(
        request.POST or None, others=selectors.governance_bodies_in(request.partnership)
    )
    if request.method == "POST" and form.is_valid():
        try:
            body = services.governance_body_add(
                actor=request.user,
                partnership=request.partnership,
                data=form.body_fields(),
                relations=form.relations(),
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, f"{body.name} added")
            return redirect("reports:governance")
    return form_page(
        request, form, heading="Add a board or group", caption="Governance", back=governance_back()
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def governance_edit(request: PortalRequest, pk: int) -> HttpResponse:
    body = selectors.governance_body_in(request.partnership, pk)
    form = GovernanceBodyForm(
        request.POST or None,
        initial={
            **{name: getattr(body, name) for name in services.GOVERNANCE_FIELDS},
            **selectors.relations_initial(body),
        },
        others=selectors.governance_bodies_in(request.partnership).exclude(pk=body.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.governance_body_update(
                actor=request.user,
                body=body,
                data=form.body_fields(),
                relations=form.relations(),
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, f"{body.name} saved")
            return redirect("reports:governance")
    return form_page(
        request, form, heading=f"Change {body.name}", caption="Governance", back=governance_back()
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def governance_remove(request: PortalRequest, pk: int) -> HttpResponse:
    body = selectors.governance_body_in(request.partnership, pk)
    error = ""
    if request.method == "POST":
        try:
            services.governance_body_remove(actor=request.user, body=body)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, f"{body.name} removed")
            return redirect("reports:governance")
    return confirm_page(
        request,
        heading=f"Remove {body.name}?",
        caption="Governance",
        text="Packs built from now on will leave it out of the governance chart. Packs already built keep it.",
        button="Remove",
        back=governance_back(),
        error=error,
    )


# Appendices: the ordered list each meeting's pack prints

UNTAGGED_WARNING = (
    "“{title}” is a PDF without tags, so screen readers cannot read its pages in the pack's PDF. "
    "The pack's accessible web page links the file. If you can, upload a tagged copy instead: "
    "export it from Word with “Document structure tags for accessibility” ticked."
)


def appendices_back(meeting: Meeting) -> tuple[str, str]:
    return reverse("reports:appendices", args=[meeting.pk]), "Appendices"


def warn_if_untagged(request: PortalRequest, appendix: Appendix) -> None:
    if appendix.is_pdf and not appendix.file_tagged:
        messages.warning(request, UNTAGGED_WARNING.format(title=appendix.title))


@require_GET
@permission_required("reports.build_packs")
def appendices(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    listed = list(found.appendices.all())  # prefetched by meeting_in, in the order the pack prints them
    narrative = getattr(found, "narrative", None)
    return render(
        request,
        "reports/appendices.html",
        {
            "meeting": found,
            "appendices": listed,
            "unknown_references": (
                unknown_references(narrative_text(narrative, selectors.narrative_parts_of(found)), listed)
                if narrative
                else []
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def appendix_add(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    form = AppendixAddForm(
        request.POST or None,
        documents=list(selectors.governance_documents_of(request.partnership)),
        evaluations=list(sef_selectors.versions_in(request.partnership)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            appendix = services.appendix_add(actor=request.user, meeting=found, **form.appendix_fields())
        except ValidationError as error:
            form.add_error("choice", error)
        else:
            messages.success(request, f"“{appendix.title}” added as the last appendix")
            return redirect("reports:appendices", found.pk)
    return form_page(
        request,
        form,
        heading="Add an appendix",
        caption=str(found),
        back=appendices_back(found),
        submit_label="Add",
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def appendix_upload(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    form = AppendixUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        appendix = services.appendix_upload(
            actor=request.user,
            meeting=found,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, f"“{appendix.title}” uploaded as the last appendix")
        warn_if_untagged(request, appendix)
        return redirect("reports:appendices", found.pk)
    return form_page(
        request,
        form,
        heading="Upload an appendix",
        caption=str(found),
        back=appendices_back(found),
        submit_label="Upload",
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def appendix_replace(request: PortalRequest, pk: int) -> HttpResponse:
    appendix = selectors.appendix_in(request.partnership, pk)
    form = AppendixReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.appendix_replace(
            actor=request.user,
            appendix=appendix,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, f"“{appendix.title}” will print the file you uploaded")
        warn_if_untagged(request, appendix)
        return redirect("reports:appendices", appendix.meeting_id)
    return form_page(
        request,
        form,
        heading=f"Upload a file for “{appendix.title}”",
        caption=str(appendix.meeting),
        back=appendices_back(appendix.meeting),
        submit_label="Upload",
    )


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def appendix_rename(request: PortalRequest, pk: int) -> HttpResponse:
    appendix = selectors.appendix_in(request.partnership, pk)
    form = AppendixRenameForm(request.POST or None, initial={"title": appendix.title})
    if request.method == "POST" and form.is_valid():
        services.appendix_rename(actor=request.user, appendix=appendix, title=form.cleaned_data["title"])
        messages.success(request, f"Appendix renamed “{appendix.title}”")
        return redirect("reports:appendices", appendix.meeting_id)
    return form_page(
        request,
        form,
        heading=f"Rename “{appendix.title}”",
        caption=str(appendix.meeting),
        back=appendices_back(appendix.meeting),
    )


@require_POST
@permission_required("reports.build_packs")
def appendix_move(request: PortalRequest, pk: int) -> HttpResponse:
    appendix = selectors.appendix_in(request.partnership, pk)
    try:
        services.appendix_move(
            actor=request.user,
            appendix=appendix,
            up=request.POST.get("direction") == "up",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"“{appendix.title}” moved {'up' if request.POST.get('direction') == 'up' else 'down'}"
        )
    return redirect("reports:appendices", appendix.meeting_id)


@require_http_methods(["GET", "POST"])
@permission_required("reports.build_packs")
def appendix_remove(request: PortalRequest, pk: int) -> HttpResponse:
    appendix = selectors.appendix_in(request.partnership, pk)
    if request.method == "POST":
        services.appendix_remove(actor=request.user, appendix=appendix)
        messages.success(request, f"“{appendix.title}” removed from the appendices")
        return redirect("reports:appendices", appendix.meeting_id)
    return confirm_page(
        request,
        heading=f"Remove “{appendix.title}”?",
        caption=str(appendix.meeting),
        text="Packs built from now on will leave it out, and the appendices after it move up a number. "
        "Packs already built keep it.",
        button="Remove",
        back=appendices_back(appendix.meeting),
    )


@require_GET
@permission_required("reports.view_reports")
def pack_attachment(request: PortalRequest, pk: int, number: int) -> FileResponse:
    """An uploaded appendix as a built pack holds it, linked from the pack's accessible web page."""
    ready_pack(request, pk)  # a draft's attachments are hidden as the draft is
    attachment = selectors.pack_attachment_in(request.partnership, pk, number)
    extension = str(attachment.file.name).rsplit(".", 1)[-1]
    return FileResponse(
        attachment.file.open("rb"),
        filename=f"hwbb-{attachment.pack.meeting.date:%Y-%m-%d}-appendix-{number}.{extension}",
        content_type=attachment.file_type,
    )


@require_GET
@permission_required("reports.view_reports")
def governance_document(request: PortalRequest, pk: int) -> HttpResponse:
    """A governance document word for word, as the packs print it."""
    document = selectors.governance_document_in(request.partnership, pk)
    return render(request, "reports/governance_document.html", {"document": document})
