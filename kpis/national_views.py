"""The admin pages for national statistics: upload, check, import, history, the library and the neighbours."""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.http import PortalRequest
from core.permissions import permission_required
from kpis import national_selectors, national_services
from kpis.forms import NeighbourFileForm, StatisticalNeighboursForm, StatisticsFileForm
from kpis.library import LIBRARY, period_of
from kpis.neighbour_file import MAX_BYTES as MAX_NEIGHBOUR_BYTES
from kpis.statistics import ReadFile, StatisticsProblem, read_statistics
from kpis.uploads import FileProblem

PENDING_SESSION = "national-statistics-file"
MAX_BYTES = 100_000_000  # the largest published file the portal is built for is about 30 MB


@permission_required("kpis.manage_indicators")
def national_statistics(request: PortalRequest) -> HttpResponse:
    form = StatisticsFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.report_problem("The selected file must be smaller than 100 MB")
        else:
            path = national_services.pending_folder() / f"{uuid.uuid4().hex}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as saved:
                for chunk in upload.chunks():
                    saved.write(chunk)
            try:
                with path.open("rb") as stream:
                    read = read_statistics(stream)
            except StatisticsProblem as problem:
                path.unlink()
                form.report_problem(str(problem))
            else:
                forget_pending(request)
                request.session[PENDING_SESSION] = {
                    "path": path.name,
                    "name": upload.name,
                    "layout": read.layout.key,
                }
                return redirect("kpis:national_statistics_check")
    return render(
        request,
        "kpis/national_statistics.html",
        {"form": form, "history": national_selectors.import_history()[:50]},
    )


def forget_pending(request: PortalRequest) -> None:
    pending = request.session.pop(PENDING_SESSION, None)
    if pending:
        (national_services.pending_folder() / Path(pending["path"]).name).unlink(missing_ok=True)


@dataclass(frozen=True)
class OwnFigure:
    title: str
    unit: str
    period: str
    value: Decimal | None
    reason: str


def own_figures(read: ReadFile, ons_code: str) -> list[OwnFigure]:
    """The partnership's own headline figures in the file's latest period, to check before importing."""
    mine = [v for v in read.values if v[2] == ons_code and v[8]]
    if not mine:
        return []
    latest = max(v[3] for v in mine)
    return [
        OwnFigure(
            LIBRARY[v[0]].title,
            LIBRARY[v[0]].unit,
            period_of(v[3], read.layout.time_identifier).label,
            v[6],
            read.layout.reason_for(v[7]) if v[7] else "",
        )
        for v in mine
        if v[3] == latest
    ]


@permission_required("kpis.manage_indicators")
def national_statistics_check(request: PortalRequest) -> HttpResponse:
    pending: dict[str, str] = request.session.get(PENDING_SESSION) or {}
    path = national_services.pending_folder() / Path(pending.get("path", "missing")).name
    if not pending or not path.exists():
        return redirect("kpis:national_statistics")
    if request.method == "POST":
        # The file stays in the pending folder for the job, which removes it when done.
        request.session.pop(PENDING_SESSION, None)
        record = national_services.national_statistics_queue(
            user=request.user,
            partnership=request.partnership,
            file_name=pending["name"],
            layout=pending.get("layout", ""),
            pending_file=path.name,
        )
        return redirect(record)
    with path.open("rb") as stream:
        read = read_statistics(stream)
    periods = sorted({v[3] for v in read.values})
    return render(
        request,
        "kpis/national_statistics_check.html",
        {
            "read": read,
            "skipped": sorted(read.skipped.items()),
            "periods": [period_of(p, read.layout.time_identifier).label for p in periods],
            "own": own_figures(read, request.partnership.ons_code),
        },
    )


@permission_required("kpis.manage_indicators")
@require_GET
def national_statistics_import(request: PortalRequest, pk: int) -> HttpResponse:
    """How an import is going, then what became of its rows: the admin refreshes it while the job runs."""
    record = national_selectors.statistics_import_in(request.partnership, pk)
    return render(
        request,
        "kpis/national_statistics_import.html",
        {"record": record, "skipped": sorted(record.skipped.items())},
    )


@permission_required("kpis.manage_indicators")
@require_POST
def national_statistics_cancel(request: PortalRequest) -> HttpResponse:
    forget_pending(request)
    messages.info(request, "Import cancelled: nothing was imported")
    return redirect("kpis:national_statistics")


@permission_required("kpis.manage_indicators")
def national_library(request: PortalRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            adopted = national_services.national_indicator_adopt(
                user=request.user, partnership=request.partnership, code=request.POST.get("measure", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Added to your indicators: {adopted.title}")
            return redirect(adopted)
        return redirect("kpis:national_library")
    return render(
        request,
        "kpis/national_library.html",
        {"entries": national_selectors.library_for(request.partnership)},
    )


@permission_required("kpis.manage_indicators")
def statistical_neighbours(request: PortalRequest) -> HttpResponse:
    codes = national_selectors.neighbour_codes(request.partnership)
    form = StatisticalNeighboursForm(request.POST or None, initial={"codes": "\n".join(codes)})
    if request.method == "POST" and form.is_valid():
        try:
            national_services.statistical_neighbours_set(
                user=request.user, partnership=request.partnership, codes=form.cleaned_data["codes"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Statistical neighbours saved; their figures are up to date")
            return redirect("kpis:statistical_neighbours")
    return neighbours_page(request, form, NeighbourFileForm())


@permission_required("kpis.manage_indicators")
@require_POST
def statistical_neighbours_import(request: PortalRequest) -> HttpResponse:
    file_form = NeighbourFileForm(request.POST, request.FILES)
    if file_form.is_valid():
        upload = file_form.cleaned_data["file"]
        try:
            count = national_services.statistical_neighbours_import(
                user=request.user,
                partnership=request.partnership,
                file_name=upload.name,
                content=upload.read(MAX_NEIGHBOUR_BYTES + 1),
            )
        except (FileProblem, ValidationError) as problem:
            file_form.report_problem(" ".join(getattr(problem, "messages", [str(problem)])))
        else:
            messages.success(
                request,
                f"{count} statistical neighbours imported from the benchmarking tool; their figures are up to date",
            )
            return redirect("kpis:statistical_neighbours")
    codes = national_selectors.neighbour_codes(request.partnership)
    return neighbours_page(request, StatisticalNeighboursForm(initial={"codes": "\n".join(codes)}), file_form)


def neighbours_page(
    request: PortalRequest, form: StatisticalNeighboursForm, file_form: NeighbourFileForm
) -> HttpResponse:
    return render(
        request,
        "kpis/statistical_neighbours.html",
        {
            "form": form,
            "file_form": file_form,
            "neighbours": national_selectors.neighbour_names(request.partnership),
        },
    )
