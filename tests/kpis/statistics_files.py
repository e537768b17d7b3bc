"""TEST FIXTURES: small files in the Department for Education's published layout, written by the tests.

The header lines are those of the published 2025 "Education, health and care plans" files, column for column
(docs/adr/0015-national-statistics.md). The figures in the rows are made up for the tests: they are not
published statistics and must never be shown as such.
"""

import csv
import io
from collections.abc import Iterable
from typing import IO

from openpyxl import Workbook

# The published header line, as one line of text.
TIMELINESS_LINE = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,"
    "old_la_code,la_name,breakdown_topic,breakdown,plans_issued_den,plans_issued_den_ex,"
    "plans_issued_within_20_weeks,plans_issued_20_weeks_ex,pc_plans_issued_within_20_weeks,"
    "PC_plans_issued_20_weeks_ex,plans_issued_gt20weeks_ltYear,plans_issued_gt20weeks_ltYear_ex,"
    "pc_plans_issued_gt20weeks_ltYear,PC_plans_issued_gt20weeks_ltYear_ex,plans_issued_gt_1_year,"
    "plans_issued_gt_1_year_ex,pc_plans_issued_gt_1_year,PC_plans_issued_gt_1_year_ex"
)
TIMELINESS_HEADER = TIMELINESS_LINE.split(",")

ENGLAND = ("E92000001", "England")
EAST = ("E12000006", "East of England")
SOUTHEND = ("E06000033", "882", "Southend-on-Sea")
THURROCK = ("E06000034", "883", "Thurrock")
LUTON = ("E06000032", "821", "Luton")
TOTAL = "All EHC plans issued"


def area_columns(
    level: str, authority: tuple[str, str, str] | None = None, region: tuple[str, str] = EAST
) -> list[str]:
    """The standard columns after time_period and time_identifier, which the caller fills in."""
    if level == "National":
        return ["National", *ENGLAND, "", "", "", "", ""]
    if level == "Regional":
        return ["Regional", *ENGLAND, *region, "", "", ""]
    assert authority is not None
    return ["Local authority", *ENGLAND, *region, *authority]


def timeliness_row(
    year: str,
    level: str,
    authority: tuple[str, str, str] | None = None,
    *,
    issued: str,
    within: str,
    percent: str,
    breakdown: tuple[str, str] = (TOTAL, TOTAL),
) -> list[str]:
    """One row; the columns the portal does not import carry the department's 'x' as they do for 2019."""
    return [
        year,
        "Calendar year",
        *area_columns(level, authority),
        *breakdown,
        issued,
        issued,
        within,
        within,
        percent,
        percent,
        *["x"] * 8,
    ]


def timeliness_rows(year: str = "2024", southend_percent: str = "23.4") -> list[list[str]]:
    return [
        timeliness_row(year, "National", issued="1000", within="460", percent="46.0"),
        timeliness_row(year, "Regional", issued="120", within="36", percent="30.0"),
        timeliness_row(
            year, "Local authority", SOUTHEND, issued="210", within="49", percent=southend_percent
        ),
        timeliness_row(year, "Local authority", THURROCK, issued="150", within="60", percent="40.0"),
        timeliness_row(year, "Local authority", LUTON, issued="x", within="x", percent="x"),
        timeliness_row(
            year,
            "Local authority",
            SOUTHEND,
            issued="70",
            within="21",
            percent="30.0",
            breakdown=("Primary type of need", "Autistic spectrum disorder"),
        ),
    ]


def write_csv(stream: IO[str], header: Iterable[str], rows: Iterable[Iterable[str]]) -> int:
    """Writes the header and the rows as the department's files are written, one row at a time, so that a
    national-scale file (bench/national_data.py) never sits in memory; returns how many rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(list(header))
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8")


def timeliness_file(**options: str) -> io.BytesIO:
    return io.BytesIO(csv_bytes(TIMELINESS_HEADER, timeliness_rows(**options)))


# The header lines of the published 2025 caseload and requests files, as published.
CASELOAD_LINE = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,"
    "old_la_code,la_name,breakdown_topic,breakdown,ehcplans,mainstream_la_maintained,"
    "mainstream_la_maintained_resourced_provision,mainstream_la_maintained_senunit,mainstream_academy,"
    "mainstream_academy_resourced_provision,mainstream_academy_senunit,mainstream_free_school,"
    "mainstream_free_school_resourced_provision,mainstream_free_school_senunit,mainstream_independent,"
    "mainstream_total,mainstream_total_pc,special_la_maintained,special_academy_free,special_independent,"
    "special_non_maintained,special_total,special_total_pc,ap_pru_academy,ap_pru_free_school,ap_pru_la_maintained,"
    "ap_pru_total,AP_PRU_total_pc,general_fe_tertiary_colleges,specialist_post_16_institutions,ukrlp_provider,"
    "fe_total,fe_total_pc,elective_home_education,other_arrangements_la,other_arrangements_parents,"
    "online_provider,w_settings,other_schools,other_placement_settings,neet,neet_ntci,neet_other,neet_other_csa,"
    "ed_elsewhere,ed_elsewhere_pc,nm_early_years,nm_early_years_pc,placement_unknown,placement_unknown_pc,"
    "await_prov_2022,perm_ex_2022"
)
CASELOAD_HEADER = CASELOAD_LINE.split(",")
REQUESTS_LINE = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,"
    "old_la_code,la_name,breakdown_topic,breakdown,requests_received_in_year,requests_rya,"
    "requests_decided_to_assess,requests_decided_not_to_assess,requests_decision_not_made,requests_withdrawn,"
    "request_assess_pc,request_not_assess_pc,request_outstanding_pc,request_withdrawn_pc,request_outcome_six_weeks,"
    "request_outcome_over_6_weeks,request_outcome_six_weeks_pc,request_outcome_over_6_weeks_pc,"
    "mediation_related_request,tribunal_related_request,tribunal_after_mediation_request"
)


# "Special educational needs in England", academic year 2024/25: the header line of "Pupils in all schools, by type
# of SEN provision" (sen_phase_type.csv) as its data guidance and the data catalogue's preview give it. The school
# census files put region_name before region_code, and la_name before new_la_code.
CENSUS_LINE = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_name,region_code,old_la_code,"
    "la_name,new_la_code,phase_type_grouping,type_of_establishment,hospital_school,total_pupils,sen_support,"
    "ehc_plan,sen_support_percent,ehc_plan_percent"
)
CENSUS_HEADER = CENSUS_LINE.split(",")


def census_area(level: str, authority: tuple[str, str, str] | None = None) -> list[str]:
    if level == "National":
        return ["National", *ENGLAND, "", "", "", "", ""]
    if level == "Regional":
        return ["Regional", *ENGLAND, EAST[1], EAST[0], "", "", ""]
    assert authority is not None
    code, number, name = authority
    return ["Local authority", *ENGLAND, EAST[1], EAST[0], number, name, code]


def census_row(
    level: str,
    authority: tuple[str, str, str] | None = None,
    *,
    figures: tuple[str, str, str, str, str],
    filters: tuple[str, str, str] = ("Total", "Total", "Total"),
) -> list[str]:
    return ["202425", "Academic year", *census_area(level, authority), *filters, *figures]


def census_rows() -> list[list[str]]:
    """England, the East of England, Southend and two neighbours, a breakdown by phase and hospital school, and
    the published symbols c, low, x and z. The figures are made up."""
    return [
        census_row("National", figures=("9000000", "1200000", "480000", "13.3", "5.3")),
        census_row("Regional", figures=("1000000", "130000", "50000", "13.0", "5.0")),
        census_row("Local authority", SOUTHEND, figures=("30000", "4200", "1500", "14.0", "5.0")),
        census_row("Local authority", THURROCK, figures=("29000", "3500", "1160", "12.1", "4.0")),
        census_row("Local authority", LUTON, figures=("c", "c", "c", "low", "z")),
        census_row(
            "Local authority",
            SOUTHEND,
            figures=("600", "x", "600", "x", "100"),
            filters=("State-funded special school", "Total", "No"),
        ),
    ]


def census_file() -> io.BytesIO:
    return io.BytesIO(csv_bytes(CENSUS_HEADER, census_rows()))


# The children's services statistical neighbour benchmarking tool (LGR version, April 2021): its neighbour groupings
# sheet, as the department's own dashboards save it to CSV, every line ending in an empty cell. The rows for
# Southend-on-Sea, Thurrock and Luton are the published ones; the "Old SNs:" section follows a blank line.
NEIGHBOURS_LINES = (
    "LA num,LA Name,LA number,GOInd,GOReg,SN1,SNP,SN2,SNP,SN3,SNP,SN4,SNP,SN5,SNP,SN6,SNP,SN7,SNP,SN8,SNP,SN9,SNP,"
    "SN10,SNP,",
    "821,Luton,821,2,East of England,330,Close,871,Close,333,Close,380,Somewhat close,308,Somewhat close,335,"
    "Somewhat close,312,Somewhat close,831,Somewhat close,317,Somewhat close,874,Somewhat close,",
    "882,Southend-on-Sea,882,2,East of England,839,Very Close,866,Very Close,887,Very Close,886,Very Close,845,"
    "Very Close,879,Very Close,921,Very Close,894,Very Close,935,Very Close,881,Very Close,",
    "883,Thurrock,883,2,East of England,887,Very Close,303,Very Close,311,Very Close,866,Close,332,Close,882,Close,"
    "941,Close,894,Close,826,Close,874,Close,",
    ",,,,,,,,,,,,,,,,,,,,,,,,,",
    ",Old SNs:,,,,,,,,,,,,,,,,,,,,,,,,",
    ",,,,,,,,,,,,,,,,,,,,,,,,,",
    "837,Bournemouth (Pre LG),837,7,South West,882,Very Close,879,Very Close,836,Very Close,866,Very Close,851,"
    "Very Close,373,Very Close,845,Very Close,886,Very Close,921,Very Close,880,Close,",
)
# Southend's ten neighbours in that file, by DfE number, with their ONS codes and names.
SOUTHEND_NEIGHBOURS = (
    ("839", "E06000058", "Bournemouth, Christchurch and Poole"),
    ("866", "E06000030", "Swindon"),
    ("887", "E06000035", "Medway"),
    ("886", "E10000016", "Kent"),
    ("845", "E10000011", "East Sussex"),
    ("879", "E06000026", "Plymouth"),
    ("921", "E06000046", "Isle of Wight"),
    ("894", "E06000020", "Telford and Wrekin"),
    ("935", "E10000029", "Suffolk"),
    ("881", "E10000012", "Essex"),
)


def neighbours_csv() -> bytes:
    return ("\n".join(NEIGHBOURS_LINES) + "\n").encode("utf-8")


def neighbours_workbook() -> bytes:
    """The workbook: another sheet first, then the groupings sheet."""
    workbook = Workbook()
    workbook.active.title = "Introduction"
    workbook.active.append(["Children's services statistical neighbour benchmarking tool"])
    sheet = workbook.create_sheet("SN data")
    for row in csv.reader(NEIGHBOURS_LINES):
        sheet.append([int(cell) if cell.isdigit() else cell or None for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
