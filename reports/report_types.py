"""The kinds of report the pack engine writes, each for its own audience from the same data.

Every type is built, versioned, cut off and published the same way (`services.pack_request` and
`services.pack_build`), as a tagged PDF and an accessible web page. What differs is listed here: its front sheet,
the sections it prints in order (from one catalogue), who reads it, how often, and the appendices a new meeting
starts with. The Health and Wellbeing Board report keeps its own template, as it always printed.
"""

from dataclasses import dataclass, field

from reports.models import Appendix, ReportType


@dataclass(frozen=True)
class Section:
    """One section of the catalogue: its heading and the template that prints it. `written` names the text the
    author writes for it on the report's sections page; the other sections are drawn from the data."""

    heading: str
    template: str
    written: tuple[tuple[str, str], ...] = ()


IMPLICATIONS = (
    ("financial", "Financial"),
    ("legal", "Legal"),
    ("people", "People"),
    ("property", "Property"),
    ("consultation", "Consultation"),
    ("equalities", "Equalities and diversity"),
    ("risk", "Risk assessment"),
    ("value_for_money", "Value for money"),
    ("community_safety", "Community safety"),
    ("environmental", "Environmental"),
)

CATALOGUE: dict[str, Section] = {
    "purpose": Section("Purpose of report", "reports/pack/sections/purpose.html"),
    "recommendations": Section("Recommendations", "reports/pack/sections/recommendations.html"),
    "background": Section("Background", "reports/pack/sections/background.html"),
    "performance": Section("Performance figures", "reports/pack/sections/performance.html"),
    "other_options": Section(
        "Other options", "reports/pack/sections/written.html", (("other_options", "Other options"),)
    ),
    "reasons": Section(
        "Reasons for recommendations",
        "reports/pack/sections/written.html",
        (("reasons", "Reasons for recommendations"),),
    ),
    "implications": Section(
        "Corporate implications",
        "reports/pack/sections/implications.html",
        tuple((f"implications_{key}", f"{label} implications") for key, label in IMPLICATIONS),
    ),
    "rag_movements": Section(
        "RAG movements since the last meeting", "reports/pack/sections/rag_movements.html"
    ),
    "attention": Section("Needs attention", "reports/pack/sections/attention.html"),
    "milestones": Section("Milestones due and missed", "reports/pack/sections/milestones.html"),
    "risks": Section("Top risks and their movement", "reports/pack/sections/risks.html"),
    "indicators": Section("Indicators against comparators", "reports/pack/sections/indicators.html"),
    "progress": Section("Progress against each recommendation", "reports/pack/sections/progress.html"),
    "appendices": Section("Appendices", "reports/pack/sections/appendices.html"),
    "background_papers": Section(
        "Background papers",
        "reports/pack/sections/written.html",
        (("background_papers", "Background papers"),),
    ),
}


@dataclass(frozen=True)
class Kind:
    label: str
    audience: str
    cadence: str
    cadence_months: int
    template: str
    front_sheet: str
    sections: tuple[str, ...]
    file_stem: str
    appendices: tuple[str, ...] = field(default_factory=tuple)


KINDS: dict[str, Kind] = {
    ReportType.HWBB: Kind(
        label=ReportType.HWBB.label,
        audience="The Health and Wellbeing Board",
        cadence="Twice a year",
        cadence_months=6,
        template="reports/pack/document.html",
        front_sheet="",
        sections=(),
        file_stem="hwbb",
        appendices=(
            Appendix.Kind.ANNUAL_UPDATE,
            Appendix.Kind.ACTION_STATUS,
            Appendix.Kind.GOVERNANCE_CHART,
            Appendix.Kind.SEF,
        ),
    ),
    ReportType.SCRUTINY: Kind(
        label=ReportType.SCRUTINY.label,
        audience="The council's scrutiny committee, in the Cabinet and scrutiny report template",
        cadence="When the committee asks for an update",
        cadence_months=6,
        template="reports/pack/report.html",
        front_sheet="reports/pack/front/scrutiny.html",
        sections=(
            "purpose",
            "recommendations",
            "background",
            "other_options",
            "reasons",
            "implications",
            "appendices",
            "background_papers",
        ),
        file_stem="scrutiny",
        appendices=(Appendix.Kind.ACTION_STATUS,),
    ),
    ReportType.PARTNERSHIP_BOARD: Kind(
        label=ReportType.PARTNERSHIP_BOARD.label,
        audience="The SEND Strategic Partnership Board, which holds leaders to account and oversees the risk log",
        cadence="At every meeting of the board, at least termly",
        cadence_months=4,
        template="reports/pack/report.html",
        front_sheet="reports/pack/front/board.html",
        sections=("purpose", "rag_movements", "attention", "milestones", "risks", "indicators", "appendices"),
        file_stem="partnership-board",
    ),
    ReportType.MONITORING: Kind(
        label=ReportType.MONITORING.label,
        audience="The Department for Education and NHS England, who monitor the plan",
        cadence="When the monitoring bodies ask",
        cadence_months=6,
        template="reports/pack/report.html",
        front_sheet="reports/pack/front/board.html",
        sections=("purpose", "progress", "indicators", "risks", "appendices"),
        file_stem="monitoring",
    ),
    ReportType.EASY_READ: Kind(
        label=ReportType.EASY_READ.label,
        audience="Children, young people and families",
        cadence="Alongside each Health and Wellbeing Board report",
        cadence_months=6,
        template="reports/pack/easy_read.html",
        front_sheet="",
        sections=(),
        file_stem="easy-read",
    ),
    ReportType.CUSTOM: Kind(
        label=ReportType.CUSTOM.label,
        audience="A committee whose sections democratic services choose from the catalogue",
        cadence="As the committee meets",
        cadence_months=6,
        template="reports/pack/report.html",
        front_sheet="reports/pack/front/board.html",
        sections=(),
        file_stem="report",
    ),
}


def kind_of(report_type: str) -> Kind:
    return KINDS[report_type]


def sections_of(report_type: str, chosen: list[str]) -> list[str]:
    """The sections a report prints, in order: the type's own, or for the configurable type those chosen."""
    if report_type == ReportType.CUSTOM:
        return [key for key in CATALOGUE if key in chosen]
    return list(kind_of(report_type).sections)


def written_fields(sections: list[str]) -> list[tuple[str, str]]:
    """The texts the author writes for these sections, in order: (key, label)."""
    return [written for key in sections for written in CATALOGUE[key].written]


CATALOGUE_CHOICES = [(key, section.heading) for key, section in CATALOGUE.items()]
