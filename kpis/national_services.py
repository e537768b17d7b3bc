"""Every write of national statistics: importing a published file, adopting a national indicator, a partnership's
statistical neighbours, and the figures each partnership reads from the national values.

A partnership's own area's values become returns marked as published national statistics; England, its region
and the mean of its statistical neighbours become comparators, each with its period. Both are derived from the
stored national values, so importing the same file again, or refreshing, changes nothing
(docs/adr/0015-national-statistics.md).
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.audit import audit_record, audited_create, snapshot
from core.jobs import send_task
from core.models import AuditEvent, Partnership, User
from core.permissions import require_perm
from kpis.library import LIBRARY, NationalMeasure, Period, measures_of, period_of
from kpis.models import Comparator, DataQuality, Geography, Indicator, Return
from kpis.national import ENGLAND_CODE, LocalAuthority, NationalValue, StatisticalNeighbour, StatisticsImport
from kpis.neighbour_file import neighbour_groups
from kpis.statistics import ReadFile, StatisticsProblem, read_statistics

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
    """Reads, checks and stores one file into its import record, in the caller's transaction."""
    read = read_statistics(stream)
    earlier = (
        StatisticsImport.objects.filter(checksum=read.checksum, status=StatisticsImport.Status.DONE)
        .exclude(pk=record.pk)
        .first()
    )
    if earlier:
        raise ValidationError(
            f"This file was imported on {timezone.localtime(earlier.imported_at):%-d %B %Y at %H:%M}: "
            "nothing has changed"
        )
    record.layout = read.layout.key
    record.checksum = read.checksum
    record.rows_read = read.rows_read
    record.rows_used = read.rows_used
    record.skipped = dict(read.skipped)
    record.status = StatisticsImport.Status.DONE
    record.pending_file = ""
    record.save()
    note_authorities(read)
    store_values(record, read)
    record.finished_at = timezone.now()
    record.save()
    for adopted in Indicator.objects.filter(
        national_measure__in=[item.code for item in measures_of(read.layout)]
    ).select_related("partnership"):
        refresh_indicator(adopted)
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


def store_values(record: StatisticsImport, read: ReadFile) -> None:
    """Adds what is new; a value a revised release changes is kept, no longer current, beside its replacement."""
    codes = [item.code for item in measures_of(read.layout)]
    periods = {value[3] for value in read.values}
    # Plain tuples, and only the file's periods: a file's worth of model instances would cost minutes.
    current = {
        (measure, area, time_period, topic, breakdown): (pk, value, missing)
        for pk, measure, area, time_period, topic, breakdown, value, missing in NationalValue.objects.filter(
            measure__in=codes, current=True, time_period__in=periods
        ).values_list(
            "pk", "measure", "area_code", "time_period", "breakdown_topic", "breakdown", "value", "missing"
        )
    }
    added: list[tuple[object, ...]] = []
    replaced: list[int] = []
    seen: set[tuple[str, str, str, str, str]] = set()
    for measure, level, area, time_period, topic, breakdown, value, missing, headline in read.values:
        key = (measure, area, time_period, topic, breakdown)
        if key in seen:
            raise ValidationError(
                f"The file gives the same figure twice: {area}, {time_period}, {breakdown}. Nothing was imported"
            )
        seen.add(key)
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
            (measure, level, area, time_period, topic, breakdown, value, missing, headline, record.pk, True)
        )
    for start in range(0, len(replaced), BATCH):
        NationalValue.objects.filter(pk__in=replaced[start : start + BATCH]).update(current=False)
    copy_values(added)


COPIED_COLUMNS = (
    "measure",
    "level",
    "area_code",
    "time_period",
    "breakdown_topic",
    "breakdown",
    "value",
    "missing",
    "headline",
    "source_id",
    "current",
)


def copy_values(rows: list[tuple[object, ...]]) -> None:
    """Adds the new values with PostgreSQL's COPY: a national file holds hundreds of thousands, and creating a
    model instance for each would take minutes. The table's constraints still check every row."""
    table = connection.ops.quote_name(NationalValue._meta.db_table)
    statement = f"COPY {table} ({', '.join(COPIED_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


# A partnership's figures, derived from the national values


@dataclass(frozen=True)
class Published:
    value: Decimal | None
    missing: str
    reason: str = ""  # the missing symbol's meaning in its release, as readers see it


def headline_values(item: NationalMeasure, areas: Iterable[str]) -> dict[str, dict[str, Published]]:
    """The current headline values of a measure for these areas, by time period and area code."""
    found: dict[str, dict[str, Published]] = defaultdict(dict)
    for value in NationalValue.objects.filter(
        measure=item.code, area_code__in=list(areas), headline=True, current=True
    ).only("area_code", "time_period", "value", "missing"):
        reason = item.layout.reason_for(value.missing) if value.missing else ""
        found[value.time_period][value.area_code] = Published(value.value, value.missing, reason)
    return found


def refresh_indicator(indicator: Indicator) -> None:
    """Brings an adopted indicator's published returns and comparators into line with the national values."""
    item = LIBRARY.get(indicator.national_measure)
    if item is None:
        return
    partnership = indicator.partnership
    authority = LocalAuthority.objects.filter(code=partnership.ons_code).first()
    region = authority.region_code if authority else ""
    neighbours = list(partnership.statistical_neighbours.values_list("code", flat=True))
    names = dict(LocalAuthority.objects.filter(code__in=neighbours).values_list("code", "name"))
    by_period = headline_values(item, {partnership.ons_code, ENGLAND, region, *neighbours} - {""})
    for time_period, values in sorted(by_period.items()):
        period = period_of(time_period, item.layout.time_identifier)
        source = source_of(item)
        if partnership.ons_code in values:
            publish_return(indicator, period, values[partnership.ons_code], source)
        if ENGLAND in values:
            publish_comparator(indicator, Geography.ENGLAND, period, values[ENGLAND], "", source)
        if region in values:
            region_name = authority.region_name if authority else ""
            publish_comparator(indicator, Geography.REGION, period, values[region], region_name, source)
        if neighbours:
            mean, note = neighbours_mean(values, neighbours, names)
            publish_comparator(
                indicator, Geography.STATISTICAL_NEIGHBOURS, period, Published(mean, ""), note, source
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
    indicator: Indicator, geography: str, period: Period, published: Published, note: str, source: str
) -> None:
    if published.reason:
        note = f"{note}. {published.reason}" if note else published.reason
    Comparator.objects.update_or_create(
        indicator=indicator,
        geography=geography,
        period_label=period.label,
        source_document=source,
        defaults={"reference_date": period.reference_date, "value": published.value, "note": note},
    )


def publish_return(indicator: Indicator, period: Period, published: Published, source: str) -> None:
    """The partnership's own published figure, as a return; a revision supersedes it and the old row stays."""
    note = published.reason
    previous = (
        Return.objects.filter(
            indicator=indicator,
            breakdown="",
            submitted_by__isnull=True,
            data_quality=DataQuality.PUBLISHED,
            period_label=period.label,
            superseded_by__isnull=True,
        )
        .order_by("-pk")
        .first()
    )
    if previous is not None and previous.value == published.value and previous.note == note:
        return
    Return.objects.create(
        indicator=indicator,
        partnership=indicator.partnership,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        reference_date=period.reference_date,
        value=published.value,
        note=note,
        data_quality=DataQuality.PUBLISHED,
        source_document=source,
        supersedes=previous,
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
    for indicator in partnership.indicators.exclude(national_measure=""):
        refresh_indicator(indicator)
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
