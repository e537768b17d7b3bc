from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import PortalRequest
from core.pages import confirm_page, form_page
from core.permissions import permission_required
from core.spreadsheets import spreadsheet_response
from sef import selectors, services
from sef.forms import (
    AgreementForm,
    AreaEvaluationForm,
    CompareForm,
    ContextSectionForm,
    JudgementLevelForm,
    PriorityForm,
    SubmitForm,
)
from sef.models import AreaEvaluation, ContextSection, SelfEvaluation

FormT = TypeVar("FormT", bound=forms.Form)


def version_context(request: PortalRequest, evaluation: SelfEvaluation, part: str) -> dict[str, object]:
    """What every page of a version shows: the version, which part is open, and the areas to navigate to."""
    return {
        "evaluation": evaluation,
        "part": part,
        "contents": selectors.area_contents(evaluation),
        "can_edit": evaluation.is_editable
        and request.user.has_perm("sef.edit_evaluation", request.partnership),
    }


@require_GET
@permission_required("core.view_partnership")
def index(request: PortalRequest) -> HttpResponse:
    partnership = request.partnership
    versions = selectors.versions_in(partnership)
    return render(
        request,
        "sef/index.html",
        {
            "versions": versions,
            "draft": selectors.current_draft(partnership),
            "can_edit": request.user.has_perm("sef.edit_evaluation", request.partnership),
        },
    )


@require_POST
@permission_required("sef.edit_evaluation")
def start_draft(request: PortalRequest) -> HttpResponse:
    try:
        draft = services.evaluation_start_draft(actor=request.user, partnership=request.partnership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("sef:index")
    messages.success(request, f"Version {draft.version} started as a draft, with everything copied forward.")
    return redirect(draft)


@require_GET
@permission_required("core.view_partnership")
def version(request: PortalRequest, pk: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    context = version_context(request, evaluation, "overview")
    context["previous_priorities"] = evaluation.previous_priorities.all()
    context["can_submit"] = evaluation.is_editable and request.user.has_perm(
        "sef.edit_evaluation", request.partnership
    )
    context["can_record_agreement"] = (
        evaluation.status == SelfEvaluation.Status.SUBMITTED
        and request.user.has_perm("sef.record_agreement", request.partnership)
    )
    return render(request, "sef/version.html", context)


@require_GET
@permission_required("core.view_partnership")
def part_a(request: PortalRequest, pk: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    context = version_context(request, evaluation, "a")
    sections = list(selectors.sections_of(evaluation))
    context["sections"] = sections
    # Listed after the contents: in a long Part A each stands in its section's text, where the document puts it.
    context["key_issues"] = [issue for section in sections for issue in section.key_issues.all()]
    return render(request, "sef/part_a.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("sef.edit_evaluation")
def section_edit(request: PortalRequest, pk: int, order: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    if not evaluation.is_editable:
        messages.error(request, f"Version {evaluation.version} is {evaluation.get_status_display().lower()}.")
        return redirect("sef:part_a", pk=evaluation.pk)
    section = selectors.section_in(evaluation, order)
    form = ContextSectionForm(
        request.POST or None,
        initial={
            "narrative": section.narrative,
            "data_references": section.data_references,
            "row_version": section.row_version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.context_section_update(
                actor=request.user,
                section=section,
                expected_row_version=form.cleaned_data["row_version"],
                narrative=form.cleaned_data["narrative"],
                data_references=form.cleaned_data["data_references"],
            )
        except services.StaleEditError:
            section = selectors.section_in(evaluation, order)
            form = typed_again(
                ContextSectionForm,
                request,
                section.row_version,
                "Someone else saved this section after you opened it, so your changes have not been saved. "
                "What they saved is shown above the box, and what you typed is still in it: combine the two, "
                "then save again.",
            )
            return render_section_edit(request, evaluation, section, form, their_text=section.narrative)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Section {order}, {section.heading}, saved.")
            return redirect(f"{reverse('sef:part_a', args=[evaluation.pk])}#section-{order}")
    return render_section_edit(request, evaluation, section, form)


def render_section_edit(
    request: PortalRequest,
    evaluation: SelfEvaluation,
    section: ContextSection,
    form: ContextSectionForm,
    their_text: str = "",
) -> HttpResponse:
    context = version_context(request, evaluation, "a")
    context |= {"section": section, "form": form, "their_text": their_text}
    return render(request, "sef/section_edit.html", context, status=400 if form.errors else 200)


@require_GET
@permission_required("core.view_partnership")
def area(request: PortalRequest, pk: int, number: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    area_evaluation = selectors.area_evaluation_in(evaluation, number)
    context = version_context(request, evaluation, "area")
    context |= {
        "area_number": number,
        "area_evaluation": area_evaluation,
        "items": selectors.items_by_heading(area_evaluation),
        "indicators": selectors.indicators_of_area(
            request.partnership,
            request.user,
            area_evaluation.area,
        ),
    }
    return render(request, "sef/area.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("sef.edit_evaluation")
def area_edit(request: PortalRequest, pk: int, number: int) -> HttpResponse:
    partnership = request.partnership
    evaluation = selectors.version_in(partnership, pk)
    if not evaluation.is_editable:
        messages.error(request, f"Version {evaluation.version} is {evaluation.get_status_display().lower()}.")
        return redirect("sef:area", pk=evaluation.pk, number=number)
    area_evaluation = selectors.area_evaluation_in(evaluation, number)
    choices: dict[str, Any] = {
        "judgements": selectors.judgement_levels(partnership),
        "key_issues": evaluation.key_issues.order_by("order"),
        "actions": selectors.plan_actions(partnership),
    }
    saved_by_someone_else = None
    if request.method == "POST":
        form = AreaEvaluationForm(request.POST, **choices)
        if form.is_valid():
            try:
                services.area_evaluation_update(
                    actor=request.user,
                    area_evaluation=area_evaluation,
                    expected_row_version=form.cleaned_data["row_version"],
                    items=form.items(),
                    judgement=form.cleaned_data["judgement"],
                    judgement_rationale=form.cleaned_data["judgement_rationale"],
                    actions=list(form.cleaned_data["actions"]),
                    key_issues=list(form.cleaned_data["key_issues"]),
                )
            except services.StaleEditError:
                saved_by_someone_else = selectors.area_evaluation_in(evaluation, number)
                form = stale_form(request, saved_by_someone_else, choices)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Area {number} saved.")
                return redirect("sef:area", pk=evaluation.pk, number=number)
    else:
        form = AreaEvaluationForm(
            initial=AreaEvaluationForm.initial_for(
                selectors.items_by_heading(area_evaluation),
                judgement=area_evaluation.judgement,
                judgement_rationale=area_evaluation.judgement_rationale,
                key_issues=list(area_evaluation.area.issues),  # type: ignore[attr-defined]
                actions=list(area_evaluation.actions.all()),
                row_version=area_evaluation.row_version,
            ),
            **choices,
        )
    context = version_context(request, evaluation, "area")
    context |= {
        "area_number": number,
        "area_evaluation": area_evaluation,
        "form": form,
        "saved_by_someone_else": saved_by_someone_else,
    }
    if saved_by_someone_else:
        context["their_items"] = selectors.items_by_heading(saved_by_someone_else)
    return render(request, "sef/area_edit.html", context)


def stale_form(request: PortalRequest, latest: AreaEvaluation, choices: dict[str, Any]) -> AreaEvaluationForm:
    who = latest.last_edited_by or "Someone else"
    when = formats.date_format(timezone.localtime(latest.last_edited_at), "j F Y \\a\\t H:i")
    return typed_again(
        AreaEvaluationForm,
        request,
        latest.row_version,
        f"{who} saved this area on {when}, after you opened it, so your changes have not been saved. "
        "What you typed is still below and what they saved is shown above it. "
        "Combine the two, then save again.",
        **choices,
    )


def typed_again(
    form_class: type[FormT], request: PortalRequest, row_version: int, why: str, **form_kwargs: Any
) -> FormT:
    """The editor's own text, untouched and refused with why, now carrying the latest row version so that a second
    save is deliberate."""
    data = request.POST.copy()
    data["row_version"] = str(row_version)
    form = form_class(data, **form_kwargs)
    form.is_valid()
    form.add_error(None, why)
    return form


@require_GET
@permission_required("core.view_partnership")
def part_c(request: PortalRequest, pk: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    context = version_context(request, evaluation, "c")
    context["groups"] = selectors.priority_groups_of(evaluation)
    return render(request, "sef/part_c.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("sef.edit_evaluation")
def priority_edit(request: PortalRequest, pk: int, number: int, order: int) -> HttpResponse:
    partnership = request.partnership
    evaluation = selectors.version_in(partnership, pk)
    if not evaluation.is_editable:
        messages.error(request, f"Version {evaluation.version} is {evaluation.get_status_display().lower()}.")
        return redirect("sef:part_c", pk=evaluation.pk)
    priority = selectors.priority_in(evaluation, number, order)
    actions = selectors.plan_actions(partnership)
    form = PriorityForm(
        request.POST or None,
        actions=actions,
        initial={
            "text": priority.text,
            "actions": list(priority.actions.all()),
            "row_version": priority.row_version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_update(
                actor=request.user,
                priority=priority,
                expected_row_version=form.cleaned_data["row_version"],
                text=form.cleaned_data["text"],
                actions=list(form.cleaned_data["actions"]),
            )
        except services.StaleEditError:
            priority = selectors.priority_in(evaluation, number, order)
            form = typed_again(
                PriorityForm,
                request,
                priority.row_version,
                "Someone else saved this priority after you opened it, so your changes have not been saved. "
                f"It now reads: “{priority.text}”. What you typed is still below: save again to replace it.",
                actions=actions,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Priority {number}.{order} saved.")
            return redirect(f"{reverse('sef:part_c', args=[evaluation.pk])}#priority-{number}-{order}")
    context = version_context(request, evaluation, "c")
    context |= {"priority": priority, "form": form}
    return render(request, "sef/priority_edit.html", context)


@require_GET
@permission_required("core.view_partnership")
def links(request: PortalRequest, pk: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    context = version_context(request, evaluation, "links")
    context["actions"] = selectors.linked_actions(evaluation)
    return render(request, "sef/links.html", context)


@require_GET
@permission_required("core.view_partnership")
def readiness(request: PortalRequest, pk: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    context = version_context(request, evaluation, "readiness")
    context |= {
        "areas": selectors.readiness(evaluation, request.user),
        "thin_below": selectors.THIN_EVIDENCE_BELOW,
    }
    return render(request, "sef/readiness.html", context)


@require_GET
@permission_required("core.view_partnership")
def export(request: PortalRequest, pk: int, file_format: str) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    return spreadsheet_response(
        f"self-evaluation-version-{evaluation.version}",
        selectors.EXPORT_HEADER,
        selectors.export_rows(evaluation),
        file_format,
        title=f"Self-evaluation version {evaluation.version}",
    )


@require_GET
@permission_required("core.view_partnership")
def print_view(request: PortalRequest, pk: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    areas = [(a, selectors.items_by_heading(a)) for a in selectors.area_evaluations_in_full(evaluation)]
    return render(
        request,
        "sef/print.html",
        {
            "evaluation": evaluation,
            "sections": selectors.sections_of(evaluation),
            "areas": areas,
            "groups": selectors.priority_groups_of(evaluation),
            "previous_priorities": evaluation.previous_priorities.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("sef.edit_evaluation")
def submit(request: PortalRequest, pk: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    if not evaluation.is_editable:
        messages.error(request, f"Version {evaluation.version} is {evaluation.get_status_display().lower()}.")
        return redirect(evaluation)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(actor=request.user, evaluation=evaluation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {evaluation.version} submitted for agreement.")
            return redirect(evaluation)
    return render(request, "sef/submit.html", {"evaluation": evaluation, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("sef.record_agreement")
def agree(request: PortalRequest, pk: int) -> HttpResponse:
    evaluation = selectors.version_in(request.partnership, pk)
    if evaluation.status != SelfEvaluation.Status.SUBMITTED:
        messages.error(request, f"Version {evaluation.version} is not awaiting agreement.")
        return redirect(evaluation)
    form = AgreementForm(request.POST or None, initial={"body": evaluation.meeting_body})
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record_agreement(
                actor=request.user, evaluation=evaluation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {evaluation.version} recorded as agreed. It is now locked.")
            return redirect(evaluation)
    return render(request, "sef/agree.html", {"evaluation": evaluation, "form": form})


@require_GET
@permission_required("core.view_partnership")
def compare(request: PortalRequest) -> HttpResponse:
    versions = selectors.versions_in(request.partnership)
    if len(versions) < 2:
        return render(request, "sef/compare.html", {"too_few": True})
    form = CompareForm(
        request.GET or None, versions=versions, initial={"older": versions[1], "newer": versions[0]}
    )
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid():
        older, newer = sorted(
            [form.cleaned_data["older"], form.cleaned_data["newer"]], key=lambda v: v.version
        )
        context |= {"older": older, "newer": newer, "comparisons": selectors.compare_versions(older, newer)}
    return render(request, "sef/compare.html", context)


@require_GET
@permission_required("core.view_partnership")
def framework(request: PortalRequest) -> HttpResponse:
    latest = selectors.latest_framework()
    if latest is None:
        raise Http404("No inspection framework is loaded.")
    return render(
        request,
        "sef/framework.html",
        {
            "framework": selectors.framework_in_full(latest),
            "levels": selectors.judgement_levels(request.partnership),
            "is_admin": request.user.has_perm("sef.change_judgement_scale", request.partnership),
        },
    )


def scale_back() -> tuple[str, str]:
    """Where the judgement scale pages lead back to: the scale, on the framework page."""
    return f"{reverse('sef:framework')}#judgement-scale", "Area SEND inspection framework"


@require_http_methods(["GET", "POST"])
@permission_required("sef.change_judgement_scale")
def judgement_level_add(request: PortalRequest) -> HttpResponse:
    form = JudgementLevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            level = services.judgement_level_add(
                actor=request.user, partnership=request.partnership, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("label", error)
        else:
            messages.success(request, f"“{level.label}” added to the judgement scale")
            return redirect(scale_back()[0])
    return form_page(request, form, heading="Add a judgement", caption="Judgement scale", back=scale_back())


@require_http_methods(["GET", "POST"])
@permission_required("sef.change_judgement_scale")
def judgement_level_edit(request: PortalRequest, pk: int) -> HttpResponse:
    level = selectors.judgement_level_in(request.partnership, pk)
    form = JudgementLevelForm(
        request.POST or None, initial={"label": level.label, "description": level.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.judgement_level_update(actor=request.user, level=level, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("label", error)
        else:
            messages.success(request, f"“{level.label}” saved")
            return redirect(scale_back()[0])
    return form_page(
        request, form, heading=f"Change {level.label}", caption="Judgement scale", back=scale_back()
    )


@require_http_methods(["GET", "POST"])
@permission_required("sef.change_judgement_scale")
def judgement_level_remove(request: PortalRequest, pk: int) -> HttpResponse:
    level = selectors.judgement_level_in(request.partnership, pk)
    error = ""
    if request.method == "POST":
        try:
            services.judgement_level_remove(actor=request.user, level=level)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, f"“{level.label}” removed from the judgement scale")
            return redirect(scale_back()[0])
    return confirm_page(
        request,
        # A level's label is often a sentence of the framework's, with its own full stop.
        heading=f"Remove “{level.label.rstrip('.')}” from the judgement scale?",
        caption="Judgement scale",
        text="Leads will no longer be able to choose it. A judgement that any version of the self-evaluation uses cannot be removed.",
        button="Remove judgement",
        back=scale_back(),
        error=error,
    )
