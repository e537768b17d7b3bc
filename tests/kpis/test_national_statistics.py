import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from core.models import Role
from kpis.library import LAYOUTS, LIBRARY, STANDARD_COLUMNS
from kpis.models import Comparator, DataQuality, Geography, Indicator, Return
from kpis.national import LocalAuthority, NationalValue, StatisticsImport
from kpis.national_services import (
    national_indicator_adopt,
    national_statistics_import,
    statistical_neighbours_set,
)
from kpis.statistics import CHUNK_ROWS, StatisticsProblem, layout_for
from tests.factories import member
from tests.kpis.statistics_files import (
    CASELOAD_LINE,
    CENSUS_HEADER,
    REQUESTS_LINE,
    SOUTHEND,
    TIMELINESS_HEADER,
    census_file,
    census_rows,
    csv_bytes,
    timeliness_file,
    timeliness_row,
    timeliness_rows,
)

pytestmark = pytest.mark.django_db


def run_import(stream: io.BytesIO, name: str = "timeliness_20_week.csv") -> StatisticsImport:
    return national_statistics_import(user=None, partnership=None, file_name=name, stream=stream)


def test_the_published_timeliness_layout_is_the_one_its_data_guidance_lists():
    layout = LAYOUTS["sen2_timeliness"]
    assert [name.lower() for name in TIMELINESS_HEADER] == list(layout.columns)
    assert layout.columns[: len(STANDARD_COLUMNS)] == STANDARD_COLUMNS


@pytest.mark.parametrize(
    ("line", "layout"), [(CASELOAD_LINE, "sen2_caseload"), (REQUESTS_LINE, "sen2_requests")]
)
def test_the_published_caseload_and_requests_headers_are_known_layouts(line, layout):
    assert layout_for(line.split(",")).key == layout


def test_an_import_holds_england_the_region_and_every_local_authority_with_missing_values_as_reasons():
    record = run_import(timeliness_file())

    assert record.rows_read == 6 and record.rows_used == 6
    percent = NationalValue.objects.filter(measure="SEN2_ISSUED_20_WEEKS_PC", headline=True)
    assert percent.get(area_code="E92000001").value == Decimal("46.0")
    assert percent.get(area_code="E12000006").value == Decimal("30.0")
    assert percent.get(area_code="E06000033").value == Decimal("23.4")
    luton = percent.get(area_code="E06000032")
    assert luton.value is None and luton.missing == "x"
    breakdown = NationalValue.objects.get(
        measure="SEN2_ISSUED_20_WEEKS_PC", breakdown="Autistic spectrum disorder"
    )
    assert not breakdown.headline and breakdown.breakdown_topic == "Primary type of need"
    southend = LocalAuthority.objects.get(code="E06000033")
    assert (southend.name, southend.old_code, southend.region_name) == (
        "Southend-on-Sea",
        "882",
        "East of England",
    )


def test_a_changed_layout_is_refused_naming_the_missing_and_unexpected_columns():
    header = [name for name in TIMELINESS_HEADER if name != "plans_issued_den"] + ["plans_issued_total"]
    rows = [row[:12] + row[13:] + ["5"] for row in timeliness_rows()]

    with pytest.raises(StatisticsProblem) as problem:
        run_import(io.BytesIO(csv_bytes(header, rows)))

    message = str(problem.value)
    assert "missing: plans_issued_den" in message and "not expected: plans_issued_total" in message
    assert "EHC plans issued within the statutory 20 week timeframe" in message
    assert not NationalValue.objects.exists() and not StatisticsImport.objects.exists()


def test_a_cell_that_is_neither_a_number_nor_a_published_symbol_imports_nothing_at_all():
    rows = timeliness_rows()
    rows[3][16] = "40%"

    with pytest.raises(StatisticsProblem) as problem:
        run_import(io.BytesIO(csv_bytes(TIMELINESS_HEADER, rows)))

    assert "Row 5, column pc_plans_issued_within_20_weeks: “40%”" in str(problem.value)
    assert not NationalValue.objects.exists() and not LocalAuthority.objects.exists()


def test_the_same_file_twice_changes_nothing():
    run_import(timeliness_file())
    before = list(NationalValue.objects.values_list("pk", "value", "current"))

    with pytest.raises(ValidationError, match="nothing has changed"):
        run_import(timeliness_file())

    assert list(NationalValue.objects.values_list("pk", "value", "current")) == before
    assert StatisticsImport.objects.count() == 1


def test_an_import_has_postgresql_plan_its_lookups_for_their_values_for_the_rest_of_its_transaction():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")

    def plan_cache_mode() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            return cursor.fetchone()[0]

    assert plan_cache_mode() == "auto"
    run_import(timeliness_file())
    assert plan_cache_mode() == "force_custom_plan"


def test_a_revised_release_updates_the_value_and_keeps_the_earlier_one_in_history(southend):
    partnership, admin = southend
    indicator = national_indicator_adopt(user=admin, partnership=partnership, code="SEN2_ISSUED_20_WEEKS_PC")
    run_import(timeliness_file())

    revision = run_import(timeliness_file(southend_percent="25.1"))

    assert (revision.values_revised, revision.values_added) == (2, 0)  # with and without exceptions
    history = NationalValue.objects.filter(
        measure="SEN2_ISSUED_20_WEEKS_PC", area_code="E06000033", headline=True
    ).order_by("pk")
    assert [(v.value, v.current) for v in history] == [(Decimal("23.4"), False), (Decimal("25.1"), True)]
    returns = Return.objects.filter(indicator=indicator).order_by("pk")
    assert [r.value for r in returns] == [Decimal("23.4"), Decimal("25.1")]
    assert returns[1].supersedes == returns[0]


def test_an_adopted_indicator_gets_its_own_published_figure_england_region_and_neighbours_with_periods(
    southend,
):
    partnership, admin = southend
    run_import(timeliness_file())
    statistical_neighbours_set(user=admin, partnership=partnership, codes=["E06000034", "E06000032"])

    indicator = national_indicator_adopt(user=admin, partnership=partnership, code="SEN2_ISSUED_20_WEEKS_PC")

    own = Return.objects.get(indicator=indicator)
    assert (own.value, own.period_label, own.data_quality) == (
        Decimal("23.4"),
        "Calendar year 2024",
        DataQuality.PUBLISHED,
    )
    assert own.submitted_by is None and "Department for Education" in own.source_document
    comparators = {c.geography: c for c in Comparator.objects.filter(indicator=indicator)}
    assert comparators[Geography.ENGLAND].value == Decimal("46.0")
    assert comparators[Geography.REGION].value == Decimal("30.0")
    assert comparators[Geography.REGION].note == "East of England"
    neighbours = comparators[Geography.STATISTICAL_NEIGHBOURS]
    assert neighbours.value == Decimal("40.0")
    assert neighbours.note == "Mean of 1 of 2 statistical neighbours; no figure for Luton (x)"
    assert {c.period_label for c in comparators.values()} == {"Calendar year 2024"}


def test_refreshing_the_figures_again_adds_no_return_and_no_comparator(southend):
    partnership, admin = southend
    run_import(timeliness_file())
    national_indicator_adopt(user=admin, partnership=partnership, code="SEN2_ISSUED_20_WEEKS_PC")
    counts = (Return.objects.count(), Comparator.objects.count())

    statistical_neighbours_set(user=admin, partnership=partnership, codes=[])
    statistical_neighbours_set(user=admin, partnership=partnership, codes=[])

    assert (Return.objects.count(), Comparator.objects.count()) == counts


def test_only_a_partnership_admin_may_import_and_an_admin_may(southend):
    partnership, admin = southend
    officer = member(Role.OFFICER, partnership.organisations.get())

    with pytest.raises(PermissionDenied):
        national_statistics_import(
            user=officer, partnership=partnership, file_name="t.csv", stream=timeliness_file()
        )
    record = national_statistics_import(
        user=admin, partnership=partnership, file_name="t.csv", stream=timeliness_file()
    )

    assert record.imported_by == admin


def test_statistical_neighbours_must_be_known_local_authorities(southend):
    partnership, admin = southend
    run_import(timeliness_file())

    with pytest.raises(ValidationError, match="E06999999"):
        statistical_neighbours_set(user=admin, partnership=partnership, codes=["E06000034", "E06999999"])
    statistical_neighbours_set(user=admin, partnership=partnership, codes=["e06000034 "])

    assert list(partnership.statistical_neighbours.values_list("code", flat=True)) == ["E06000034"]


def test_operators_import_files_with_the_management_command(tmp_path):
    path = tmp_path / "timeliness_20_week.csv"
    path.write_bytes(timeliness_file().getvalue())
    out = io.StringIO()

    call_command("import_national_statistics", str(path), stdout=out)

    assert "6 rows read, 6 used" in out.getvalue()
    assert NationalValue.objects.filter(current=True).count() == 6 * len(
        [m for m in LIBRARY.values() if m.layout.key == "sen2_timeliness"]
    )


def test_southends_indicators_that_are_national_measures_get_the_published_figures(tmp_path):
    call_command("load_southend", stdout=io.StringIO())
    path = tmp_path / "timeliness_20_week.csv"
    path.write_bytes(timeliness_file().getvalue())

    call_command("import_national_statistics", str(path), stdout=io.StringIO())

    timeliness = Return.objects.get(
        indicator__code="EHCP_ISSUED_20_WEEKS_PCT", data_quality=DataQuality.PUBLISHED
    )
    assert (timeliness.value, timeliness.period_label) == (Decimal("23.4"), "Calendar year 2024")
    region = Comparator.objects.get(
        indicator__code="EHCP_ISSUED_20_WEEKS_PCT",
        geography=Geography.REGION,
        period_label="Calendar year 2024",
    )
    assert (region.value, region.note) == (Decimal("30.0"), "East of England")
    mapped = dict(Indicator.objects.exclude(national_measure="").values_list("code", "national_measure"))
    assert mapped["EHCP_MAINTAINED"] == "SEN2_ACTIVE_PLANS" and len(mapped) == 7


def test_southends_pupil_percentages_get_the_school_census_figures(tmp_path):
    call_command("load_southend", stdout=io.StringIO())
    path = tmp_path / "sen_phase_type.csv"
    path.write_bytes(census_file().getvalue())

    call_command("import_national_statistics", str(path), stdout=io.StringIO())

    published = dict(
        Return.objects.filter(data_quality=DataQuality.PUBLISHED).values_list("indicator__code", "value")
    )
    assert published == {"EHCP_PUPILS_PCT": Decimal("5.0"), "SEN_SUPPORT_PCT": Decimal("14.0")}
    england = Comparator.objects.get(
        indicator__code="SEN_SUPPORT_PCT", geography=Geography.ENGLAND, period_label="January 2025"
    )
    assert england.value == Decimal("13.3")


def test_the_published_school_census_layout_is_the_one_its_data_guidance_lists():
    assert layout_for(CENSUS_HEADER).key == "census_sen_phase_type"
    assert list(LAYOUTS["census_sen_phase_type"].columns) == CENSUS_HEADER


def test_a_school_census_file_imports_sen_support_and_ehc_plan_percentages_end_to_end(southend):
    partnership, admin = southend
    run_import(census_file(), "sen_phase_type.csv")
    statistical_neighbours_set(user=admin, partnership=partnership, codes=["E06000034", "E06000032"])

    indicator = national_indicator_adopt(user=admin, partnership=partnership, code="CENSUS_EHC_PLAN_PC")
    support = national_indicator_adopt(user=admin, partnership=partnership, code="CENSUS_SEN_SUPPORT_PC")

    own = Return.objects.get(indicator=indicator)
    assert (own.value, own.period_label) == (Decimal("5.0"), "January 2025")
    assert "Special educational needs in England" in own.source_document
    comparators = {c.geography: c for c in Comparator.objects.filter(indicator=indicator)}
    assert comparators[Geography.ENGLAND].value == Decimal("5.3")
    assert (comparators[Geography.REGION].value, comparators[Geography.REGION].note) == (
        Decimal("5.0"),
        "East of England",
    )
    assert comparators[Geography.STATISTICAL_NEIGHBOURS].value == Decimal("4.0")
    assert comparators[Geography.STATISTICAL_NEIGHBOURS].note == (
        "Mean of 1 of 2 statistical neighbours; no figure for Luton (z)"
    )
    assert Return.objects.get(indicator=support).value == Decimal("14.0")
    luton = NationalValue.objects.filter(area_code="E06000032", headline=True)
    assert {(v.measure, v.missing) for v in luton} == {
        ("CENSUS_PUPILS", "c"),
        ("CENSUS_SEN_SUPPORT_PC", "low"),
        ("CENSUS_EHC_PLAN_PC", "z"),
    }
    special = NationalValue.objects.get(measure="CENSUS_EHC_PLAN_PC", headline=False)
    assert (special.breakdown_topic, special.breakdown, special.value) == (
        "Phase type of school and Hospital school",
        "State-funded special school / No",
        Decimal("100"),
    )
    assert LocalAuthority.objects.get(code="E06000033").region_name == "East of England"


def test_figures_from_a_national_file_are_shown_with_the_decimal_places_the_file_wrote(
    southend, client, signed_in
):
    """The census file writes Southend's and the East of England's EHC plans as 5.0% and Thurrock's as 4.0%:
    stored to four places, they read 5% and 4% unless the places are kept."""
    partnership, admin = southend
    run_import(census_file(), "sen_phase_type.csv")
    statistical_neighbours_set(user=admin, partnership=partnership, codes=["E06000034", "E06000032"])

    indicator = national_indicator_adopt(user=admin, partnership=partnership, code="CENSUS_EHC_PLAN_PC")

    places = dict(Comparator.objects.filter(indicator=indicator).values_list("geography", "decimal_places"))
    assert places == {Geography.ENGLAND: 1, Geography.REGION: 1, Geography.STATISTICAL_NEIGHBOURS: 1}
    assert Return.objects.get(indicator=indicator).decimal_places == 1
    signed_in(admin)
    page = client.get(reverse("kpis:indicator", args=[indicator.pk])).content.decode()
    assert "Latest figure: <strong>5.0%</strong>" in page
    comparators = page.split('id="comparators-caption"')[1].split("</table>")[0]
    assert ">5.3%<" in comparators and ">5.0%<" in comparators and ">4.0%<" in comparators
    neighbours = page.split('id="neighbours-caption"')[1].split("</table>")[0]
    assert "Thurrock" in neighbours and ">4.0%<" in neighbours


def test_the_school_census_symbols_keep_the_meanings_its_data_guidance_gives(southend):
    partnership, admin = southend
    run_import(census_file(), "sen_phase_type.csv")
    rows = census_rows()
    rows[2][-1] = "z"
    run_import(io.BytesIO(csv_bytes(CENSUS_HEADER, rows)), "sen_phase_type.csv")

    indicator = national_indicator_adopt(user=admin, partnership=partnership, code="CENSUS_EHC_PLAN_PC")

    own = Return.objects.get(indicator=indicator, superseded_by__isnull=True)
    assert own.value is None and own.note == "Not published (z: not available)"
    assert LAYOUTS["sen2_timeliness"].reason_for("z") == "Not published (z: not applicable)"


def test_a_school_census_file_missing_a_column_imports_nothing_and_names_it():
    header = [name for name in CENSUS_HEADER if name != "hospital_school"]
    rows = [row[:12] + row[13:] for row in census_rows()]

    with pytest.raises(StatisticsProblem) as problem:
        run_import(io.BytesIO(csv_bytes(header, rows)), "sen_phase_type.csv")

    assert "missing: hospital_school" in str(problem.value)
    assert "Pupils in all schools, by type of SEN provision" in str(problem.value)
    assert not NationalValue.objects.exists()


def many_rows(count: int) -> list[list[str]]:
    """More rows than the importer stores at once: Southend broken down `count` ways. The figures are made up."""
    return [
        timeliness_row(
            "2024",
            "Local authority",
            SOUTHEND,
            issued="10",
            within="5",
            percent="50.0",
            breakdown=("Age", f"Age band {n}"),
        )
        for n in range(count)
    ]


def test_a_fault_after_the_first_chunk_of_a_large_file_imports_nothing_at_all():
    rows = many_rows(CHUNK_ROWS + 2)
    rows[-1][16] = "n/a"

    with pytest.raises(
        StatisticsProblem, match=f"Row {CHUNK_ROWS + 3}, column pc_plans_issued_within_20_weeks"
    ):
        run_import(io.BytesIO(csv_bytes(TIMELINESS_HEADER, rows)))

    assert not NationalValue.objects.exists() and not StatisticsImport.objects.exists()


def test_a_figure_given_twice_chunks_apart_imports_nothing_at_all():
    rows = many_rows(CHUNK_ROWS + 2)
    rows.append(rows[0])

    with pytest.raises(ValidationError, match="same figure twice: E06000033, 2024, Age band 0"):
        run_import(io.BytesIO(csv_bytes(TIMELINESS_HEADER, rows)))

    assert not NationalValue.objects.exists() and not StatisticsImport.objects.exists()
    assert run_import(io.BytesIO(csv_bytes(TIMELINESS_HEADER, rows[:-1]))).values_added == 3 * (
        CHUNK_ROWS + 2
    )
