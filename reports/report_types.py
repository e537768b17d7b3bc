"""The kinds of report the pack engine writes, each for its own audience from the same data.

Every type is built, versioned, cut off and published the same way (`services.pack_request` and
`services.pack_build`), as a tagged PDF and an accessible web page. What differs is listed here: its front sheet,
the sections it prints in order (from one catalogue), who reads it, how often, and the appendices a new meeting
starts with. The Health and Wellbeing Board report keeps its own template, as it always printed.
"""

from dataclasses import dataclass, field

from core.pages import listed
from reports.models import Appendix, ReportType

REPORT = "reports/pack/report.html"
BOARD_FRONT = "reports/pack/front/board.html"


@dataclass(frozen=True)
class Section:
    """One section of the catalogue: its heading and the template that prints it
    (`reports/pack/sections/<template>.html`, named by its key unless given). `written` names the text the author
    writes for it on the report's sections page; `narrative` the parts of the drafted narrative it prints (see
    `narrative_parts`); the other sections are drawn from the data."""

    key: str
    heading: str
    written: tuple[tuple[str, str], ...] = ()
    template_name: str = ""
    narrative: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        return f"reports/pack/sections/{self.template_name or self.key}.html"


def written_section(key: str, heading: str) -> Section:
    """A section that prints the author's own text under its heading."""
    return Section(key, heading, ((key, heading),), "written")


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
    section.key: section
    for section in (
        Section("purpose", "Purpose of report", narrative=("executive_summary",)),
        Section("recommendations", "Recommendations", narrative=("recommendations",)),
        Section("background", "Background", narrative=("background", "wording", "progress")),
        Section("performance", "Performance figures"),
        written_section("other_options", "Other options"),
        written_section("reasons", "Reasons for recommendations"),
        Section(
            "implications",
            "Corporate implications",
            tuple((f"implications_{key}", f"{label} implications") for key, label in IMPLICATIONS),
        ),
        Section("rag_movements", "RAG movements since the last meeting"),
        Section("attention", "Needs attention"),
        Section("milestones", "Milestones due and missed"),
        Section("risks", "Top risks and their movement"),
        Section("indicators", "Indicators against comparators"),
        Section("progress", "Progress against each recommendation", narrative=("progress",)),
        Section("appendices", "Appendices"),
        written_section("background_papers", "Background papers"),
    )
}


@dataclass(frozen=True)
class Kind:
    """A kind of report: who reads it and how often, its template and front sheet, and its sections: its own
    from the catalogue, those democratic services choose (`chooses_sections`), or for a kind with a template of
    its own, its `outline` in words."""

    report_type: ReportType
    audience: str
    cadence: str
    file_stem: str
    sections: tuple[str, ...] = ()
    chooses_sections: bool = False
    outline: str = ""
    cadence_months: int = 6
    template: str = REPORT
    front_sheet: str = BOARD_FRONT
    appendices: tuple[str, ...] = field(default_factory=tuple)
    # What the report calls itself on its front sheet, where that is not the name it is chosen by.
    front_label: str = ""
    # For a kind with a template of its own, the parts of the narrative it prints with their labels, in order
    # (see `narrative_parts`); a kind printed from the catalogue has those of its sections.
    narrative: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return str(self.report_type.label)

    @property
    def label_on_front(self) -> str:
        return self.front_label or self.label

    @property
    def contents(self) -> str:
        """Its sections in words, for people choosing a kind of report."""
        if self.chooses_sections:
            return "Its sections: those you tick below."
        return in_words(self.sections) if self.sections else self.outline


def in_words(sections: tuple[str, ...] | list[str]) -> str:
    return f"Its sections: {listed([CATALOGUE[key].heading for key in sections])}."


KINDS: dict[str, Kind] = {
    kind.report_type: kind
    for kind in (
        Kind(
            ReportType.HWBB,
            "The Health and Wellbeing Board",
            "Twice a year",
            "hwbb",
            # The appendices differ from meeting to meeting (December 2024 had no action status table): the outline
            # names only what every pack holds.
            outline="Its sections: Executive summary, Recommendations, Background, Strategic Action Plan progress, "
            "Impact to date and Priorities, followed by the appendices chosen for the meeting.",
            template="reports/pack/document.html",
            front_sheet="",
            narrative=(
                ("executive_summary", "1. Executive summary"),
                ("recommendations", "2. Recommendations"),
                ("background", "3. Background"),
                ("wording", "3.4 Recommendation {} as this report words it (optional)"),
                ("progress:intro", "4.1 Introduction to progress"),
                ("progress", "Progress towards recommendation {}"),
                ("impact", "5. Impact to date"),
                ("priorities_heading", "Heading of section 6"),
                ("priorities", "6. Priorities"),
            ),
            appendices=(
                Appendix.Kind.ANNUAL_UPDATE,
                Appendix.Kind.ACTION_STATUS,
                Appendix.Kind.GOVERNANCE_CHART,
                Appendix.Kind.SEF,
            ),
        ),
        Kind(
            ReportType.SCRUTINY,
            "The council's scrutiny committee, in the Cabinet and scrutiny report template",
            "When the committee asks for an update",
            "scrutiny",
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
            front_sheet="reports/pack/front/scrutiny.html",
            appendices=(Appendix.Kind.ACTION_STATUS,),
        ),
        Kind(
            ReportType.PARTNERSHIP_BOARD,
            "The SEND Strategic Partnership Board, which holds leaders to account and oversees the risk log",
            "At every meeting of the board, at least termly",
            "partnership-board",
            sections=(
                "purpose",
                "rag_movements",
                "attention",
                "milestones",
                "risks",
                "indicators",
                "appendices",
            ),
            cadence_months=4,
        ),
        Kind(
            ReportType.MONITORING,
            "The Department for Education and NHS England, who monitor the plan",
            "When the monitoring bodies ask",
            "monitoring",
            sections=("purpose", "progress", "indicators", "risks", "appendices"),
        ),
        Kind(
            ReportType.EASY_READ,
            "Children, young people and families",
            "Alongside each Health and Wellbeing Board report",
            "easy-read",
            outline="Its pages: Our plan, one page for each aim, Things that could go wrong and Other ways to read "
            "this, in short sentences and large type.",
            template="reports/pack/easy_read.html",
            front_sheet="",
        ),
        Kind(
            ReportType.CUSTOM,
            "A committee whose sections democratic services choose from the catalogue",
            "As the committee meets",
            "report",
            chooses_sections=True,
            front_label="Report",
        ),
    )
}


def kind_of(report_type: str) -> Kind:
    return KINDS[report_type]


def sections_of(report_type: str, chosen: list[str]) -> list[str]:
    """The sections a report prints, in order: the type's own, or for the configurable type those chosen."""
    if kind_of(report_type).chooses_sections:
        return [key for key in CATALOGUE if key in chosen]
    return list(kind_of(report_type).sections)


def contents_of(report_type: str, chosen: list[str]) -> str:
    """A report's sections in words: those chosen for the configurable type, or its type's own."""
    if kind_of(report_type).chooses_sections:
        return in_words(sections_of(report_type, chosen))
    return kind_of(report_type).contents


def written_fields(sections: list[str]) -> list[tuple[str, str]]:
    """The texts the author writes for these sections, in order: (key, label)."""
    return [written for key in sections for written in CATALOGUE[key].written]


# The parts of the narrative written once for each recommendation of the plan, and their labels.
PER_RECOMMENDATION = {
    "wording": "Recommendation {} as this report words it (optional)",
    "progress": "Progress towards recommendation {}",
}


@dataclass(frozen=True)
class NarrativePart:
    """A part of the drafted narrative that a report prints, labelled as that report numbers it. Its key is the
    drafting's (`reports.drafting`), with 'wording:<number>' for a recommendation as the report words it."""

    key: str
    label: str

    @property
    def drafted(self) -> bool:
        """Whether the portal drafts this part: a recommendation's own wording is carried from the last report."""
        return not self.key.startswith("wording:")


def narrative_parts(report_type: str, chosen: list[str], numbers: list[int]) -> list[NarrativePart]:
    """The parts of the narrative a report prints, in its order, for a plan with recommendations `numbers`."""
    kind = kind_of(report_type)
    labelled = list(kind.narrative) or [
        (part, PER_RECOMMENDATION.get(part, f"{number}. {CATALOGUE[key].heading}"))
        for number, key in enumerate(sections_of(report_type, chosen), start=1)
        for part in CATALOGUE[key].narrative
    ]
    parts: dict[str, NarrativePart] = {}
    for part, label in labelled:
        if part in PER_RECOMMENDATION:
            for number in numbers:
                parts.setdefault(f"{part}:{number}", NarrativePart(f"{part}:{number}", label.format(number)))
        else:
            parts.setdefault(part, NarrativePart(part, label))
    return list(parts.values())


CATALOGUE_CHOICES = [(key, section.heading) for key, section in CATALOGUE.items()]
