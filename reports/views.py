from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import selectors as action_selectors
from core.http import PortalRequest
from core.models import Role
from core.pages import confirm_page, form_page
from core.permissions import admin_required, has_role, role_required
from reports import selectors, services
from reports.changes import compare
from reports.drafting import section_states
from reports.forms import (
    CancelMeetingForm,
    FrontSheetForm,
    GovernanceBodyForm,
    MeetingForm,
    NarrativeForm,
    NewVersionForm,
    RedraftForm,
)
from reports.models import Meeting, Pack

builder_required = role_required(*services.BUILDER_ROLES)
reader_required = role_required(*services.READER_ROLES)


def can_build(request: PortalRequest) -> bool:
    return has_role(request, *services.BUILDER_ROLES)


def can_see_drafts(request: PortalRequest) -> bool:
    """Democratic services and admins see every version; everyone else sees published versions only."""
    return can_build(request)


@require_GET
@reader_required
def index(request: PortalRequest) -> HttpResponse:
    upcoming, past = selectors.meetings_listed(request.partnership, timezone.localdate())
    return render(
        request,
        "reports/index.html",
        {
            "upcoming": upcoming,
            "past": past,
            "can_build": can_build(request),
            "keeps_front_sheet": has_role(request, Role.ADMIN),
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
@builder_required
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
                roles=request.roles,
                data=form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Meeting recorded. The portal has drafted the narrative from the data: check it."
            )
            return redirect(meeting)
    return meeting_form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@builder_required
def meeting_edit(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    form = meeting_form(request, MeetingForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user, roles=request.roles, meeting=found, data=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Meeting details saved. The next version of the pack will use them.")
            return redirect(found)
    return meeting_form_page(request, form, found)


def meeting_back(meeting: Meeting) -> tuple[str, str]:
    return meeting.get_absolute_url(), "Back to the meeting"


@require_http_methods(["GET", "POST"])
@builder_required
def meeting_cancel(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    if found.is_cancelled:
        messages.error(request, "This meeting is already cancelled.")
        return redirect(found)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.meeting_cancel(
            actor=request.user, roles=request.roles, meeting=found, reason=form.cleaned_data["reason"]
        )
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
@builder_required
def meeting_delete(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    published = any(pack.is_published for pack in found.packs.all())
    if request.method == "POST" and not published:
        services.meeting_delete(actor=request.user, roles=request.roles, meeting=found)
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
    if version_form is None and needs_reason:
        version_form = NewVersionForm()
    return render(
        request,
        "reports/meeting.html",
        {
            "meeting": found,
            "packs": packs,
            "can_build": can_build(request),
            "form": version_form,
            "needs_reason": needs_reason,
        },
        status=400 if version_form is not None and version_form.errors else 200,
    )


@require_GET
@reader_required
def meeting(request: PortalRequest, pk: int) -> HttpResponse:
    return meeting_page(request, selectors.meeting_in(request.partnership, pk), None)


def recommendation_numbers(request: PortalRequest) -> list[int]:
    plan = action_selectors.published_plan(request.partnership)
    return list(plan.recommendations.values_list("number", flat=True)) if plan else []


@require_http_methods(["GET", "POST"])
@builder_required
def narrative_edit(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    numbers = recommendation_numbers(request)
    form = NarrativeForm(
        request.POST or None, numbers=numbers, initial=NarrativeForm.initial_for(found.narrative)
    )
    if request.method == "POST" and form.is_valid():
        services.narrative_update(
            actor=request.user, roles=request.roles, narrative=found.narrative, data=form.narrative_fields()
        )
        messages.success(request, "Narrative saved. The next pack you build will use it.")
        return redirect(found)
    return render(
        request,
        "reports/narrative_form.html",
        {"form": form, "meeting": found, "sections": section_states(found.narrative, numbers)},
    )


@require_http_methods(["GET", "POST"])
@builder_required
def narrative_redraft(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    sections = section_states(found.narrative, recommendation_numbers(request))
    form = RedraftForm(
        request.POST or None, sections=[(s.key, f"{s.label} ({s.state.lower()})") for s in sections]
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["section"]
        replaced = services.narrative_redraft(
            actor=request.user,
            roles=request.roles,
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


@require_POST
@builder_required
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


@require_POST
@builder_required
def pack_publish(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.pack_in(request.partnership, pk)
    try:
        services.pack_publish(actor=request.user, roles=request.roles, pack=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Version {found.version} is published: board members can now read it.")
    return redirect(found)


@require_http_methods(["GET", "POST"])
@admin_required
def front_sheet(request: PortalRequest) -> HttpResponse:
    form = FrontSheetForm(request.POST or None, instance=selectors.front_sheet_of(request.partnership))
    if request.method == "POST" and form.is_valid():
        services.front_sheet_save(
            actor=request.user, partnership=request.partnership, roles=request.roles, data=form.cleaned_data
        )
        messages.success(request, "Front sheet saved. Packs built from now on will use it.")
        return redirect("reports:index")
    return form_page(
        request,
        form,
        heading="The council's details on the front sheet",
        caption="Board packs",
        back=(reverse("reports:index"), "Back to board packs"),
    )


def status_fragment(request: PortalRequest, pack: Pack) -> str:
    return render_to_string(
        "reports/_pack_status.html", {"pack": pack, "can_build": can_build(request)}, request=request
    )


def visible_pack(request: PortalRequest, pk: int) -> Pack:
    return selectors.pack_in(request.partnership, pk, drafts=can_see_drafts(request))


@require_GET
@reader_required
def pack(request: PortalRequest, pk: int) -> HttpResponse:
    found = visible_pack(request, pk)
    return render(
        request,
        "reports/pack.html",
        {"pack": found, "meeting": found.meeting, "status_html": status_fragment(request, found)},
    )


@require_GET
@reader_required
def pack_status(request: PortalRequest, pk: int) -> JsonResponse:
    found = visible_pack(request, pk)
    return JsonResponse(
        {
            "status": found.status,
            "stage": found.stage,
            "progress": found.progress,
            "finished": found.is_finished,
            "html": status_fragment(request, found),
        }
    )


@require_POST
@builder_required
def pack_retry(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.pack_in(request.partnership, pk)
    try:
        services.pack_retry(actor=request.user, roles=request.roles, pack=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(found)
    if not services.pack_queue(found):
        messages.error(request, services.QUEUE_DOWN_MESSAGE)
    return redirect(found)


@require_GET
@reader_required
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
@reader_required
def pack_pdf(request: PortalRequest, pk: int) -> FileResponse:
    found = ready_pack(request, pk)
    services.pack_record_download(actor=request.user, pack=found, kind="pdf")
    return FileResponse(
        found.pdf.open("rb"),
        as_attachment=True,
        filename=f"hwbb-{found.meeting.date:%Y-%m-%d}-pack-v{found.version}.pdf",
        content_type="application/pdf",
    )


@require_GET
@reader_required
def pack_html(request: PortalRequest, pk: int) -> FileResponse:
    found = ready_pack(request, pk)
    services.pack_record_download(actor=request.user, pack=found, kind="html")
    return FileResponse(found.html.open("rb"), content_type="text/html; charset=utf-8")


# Governance: the boards and groups that Appendix 2 of every pack describes


@require_GET
@reader_required
def governance(request: PortalRequest) -> HttpResponse:
    return render(
        request,
        "reports/governance.html",
        {"bodies": selectors.governance_of(request.partnership), "can_build": can_build(request)},
    )


def governance_back() -> tuple[str, str]:
    return reverse("reports:governance"), "Governance"


@require_http_methods(["GET", "POST"])
@builder_required
def governance_add(request: PortalRequest) -> HttpResponse:
    form = GovernanceBodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.governance_body_add(
                actor=request.user,
                partnership=request.partnership,
                roles=request.roles,
                data=form.cleaned_data,
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
@builder_required
def governance_edit(request: PortalRequest, pk: int) -> HttpResponse:
    body = selectors.governance_body_in(request.partnership, pk)
    form = GovernanceBodyForm(
        request.POST or None, initial={name: getattr(body, name) for name in services.GOVERNANCE_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.governance_body_update(
                actor=request.user, body=body, roles=request.roles, data=form.cleaned_data
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
@builder_required
def governance_remove(request: PortalRequest, pk: int) -> HttpResponse:
    body = selectors.governance_body_in(request.partnership, pk)
    if request.method == "POST":
        services.governance_body_remove(actor=request.user, body=body, roles=request.roles)
        messages.success(request, f"{body.name} removed")
        return redirect("reports:governance")
    return confirm_page(
        request,
        heading=f"Remove {body.name}?",
        caption="Governance",
        text="Packs built from now on will leave it out of Appendix 2. Packs already built keep it.",
        button="Remove",
        back=governance_back(),
    )
