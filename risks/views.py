from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.http import PortalRequest
from core.pages import form_page
from core.permissions import permission_required
from risks import selectors, services
from risks.exports import risk_log_export
from risks.forms import MatrixForm, ReasonForm, RescoreForm, RiskForm
from risks.models import Risk

BACK_TO_LOG = "Back to the risk log"


def editable_risk(request: PortalRequest, pk: int) -> Risk:
    """The risk, if this person may change it: its owner or an admin; others get 403."""
    found = selectors.risk_in(request.partnership, pk)
    if not request.user.has_perm("risks.change_risk", found):
        raise PermissionDenied("Only the risk's owner and the partnership's admins change a risk.")
    return found


@require_GET
@permission_required("core.view_partnership")
def index(request: PortalRequest) -> HttpResponse:
    matrix = selectors.matrix_of(request.partnership)
    live = selectors.live_risks(request.partnership)
    closed = list(selectors.risks_in(request.partnership).filter(status=Risk.Status.CLOSED))
    return render(
        request,
        "risks/index.html",
        {
            "matrix": matrix,
            "live": live,
            "closed": closed,
            "heat_map": selectors.heat_map(matrix, live),
            "can_raise": request.user.has_perm("risks.raise_risk", request.partnership),
            "can_set_matrix": request.user.has_perm("risks.set_matrix", request.partnership),
            "today": timezone.localdate(),
        },
    )


def risk_form(request: PortalRequest, *, initial: dict[str, object] | None = None, scored: bool) -> RiskForm:
    return RiskForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        owners=selectors.possible_owners(request.partnership),
        actions=selectors.plan_actions(request.partnership),
        matrix=selectors.matrix_of(request.partnership) if scored else None,
    )


@require_http_methods(["GET", "POST"])
@permission_required("risks.raise_risk")
def risk_add(request: PortalRequest) -> HttpResponse:
    form = risk_form(request, initial={"owner": request.user.pk}, scored=True)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.risk_raise(
                actor=request.user,
                partnership=request.partnership,
                data={**form.details(), **form.scores()},
                actions=list(form.cleaned_data["actions"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Risk {added.number} added to the log.")
            return redirect(added)
    return form_page(
        request,
        form,
        heading="Add a risk",
        caption="SEND risk log",
        back=(reverse("risks:index"), BACK_TO_LOG),
        submit_label="Add the risk",
    )


@require_GET
@permission_required("core.view_partnership")
def risk(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.risk_in(request.partnership, pk)
    matrix = selectors.matrix_of(request.partnership)
    changes = list(found.score_changes.all())
    details = list(found.detail_changes.all())
    return render(
        request,
        "risks/risk.html",
        {
            "risk": found,
            "matrix": matrix,
            "history": list(zip(changes, [None, *changes[:-1]], strict=True))[::-1],
            "statuses": list(zip(details, [None, *details[:-1]], strict=True))[::-1],
            "can_edit": request.user.has_perm("risks.change_risk", found) and found.is_live,
            "can_reopen": request.user.has_perm("risks.change_risk", found) and not found.is_live,
            "overdue": found.is_live and found.review_date < timezone.localdate(),
        },
    )


def risk_back(found: Risk) -> tuple[str, str]:
    return found.get_absolute_url(), f"Back to risk {found.number}"


@require_http_methods(["GET", "POST"])
@permission_required("core.view_partnership")
def risk_edit(request: PortalRequest, pk: int) -> HttpResponse:
    found = editable_risk(request, pk)
    form = risk_form(request, initial=RiskForm.initial_for(found), scored=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_update(
                actor=request.user,
                risk=found,
                data=form.details(),
                actions=list(form.cleaned_data["actions"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Risk saved.")
            return redirect(found)
    return form_page(
        request, form, heading=f"Change risk {found.number}", caption=found.title, back=risk_back(found)
    )


@require_http_methods(["GET", "POST"])
@permission_required("core.view_partnership")
def risk_rescore(request: PortalRequest, pk: int) -> HttpResponse:
    found = editable_risk(request, pk)
    form = RescoreForm(
        request.POST if request.method == "POST" else None,
        matrix=selectors.matrix_of(request.partnership),
        initial={name: getattr(found, name) for name in services.SCORE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_rescore(
                actor=request.user,
                risk=found,
                scores=form.scores(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Risk {found.number} rescored: the change is in its history.")
            return redirect(found)
    return form_page(
        request,
        form,
        heading=f"Rescore risk {found.number}",
        caption=found.title,
        back=risk_back(found),
        submit_label="Save the new scores",
    )


@dataclass(frozen=True)
class ReasonStep:
    """A change of a risk's status that asks why: its page's words and the service that makes it. `{number}` is
    the risk's number and `{board}` the board risks are escalated to."""

    heading: str
    label: str
    missing: str
    button: str
    done: str
    service: Callable[..., object]


ESCALATE = ReasonStep(
    heading="Escalate risk {number} to the {board}",
    label="Why the {board} needs to know",
    missing="Enter why the risk is escalated",
    button="Escalate the risk",
    done="Risk {number} is escalated to the {board}.",
    service=services.risk_escalate,
)
CLOSE = ReasonStep(
    heading="Close risk {number}",
    label="Why the risk can be closed",
    missing="Enter why the risk can be closed",
    button="Close the risk",
    done="Risk {number} is closed. It stays on record with its history.",
    service=services.risk_close,
)
REOPEN = ReasonStep(
    heading="Reopen risk {number}",
    label="Why the risk is reopened",
    missing="Enter why the risk is reopened",
    button="Reopen the risk",
    done="Risk {number} is open again. Its closing stays in its history.",
    service=services.risk_reopen,
)


def reason_page(request: PortalRequest, pk: int, step: ReasonStep) -> HttpResponse:
    found = editable_risk(request, pk)
    words = {"number": found.number, "board": selectors.matrix_of(request.partnership).escalates_to}
    form = ReasonForm(
        request.POST if request.method == "POST" else None,
        label=step.label.format(**words),
        missing=step.missing,
    )
    if request.method == "POST" and form.is_valid():
        try:
            step.service(actor=request.user, risk=found, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, step.done.format(**words))
            return redirect(found)
    return form_page(
        request,
        form,
        heading=step.heading.format(**words),
        caption=found.title,
        back=risk_back(found),
        submit_label=step.button,
    )


@require_http_methods(["GET", "POST"])
@permission_required("core.view_partnership")
def risk_escalate(request: PortalRequest, pk: int) -> HttpResponse:
    return reason_page(request, pk, ESCALATE)


@require_http_methods(["GET", "POST"])
@permission_required("core.view_partnership")
def risk_close(request: PortalRequest, pk: int) -> HttpResponse:
    return reason_page(request, pk, CLOSE)


@require_http_methods(["GET", "POST"])
@permission_required("core.view_partnership")
def risk_reopen(request: PortalRequest, pk: int) -> HttpResponse:
    return reason_page(request, pk, REOPEN)


@require_http_methods(["GET", "POST"])
@permission_required("risks.set_matrix")
def matrix(request: PortalRequest) -> HttpResponse:
    current = selectors.matrix_of(request.partnership)
    form = MatrixForm(request.POST or None, initial=MatrixForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.matrix_set(
                actor=request.user,
                partnership=request.partnership,
                data=form.matrix_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Risk matrix saved.")
            return redirect("risks:index")
    return form_page(
        request,
        form,
        heading="The risk matrix",
        caption="SEND risk log",
        back=(reverse("risks:index"), BACK_TO_LOG),
    )


def export(request: PortalRequest, file_format: str) -> HttpResponse:
    risks = list(selectors.risks_in(request.partnership).prefetch_related("actions"))
    return risk_log_export(selectors.matrix_of(request.partnership), risks, file_format)


@require_GET
@permission_required("core.view_partnership")
def export_csv(request: PortalRequest) -> HttpResponse:
    return export(request, "csv")


@require_GET
@permission_required("core.view_partnership")
def export_xlsx(request: PortalRequest) -> HttpResponse:
    return export(request, "xlsx")
