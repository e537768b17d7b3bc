"""The national indicator library: each measure the portal can import from the Department for Education's
published files, and the exact layout of each file as its release's data guidance gives it.

The layouts are those of "Education, health and care plans", reporting year 2025 (SEN2, Explore Education
Statistics, published June 2025), and "Special educational needs in England", academic year 2024/25 (the school
census, published June 2025); the sources are listed in docs/adr/0015-national-statistics.md. A file whose
columns differ from its layout is refused with the columns named, rather than read by guesswork.
"""

from dataclasses import dataclass
from datetime import date

from kpis.models import Better, Frequency, Unit

# Every Explore Education Statistics file opens with these columns, in this order.
STANDARD_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
)
# The school census releases give the same columns in another order.
CENSUS_STANDARD_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_name",
    "region_code",
    "old_la_code",
    "la_name",
    "new_la_code",
)
BREAKDOWN_COLUMNS = ("breakdown_topic", "breakdown")
# A school census file's filters, as its data guidance describes them, for the breakdowns' names.
CENSUS_FILTERS = {
    "phase_type_grouping": "Phase type of school",
    "type_of_establishment": "School type",
    "hospital_school": "Hospital school",
}
CENSUS_TOTAL = "Total"

# The symbols published in place of a number, each kept as the reason the figure is missing. The SEN2 release's
# data guidance gives z and x; the others are the conventions of the department's other releases. A release that
# gives a symbol another meaning says so in its layout's `symbols`.
MISSING_SYMBOLS = {
    "x": "not available",
    "z": "not applicable",
    "c": "confidential",
    "low": "rounds to zero but is not zero",
    "u": "low reliability",
    ":": "not available",
    "~": "fewer than 0.5",
}


PUBLICATION_SEN2 = "Education, health and care plans"
PUBLICATION_CENSUS = "Special educational needs in England"


@dataclass(frozen=True)
class Layout:
    """One published file: its name, what it holds, and every column its data guidance lists."""

    key: str
    title: str
    publication: str
    file_name: str
    time_identifier: str  # "Calendar year" or "Academic year"
    measures: tuple[str, ...]
    filters: tuple[str, ...] = BREAKDOWN_COLUMNS
    standard: tuple[str, ...] = STANDARD_COLUMNS
    symbols: tuple[
        tuple[str, str], ...
    ] = ()  # where this release's data guidance gives a symbol another meaning

    @property
    def columns(self) -> tuple[str, ...]:
        return self.standard + self.filters + self.measures

    def reason_for(self, symbol: str) -> str:
        """A missing figure's reason, as readers see it: 'Not published (x: not available)'."""
        meaning = dict(self.symbols).get(symbol) or MISSING_SYMBOLS.get(symbol, "no reason given")
        return f"Not published ({symbol}: {meaning})"

    def breakdown_of(self, row: dict[str, str]) -> tuple[str, str, bool]:
        """A row's breakdown topic, breakdown, and whether it is the file's headline (total) row.

        SEN2 files name the breakdown in two columns, the total row reading "All …" in both. A school census file
        has a column for each filter, "Total" where the row is not broken down by it: the filters that are not
        "Total" are the breakdown, and the row with every filter "Total" is the headline."""
        if self.filters == BREAKDOWN_COLUMNS:
            topic, breakdown = row["breakdown_topic"].strip(), row["breakdown"].strip()
            return topic, breakdown, topic == breakdown and topic.startswith("All")
        chosen = [(name, row[name].strip()) for name in self.filters if row[name].strip() != CENSUS_TOTAL]
        if not chosen:
            return CENSUS_TOTAL, CENSUS_TOTAL, True
        topic = " and ".join(CENSUS_FILTERS[name] for name, _ in chosen)
        return topic, " / ".join(value for _, value in chosen), False


PLACEMENT_COLUMNS = (
    "mainstream_la_maintained",
    "mainstream_la_maintained_resourced_provision",
    "mainstream_la_maintained_senunit",
    "mainstream_academy",
    "mainstream_academy_resourced_provision",
    "mainstream_academy_senunit",
    "mainstream_free_school",
    "mainstream_free_school_resourced_provision",
    "mainstream_free_school_senunit",
    "mainstream_independent",
    "mainstream_total",
    "mainstream_total_pc",
    "special_la_maintained",
    "special_academy_free",
    "special_independent",
    "special_non_maintained",
    "special_total",
    "special_total_pc",
    "ap_pru_academy",
    "ap_pru_free_school",
    "ap_pru_la_maintained",
    "ap_pru_total",
    "ap_pru_total_pc",
    "general_fe_tertiary_colleges",
    "specialist_post_16_institutions",
    "ukrlp_provider",
    "fe_total",
    "fe_total_pc",
    "elective_home_education",
    "other_arrangements_la",
    "other_arrangements_parents",
    "online_provider",
    "w_settings",
    "other_schools",
    "other_placement_settings",
    "neet",
    "neet_ntci",
    "neet_other",
    "neet_other_csa",
    "ed_elsewhere",
    "ed_elsewhere_pc",
    "nm_early_years",
    "nm_early_years_pc",
    "placement_unknown",
    "placement_unknown_pc",
    "await_prov_2022",
    "perm_ex_2022",
)

# Column names are compared in lower case: the department's files spell some in capitals (AP_PRU_total_pc,
# PC_plans_issued_20_weeks_ex) and have changed that spelling between releases without changing the meaning.
LAYOUTS = {
    layout.key: layout
    for layout in (
        Layout(
            key="sen2_caseload",
            title="Number of EHC plans as at January each year",
            publication=PUBLICATION_SEN2,
            file_name="caseload.csv",
            time_identifier="Academic year",
            measures=("ehcplans", *PLACEMENT_COLUMNS),
        ),
        Layout(
            key="sen2_new_plans",
            title="Number of new EHC plans during the calendar year",
            publication=PUBLICATION_SEN2,
            file_name="newplans.csv",
            time_identifier="Calendar year",
            measures=("new_ehc_plans", *PLACEMENT_COLUMNS),
        ),
        Layout(
            key="sen2_requests",
            title="Number of requests for an EHC needs assessment, and the request outcomes",
            publication=PUBLICATION_SEN2,
            file_name="requests.csv",
            time_identifier="Calendar year",
            measures=(
                "requests_received_in_year",
                "requests_rya",
                "requests_decided_to_assess",
                "requests_decided_not_to_assess",
                "requests_decision_not_made",
                "requests_withdrawn",
                "request_assess_pc",
                "request_not_assess_pc",
                "request_outstanding_pc",
                "request_withdrawn_pc",
                "request_outcome_six_weeks",
                "request_outcome_over_6_weeks",
                "request_outcome_six_weeks_pc",
                "request_outcome_over_6_weeks_pc",
                "mediation_related_request",
                "tribunal_related_request",
                "tribunal_after_mediation_request",
            ),
        ),
        Layout(
            key="sen2_timeliness",
            title="EHC plans issued within the statutory 20 week timeframe",
            publication=PUBLICATION_SEN2,
            file_name="timeliness_20_week.csv",
            time_identifier="Calendar year",
            measures=(
                "plans_issued_den",
                "plans_issued_den_ex",
                "plans_issued_within_20_weeks",
                "plans_issued_20_weeks_ex",
                "pc_plans_issued_within_20_weeks",
                "pc_plans_issued_20_weeks_ex",
                "plans_issued_gt20weeks_ltyear",
                "plans_issued_gt20weeks_ltyear_ex",
                "pc_plans_issued_gt20weeks_ltyear",
                "pc_plans_issued_gt20weeks_ltyear_ex",
                "plans_issued_gt_1_year",
                "plans_issued_gt_1_year_ex",
                "pc_plans_issued_gt_1_year",
                "pc_plans_issued_gt_1_year_ex",
            ),
        ),
        Layout(
            key="census_sen_phase_type",
            title="Pupils in all schools, by type of SEN provision",
            publication=PUBLICATION_CENSUS,
            file_name="sen_phase_type.csv",
            time_identifier="Academic year",
            standard=CENSUS_STANDARD_COLUMNS,
            filters=tuple(CENSUS_FILTERS),
            # This release's data guidance: "'x' Not applicable, 'z' Not available", the other way round from SEN2.
            symbols=(("x", "not applicable"), ("z", "not available")),
            measures=("total_pupils", "sen_support", "ehc_plan", "sen_support_percent", "ehc_plan_percent"),
        ),
    )
}


@dataclass(frozen=True)
class NationalMeasure:
    """A national indicator definition: what it means and exactly where in which published file it comes from.

    Its headline figure is the file's total row (breakdown_topic and breakdown the same, "All …"); every other
    row of the file is one of its breakdowns (primary need, age, sex, ethnicity, placement…)."""

    code: str
    title: str
    meaning: str
    unit: str
    better: str
    layout: Layout
    column: str
    numerator: str = ""  # the column counting what the percentage counts, where the file has one
    denominator: str = ""
    frequency: str = Frequency.ANNUAL

    @property
    def publication(self) -> str:
        return self.layout.publication


# The library as data, one measure a row: its code; the file, the column, and the numerator and denominator
# columns where the file has them; its unit and which direction is better; its title and meaning.
P, C, N, H = Unit.PERCENTAGE, Unit.COUNT, Better.NEITHER, Better.HIGHER
# fmt: off
MEASURES = (
    ("SEN2_ACTIVE_PLANS", "sen2_caseload", "ehcplans", "", "", C, N,
     "EHC plans maintained (January census)",
     "Education, health and care plans maintained by the local authority at the January SEN2 census, for "
     "children and young people aged 0 to 25."),
    ("SEN2_MAINSTREAM_PC", "sen2_caseload", "mainstream_total_pc", "mainstream_total", "ehcplans", P, N,
     "EHC plans: placed in mainstream schools (%)",
     "Of the EHC plans maintained at January, the percentage whose holder attends a mainstream school."),
    ("SEN2_SPECIAL_PC", "sen2_caseload", "special_total_pc", "special_total", "ehcplans", P, N,
     "EHC plans: placed in special schools (%)",
     "Of the EHC plans maintained at January, the percentage whose holder attends a special school."),
    ("SEN2_NEW_PLANS", "sen2_new_plans", "new_ehc_plans", "", "", C, N,
     "New EHC plans in the calendar year",
     "EHC plans that started during the calendar year."),
    ("SEN2_REQUESTS", "sen2_requests", "requests_received_in_year", "", "", C, N,
     "Requests for an EHC needs assessment",
     "Requests for an EHC needs assessment received during the calendar year."),
    ("SEN2_REQUESTS_NOT_ASSESSED_PC", "sen2_requests", "request_not_assess_pc",
     "requests_decided_not_to_assess", "requests_received_in_year", P, N,
     "Requests where the decision was not to assess (%)",
     "Of the requests for an EHC needs assessment received in the calendar year, the percentage where the "
     "local authority decided not to proceed with an assessment."),
    ("SEN2_ISSUED_20_WEEKS_PC", "sen2_timeliness", "pc_plans_issued_within_20_weeks",
     "plans_issued_within_20_weeks", "plans_issued_den", P, H,
     "New EHC plans issued within 20 weeks, including exceptions (%)",
     "Of the EHC plans issued in the calendar year, the percentage issued within the statutory 20 weeks, "
     "counting the plans where an exception to the time limit applied."),
    ("SEN2_ISSUED_20_WEEKS_EX_PC", "sen2_timeliness", "pc_plans_issued_20_weeks_ex",
     "plans_issued_20_weeks_ex", "plans_issued_den_ex", P, H,
     "New EHC plans issued within 20 weeks, excluding exceptions (%)",
     "Of the EHC plans issued in the calendar year where no exception to the time limit applied, the "
     "percentage issued within the statutory 20 weeks."),
    ("SEN2_PLANS_ISSUED", "sen2_timeliness", "plans_issued_den", "", "", C, N,
     "EHC plans issued in the calendar year",
     "EHC plans issued during the calendar year, including those where an exception to the 20-week time "
     "limit applied."),
    ("CENSUS_PUPILS", "census_sen_phase_type", "total_pupils", "", "", C, N,
     "Pupils on roll (January school census)",
     "Pupils on roll at the January school census, in all schools including independent schools."),
    ("CENSUS_SEN_SUPPORT_PC", "census_sen_phase_type", "sen_support_percent", "sen_support", "total_pupils",
     P, N,
     "Pupils with SEN support (%)",
     "Of the pupils on roll at the January school census, in all schools including independent schools, the "
     "percentage with special educational needs who have SEN support and no EHC plan."),
    ("CENSUS_EHC_PLAN_PC", "census_sen_phase_type", "ehc_plan_percent", "ehc_plan", "total_pupils", P, N,
     "Pupils with an EHC plan (%)",
     "Of the pupils on roll at the January school census, in all schools including independent schools, the "
     "percentage with an education, health and care plan."),
)
# fmt: on
LIBRARY = {
    code: NationalMeasure(code, title, meaning, unit, better, LAYOUTS[layout], column, numerator, denominator)
    for code, layout, column, numerator, denominator, unit, better, title, meaning in MEASURES
}


def measures_of(layout: Layout) -> list[NationalMeasure]:
    return [item for item in LIBRARY.values() if item.layout == layout]


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date
    reference_date: date


def period_of(time_period: str, time_identifier: str) -> Period:
    """The period a published time_period stands for, as readers say it.

    A calendar year is itself; an academic-year figure (SEN2 or the school census) is a count at the January
    census of that year, so 202425 reads "January 2025" and is dated at the census (the third Thursday of January
    at the latest)."""
    if time_identifier == "Academic year":
        year = int(time_period[:4]) + 1
        return Period(f"January {year}", date(year, 1, 1), date(year, 1, 31), date(year, 1, 21))
    year = int(time_period)
    return Period(f"Calendar year {year}", date(year, 1, 1), date(year, 12, 31), date(year, 12, 31))
