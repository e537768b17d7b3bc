from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from core.http import PortalRequest
from core.permissions import permission_required
from core.rules import officer_organisations
from core.spreadsheets import XLSX_TYPE, csv_download, download
from kpis import exports, figures, national_selectors, selectors, services, uploads
from kpis.forms import (
    ComparatorForm,
    IndicatorForm,
    QueryForm,
    ReturnForm,
    ReturnPeriodForm,
    UploadForm,
    standing_figures,
)
from kpis.models import Indicator, ReturnPeriod
from kpis.validation import FigureError, check_period

UPLOAD_SESSION = "kpi-upload-rows"


def organisations_of(request: PortalRequest) -> set[int]:
    return officer_organisations(request.user, request.partnership)


# Reading


@permission_required("core.view_partnership")
def indicator_list(request: PortalRequest) -> HttpResponse:
    indicators = selectors.indicator_list(request.partnership, request.user, by="title")
    return render(request, "kpis/indicator_list.html", {"indicators": indicators})


@permission_required("core.view_partnership")
def indicator_detail(request: PortalRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.partnership, request.user, pk)
    history = list(selectors.indicator_history(indicator))
    current = [r for r in history if not hasattr(r, "superseded_by")]
    breakdowns = figures.breakdowns(indicator, selectors.all_breakdowns(indicator))
    return render(
        request,
        "kpis/indicator_detail.html",
        {
            "indicator": indicator,
            "history": history,
            "latest": max(current, key=lambda r: (r.reference_date, r.submitted_at, r.pk), default=None),
            "comparators": selectors.indicator_comparators(indicator),
            "neighbours": national_selectors.neighbour_figures(indicator),
            "breakdowns": breakdowns,
            "groups_chart": figures.breakdown_chart(indicator, breakdowns[0].groups) if breakdowns else "",
            "national_groups": national_selectors.national_breakdowns(indicator),
            "is_admin": request.user.has_perm("kpis.manage_indicators", request.partnership),
        },
    )


# Returns due and entering one


@permission_required("kpis.submit_returns")
def returns_due(request: PortalRequest) -> HttpResponse:
    due = selectors.returns_due(request.partnership, organisations_of(request))
    return render(request, "kpis/returns_due.html", {"due": due})


def draft_key(indicator: Indicator, period: ReturnPeriod) -> str:
    return f"kpi-return-{indicator.pk}-{period.pk}"


def return_subjects(request: PortalRequest, pk: int, period_pk: int) -> tuple[Indicator, ReturnPeriod]:
    partnership = request.partnership
    indicator = selectors.owned_indicator(partnership, organisations_of(request), pk)
    return indicator, selectors.period_in(partnership, period_pk)


@permission_required("kpis.submit_returns")
def return_enter(request: PortalRequest, pk: int, period_pk: int) -> HttpResponse:
    indicator, period = return_subjects(request, pk, period_pk)
    key = draft_key(indicator, period)
    current = selectors.current_return_for(indicator, period)
    form = ReturnForm(
        request.POST or None,
        indicator=indicator,
        known_groups=groups_of(indicator),
        initial=request.session.get(key) or (current and standing_figures(current)),
    )
    period_problem = period_error(indicator, period)
    if request.method == "POST" and period_problem:
        form.is_valid()
        form.add_error(None, period_problem)
    elif request.method == "POST" and form.is_valid():
        request.session[key] = {name: request.POST.get(name, "").strip() for name in form.fields}
        return redirect("kpis:return_check", pk=indicator.pk, period_pk=period.pk)
    return render(
        request,
        "kpis/return_enter.html",
        {
            "indicator": indicator,
            "period": period,
            "form": form,
            "period_problem": period_problem,
            "current": current,
        },
    )


def groups_of(indicator: Indicator) -> list[str]:
    """The groups already returned for a broken-down indicator; no query for one that is not."""
    if not indicator.breakdown_topic:
        return []
    return selectors.known_breakdowns(Indicator.objects.filter(pk=indicator.pk)).get(indicator.pk, [])


def period_error(indicator: Indicator, period: ReturnPeriod) -> str:
    try:
        check_period(indicator, period)
    except FigureError as error:
        return str(error)
    return ""


@permission_required("kpis.submit_returns")
def return_check(request: PortalRequest, pk: int, period_pk: int) -> HttpResponse:
    indicator, period = return_subjects(request, pk, period_pk)
    key = draft_key(indicator, period)
    form = ReturnForm(request.session.get(key), indicator=indicator, known_groups=groups_of(indicator))
    if key not in request.session or not form.is_valid():
        return redirect("kpis:return_enter", pk=indicator.pk, period_pk=period.pk)
    if request.method == "POST":
        item = services.ReturnInput(
            indicator=indicator,
            period=period,
            figures=services.Figures(
                value=form.cleaned_data["value"],
                numerator=form.cleaned_data["numerator"],
                denominator=form.cleaned_data["denominator"],
                note=form.cleaned_data["note"],
                qualifier=form.cleaned_data["qualifier"],
            ),
            breakdown=form.cleaned_data["breakdown"],
        )
        try:
            services.return_submit(user=request.user, item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("kpis:return_enter", pk=indicator.pk, period_pk=period.pk)
        del request.session[key]
        group = item.breakdown
        messages.success(
            request, f"Return saved: {indicator.title}, {period.label}{f' ({group})' if group else ''}"
        )
        return redirect("kpis:returns_due")
    group = form.cleaned_data["breakdown"]
    return render(
        request,
        "kpis/return_check.html",
        {
            "indicator": indicator,
            "period": period,
            "answers": form.cleaned_data,
            # The enter page already said whether the whole cohort's figure is a correction; a group's is said here.
            "current": selectors.current_return_for(indicator, period, group) if group else None,
        },
    )


# Spreadsheet upload


@permission_required("kpis.submit_returns")
def upload(request: PortalRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    report: list[uploads.RowError] = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            rows = uploads.table_rows(uploads.read_table(file.name, file.read(uploads.MAX_BYTES + 1)))
        except uploads.FileProblem as problem:
            form.report_problem(str(problem))
        else:
            report = checker_for(request).check(rows.returns).errors
            if not report:
                request.session[UPLOAD_SESSION] = rows.returns
                if rows.without_figures:
                    messages.info(request, left_without_figures(rows.without_figures))
                return redirect("kpis:upload_preview")
            form.report_problem(upload_failure(report))
    return upload_page(request, form, report)


def checker_for(request: PortalRequest) -> uploads.RowChecker:
    return uploads.RowChecker(request.partnership, organisations_of(request))


def left_without_figures(count: int) -> str:
    rows = "1 row of your file has" if count == 1 else f"{count} rows of your file have"
    return f"{rows} no figure, so {'it is' if count == 1 else 'they are'} left out: those figures are still owed."


def upload_failure(report: list[uploads.RowError]) -> str:
    problems, them = ("1 problem", "it") if len(report) == 1 else (f"{len(report)} problems", "them")
    return (
        f"The file has {problems}, listed below. Nothing has been saved: fix {them} and upload the file again"
    )


def upload_page(request: PortalRequest, form: UploadForm, report: list[uploads.RowError]) -> HttpResponse:
    return render(
        request,
        "kpis/upload.html",
        {
            "form": form,
            "report": report,
            "columns": uploads.COLUMN_HELP.items(),
            "max_rows": uploads.MAX_ROWS,
        },
    )


@permission_required("kpis.submit_returns")
def upload_preview(request: PortalRequest) -> HttpResponse:
    rows = request.session.get(UPLOAD_SESSION)
    if not rows:
        return redirect("kpis:upload")
    checked = checker_for(request).check(rows)
    if checked.errors:
        # Something changed since the file was checked, such as a period closing: report it as for a new file.
        del request.session[UPLOAD_SESSION]
        form = UploadForm()
        form.report_problem(upload_failure(checked.errors))
        return upload_page(request, form, checked.errors)
    if request.method == "POST":
        try:
            saved = services.returns_submit_all(user=request.user, items=checked.items)
        except (ValidationError, PermissionDenied) as error:
            del request.session[UPLOAD_SESSION]
            messages.error(request, f"Nothing was saved: {error}")
            return redirect("kpis:upload")
        del request.session[UPLOAD_SESSION]
        count = "1 return" if len(saved) == 1 else f"{len(saved)} returns"
        messages.success(request, f"{count} saved from your file")
        return redirect("kpis:returns_due")
    # A figure already returned for the same indicator, period and group is replaced on saving: said before it is.
    standing = selectors.current_returns_for({item.key for item in checked.items})
    rows = [(item, standing.get(item.key)) for item in checked.items]
    return render(
        request,
        "kpis/upload_preview.html",
        {"rows": rows, "replacing": sum(1 for _, replaced in rows if replaced)},
    )


@permission_required("kpis.submit_returns")
def upload_cancel(request: PortalRequest) -> HttpResponse:
    if request.method == "POST":
        request.session.pop(UPLOAD_SESSION, None)
        messages.info(request, "Upload cancelled: nothing was saved")
    return redirect("kpis:upload")


def owed_in_open_periods(request: PortalRequest) -> tuple[list[tuple[str, str, str]], bool]:
    """What the organisation owes (each indicator's code and name, and the period), and whether any of it is broken
    down into groups."""
    due = selectors.returns_due(request.partnership, organisations_of(request))
    owed = [(d.indicator.code, d.indicator.title, d.period.label) for d in due]
    return owed, any(d.indicator.breakdown_topic for d in due)


@permission_required("kpis.submit_returns")
@require_GET
def template_csv(request: PortalRequest) -> HttpResponse:
    return csv_download(uploads.template_csv(*owed_in_open_periods(request)), "returns-template.csv")


@permission_required("kpis.submit_returns")
@require_GET
def template_xlsx(request: PortalRequest) -> HttpResponse:
    return download(uploads.template_xlsx(*owed_in_open_periods(request)), XLSX_TYPE, "returns-template.xlsx")


# Verification


@permission_required("kpis.verify_returns")
def verify_list(request: PortalRequest) -> HttpResponse:
    waiting = selectors.awaiting_verification(request.partnership)
    return render(request, "kpis/verify_list.html", {"waiting": waiting})


@permission_required("kpis.verify_returns")
def verify_return(request: PortalRequest, pk: int) -> HttpResponse:
    returned = selectors.return_to_verify(request.partnership, pk)
    if returned is None:  # a second press of the button, or a colleague got there first
        messages.info(
            request, "That return is no longer waiting: it was verified, queried or corrected since."
        )
        return redirect("kpis:verify_list")
    form = QueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == "verify":
            services.return_verify(user=request.user, returned=returned)
            messages.success(request, f"Verified: {returned.indicator.title}, {returned.period_label}")
        else:
            services.return_query(user=request.user, returned=returned, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                f"Queried with {returned.indicator.owner_organisation}: {returned.indicator.title}. "
                "Whoever returned it gets your reason by e-mail.",
            )
        return redirect("kpis:verify_list")
    return render(
        request,
        "kpis/verify_return.html",
        {"returned": returned, "before": selectors.figure_before(returned), "form": form},
    )


# Indicator admin


@permission_required("kpis.manage_indicators")
def indicator_create(request: PortalRequest) -> HttpResponse:
    return indicator_form(request, Indicator(partnership=request.partnership))


@permission_required("kpis.manage_indicators")
def indicator_edit(request: PortalRequest, pk: int) -> HttpResponse:
    return indicator_form(request, selectors.indicator_for(request.partnership, request.user, pk))


def indicator_form(request: PortalRequest, indicator: Indicator) -> HttpResponse:
    creating = indicator.pk is None
    form = IndicatorForm(
        request.POST or None,
        instance=indicator,
        partnership=request.partnership,
        initial={"visible_to_roles": indicator.visible_to_roles},
    )
    if request.method == "POST" and form.is_valid():
        unsaved = form.save(commit=False)
        unsaved.visible_to_roles = form.cleaned_data["visible_to_roles"]
        try:
            saved = services.indicator_save(
                user=request.user,
                indicator=unsaved,
                recommendations=form.cleaned_data["recommendations"],
                actions=form.cleaned_data["actions"],
                sef_area_ids=[area.pk for area in form.cleaned_data["sef_areas"]],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{'Created' if creating else 'Saved'} {saved.code}: {saved.title}")
            return redirect(saved)
    return render(
        request,
        "kpis/indicator_form.html",
        {"form": form, "indicator": indicator, "creating": creating},
    )


@permission_required("kpis.manage_indicators")
def comparator_create(request: PortalRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_for(request.partnership, request.user, pk)
    form = ComparatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comparator_record(user=request.user, indicator=indicator, **form.cleaned_data)
        messages.success(request, f"Comparator recorded for {indicator.title}")
        return redirect(indicator)
    return render(request, "kpis/comparator_form.html", {"form": form, "indicator": indicator})


@permission_required("kpis.manage_indicators")
def periods(request: PortalRequest) -> HttpResponse:
    return render(request, "kpis/periods.html", {"periods": selectors.all_periods(request.partnership)})


@permission_required("kpis.manage_indicators")
def period_create(request: PortalRequest) -> HttpResponse:
    partnership = request.partnership
    form = ReturnPeriodForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.return_period_open(
                user=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{period.label} is open for returns")
            return redirect("kpis:periods")
    return render(request, "kpis/period_form.html", {"form": form})


@permission_required("kpis.manage_indicators")
@require_POST
def period_close(request: PortalRequest, pk: int) -> HttpResponse:
    period = selectors.period_in(request.partnership, pk)
    services.return_period_close(user=request.user, period=period)
    messages.success(request, f"{period.label} is closed: no more returns can be entered for it")
    return redirect("kpis:periods")


# Export


@permission_required("core.view_partnership")
def export(request: PortalRequest) -> HttpResponse:
    return render(request, "kpis/export.html", {"dictionary": exports.DATA_DICTIONARY})


def export_name(request: PortalRequest, extension: str) -> str:
    return f"{slugify(request.partnership.short_name)}-kpi-values.{extension}"


@permission_required("core.view_partnership")
@require_GET
def export_csv(request: PortalRequest) -> HttpResponse:
    rows = selectors.export_rows(request.partnership, request.user)
    return csv_download(exports.as_csv(rows), export_name(request, "csv"))


@permission_required("core.view_partnership")
@require_GET
def export_xlsx(request: PortalRequest) -> HttpResponse:
    rows = selectors.export_rows(request.partnership, request.user)
    return download(exports.as_xlsx(rows), XLSX_TYPE, export_name(request, "xlsx"))


@permission_required("core.view_partnership")
@require_GET
def export_json(request: PortalRequest) -> HttpResponse:
    rows = selectors.export_rows(request.partnership, request.user)
    return download(exports.as_json(rows), "application/json", export_name(request, "json"))
