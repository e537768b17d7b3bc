from dataclasses import replace
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import exports, selectors, services
from actions.evidence import HeldEvidence, held_evidence
from actions.forms import (
    ActionDetailsForm,
    MilestoneChangeForm,
    MilestoneForm,
    NewActionForm,
    ProgressUpdateForm,
    RagLevelForm,
    RecommendationLeadForm,
    ReplanForm,
    ReturnForm,
)
from actions.models import Action, Plan, ProgressUpdate, ReportingPeriod
from core.audit import audit_record
from core.http import PortalRequest
from core.models import AuditEvent, User
from core.pages import apply_errors, confirm_page, form_page
from core.permissions import permission_required
from core.rules import officer_organisations

# An action's page shows a year of monthly updates; the rest are one link away. After a few years an action has
# dozens, and drawing them all made the page the costliest an officer opens on deadline day.
RECENT_UPDATES = 12


def posted_lock_version(request: PortalRequest) -> int:
    """The version the form was opened at; anything unreadable never matches, so the change is refused."""
    value = request.POST.get("lock_version", "")
    return int(value) if value.isdigit() else -1


@require_GET
@permission_required("core.view_partnership")
def plan(request: PortalRequest) -> HttpResponse:
    published = selectors.published_plan(request.partnership)
    recommendations = (
        published.recommendations.select_related("lead__user").annotate(action_count=Count("actions"))
        if published
        else []
    )
    return render(
        request,
        "actions/plan.html",
        {
            "plan": published,
            "recommendations": recommendations,
            "is_admin": request.user.has_perm("actions.change_plan", request.partnership),
        },
    )


@require_GET
@permission_required("actions.update_actions")
def my_actions(request: PortalRequest) -> HttpResponse:
    today = timezone.localdate()
    period = selectors.current_period(request.partnership, today)
    actions = list(
        selectors.actions_for_officer(
            request.partnership, request.user, officer_organisations(request.user, request.partnership)
        )
    )
    rows = selectors.action_rows(request.partnership, actions, period, today)
    return render(
        request,
        "actions/my_actions.html",
        {
            "groups": selectors.group_by_recommendation(rows),
            "standings": selectors.update_standings(rows) if period else [],
            "period": period,
            "action_count": len(actions),
        },
    )


@require_GET
@permission_required("core.view_partnership")
def recommendation(request: PortalRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_in(request.partnership, pk)
    today = timezone.localdate()
    period = selectors.current_period(request.partnership, today)
    actions = list(selectors.actions_in(request.partnership).filter(recommendation=recommendation))
    return render(
        request,
        "actions/recommendation.html",
        {
            "recommendation": recommendation,
            "rows": selectors.action_rows(request.partnership, actions, period, today),
            "summaries": recommendation.summaries.all(),
            "is_admin": request.user.has_perm("actions.change_plan", request.partnership),
        },
    )


@require_GET
@permission_required("core.view_partnership")
def action_detail(request: PortalRequest, pk: int) -> HttpResponse:
    action = selectors.action_in(request.partnership, pk)
    timeline = selectors.timeline(
        action, with_unsubmitted=request.user.has_perm("actions.view_unsubmitted", action)
    )
    total = timeline.count()
    showing_all = request.GET.get("updates") == "all"
    updates = list(timeline if showing_all else timeline[:RECENT_UPDATES])
    today = timezone.localdate()
    this_month, _ = ReportingPeriod.month_bounds(today)
    latest_this_month = next((u for u in updates if u.period.start == this_month), None)
    return render(
        request,
        "actions/action.html",
        {
            "action": action,
            "updates": updates,
            "total_updates": total,
            "has_demo": any(u.is_demo for u in updates) or any(m.is_demo for m in action.milestones.all()),
            "can_update": request.user.has_perm("actions.update_action", action),
            # Submitted this month, it waits for the lead: its form could not be saved, so none is offered.
            "awaiting_review": latest_this_month is not None
            and latest_this_month.state == ProgressUpdate.State.SUBMITTED,
            # Saved but not sent: the lead sees it only once it is submitted, which is easy to forget.
            "unsent": latest_this_month
            if latest_this_month is not None and latest_this_month.is_editable
            else None,
            "is_admin": request.user.has_perm("actions.change_plan", request.partnership),
            "today": today,
        },
    )


@require_GET
@permission_required("core.view_partnership")
def action_history(request: PortalRequest, pk: int) -> HttpResponse:
    action = selectors.action_in(request.partnership, pk)
    return render(
        request,
        "actions/history.html",
        {
            "action": action,
            "entries": selectors.action_history(
                action, with_unsubmitted=request.user.has_perm("actions.view_unsubmitted", action)
            ),
        },
    )


def update_input(form: ProgressUpdateForm) -> services.UpdateInput:
    """What the form holds; of a form with errors, its valid fields (an invalid one reads as left empty)."""
    data = form.cleaned_data
    link = data.get("evidence_link")
    return services.UpdateInput(
        rag=data["rag"],
        commentary=data.get("commentary", ""),
        next_steps=data.get("next_steps", ""),
        risks_and_issues=data.get("risks_and_issues", ""),
        proposed_due_date=data.get("proposed_due_date"),
        proposed_due_reason=data.get("proposed_due_reason", ""),
        completed_milestones=list(data.get("completed_milestones", [])),
        evidence_files=[data["evidence_file"]] if data.get("evidence_file") else [],
        evidence_links=[(data.get("evidence_link_title", ""), link)] if link else [],
    )


def rule_errors_beside_field_errors(
    form: ProgressUpdateForm, action: Action, previous: ProgressUpdate | None
) -> None:
    """The update's own rules (commentary for a Red, a reason for a new date) checked on the fields that are
    valid, so that every error shows at once, as GOV.UK asks, rather than one after another. A field that already
    has an error keeps only that one; without a valid status the rules cannot be checked."""
    if "rag" not in form.cleaned_data:
        return
    data = update_input(form)
    if "proposed_due_date" in form.errors:
        # A new date was typed, though not a real one: its reason is asked for now, not once the date is mended.
        # (The date's own rules are not checked again: the field keeps only its own error.)
        data = replace(data, proposed_due_date=date.max)
    try:
        services.validate_update_input(data, action, previous)
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            if name not in form.errors:
                form.add_error(name, errors)


def keep_chosen_evidence(
    form: ProgressUpdateForm, held: HeldEvidence | None, user: User, action: Action
) -> None:
    """A form shown again keeps the valid file just chosen (replacing any kept before), or the one kept before."""
    chosen = form.cleaned_data.get("evidence_file")
    if chosen:
        if held:
            services.held_evidence_release(held)
        held = services.held_evidence_keep(upload=chosen, user=user, action=action)
    if held:
        form.keep_evidence(held)


def initial_from(update: ProgressUpdate | None) -> dict[str, Any]:
    if update is None:
        return {}
    return {
        "rag": str(update.rag_id),
        "commentary": update.commentary,
        "next_steps": update.next_steps,
        "risks_and_issues": update.risks_and_issues,
        "proposed_due_date": update.proposed_due_date,
        "proposed_due_reason": update.proposed_due_reason,
        "completed_milestones": list(update.completed_milestones.all()),
        "lock_version": update.lock_version,
    }


@permission_required("actions.update_actions")
def update_progress(request: PortalRequest, pk: int) -> HttpResponse:
    action = selectors.action_to_update(request.partnership, pk)
    if not request.user.has_perm("actions.update_action", action):
        raise PermissionDenied(
            "You can update only actions your organisation owns or that are assigned to you."
        )
    period = selectors.reporting_period_of(request.partnership, timezone.localdate())
    existing = selectors.open_update(action, period)
    rag_levels = selectors.rag_scale(request.partnership)
    held = held_evidence(request.POST.get("held_evidence", ""), user_id=request.user.pk, action_id=action.pk)
    form = ProgressUpdateForm(
        request.POST or None,
        request.FILES or None,
        action=action,
        rag_levels=rag_levels,
        initial=initial_from(existing),
        held=held,
    )
    # A POST with no fields at all leaves the form unbound: it is shown again, empty, as on opening.
    posted_with_field_errors = form.is_bound and not form.is_valid()
    if form.is_bound and not posted_with_field_errors:
        data = update_input(form)
        if held and not data.evidence_files:
            data = replace(data, evidence_files=[held.upload()])
        try:
            update = services.progress_update_save(
                action=action,
                period=period,
                user=request.user,
                data=data,
                lock_version=form.cleaned_data["lock_version"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if held:
                services.held_evidence_release(held)
            return redirect("actions:check", pk=update.pk)
    # Read only for a page shown again: a saved update redirects without it.
    previous = selectors.latest_approved(action)
    if posted_with_field_errors:
        rule_errors_beside_field_errors(form, action, previous)
    if form.is_bound:
        keep_chosen_evidence(form, held, request.user, action)
    return render(
        request,
        "actions/update_form.html",
        {
            "action": action,
            "period": period,
            "form": form,
            "existing": existing,
            # Opened afresh, a submitted update is shown as waiting, not as a form its saving would refuse; a form
            # posted after it was submitted is shown again with its error, so the typed text is not lost.
            "show_form": not (
                request.method == "GET" and existing and existing.state == existing.State.SUBMITTED
            ),
            "previous": previous,
        },
        status=400 if form.errors else 200,
    )


@permission_required("actions.update_actions")
def check_answers(request: PortalRequest, pk: int) -> HttpResponse:
    update = selectors.update_in(request.partnership, pk)
    if not request.user.has_perm("actions.update_action", update.action):
        raise PermissionDenied("You cannot submit updates for this action.")
    if request.method == "POST":
        try:
            services.progress_update_submit(
                update=update,
                user=request.user,
                lock_version=posted_lock_version(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("actions:action", pk=update.action_id)
        messages.success(request, f"Update for {update.action.reference} submitted for review")
        return redirect("actions:action", pk=update.action_id)
    if not update.is_editable:
        # An address kept from before (the browser's history, a bookmark): say why there is nothing to check.
        messages.info(request, no_longer_editable(update))
        return redirect("actions:action", pk=update.action_id)
    return render(request, "actions/check_answers.html", {"update": update})


def no_longer_editable(update: ProgressUpdate) -> str:
    if update.state == ProgressUpdate.State.APPROVED:
        return f"The {update.period} update has been approved, so it can no longer be changed"
    return (
        f"The {update.period} update has been submitted for review: it can be changed again only if the "
        "recommendation lead returns it"
    )


@require_GET
@permission_required("core.view_partnership")
def evidence_download(request: PortalRequest, pk: int) -> FileResponse:
    evidence = selectors.evidence_in(request.partnership, pk)
    if not request.user.has_perm("actions.view_update", evidence.update):
        raise PermissionDenied("This evidence belongs to an update that has not been submitted yet.")
    if not evidence.file:
        raise PermissionDenied("This evidence is a link, not a file.")
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.title,
        content_type=evidence.content_type,
    )
    return response


@require_POST
@permission_required("actions.update_actions")
def evidence_remove(request: PortalRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_in(request.partnership, pk)
    update = evidence.update
    services.evidence_remove(evidence=evidence, user=request.user)
    messages.success(request, f"Removed “{evidence.title}”")
    return redirect("actions:check", pk=update.pk)


@require_GET
@permission_required("actions.review_updates")
def review_queue(request: PortalRequest) -> HttpResponse:
    queue = selectors.review_queue(
        request.partnership,
        request.user,
        request.user.has_perm("actions.review_any_update", request.partnership),
    )
    return render(request, "actions/review_queue.html", {"queue": queue})


@permission_required("actions.review_updates")
def review(request: PortalRequest, pk: int) -> HttpResponse:
    update = selectors.update_in(request.partnership, pk)
    if not request.user.has_perm("actions.review_update", update):
        raise PermissionDenied("Only the recommendation's lead or an admin can review this update.")
    form = ReturnForm(
        request.POST if request.POST.get("decision") == "return" else None,
        initial={"lock_version": update.lock_version},
    )
    if request.method == "POST":
        lock_version = posted_lock_version(request)
        try:
            if request.POST.get("decision") == "approve":
                services.progress_update_approve(
                    update=update,
                    user=request.user,
                    lock_version=lock_version,
                )
                messages.success(request, f"Update for {update.action.reference} approved")
                return redirect("actions:review_queue")
            if form.is_valid():
                services.progress_update_return(
                    update=update,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    lock_version=lock_version,
                )
                messages.success(
                    request, f"Update for {update.action.reference} returned to {update.created_by}"
                )
                return redirect("actions:review_queue")
        except ValidationError as error:
            if error.code == "stale":
                messages.error(request, " ".join(error.messages))
                return redirect("actions:review_queue")
            apply_errors(form, error)
    awaiting_review = update.state == ProgressUpdate.State.SUBMITTED
    return render(
        request,
        "actions/review.html",
        {
            "update": update,
            "form": form,
            "awaiting_review": awaiting_review,
            # Compared with only while a decision is open: once decided, the latest approved may be the update itself.
            "previous": selectors.latest_approved(update.action) if awaiting_review else None,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@permission_required("actions.review_updates")
def missing(request: PortalRequest) -> HttpResponse:
    period = selectors.current_period(request.partnership, timezone.localdate())
    actions = selectors.missing_updates(request.partnership, period) if period else []
    return render(request, "actions/missing.html", {"period": period, "actions": actions})


@require_GET
@permission_required("core.view_partnership")
def export(request: PortalRequest, file_format: str) -> HttpResponse:
    today = timezone.localdate()
    actions = list(selectors.actions_in(request.partnership).order_by("recommendation__number", "order"))
    rows = selectors.action_rows(
        request.partnership, actions, selectors.current_period(request.partnership, today), today
    )
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb(f"exported {file_format}"),
        instance=request.partnership,
        partnership=request.partnership,
    )
    return exports.plan_export(rows, file_format)


def action_details_form(request: PortalRequest, action: Action, data: Any = None) -> ActionDetailsForm:
    return ActionDetailsForm(
        data,
        partnership_id=request.partnership.pk,
        initial={
            "lead_officer": action.lead_officer,
            "owner_organisations": list(action.owner_organisations.all()),
            "start_date": action.start_date,
            "original_due_date": action.original_due_date,
            "lifecycle": action.lifecycle,
            "lock_version": action.lock_version,
        },
    )


@permission_required("actions.change_plan")
def edit_action(request: PortalRequest, pk: int) -> HttpResponse:
    action = selectors.action_in(request.partnership, pk)
    form = action_details_form(request, action, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_set_details(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if (
                getattr(error, "code", None) == "stale"
            ):  # open the form again on what is stored now, saying why
                messages.error(request, error.message)
                return redirect("actions:edit", pk=action.pk)
            apply_errors(form, error)
        else:
            messages.success(request, f"{action.reference} saved")
            return redirect(action)
    return form_page(
        request,
        form,
        heading="Owners and dates",
        caption=action.reference,
        back=(action.get_absolute_url(), action.reference),
    )


@permission_required("actions.change_plan")
def replan_action(request: PortalRequest, pk: int) -> HttpResponse:
    action = selectors.action_in(request.partnership, pk)
    form = ReplanForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_replan(
                action=action,
                user=request.user,
                new_due_date=form.cleaned_data["new_due_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{action.reference} re-planned")
            return redirect(action)
    return form_page(
        request,
        form,
        heading="Re-plan the due date",
        caption=action.reference,
        back=(action.get_absolute_url(), action.reference),
        submit_label="Re-plan",
    )


@permission_required("actions.change_plan")
def add_milestone(request: PortalRequest, pk: int) -> HttpResponse:
    action = selectors.action_in(request.partnership, pk)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_add(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Milestone added to {action.reference}")
            return redirect(action)
    return form_page(
        request,
        form,
        heading="Add a milestone",
        caption=action.reference,
        back=(action.get_absolute_url(), action.reference),
        submit_label="Add milestone",
    )


@permission_required("actions.change_plan")
def change_milestone(request: PortalRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_in(request.partnership, pk)
    action = milestone.action
    back = (action.get_absolute_url(), action.reference)
    # The action's page offers no Change link for a completed milestone: opened anyway, the page says why.
    refusal = services.milestone_change_refusal(milestone)
    if refusal:
        return confirm_page(
            request,
            heading="Change a milestone",
            caption=action.reference,
            text=f"{refusal}.",
            button="",
            back=back,
        )
    form = MilestoneChangeForm(
        request.POST or None, initial={"title": milestone.title, "due_date": milestone.current_due_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_change(milestone=milestone, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":  # removed meanwhile: nothing left to change
                messages.error(request, error.message)
                return redirect(action)
            apply_errors(form, error)
        else:
            messages.success(request, f"Milestone “{milestone.title}” saved")
            return redirect(action)
    return form_page(request, form, heading="Change a milestone", caption=action.reference, back=back)


@require_http_methods(["GET", "POST"])
@permission_required("actions.change_plan")
def remove_milestone(request: PortalRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_in(request.partnership, pk)
    action = milestone.action
    back = (action.get_absolute_url(), action.reference)
    # Where it would be refused, the page says why at once rather than offer a button that cannot work.
    refusal = "" if request.method == "POST" else services.milestone_removal_refusal(milestone)
    if refusal:
        return confirm_page(
            request,
            heading=f"Remove the milestone “{milestone.title}”",
            caption=action.reference,
            text=f"It cannot be removed: {refusal}.",
            button="",
            back=back,
        )
    error = ""
    if request.method == "POST":
        try:
            services.milestone_remove(milestone=milestone, user=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, f"Milestone “{milestone.title}” removed from {action.reference}")
            return redirect(action)
    return confirm_page(
        request,
        heading=f"Remove the milestone “{milestone.title}”?",
        caption=action.reference,
        text="It will no longer be shown on the action or offered on its update form. The action's history keeps "
        "it, with who removed it and when.",
        button="Remove milestone",
        back=back,
        error=error,
    )


@permission_required("actions.change_plan")
def set_recommendation_lead(request: PortalRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_in(request.partnership, pk)
    form = RecommendationLeadForm(
        request.POST or None, partnership_id=request.partnership.pk, initial={"lead": recommendation.lead}
    )
    if request.method == "POST" and form.is_valid():
        services.recommendation_set_lead(
            recommendation=recommendation, user=request.user, lead=form.cleaned_data["lead"]
        )
        messages.success(request, f"Lead of recommendation {recommendation.number} saved")
        return redirect(recommendation)
    return form_page(
        request,
        form,
        heading="Recommendation lead",
        caption=f"Recommendation {recommendation.number}",
        back=(recommendation.get_absolute_url(), f"Recommendation {recommendation.number}"),
    )


@permission_required("actions.change_plan")
def add_action(request: PortalRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_in(request.partnership, pk)
    form = NewActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data.pop("reason")
        try:
            action = services.plan_action_add(
                recommendation=recommendation, user=request.user, texts=form.cleaned_data, reason=reason
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{action.reference} added: the plan is now {action.recommendation.plan.published_label}",
            )
            return redirect(action)
    return form_page(
        request,
        form,
        heading="Add an action",
        caption=f"Recommendation {recommendation.number}",
        back=(recommendation.get_absolute_url(), f"Recommendation {recommendation.number}"),
        submit_label="Add the action",
        intro=plan_change_in_words(recommendation.plan),
    )


def plan_change_in_words(plan: Plan) -> str:
    """Said before an action is added, which publishes the plan again."""
    return (
        f"Adding an action publishes a new version of the plan, version {plan.version + 1}. Version {plan.version}, "
        "which the board has now, is kept word for word among the plan's earlier versions."
    )


@require_GET
@permission_required("core.view_partnership")
def plan_versions(request: PortalRequest) -> HttpResponse:
    published = selectors.published_plan(request.partnership)
    return render(
        request,
        "actions/versions.html",
        {
            "plan": published,
            "versions": published.earlier_versions.all() if published else [],
        },
    )


@require_GET
@permission_required("core.view_partnership")
def plan_version(request: PortalRequest, pk: int) -> HttpResponse:
    return render(
        request, "actions/version.html", {"version": selectors.plan_version_in(request.partnership, pk)}
    )


@require_GET
@permission_required("actions.change_plan")
def rag_scale(request: PortalRequest) -> HttpResponse:
    return render(request, "actions/rag_scale.html", {"levels": selectors.rag_scale(request.partnership)})


@permission_required("actions.change_plan")
def rag_level_edit(request: PortalRequest, pk: int) -> HttpResponse:
    level = selectors.rag_level_in(request.partnership, pk)
    form = RagLevelForm(
        request.POST or None, initial={name: getattr(level, name) for name in services.RAG_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        services.rag_level_update(level=level, user=request.user, **form.cleaned_data)
        messages.success(request, f"{level.label} saved")
        return redirect("actions:rag_scale")
    return form_page(
        request,
        form,
        heading=f"Change {level.label}",
        caption="RAG scale",
        back=(reverse("actions:rag_scale"), "RAG scale"),
    )
