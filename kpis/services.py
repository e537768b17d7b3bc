"""Every write of KPI data: returns, corrections, verification, definitions, comparators and periods."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action, Recommendation
from core.audit import audit_event, audit_record, audit_record_all, audited_update, snapshot
from core.jobs import enqueue_on_commit
from core.models import AuditEvent, Partnership, User
from core.permissions import require_perm
from kpis.figures import written_places
from kpis.models import Comparator, DataQuality, Indicator, Return, ReturnPeriod
from kpis.selectors import ReturnKey, current_return_for, current_returns_for
from kpis.validation import (
    FigureError,
    check_breakdown,
    check_denominator,
    check_fraction,
    check_period,
    check_value,
)


@dataclass(frozen=True)
class Figures:
    value: Decimal
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""
    qualifier: str = ""  # "around", "over"...: where the figure is approximate, as its source words it


@dataclass(frozen=True)
class ReturnInput:
    indicator: Indicator
    period: ReturnPeriod
    figures: Figures
    breakdown: str = ""  # one group of the indicator's breakdown_topic; empty for the whole cohort

    @property
    def key(self) -> ReturnKey:
        """The figure it stands for: a later return for the same key replaces it."""
        return (self.indicator.pk, self.period.pk, self.breakdown)


def figure_errors(item: ReturnInput) -> dict[str, str]:
    """Each rule the figures break, by the field at fault."""
    errors: dict[str, str] = {}
    checks = [
        ("period", lambda: check_period(item.indicator, item.period)),
        ("breakdown", lambda: check_breakdown(item.indicator, item.breakdown)),
        ("value", lambda: check_value(item.indicator, item.figures.value)),
        ("denominator", lambda: check_denominator(item.figures.denominator)),
        (
            "numerator",
            lambda: check_fraction(
                item.indicator, item.figures.value, item.figures.numerator, item.figures.denominator
            ),
        ),
    ]
    for field, check in checks:
        try:
            check()
        except FigureError as error:
            errors[field] = str(error)
    return errors


def checked_return(*, user: User, item: ReturnInput, previous: Return | None) -> Return:
    """The return as it will be recorded, not yet saved, once the user may submit it and its figures hold;
    `previous` is the figure standing for its period and group, which it corrects."""
    indicator, period, figures = item.indicator, item.period, item.figures
    if period.partnership_id != indicator.partnership_id:
        raise PermissionDenied("That period belongs to another partnership.")
    if not user.has_perm("kpis.submit_return", indicator):
        raise PermissionDenied(
            f"{indicator.code} is returned by {indicator.owner_organisation}, not your organisation."
        )
    errors = figure_errors(item)
    if errors:
        raise ValidationError(errors)
    return Return(
        indicator=indicator,
        partnership=indicator.partnership,
        period=period,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        reference_date=period.end,
        breakdown=item.breakdown,
        value=figures.value,
        decimal_places=written_places(figures.value),
        qualifier=figures.qualifier,
        numerator=figures.numerator,
        denominator=figures.denominator,
        note=figures.note,
        data_quality=DataQuality.PROVISIONAL,
        supersedes=previous,
        submitted_by=user,
        submitted_at=timezone.now(),
    )


def submitted_event(user: User, returned: Return) -> AuditEvent:
    previous = returned.supersedes
    return audit_event(
        actor=user,
        verb=AuditEvent.Verb.CORRECTED if previous else AuditEvent.Verb.SUBMITTED,
        instance=returned,
        partnership=returned.partnership,
        before=snapshot(previous) if previous else None,
        after=snapshot(returned),
    )


@transaction.atomic
def return_submit(*, user: User, item: ReturnInput) -> Return:
    """Record a return; where the period already has one (for the same group, or for the whole cohort), the new
    row corrects it and the old one stays."""
    previous = current_return_for(item.indicator, item.period, item.breakdown)
    returned = checked_return(user=user, item=item, previous=previous)
    returned.save()
    submitted_event(user, returned).save()
    tell_who_queried([returned])
    return returned


@transaction.atomic
def returns_submit_all(*, user: User, items: Iterable[ReturnInput]) -> list[Return]:
    """Record every return or none: any one that fails refuses the whole set. The set and its audit records are
    written in one statement each (a 30-row upload made 60 before); bulk_create gives the new rows their keys, as
    the audit records need, on PostgreSQL and on SQLite from 3.35 (Debian 12 has 3.40)."""
    items = list(items)
    keys = [item.key for item in items]
    standing = current_returns_for(set(keys))
    checked = []
    seen: set[ReturnKey] = set()
    for item, key in zip(items, keys, strict=True):
        if key in seen:
            group = f" ({item.breakdown})" if item.breakdown else ""
            raise ValidationError(f"{item.indicator.code}{group} for {item.period.label} appears twice.")
        seen.add(key)
        checked.append(checked_return(user=user, item=item, previous=standing.get(key)))
    saved = Return.objects.bulk_create(checked)
    audit_record_all([submitted_event(user, returned) for returned in saved])
    tell_who_queried(saved)
    return saved


def tell_who_queried(saved: list[Return]) -> None:
    """A correction answers a query: whoever asked it is e-mailed that the figure is ready to verify again."""
    for returned in saved:
        if returned.supersedes is not None and returned.supersedes.queried_by_id is not None:
            enqueue_on_commit("kpis.send_correction_email", return_id=returned.pk)


def check_verifiable(user: User, returned: Return) -> None:
    require_perm(user, "kpis.verify_returns", returned)
    if not returned.awaiting_verification or hasattr(returned, "superseded_by"):
        raise ValidationError("This return is not waiting for verification.")


@transaction.atomic
def return_verify(*, user: User, returned: Return) -> Return:
    check_verifiable(user, returned)
    audited_update(
        actor=user,
        instance=returned,
        verb=AuditEvent.Verb.VERIFIED,
        partnership=returned.partnership,
        data_quality=DataQuality.VERIFIED,
        verified_by=user,
        verified_at=timezone.now(),
    )
    return returned


@transaction.atomic
def return_query(*, user: User, returned: Return, reason: str) -> Return:
    """Send a return back to its organisation with a reason, by e-mail to whoever returned it; they answer with a
    correction."""
    check_verifiable(user, returned)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you are querying this return"})
    audited_update(
        actor=user,
        instance=returned,
        verb=AuditEvent.Verb.QUERIED,
        partnership=returned.partnership,
        query_reason=reason.strip(),
        queried_by=user,
        queried_at=timezone.now(),
    )
    enqueue_on_commit("kpis.send_query_email", return_id=returned.pk)
    return returned


@transaction.atomic
def indicator_save(
    *,
    user: User,
    indicator: Indicator,
    recommendations: Iterable[Recommendation],
    actions: Iterable[Action],
    sef_area_ids: Iterable[int],
) -> Indicator:
    """Create or change a definition. The values already returned for it stay as they were."""
    require_perm(user, "kpis.manage_indicators", indicator.partnership)
    if indicator.owner_organisation.partnership_id != indicator.partnership_id:
        raise PermissionDenied("The owning organisation belongs to another partnership.")
    before = snapshot(Indicator.objects.get(pk=indicator.pk)) if indicator.pk else None
    indicator.full_clean()
    indicator.save()
    indicator.recommendations.set(recommendations)
    indicator.actions.set(actions)
    indicator.sef_areas.set(sef_area_ids)
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.UPDATED if before else AuditEvent.Verb.CREATED,
        instance=indicator,
        partnership=indicator.partnership,
        before=before,
        after=snapshot(indicator),
    )
    return indicator


@transaction.atomic
def comparator_record(
    *,
    user: User,
    indicator: Indicator,
    geography: str,
    period_label: str,
    reference_date: date,
    value: Decimal | None,
    note: str,
    source_document: str,
    source_quote: str = "",
    qualifier: str = "",
) -> Comparator:
    require_perm(user, "kpis.manage_indicators", indicator.partnership)
    comparator = Comparator(
        indicator=indicator,
        geography=geography,
        period_label=period_label,
        reference_date=reference_date,
        value=value,
        decimal_places=written_places(value),
        qualifier=qualifier,
        note=note,
        source_document=source_document,
        source_quote=source_quote,
    )
    comparator.full_clean()
    comparator.save()
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.RECORDED,
        instance=comparator,
        partnership=indicator.partnership,
        after=snapshot(comparator),
    )
    return comparator


@transaction.atomic
def return_period_open(
    *,
    user: User,
    partnership: Partnership,
    frequency: str,
    label: str,
    start: date,
    end: date,
    deadline: date,
) -> ReturnPeriod:
    require_perm(user, "kpis.manage_indicators", partnership)
    period = ReturnPeriod(
        partnership=partnership, frequency=frequency, label=label, start=start, end=end, deadline=deadline
    )
    period.full_clean()
    period.save()
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.OPENED,
        instance=period,
        partnership=partnership,
        after=snapshot(period),
    )
    return period


@transaction.atomic
def return_period_close(*, user: User, period: ReturnPeriod) -> ReturnPeriod:
    require_perm(user, "kpis.manage_indicators", period.partnership)
    before = snapshot(period)
    period.is_open = False
    period.save(update_fields=["is_open"])
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.CLOSED,
        instance=period,
        partnership=period.partnership,
        before=before,
        after=snapshot(period),
    )
    return period
