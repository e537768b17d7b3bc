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
from reports.changes import compare
from reports.drafting import section_states
from reports.forms import GovernanceBodyForm, MeetingForm, NarrativeForm, RedraftForm
from reports.models import Pack

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
