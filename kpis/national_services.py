"""Every write of national statistics: importing a published file, adopting a national indicator, a partnership's
statistical neighbours, and the figures each partnership reads from the national values.

A partnership's own area's values become returns marked as published national statistics; England, its region
and the mean of its statistical neighbours become comparators, each with its period. Both are derived from the
stored national values, so importing the same file again, or refreshing, changes nothing
(docs/adr/0015-national-statistics.md).
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.audit import audit_record, audited_create, board_changed, snapshot
from core.jobs import send_task
from core.models import AuditEvent, Partnership, User
from core.permissions import require_perm
from core.planning import statements_planned_for_their_values
from kpis.figures import written_places
from kpis.library import LIBRARY, NationalMeasure, Period, measures_of, period_of
from kpis.models import Comparator, DataQuality, Geography, Indicator, Return
from kpis.national import ENGLAND_CODE, LocalAuthority, NationalValue, StatisticalNeighbour, StatisticsImport
from kpis.neighbour_file import neighbour_groups
from kpis.statistics import ReadFile, StatisticsProblem, Value, read_statistics

ENGLAND = ENGLAND_CODE
BATCH = 5_000
QUEUE_DOWN_MESSAGE = (
    "The file could not be queued because the job service is not available. Nothing was imported: upload it "
    "again in a few minutes."
)
IMPORT_FAILED_MESSAGE = (
    "Something went wrong while importing the file. Nothing was imported: try again later."
)
logger = logging.getLogger(__name__)


def source_of(item: NationalMeasure) -> str:
    """The source as readers see it: the publication, never the file name."""
    return f"{item.publication}, Department for Education"


@transaction.atomic
def national_statistics_import(
    *, user: User | None, partnership: Partnership | None, file_name: str, stream: IO[bytes]
) -> StatisticsImport:
    """Import one published file at once, all or nothing: an operator's command passes no user. A file already
    imported is refused, and nothing changes."""
    if user is not None:
        require_perm(user, "kpis.manage_indicators", partnership)
    record = StatisticsImport(file_name=file_name[:200], imported_by=user, partnership=partnership)
    import_file(record, stream)
    return record


def pending_folder() -> Path:
    """Where an uploaded file waits between its check and its import."""
    return Path(settings.MEDIA_ROOT) / "national-statistics"


@transaction.atomic
def national_statistics_queue(
    *, user: User, partnership: Partnership, file_name: str, layout: str, pending_file: str
) -> StatisticsImport:
    """An admin's import of a checked file, handed to a background job once this commits; its page shows how it
    goes. When the job service cannot take it, the import says so rather than waiting for ever."""
    require_perm(user, "kpis.manage_indicators", partnership)
    record = StatisticsImport.objects.create(
        layout=layout,
        file_name=file_name[:200],
        imported_by=user,
        partnership=partnership,
        status=StatisticsImport.Status.QUEUED,
        pending_file=Path(pending_file).name,
    )
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.REQUEST,
        instance=record,
        partnership=partnership,
        after=snapshot(record),
    )
    transaction.on_commit(lambda: statistics_job_send(record.pk))
    return record


def statistics_job_send(import_id: int) -> bool:
    if send_task("kpis.import_national_statistics", import_id=import_id):
        return True
    statistics_job_failed(import_id, QUEUE_DOWN_MESSAGE)
    return False


def statistics_job_failed(import_id: int, message: str) -> None:
    record = StatisticsImport.objects.get(pk=import_id)
    (pending_folder() / record.pending_file).unlink(missing_ok=True)
    StatisticsImport.objects.filter(pk=import_id).update(
        status=StatisticsImport.Status.FAILED, error=message, pending_file="", finished_at=timezone.now()
    )


def national_statistics_run(*, import_id: int) -> str:
    """The background job: imports a queued file, all or nothing. Safe to run twice: only a waiting import is
    claimed, so a second delivery of the job leaves it alone."""
    claimed = StatisticsImport.objects.filter(pk=import_id, status=StatisticsImport.Status.QUEUED).update(
        status=StatisticsImport.Status.RUNNING
    )
    if not claimed:
        return "not waiting"
    record = StatisticsImport.objects.get(pk=import_id)
    path = pending_folder() / record.pending_file
    try:
        with transaction.atomic(), path.open("rb") as stream:
            import_file(record, stream)
    except (StatisticsProblem, ValidationError) as problem:
        statistics_job_failed(import_id, " ".join(getattr(problem, "messages", [str(problem)])))
        return "refused"
    except Exception:
        logger.exception("National statistics import %s failed", import_id)
        statistics_job_failed(import_id, IMPORT_FAILED_MESSAGE)
        return "failed"
    path.unlink(missing_ok=True)
    return "imported"


def import_file(record: StatisticsImport, stream: IO[bytes]) -> None:
    """Reads, checks and stores one file into its import record, in the caller's transaction.

    The file is read twice: once for its checksum, so that a file already imported is refused before anything is
    stored, then to check and store its values a chunk at a time (kpis.statistics.read_statistics). A cell at
    fault found late in the file raises, and the caller's transaction undoes the chunks already stored."""
    checksum = hashlib.file_digest(stream, "sha256").hexdigest()  # type: ignore[arg-type]
    stream.seek(0)
    earlier = (
        StatisticsImport.objects.filter(checksum=checksum, status=StatisticsImport.Status.DONE)
        .exclude(pk=record.pk)
        .first()
    )
    if earlier:
        raise ValidationError(
            f"This file was imported on {timezone.localtime(earlier.imported_at):%-d %B %Y at %H:%M}: "
            "nothing has changed"
        )
    record.checksum = checksum
    record.status = StatisticsImport.Status.DONE
    record.pending_file = ""
    record.save()
    store = ValueStore(record)
    # A file adds hundreds of thousands of values in this transaction, and a plan kept for the chunks' lookup while
    # the table was nearly empty does not fit it later: in PostgreSQL's log of a 150,000-row import (bench_national)
    # the lookups took 38.0 s in all with the plan kept, 18.2 s planned each time.
    with statements_planned_for_their_values():
        read = read_statistics(stream, store.add)
    record.layout = read.layout.key
    record.rows_read = read.rows_read
    record.rows_used = read.rows_used
    record.skipped = dict(read.skipped)
    record.finished_at = timezone.now()
    record.save()
    note_authorities(read)
    refresh_indicators(
        Indicator.objects.filter(
            national_measure__in=[item.code for item in measures_of(read.layout)]
        ).select_related("partnership")
    )
    audit_record(
        actor=record.imported_by,
        verb=AuditEvent.Verb.IMPORTED,
        instance=record,
        partnership=record.partnership,
        after=snapshot(record),
    )


def note_authorities(read: ReadFile) -> None:
    """The national list of local authorities, as the latest file names them."""
    LocalAuthority.objects.bulk_create(
        [LocalAuthority(**vars(authority)) for authority in read.authorities.values()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["old_code", "name", "region_code", "region_name"],
    )


Key = tuple[str, str, str, str, str]  # measure, area code, time period, breakdown topic, breakdown


class ValueStore:
    """Stores a file's values a chunk at a time: adds what is new; a value a revised release changes is kept, no
    longer current, beside its replacement. Only the keys of the values seen so far are kept, to refuse a file
    that gives the same figure twice; each chunk's current values are looked up by their keys."""

    def __init__(self, record: StatisticsImport) -> None:
        self.record = record
        self.seen: set[Key] = set()

    def add(self, values: list[Value]) -> None:
        if not values:
            return
        record = self.record
        current = current_values([value[:1] + value[2:6] for value in values])
        added: list[tuple[object, ...]] = []
        replaced: list[int] = []
        for measure, level, area, time_period, topic, breakdown, value, missing, headline in values:
            key = (measure, area, time_period, topic, breakdown)
            if key in self.seen:
                raise ValidationError(
                    f"The file gives the same figure twice: {area}, {time_period}, {breakdown}. "
                    "Nothing was imported"
                )
            self.seen.add(key)
            before = current.get(key)
            if before is not None and before[1] == value and before[2] == missing:
                record.values_unchanged += 1
                continue
            if before is not None:
                replaced.append(before[0])
                record.values_revised += 1
            else:
                record.values_added += 1
            added.append(
                (
                    measure,
                    level,
                    area,
                    time_period,
                    topic,
                    breakdown,
                    value,
                    written_places(value),
                    missing,
                    headline,
                    record.pk,
                    True,
                )
            )
        if replaced:
            NationalValue.objects.filter(pk__in=replaced).update(current=False)
        copy_values(added)


# A lookup for each key, through the index of current values: joined as a set, the planner may instead sort the
# chunk against the whole table.
CURRENT_VALUES = """
    SELECT v.id, k.measure, k.area_code, k.time_period, k.breakdown_topic, k.breakdown, v.value, v.missing
    FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
        AS k (measure, area_code, time_period, breakdown_topic, breakdown)
    CROSS JOIN LATERAL (
        SELECT id, value, missing FROM {table}
        WHERE current AND measure = k.measure AND area_code = k.area_code AND time_period = k.time_period
            AND breakdown_topic = k.breakdown_topic AND breakdown = k.breakdown
        LIMIT 1
    ) v
"""


def current_values(keys: list[Key]) -> dict[Key, tuple[int, Decimal | None, str]]:
    """The current value of each of these keys that has one, found through the index of current values: a
    chunk's keys at once, never the whole table."""
    table = connection.ops.quote_name(NationalValue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            CURRENT_VALUES.format(table=table), [list(column) for column in zip(*keys, strict=True)]
        )
        return {
            (measure, area, time_period, topic, breakdown): (pk, value, missing)
            for pk, measure, area, time_period, topic, breakdown, value, missing in cursor.fetchall()
        }


COPIED_COLUMNS = (
    "measure",
    "level",
    "area_code",
    "time_period",
    "breakdown_topic",
    "breakdown",
    "value",
    "decimal_places",
    "missing",
    "headline",
    "source_id",
    "current",
)


def copy_values(rows: list[tuple[object, ...]]) -> None:
    """Adds the new values with PostgreSQL's COPY: a national file holds hundreds of thousands, and creating a
    model instance for each would take minutes. The table's constraints still check every row."""
    if not rows:
        return
    table = connection.ops.quote_name(NationalValue._meta.db_table)
    statement = f"COPY {table} ({', '.join(COPIED_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


# A partnership's figures, derived from the national values


@dataclass(frozen=True)
class Published:
    value: Decimal | None
    places: int | None  # as the file wrote the value: 1 for 5.0
    missing: str
    reason: str = ""  # the missing symbol's meaning in its release, as readers see it


def headline_values(item: NationalMeasure, areas: Iterable[str]) -> dict[str, dict[str, Published]]:
    """The current headline values of a measure for these areas, by time period and area code."""
    found: dict[str, dict[str, Published]] = defaultdict(dict)
    for area, time_period, value, places, missing in NationalValue.objects.filter(
        measure=item.code, area_code__in=sorted(areas), headline=True, current=True
    ).values_list("area_code", "time_period", "value", "decimal_places", "missing"):
        reason = item.layout.reason_for(missing) if missing else ""
        found[time_period][area] = Published(value, places, missing, reason)
    return found


ComparatorKey = tuple[int, str, str, str]  # indicator, geography, period label, source


@dataclass
class Refresh:
    """What a refresh found already published, and what it will write."""

    comparators: dict[ComparatorKey, Comparator]
    returns: dict[tuple[int, str], Return]  # each indicator's current published return for a period label
    new_comparators: list[Comparator] = field(default_factory=list)
    changed_comparators: list[Comparator] = field(default_factory=list)
    new_returns: list[Return] = field(default_factory=list)


def refresh_indicator(indicator: Indicator) -> None:
    """Brings an adopted indicator's published returns and comparators into line with the national values."""
    refresh_indicators([indicator])


def refresh_indicators(indicators: Iterable[Indicator]) -> None:
    """Brings adopted indicators' published returns and comparators into line with the national values, in the
    same few queries however many partnerships adopted them: a national import refreshes every one."""
    adopted = [indicator for indicator in indicators if indicator.national_measure in LIBRARY]
    if not adopted:
        return
    partnerships = {indicator.partnership_id: indicator.partnership for indicator in adopted}
    neighbours: dict[int, list[str]] = defaultdict(list)
    for partnership_id, code in (
        StatisticalNeighbour.objects.filter(partnership__in=list(partnerships))
        .order_by("partnership", "position")
        .values_list("partnership_id", "code")
    ):
        neighbours[partnership_id].append(code)
    codes = {p.ons_code for p in partnerships.values()} | {c for group in neighbours.values() for c in group}
    authorities = {authority.code: authority for authority in LocalAuthority.objects.filter(code__in=codes)}
    areas: dict[int, set[str]] = {}
    for partnership_id, partnership in partnerships.items():
        authority = authorities.get(partnership.ons_code)
        region = authority.region_code if authority else ""
        areas[partnership_id] = {partnership.ons_code, ENGLAND, region, *neighbours[partnership_id]} - {""}
    wanted: dict[str, set[str]] = defaultdict(set)
    for indicator in adopted:
        wanted[indicator.national_measure] |= areas[indicator.partnership_id]
    values = {measure: headline_values(LIBRARY[measure], codes) for measure, codes in wanted.items()}
    refresh = Refresh(
        comparators={
            (c.indicator_id, c.geography, c.period_label, c.source_document): c
            for c in Comparator.objects.filter(
                indicator__in=adopted, source_document__in={source_of(LIBRARY[m]) for m in wanted}
            ).order_by("pk")
        },
        returns={
            (r.indicator_id, r.period_label): r
            for r in Return.objects.filter(
                indicator__in=adopted,
                breakdown="",
                submitted_by__isnull=True,
                data_quality=DataQuality.PUBLISHED,
                superseded_by__isnull=True,
            )
            .only("indicator_id", "period_label", "value", "note")
            .order_by("pk")
        },
    )
    for indicator in adopted:
        partnership = partnerships[indicator.partnership_id]
        authority = authorities.get(partnership.ons_code)
        group = neighbours[indicator.partnership_id]
        names = {code: authorities[code].name for code in group if code in authorities}
        refresh_one(refresh, indicator, values[indicator.national_measure], authority, group, names)
    Comparator.objects.bulk_create(refresh.new_comparators, batch_size=BATCH)
    Comparator.objects.bulk_update(
        refresh.changed_comparators, ["reference_date", "value", "decimal_places", "note"], batch_size=BATCH
    )
    Return.objects.bulk_create(refresh.new_returns, batch_size=BATCH)
    # The import's own audit record names the partnership that uploaded the file, but every adopter's figures moved.
    board_changed(set(partnerships))


def refresh_one(
    refresh: Refresh,
    indicator: Indicator,
    by_period: dict[str, dict[str, Published]],
    authority: LocalAuthority | None,
    neighbours: list[str],
    names: dict[str, str],
) -> None:
    item = LIBRARY[indicator.national_measure]
    own = indicator.partnership.ons_code
    region = authority.region_code if authority else ""
    source = source_of(item)
    for time_period, values in sorted(by_period.items()):
        period = period_of(time_period, item.layout.time_identifier)
        if own in values:
            publish_return(refresh, indicator, period, values[own], source)
        if ENGLAND in values:
            publish_comparator(refresh, indicator, Geography.ENGLAND, period, values[ENGLAND], "", source)
        if region in values:
            region_name = authority.region_name if authority else ""
            publish_comparator(
                refresh, indicator, Geography.REGION, period, values[region], region_name, source
            )
        if neighbours:
            mean, note = neighbours_mean(values, neighbours, names)
            publish_comparator(
                refresh,
                indicator,
                Geography.STATISTICAL_NEIGHBOURS,
                period,
                Published(mean, written_places(mean), ""),
                note,
                source,
            )


def neighbours_mean(
    values: dict[str, Published], neighbours: list[str], names: dict[str, str]
) -> tuple[Decimal | None, str]:
    """The mean of the neighbours' published figures, and which were left out and why."""
    numbers: list[Decimal] = [
        number for code in neighbours if code in values and (number := values[code].value) is not None
    ]
    left_out = [
        f"{names.get(code, code)} ({values[code].missing if code in values else 'no figure'})"
        for code in neighbours
        if code not in values or values[code].value is None
    ]
    mean = (sum(numbers, Decimal(0)) / len(numbers)).quantize(Decimal("0.1")) if numbers else None
    note = f"Mean of {len(numbers)} of {len(neighbours)} statistical neighbours"
    if left_out:
        note += "; no figure for " + ", ".join(left_out)
    return mean, note


def publish_comparator(
    refresh: Refresh,
    indicator: Indicator,
    geography: str,
    period: Period,
    published: Published,
    note: str,
    source: str,
) -> None:
    """One comparator per indicator, geography, period and source: added, or brought up to date."""
    if published.reason:
        note = f"{note}. {published.reason}" if note else published.reason
    existing = refresh.comparators.get((indicator.pk, geography, period.label, source))
    if existing is None:
        refresh.new_comparators.append(
            Comparator(
                indicator=indicator,
                geography=geography,
                period_label=period.label,
                source_document=source,
                reference_date=period.reference_date,
                value=published.value,
                decimal_places=published.places,
                note=note,
            )
        )
        return
    wanted = (period.reference_date, published.value, published.places, note)
    if (existing.reference_date, existing.value, existing.decimal_places, existing.note) != wanted:
        existing.reference_date, existing.value, existing.decimal_places, existing.note = wanted
        refresh.changed_comparators.append(existing)


def publish_return(
    refresh: Refresh, indicator: Indicator, period: Period, published: Published, source: str
) -> None:
    """The partnership's own published figure, as a return; a revision supersedes it and the old row stays."""
    note = published.reason
    previous = refresh.returns.get((indicator.pk, period.label))
    if previous is not None and previous.value == published.value and previous.note == note:
        return
    refresh.new_returns.append(
        Return(
            indicator=indicator,
            partnership=indicator.partnership,
            period_label=period.label,
            period_start=period.start,
            period_end=period.end,
            reference_date=period.reference_date,
            value=published.value,
            decimal_places=published.places,
            note=note,
            data_quality=DataQuality.PUBLISHED,
            source_document=source,
            supersedes=previous,
        )
    )


# A partnership's choices


@transaction.atomic
def statistical_neighbours_set(*, user: User, partnership: Partnership, codes: list[str]) -> None:
    """Replace the partnership's statistical neighbours, in order, and refresh the figures read from them."""
    require_perm(user, "kpis.manage_indicators", partnership)
    cleaned = list(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
    known = set(LocalAuthority.objects.filter(code__in=cleaned).values_list("code", flat=True))
    unknown = [code for code in cleaned if code not in known]
    if unknown:
        raise ValidationError(
            {"codes": f"These are not local authority codes in the imported statistics: {', '.join(unknown)}"}
        )
    if partnership.ons_code in cleaned:
        raise ValidationError({"codes": "A local area cannot be its own statistical neighbour"})
    neighbours_store(user=user, partnership=partnership, codes=cleaned)


@transaction.atomic
def statistical_neighbours_import(
    *, user: User, partnership: Partnership, file_name: str, content: bytes
) -> int:
    """Set the partnership's statistical neighbours from the department's benchmarking tool, all or nothing, and
    return how many. The tool names authorities by DfE number; the imported statistics give each one's code."""
    require_perm(user, "kpis.manage_indicators", partnership)
    groups = neighbour_groups(file_name, content)
    authority = LocalAuthority.objects.filter(code=partnership.ons_code).exclude(old_code="").first()
    if authority is None:
        raise ValidationError(
            "Import a national statistics file first: it gives each local authority's DfE number, which the "
            "benchmarking tool uses"
        )
    numbers = groups.get(authority.old_code)
    if not numbers:
        raise ValidationError(
            f"The file has no statistical neighbours for {authority.name} ({authority.old_code})"
        )
    codes = dict(LocalAuthority.objects.filter(old_code__in=numbers).values_list("old_code", "code"))
    unknown = [number for number in numbers if number not in codes]
    if unknown:
        raise ValidationError(
            "These neighbours are not local authorities in the imported statistics: "
            f"{', '.join(unknown)}. Nothing was changed"
        )
    neighbours_store(user=user, partnership=partnership, codes=[codes[number] for number in numbers])
    return len(numbers)


def neighbours_store(*, user: User, partnership: Partnership, codes: list[str]) -> None:
    """Replace the neighbours, in order, refresh the figures read from them, and audit the change."""
    before = list(partnership.statistical_neighbours.values_list("code", flat=True))
    partnership.statistical_neighbours.all().delete()
    StatisticalNeighbour.objects.bulk_create(
        [
            StatisticalNeighbour(partnership=partnership, code=code, position=n)
            for n, code in enumerate(codes, 1)
        ]
    )
    Comparator.objects.filter(
        indicator__partnership=partnership,
        geography=Geography.STATISTICAL_NEIGHBOURS,
        source_document__in={source_of(item) for item in LIBRARY.values()},
    ).delete()
    refresh_indicators(partnership.indicators.exclude(national_measure="").select_related("partnership"))
    audit_record(
        actor=user,
        verb=AuditEvent.Verb.UPDATED,
        instance=partnership,
        partnership=partnership,
        before={"statistical_neighbours": before},
        after={"statistical_neighbours": codes},
    )


@transaction.atomic
def national_indicator_adopt(*, user: User, partnership: Partnership, code: str) -> Indicator:
    """Add a national indicator to the partnership's set, owned by its council, with its published figures."""
    require_perm(user, "kpis.manage_indicators", partnership)
    item = LIBRARY.get(code)
    if item is None:
        raise ValidationError("That is not an indicator in the national library")
    if partnership.indicators.filter(national_measure=code).exists():
        raise ValidationError("Your partnership already has this national indicator")
    council = partnership.organisations.filter(kind="council").order_by("pk").first()
    if council is None:
        raise ValidationError(
            "Add the council to the partnership's organisations first: it owns national indicators"
        )
    indicator = Indicator(
        partnership=partnership,
        code=code,
        title=item.title,
        description=item.meaning,
        unit=item.unit,
        better=item.better,
        frequency=item.frequency,
        source_collection=item.publication,
        cohort=item.meaning,
        owner_organisation=council,
        national_measure=code,
    )
    indicator.full_clean()
    indicator.save()
    refresh_indicator(indicator)
    audited_create(actor=user, instance=indicator, partnership=partnership)
    return indicator
