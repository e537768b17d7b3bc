from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import selectors as action_selectors
from core.http import PortalRequest
from core.pages import confirm_page, form_page
from core.permissions import has_role, role_required
from reports import selectors, services
from reports.appendices import narrative_text, unknown_references
from reports.changes import compare
from reports.forms import (
    AppendixAddForm,
    AppendixRenameForm,
    AppendixReplaceForm,
    AppendixUploadForm,
    GovernanceBodyForm,
    MeetingForm,
    NarrativeForm,
)
from reports.models import Appendix, Meeting, Pack
from sef import selectors as sef_selectors

builder_required = role_required(*services.BUILDER_ROLES)
reader_required = role_required(*services.READER_ROLES)


def can_build(request: PortalRequest) -> bool:
    return has_role(request, *services.BUILDER_ROLES)


@require_GET
@reader_required
def index(request: PortalRequest) -> HttpResponse:
    return render(
        request,
        "reports/index.html",
        {"meetings": selectors.meetings_in(request.partnership), "can_build": can_build(request)},
    )


@require_http_methods(["GET", "POST"])
@builder_required
def meeting_create(request: PortalRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, initial={"council": "", "body": "Health and Wellbeing Board"})
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(
            actor=request.user, partnership=request.partnership, roles=request.roles, data=form.cleaned_data
        )
        messages.success(
            request, "Meeting recorded. The portal has drafted the narrative from the data: check it."
        )
        return redirect(meeting)
    return render(request, "reports/meeting_form.html", {"form": form})


@require_GET
@reader_required
def meeting(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    packs = list(found.packs.all())
    return render(
        request, "reports/meeting.html", {"meeting": found, "packs": packs, "can_build": can_build(request)}
    )


@require_http_methods(["GET", "POST"])
@builder_required
def narrative_edit(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    plan = action_selectors.published_plan(request.partnership)
    numbers = list(plan.recommendations.values_list("number", flat=True)) if plan else []
    form = NarrativeForm(
        request.POST or None, numbers=numbers, initial=NarrativeForm.initial_for(found.narrative)
    )
    if request.method == "POST" and form.is_valid():
        services.narrative_update(
            actor=request.user, roles=request.roles, narrative=found.narrative, data=form.narrative_fields()
        )
        messages.success(request, "Narrative saved. The next pack you build will use it.")
        return redirect(found)
    return render(request, "reports/narrative_form.html", {"form": form, "meeting": found})


@require_POST
@builder_required
def pack_build(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    pack = services.pack_request(actor=request.user, meeting=found)
    if not services.pack_queue(pack):
        messages.error(request, services.QUEUE_DOWN_MESSAGE)
    return redirect(pack)


def status_fragment(request: PortalRequest, pack: Pack) -> str:
    return render_to_string(
        "reports/_pack_status.html", {"pack": pack, "can_build": can_build(request)}, request=request
    )


@require_GET
@reader_required
def pack(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.pack_in(request.partnership, pk)
    return render(
        request,
        "reports/pack.html",
        {"pack": found, "meeting": found.meeting, "status_html": status_fragment(request, found)},
    )


@require_GET
@reader_required
def pack_status(request: PortalRequest, pk: int) -> JsonResponse:
    found = selectors.pack_in(request.partnership, pk)
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
    found = selectors.pack_in(request.partnership, pk)
    if found.status != Pack.Status.READY:
        raise Http404("This pack is not ready.")
    previous = selectors.previous_ready_pack(found)
    changes = compare(previous.snapshot, found.snapshot) if previous else None
    return render(
        request,
        "reports/changes.html",
        {"pack": found, "meeting": found.meeting, "previous": previous, "changes": changes},
    )


def ready_pack(request: PortalRequest, pk: int) -> Pack:
    found = selectors.pack_in(request.partnership, pk)
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
        {"bodies": selectors.governance_page(request.partnership), "can_build": can_build(request)},
    )


def governance_back() -> tuple[str, str]:
    return reverse("reports:governance"), "Governance"


@require_http_methods(["GET", "POST"])
@builder_required
def governance_add(request: PortalRequest) -> HttpResponse:
    form = GovernanceBodyForm(
        request.POST or None, others=selectors.governance_bodies_in(request.partnership)
    )
    if request.method == "POST" and form.is_valid():
        try:
            body = services.governance_body_add(
                actor=request.user,
                partnership=request.partnership,
                roles=request.roles,
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
@builder_required
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
                roles=request.roles,
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
@builder_required
def governance_remove(request: PortalRequest, pk: int) -> HttpResponse:
    body = selectors.governance_body_in(request.partnership, pk)
    error = ""
    if request.method == "POST":
        try:
            services.governance_body_remove(actor=request.user, body=body, roles=request.roles)
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
@builder_required
def appendices(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    listed = selectors.appendices_of(found)
    narrative = getattr(found, "narrative", None)
    return render(
        request,
        "reports/appendices.html",
        {
            "meeting": found,
            "appendices": listed,
            "unknown_references": unknown_references(narrative_text(narrative), listed) if narrative else [],
        },
    )


@require_http_methods(["GET", "POST"])
@builder_required
def appendix_add(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    form = AppendixAddForm(
        request.POST or None,
        documents=list(selectors.governance_documents_of(request.partnership)),
        evaluations=list(sef_selectors.versions_in(request.partnership)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            appendix = services.appendix_add(
                actor=request.user, meeting=found, roles=request.roles, **form.appendix_fields()
            )
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
@builder_required
def appendix_upload(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.meeting_in(request.partnership, pk)
    form = AppendixUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        appendix = services.appendix_upload(
            actor=request.user,
            meeting=found,
            roles=request.roles,
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
@builder_required
def appendix_replace(request: PortalRequest, pk: int) -> HttpResponse:
    appendix = selectors.appendix_in(request.partnership, pk)
    form = AppendixReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.appendix_replace(
            actor=request.user,
            appendix=appendix,
            roles=request.roles,
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
@builder_required
def appendix_rename(request: PortalRequest, pk: int) -> HttpResponse:
    appendix = selectors.appendix_in(request.partnership, pk)
    form = AppendixRenameForm(request.POST or None, initial={"title": appendix.title})
    if request.method == "POST" and form.is_valid():
        services.appendix_rename(
            actor=request.user, appendix=appendix, roles=request.roles, title=form.cleaned_data["title"]
        )
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
@builder_required
def appendix_move(request: PortalRequest, pk: int) -> HttpResponse:
    appendix = selectors.appendix_in(request.partnership, pk)
    try:
        services.appendix_move(
            actor=request.user,
            appendix=appendix,
            roles=request.roles,
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
@builder_required
def appendix_remove(request: PortalRequest, pk: int) -> HttpResponse:
    appendix = selectors.appendix_in(request.partnership, pk)
    if request.method == "POST":
        services.appendix_remove(actor=request.user, appendix=appendix, roles=request.roles)
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
@reader_required
def pack_attachment(request: PortalRequest, pk: int, number: int) -> FileResponse:
    """An uploaded appendix as a built pack holds it, linked from the pack's accessible web page."""
    attachment = selectors.pack_attachment_in(request.partnership, pk, number)
    extension = str(attachment.file.name).rsplit(".", 1)[-1]
    return FileResponse(
        attachment.file.open("rb"),
        filename=f"hwbb-{attachment.pack.meeting.date:%Y-%m-%d}-appendix-{number}.{extension}",
        content_type=attachment.file_type,
    )


@require_GET
@reader_required
def governance_document(request: PortalRequest, pk: int) -> HttpResponse:
    """A governance document word for word, as the packs print it."""
    document = selectors.governance_document_in(request.partnership, pk)
    return render(request, "reports/governance_document.html", {"document": document})
