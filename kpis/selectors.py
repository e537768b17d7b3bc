"""Every read of KPI data. Scoping to the partnership and to restricted indicators lives here."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Membership, Organisation, Partnership, User
from core.planning import statements_planned_for_their_values
from kpis.models import Comparator, Indicator, Return, ReturnPeriod

# Who reads: a person, whose permissions (kpis.rules) decide; or the audience of a published pack, by its roles.
Reader = User | frozenset[str]


def sees(reader: Reader, indicator: Indicator) -> bool:
    if isinstance(reader, frozenset):
        return indicator.visible_to(reader)
    return reader.has_perm("kpis.view_indicator", indicator)


def hidden_indicators(partnership: Partnership, reader: Reader) -> list[int]:
    """The restricted indicators this reader may not see, by id: what the partnership's pages show them varies
    by nothing else."""
    if not isinstance(reader, frozenset) and reader.has_perm("kpis.view_every_indicator", partnership):
        return []
    # JSON containment has no SQLite lookup, so the few restricted definitions are read and checked here.
    restricted = (
        Indicator.objects.filter(partnership=partnership, restricted=True)
        .only("pk", "partnership", "restricted", "visible_to_roles")
        .order_by("pk")
    )
    return [indicator.pk for indicator in restricted if not sees(reader, indicator)]


def visible_indicators(partnership: Partnership, reader: Reader) -> QuerySet[Indicator]:
    indicators = Indicator.objects.filter(partnership=partnership)
    hidden = hidden_indicators(partnership, reader)
    return indicators.exclude(pk__in=hidden) if hidden else indicators


def current_returns() -> QuerySet[Return]:
    """Returns that no correction has replaced: headline figures and breakdowns both."""
    return Return.objects.filter(superseded_by__isnull=True)


def headline_returns() -> QuerySet[Return]:
    """Current returns for the whole cohort, never a breakdown's: the one rule for "the indicator's figure",
    read by its latest value, its trend, the board, the pack and the public pages."""
    return current_returns().filter(breakdown="")


def known_by(when: datetime) -> Q:
    """Returns as they were known at a time: a figure entered in the portal from when it was submitted; one
    loaded from a published document (no submitter) from the date it describes, not the day it was loaded."""
    return Q(submitted_by__isnull=False, submitted_at__lte=when) | Q(
        submitted_by__isnull=True, reference_date__lte=timezone.localdate(when)
    )


# The order in which a return is an indicator's latest.
LATEST_FIRST = ("-reference_date", "-submitted_at", "-pk")


def with_latest_return(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    latest = headlines_latest_first(OuterRef("pk"))
    return indicators.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_places=Subquery(latest.values("decimal_places")[:1]),
        latest_numerator=Subquery(latest.values("numerator")[:1]),
        latest_qualifier=Subquery(latest.values("qualifier")[:1]),
        latest_denominator=Subquery(latest.values("denominator")[:1]),
        latest_period=Subquery(latest.values("period_label")[:1]),
        # For an indicator that holds only figures for groups: the latest period it has them for.
        latest_breakdown_period=Subquery(breakdowns_latest_first(OuterRef("pk")).values("period_label")[:1]),
    )


def headlines_latest_first(indicator: OuterRef) -> QuerySet[Return]:
    return headline_returns().filter(indicator=indicator).order_by(*LATEST_FIRST)


def breakdowns_latest_first(indicator: OuterRef) -> QuerySet[Return]:
    return current_returns().filter(indicator=indicator).exclude(breakdown="").order_by(*LATEST_FIRST)


def with_latest_quality(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """The data quality of the latest figure shown for each indicator: the whole cohort's, or where there is
    none, the latest group's. Picked by id first, so that each column is read from the same return by its key."""
    shown_id = Coalesce(
        Subquery(headlines_latest_first(OuterRef("pk")).values("pk")[:1]),
        Subquery(breakdowns_latest_first(OuterRef("pk")).values("pk")[:1]),
    )
    shown = Return.objects.filter(pk=OuterRef("latest_shown_id")).order_by()
    return indicators.annotate(latest_shown_id=shown_id).annotate(
        latest_quality=Subquery(shown.values("data_quality")),
        latest_submitted_by=Subquery(shown.values("submitted_by")),
        latest_verified_at=Subquery(shown.values("verified_at")),
        latest_queried_at=Subquery(shown.values("queried_at")),
        latest_verifier_organisation=Subquery(
            with_verifier_organisation(shown).values("verifier_organisation")  # type: ignore[misc]
        ),
    )


def indicator_list(partnership: Partnership, reader: Reader, *, by: str = "code") -> list[Indicator]:
    """Every indicator the reader may see, in the order of `by`, with its latest figure and that figure's quality.

    Read where PostgreSQL plans the statement for its values (core.planning): its one query reads each indicator's
    latest figure through a dozen correlated subqueries, and the plan PostgreSQL keeps for it after five runs fits no
    partnership (p95 118.8 ms with the kept plan, 45.3 ms planned each time, at 143 partnerships; bench_dashboards).
    """
    indicators = with_latest_quality(with_latest_return(visible_indicators(partnership, reader)))
    with statements_planned_for_their_values():
        return list(indicators.select_related("owner_organisation").order_by(by))


def indicator_for(partnership: Partnership, reader: Reader, pk: int) -> Indicator:
    """An indicator this user may see; another partnership's, or a restricted one, answers 404."""
    return get_object_or_404(
        visible_indicators(partnership, reader)
        .select_related("owner_organisation")
        .prefetch_related("recommendations", "actions", "sef_areas"),
        pk=pk,
    )


def with_verifier_organisation(returns: QuerySet[Return]) -> QuerySet[Return]:
    """Returns with the name of the organisation of whoever verified each, read in the same query."""
    membership = Membership.objects.filter(
        user=OuterRef("verified_by"), partnership=OuterRef("partnership")
    ).order_by("pk")
    return returns.annotate(verifier_organisation=Subquery(membership.values("organisation__name")[:1]))


def indicator_history(indicator: Indicator) -> QuerySet[Return]:
    """Every headline return for the indicator, corrections and what they replaced, oldest period first."""
    return with_verifier_organisation(
        indicator.returns.filter(breakdown="").select_related(
            "submitted_by", "verified_by", "superseded_by", "period"
        )
    ).order_by("reference_date", "period_label", "submitted_at", "pk")


def known_breakdowns(indicators: QuerySet[Indicator]) -> dict[int, list[str]]:
    """The groups already returned for each indicator that is broken down, in one query."""
    known: dict[int, list[str]] = {}
    rows = (
        Return.objects.filter(indicator__in=indicators.exclude(breakdown_topic=""))
        .exclude(breakdown="")
        .values_list("indicator_id", "breakdown")
        .distinct()
        .order_by("indicator_id", "breakdown")
    )
    for indicator_id, breakdown in rows:
        known.setdefault(indicator_id, []).append(breakdown)
    return known


def latest_breakdown(returns: Iterable[Return]) -> list[Return]:
    """Of returns already read, the breakdown of the latest period that has one, in the order entered (the
    order of its source document): the one rule the indicator page, the board and the pack follow."""
    grouped = [r for r in returns if r.breakdown]
    if not grouped:
        return []
    latest = max((r.reference_date, r.period_label) for r in grouped)
    return sorted((r for r in grouped if (r.reference_date, r.period_label) == latest), key=lambda r: r.pk)


def breakdowns_by_period(returns: Iterable[Return]) -> list[list[Return]]:
    """Of returns already read, the breakdown of every period that has one, newest period first, each in the
    order entered (the order of its source document)."""
    periods: dict[tuple[object, str], list[Return]] = {}
    for returned in sorted((r for r in returns if r.breakdown), key=lambda r: r.pk):
        periods.setdefault((returned.reference_date, returned.period_label), []).append(returned)
    return [periods[key] for key in sorted(periods, reverse=True)]


def all_breakdowns(indicator: Indicator) -> list[list[Return]]:
    """The indicator's current breakdowns of every period, newest first, in one query; none for an indicator
    that is not broken down (any figures left from before its topic was removed stay stored, unread)."""
    if not indicator.breakdown_topic:
        return []
    return breakdowns_by_period(current_returns().filter(indicator=indicator).exclude(breakdown=""))


def indicator_comparators(indicator: Indicator) -> QuerySet[Comparator]:
    return indicator.comparators.order_by("reference_date", "geography")


def open_periods(partnership: Partnership) -> QuerySet[ReturnPeriod]:
    return partnership.return_periods.filter(is_open=True).order_by("deadline", "frequency")


def all_periods(partnership: Partnership) -> QuerySet[ReturnPeriod]:
    return partnership.return_periods.order_by("-end", "frequency")


def period_in(partnership: Partnership, pk: int) -> ReturnPeriod:
    return get_object_or_404(ReturnPeriod, partnership=partnership, pk=pk)


@dataclass(frozen=True)
class Due:
    indicator: Indicator
    period: ReturnPeriod
    current: Return | None


def returns_due(partnership: Partnership, organisation_ids: set[int]) -> list[Due]:
    """For each open period, every indicator of that frequency the organisations own, with what is in."""
    # The latest figures' subqueries under a plan PostgreSQL kept cost 28-30 ms of its CPU, 6 ms planned each time.
    with statements_planned_for_their_values():
        indicators = list(
            with_latest_return(
                Indicator.objects.filter(partnership=partnership, owner_organisation_id__in=organisation_ids)
            )
            .select_related("owner_organisation")
            .order_by("code")
        )
    periods = list(open_periods(partnership))
    submitted = {
        (r.indicator_id, r.period_id): r
        for r in headline_returns().filter(period__in=periods, indicator__in=indicators)
    }
    return [
        Due(indicator, period, submitted.get((indicator.pk, period.pk)))
        for period in periods
        for indicator in indicators
        if indicator.frequency == period.frequency
    ]


def owned_indicator(partnership: Partnership, organisation_ids: set[int], pk: int) -> Indicator:
    """An indicator the user's organisation returns; another partnership's answers 404."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("owner_organisation"), partnership=partnership, pk=pk
    )
    if indicator.owner_organisation_id not in organisation_ids:
        raise PermissionDenied(
            f"{indicator.owner_organisation} returns this indicator, not your organisation."
        )
    return indicator


def current_return_for(indicator: Indicator, period: ReturnPeriod, breakdown: str = "") -> Return | None:
    """The figure standing for the period, for the whole cohort or for one group of it."""
    return current_returns().filter(indicator=indicator, period=period, breakdown=breakdown).first()


ReturnKey = tuple[int, int, str]  # indicator, period and group (blank for the whole cohort)


def current_returns_for(keys: set[ReturnKey]) -> dict[ReturnKey, Return]:
    """The figure standing for each indicator, period and group of an upload, in one query (one a row took
    two-thirds of confirming a 30-row upload)."""
    candidates = current_returns().filter(
        indicator__in={indicator for indicator, _, _ in keys}, period__in={period for _, period, _ in keys}
    )
    standing: dict[ReturnKey, Return] = {}
    for returned in candidates:  # in the model's order, so the first is current_return_for's
        key = (returned.indicator_id, returned.period_id, returned.breakdown)
        if key in keys:
            standing.setdefault(key, returned)
    return standing


def awaiting_verification(partnership: Partnership) -> QuerySet[Return]:
    return (
        current_returns()
        .filter(
            partnership=partnership, submitted_by__isnull=False, verified_at__isnull=True, query_reason=""
        )
        .select_related("indicator", "indicator__owner_organisation", "submitted_by", "period")
        .order_by("period__deadline", "indicator__code")
    )


def return_to_verify(partnership: Partnership, pk: int) -> Return | None:
    """A return awaiting verification, with the return it corrects and who queried that, which its page shows;
    None for one of the partnership's returns that is not waiting (decided or corrected since the page was
    opened), and 404 for any other."""
    waiting = (
        awaiting_verification(partnership).select_related("supersedes__queried_by").filter(pk=pk).first()
    )
    if waiting is None:
        get_object_or_404(Return, partnership=partnership, pk=pk)
    return waiting


def figure_before(returned: Return) -> Return | None:
    """The figure standing for the indicator's period before this return's, for the same group: what a lead
    compares a new figure with, where a slip of the keyboard shows as a jump."""
    return (
        current_returns()
        .filter(
            indicator_id=returned.indicator_id,
            breakdown=returned.breakdown,
            reference_date__lt=returned.reference_date,
        )
        .order_by("-reference_date", "-pk")
        .first()
    )


def export_rows(partnership: Partnership, reader: Reader) -> QuerySet[Return]:
    return (
        current_returns()
        .filter(indicator__in=visible_indicators(partnership, reader))
        .select_related("indicator")
        .order_by("indicator__code", "reference_date", "breakdown", "pk")
    )


def organisations_of(partnership: Partnership) -> QuerySet[Organisation]:
    return partnership.organisations.order_by("name")
