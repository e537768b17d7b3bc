"""A national-scale statistics file for `make bench`: the SEN2 caseload file ("Number of EHC plans as at January
each year", the "Education, health and care plans" release) in its published layout, for England, its 9 regions
and all 153 local authorities over 10 academic years, with breakdown rows and the published missing-value
symbols x, z, c and low.

The figures are made up and seeded, so two runs measure the same file; they are never shown as statistics. The
rows are written through the tests' own writer of published files (tests/kpis/statistics_files.py), one at a
time, so the file never sits in memory.
"""

import random
from collections.abc import Iterator
from pathlib import Path

from kpis.library import PLACEMENT_COLUMNS
from people.local_authorities import local_authorities
from tests.kpis.statistics_files import CASELOAD_HEADER, area_columns, write_csv

ROWS = 150_000
FIRST_YEAR = 2015  # academic years 2015/16 .. 2024/25, published as 201516 .. 202425
YEARS = 10
REGIONS = {
    "North East": "E12000001",
    "North West": "E12000002",
    "Yorkshire and The Humber": "E12000003",
    "East Midlands": "E12000004",
    "West Midlands": "E12000005",
    "East of England": "E12000006",
    "London": "E12000007",
    "South East": "E12000008",
    "South West": "E12000009",
}
TOTAL = "All EHC plans"
AGES = ("Under age 5", "Age 5 to 10", "Age 11 to 15", "Age 16 to 19", "Age 20 to 25")
AGE_SHARES = (0.05, 0.38, 0.30, 0.20, 0.07)
NEEDS = (
    "Autistic spectrum disorder",
    "Speech, language and communication needs",
    "Social, emotional and mental health",
    "Moderate learning difficulty",
    "Severe learning difficulty",
    "Profound and multiple learning difficulty",
    "Specific learning difficulty",
    "Hearing impairment",
    "Visual impairment",
    "Multi-sensory impairment",
    "Physical disability",
    "Other difficulty or disability",
    "SEN support but no specialist assessment of type of need",
)
NEED_SHARES = (0.33, 0.16, 0.16, 0.10, 0.08, 0.03, 0.03, 0.02, 0.01, 0.005, 0.04, 0.03, 0.015)
ETHNICITIES = (
    "White British",
    "Irish",
    "Traveller of Irish heritage",
    "Gypsy/Roma",
    "Any other white background",
    "White and Black Caribbean",
    "White and Black African",
    "White and Asian",
    "Any other mixed background",
    "Indian",
    "Pakistani",
    "Bangladeshi",
    "Any other Asian background",
    "Black Caribbean",
    "Black African",
    "Any other Black background",
    "Chinese",
    "Any other ethnic group",
    "Unclassified",
)
ETHNICITY_SHARES = (
    0.68, 0.003, 0.002, 0.006, 0.04, 0.02, 0.008, 0.01, 0.02, 0.02, 0.04, 0.015, 0.015, 0.015, 0.04,
    0.01, 0.002, 0.015, 0.019,
)  # fmt: skip
# Every breakdown an area's year has, with its share of the area's plans: the total first, 93 in all.
BREAKDOWNS: tuple[tuple[str, str, float], ...] = (
    (TOTAL, TOTAL, 1.0),
    *(("Age", age, share) for age, share in zip(AGES, AGE_SHARES, strict=True)),
    ("Sex", "Male", 0.72),
    ("Sex", "Female", 0.27),
    *(("Ethnicity", name, share) for name, share in zip(ETHNICITIES, ETHNICITY_SHARES, strict=True)),
    *(
        ("Primary need and age", f"{need} / {age}", need_share * age_share)
        for need, need_share in zip(NEEDS, NEED_SHARES, strict=True)
        for age, age_share in zip(AGES, AGE_SHARES, strict=True)
    ),
    ("Sex", "Unknown or not recorded", 0.01),
)
# Where each placement counts, as a share of the row's plans; the *_total and *_pc columns are derived.
PLACEMENT_SHARES = {
    "mainstream_la_maintained": 0.14,
    "mainstream_la_maintained_resourced_provision": 0.02,
    "mainstream_la_maintained_senunit": 0.01,
    "mainstream_academy": 0.16,
    "mainstream_academy_resourced_provision": 0.02,
    "mainstream_academy_senunit": 0.01,
    "mainstream_free_school": 0.01,
    "mainstream_free_school_resourced_provision": 0.002,
    "mainstream_free_school_senunit": 0.001,
    "mainstream_independent": 0.01,
    "special_la_maintained": 0.14,
    "special_academy_free": 0.15,
    "special_independent": 0.05,
    "special_non_maintained": 0.01,
    "ap_pru_academy": 0.005,
    "ap_pru_free_school": 0.001,
    "ap_pru_la_maintained": 0.004,
    "general_fe_tertiary_colleges": 0.09,
    "specialist_post_16_institutions": 0.02,
    "ukrlp_provider": 0.005,
    "elective_home_education": 0.01,
    "other_arrangements_la": 0.006,
    "other_arrangements_parents": 0.004,
    "online_provider": 0.002,
    "w_settings": 0.001,
    "other_schools": 0.005,
    "other_placement_settings": 0.004,
    "neet": 0.03,
    "neet_ntci": 0.01,
    "neet_other": 0.015,
    "neet_other_csa": 0.005,
    "nm_early_years": 0.02,
    "placement_unknown": 0.01,
    "await_prov_2022": 0.01,
    "perm_ex_2022": 0.001,
}
TOTALS = {
    "mainstream_total": [name for name in PLACEMENT_SHARES if name.startswith("mainstream_")],
    "special_total": [name for name in PLACEMENT_SHARES if name.startswith("special_")],
    "ap_pru_total": [name for name in PLACEMENT_SHARES if name.startswith("ap_pru_")],
    "fe_total": ["general_fe_tertiary_colleges", "specialist_post_16_institutions", "ukrlp_provider"],
    "ed_elsewhere": ["elective_home_education", "other_arrangements_la", "other_arrangements_parents"],
}
PERCENTAGES = {
    "mainstream_total_pc": "mainstream_total",
    "special_total_pc": "special_total",
    "ap_pru_total_pc": "ap_pru_total",
    "fe_total_pc": "fe_total",
    "ed_elsewhere_pc": "ed_elsewhere",
    "nm_early_years_pc": "nm_early_years",
    "placement_unknown_pc": "placement_unknown",
}
NEW_IN_2022 = {"await_prov_2022", "perm_ex_2022"}  # z (not applicable) before the 2022 collection
SUPPRESSED_BELOW = 5  # a local authority's count of 1 to 4 is published as c


def areas() -> Iterator[tuple[str, list[str], int]]:
    """England, each region and each local authority: the level, its standard columns and its size."""
    authorities = sorted(local_authorities().values(), key=lambda authority: authority.ons_code)
    yield "National", area_columns("National"), 400_000
    for name, code in REGIONS.items():
        count = sum(1 for authority in authorities if authority.region == name)
        yield "Regional", area_columns("Regional", region=(code, name)), 2_600 * count
    for authority in authorities:
        yield (
            "Local authority",
            area_columns(
                "Local authority",
                (authority.ons_code, authority.dfe_code, authority.name),
                (REGIONS[authority.region], authority.region),
            ),
            2_600,
        )


def figures(plans: int, year: int, local: bool) -> list[str]:
    """The measure columns of one row, in the layout's order, with the published symbols where they apply."""
    counts = {name: round(plans * share) for name, share in PLACEMENT_SHARES.items()}
    for total, parts in TOTALS.items():
        counts[total] = sum(counts[part] for part in parts)
    cells = {"ehcplans": cell(plans, local)}
    for name in PLACEMENT_COLUMNS:
        if name in PERCENTAGES:
            cells[name] = percentage(counts[PERCENTAGES[name]], plans)
        elif name in NEW_IN_2022 and year < 2022:
            cells[name] = "z"
        else:
            cells[name] = cell(counts[name], local)
    return [cells[name] for name in ("ehcplans", *PLACEMENT_COLUMNS)]


def cell(count: int, local: bool) -> str:
    return "c" if local and 0 < count < SUPPRESSED_BELOW else str(count)


def percentage(part: int, whole: int) -> str:
    if not whole:
        return "z"
    share = 100 * part / whole
    return "low" if part and share < 0.05 else f"{share:.1f}"


def rows(total: int = ROWS, revised: bool = False) -> Iterator[list[str]]:
    """`total` rows: every area's year has its total and 91 or 92 breakdowns. A revised release changes the latest
    year's figures for every fifth local authority. One authority a year has no return: x throughout."""
    rng = random.Random(20250612)
    places = list(areas())
    area_years = len(places) * YEARS
    each, extra = divmod(total, area_years)
    if each >= len(BREAKDOWNS):
        raise ValueError(f"At most {len(BREAKDOWNS) * area_years} rows")
    n = 0
    for offset in range(YEARS):
        year = FIRST_YEAR + offset
        period = f"{year}{(year + 1) % 100:02d}"
        for index, (level, columns, size) in enumerate(places):
            local = level == "Local authority"
            plans = round(size * (0.6 + 0.05 * offset) * rng.uniform(0.7, 1.3))
            if revised and local and offset == YEARS - 1 and index % 5 == 0:
                plans += 7
            unavailable = local and index % YEARS == offset
            for topic, breakdown, share in BREAKDOWNS[: each + (1 if n < extra else 0)]:
                cells = ["x"] * 48 if unavailable else figures(round(plans * share), year, local)
                yield [period, "Academic year", *columns, topic, breakdown, *cells]
            n += 1


def write_file(path: Path, total: int = ROWS, revised: bool = False) -> int:
    """Writes the file and returns how many rows of figures it has."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as stream:
        return write_csv(stream, CASELOAD_HEADER, rows(total, revised))
