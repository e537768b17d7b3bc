"""Every read of the SEF. Scoping to the current partnership lives here: another partnership's version is a 404."""

import difflib
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from actions.models import Action, RagLevel
from actions.selectors import latest_approved_by_action
from core.models import Partnership
from kpis.models import Indicator
from kpis.selectors import Reader, visible_indicators, with_latest_return
from sef.models import (
    AreaEvaluation,
    AreaItem,
    ContextSection,
    EvaluationArea,
    InspectionFramework,
    JudgementLevel,
    KeyIssue,
    Priority,
    PriorityGroup,
    SelfEvaluation,
)


def versions_in(partnership: Partnership) -> QuerySet[SelfEvaluation]:
    return SelfEvaluation.objects.filter(partnership=partnership).order_by("-version")


def version_in(partnership: Partnership, pk: int) -> SelfEvaluation:
    return get_object_or_404(
        SelfEvaluation.objects.select_related("framework", "based_on"), partnership=partnership, pk=pk
    )


def current_draft(partnership: Partnership) -> SelfEvaluation | None:
    return versions_in(partnership).filter(status=SelfEvaluation.Status.DRAFT).first()


def area_contents(evaluation: SelfEvaluation) -> QuerySet[AreaEvaluation]:
    """The areas of a version with the number of items under each heading, for its contents list."""
    return (
        evaluation.area_evaluations.select_related("area__strand", "judgement")
        .annotate(
            do_well_count=Count("items", filter=Q(items__heading=AreaItem.Heading.DO_WELL)),
            impact_count=Count("items", filter=Q(items__heading=AreaItem.Heading.IMPACT)),
            improve_count=Count("items", filter=Q(items__heading=AreaItem.Heading.IMPROVE)),
        )
        .order_by("area__number")
    )


def key_issues_of(evaluation: SelfEvaluation) -> Prefetch:
    return Prefetch(
        "area__key_issues", queryset=KeyIssue.objects.filter(evaluation=evaluation), to_attr="issues"
    )


def actions_with_recommendation() -> Prefetch:
    return Prefetch("actions", queryset=Action.objects.select_related("recommendation"))


def area_evaluation_in(evaluation: SelfEvaluation, number: int) -> AreaEvaluation:
    return get_object_or_404(
        evaluation.area_evaluations.select_related(
            "area__strand", "judgement", "last_edited_by"
        ).prefetch_related("items", actions_with_recommendation(), key_issues_of(evaluation)),
        area__number=number,
    )


def linked_indicators(partnership: Partnership, reader: Reader) -> QuerySet[Indicator]:
    """The indicators this user may see, with their latest value; areas are shared, so scope by partnership."""
    return with_latest_return(visible_indicators(partnership, reader)).order_by("code")


def indicators_of_area(partnership: Partnership, reader: Reader, area: EvaluationArea) -> QuerySet[Indicator]:
    return linked_indicators(partnership, reader).filter(sef_areas=area)


def area_evaluations_in_full(evaluation: SelfEvaluation) -> QuerySet[AreaEvaluation]:
    return (
        evaluation.area_evaluations.select_related("area__strand", "judgement")
        .prefetch_related("items", actions_with_recommendation(), key_issues_of(evaluation))
        .order_by("area__number")
    )


def items_by_heading(area_evaluation: AreaEvaluation) -> dict[str, list[str]]:
    """An area's items as lists of text under each heading (uses prefetched items when there are some)."""
    lists: dict[str, list[str]] = {heading: [] for heading in AreaItem.Heading.values}
    for item in sorted(area_evaluation.items.all(), key=lambda i: i.order):
        lists[item.heading].append(item.text)
    return lists


def sections_of(evaluation: SelfEvaluation) -> QuerySet[ContextSection]:
    return evaluation.sections.prefetch_related(
        Prefetch("key_issues", queryset=KeyIssue.objects.prefetch_related("areas").order_by("order"))
    ).order_by("order")


def section_in(evaluation: SelfEvaluation, order: int) -> ContextSection:
    return get_object_or_404(ContextSection, evaluation=evaluation, order=order)


def priority_groups_of(evaluation: SelfEvaluation) -> QuerySet[PriorityGroup]:
    return (
        evaluation.priority_groups.select_related("recommendation")
        .prefetch_related(
            Prefetch("priorities", queryset=Priority.objects.prefetch_related(actions_with_recommendation()))
        )
        .order_by("number")
    )


def priority_in(evaluation: SelfEvaluation, number: int, order: int) -> Priority:
    return get_object_or_404(
        Priority.objects.select_related("group").prefetch_related("actions"),
        group__evaluation=evaluation,
        group__number=number,
        order=order,
    )


def linked_actions(evaluation: SelfEvaluation) -> QuerySet[Action]:
    """The plan's actions that this version links to, each with the areas and priorities that link to it."""
    return (
        Action.objects.filter(
            Q(sef_area_evaluations__evaluation=evaluation) | Q(sef_priorities__group__evaluation=evaluation)
        )
        .distinct()
        .select_related("recommendation")
        .prefetch_related(
            Prefetch(
                "sef_area_evaluations",
                queryset=AreaEvaluation.objects.filter(evaluation=evaluation).select_related("area"),
                to_attr="linked_areas",
            ),
            Prefetch(
                "sef_priorities",
                queryset=Priority.objects.filter(group__evaluation=evaluation).select_related("group"),
                to_attr="linked_priorities",
            ),
        )
        .order_by("recommendation__number", "order")
    )


EXPORT_HEADER = ["Version", "Part", "Area or section", "Heading", "Order", "Text", "Judgement"]


def export_rows(evaluation: SelfEvaluation) -> list[list[object]]:
    """Every item of a version, one row each: Part A narratives and key issues, Part B items, Part C priorities."""
    rows: list[list[object]] = []
    for section in sections_of(evaluation):
        if section.narrative:
            rows.append(
                [evaluation.version, "A", section.heading, "Narrative", section.order, section.narrative, ""]
            )
        rows += [
            [evaluation.version, "A", section.heading, "Key issue", issue.order, issue.text, ""]
            for issue in section.key_issues.all()
        ]
    headings = dict(AreaItem.Heading.choices)
    for area_evaluation in area_evaluations_in_full(evaluation):
        area = f"Area {area_evaluation.area.number}: {area_evaluation.area.title}"
        judgement = area_evaluation.judgement.label if area_evaluation.judgement else "Not judged"
        headings[AreaItem.Heading.IMPROVE] = area_evaluation.improve_heading
        rows += [
            [evaluation.version, "B", area, headings[item.heading], item.order, item.text, judgement]
            for item in sorted(area_evaluation.items.all(), key=lambda i: (i.heading, i.order))
        ]
    for group in priority_groups_of(evaluation):
        rows += [
            [
                evaluation.version,
                "C",
                f"Recommendation {group.number}: {group.heading}",
                "Priority",
                p.order,
                p.text,
                "",
            ]
            for p in group.priorities.all()
        ]
    return rows


def plan_actions(partnership: Partnership) -> QuerySet[Action]:
    return Action.objects.filter(
        recommendation__plan__partnership=partnership, recommendation__plan__status="published"
    ).select_related("recommendation")


def judgement_levels(partnership: Partnership) -> QuerySet[JudgementLevel]:
    return partnership.judgement_levels.order_by("order")


def judgement_level_in(partnership: Partnership, pk: int) -> JudgementLevel:
    return get_object_or_404(JudgementLevel, partnership=partnership, pk=pk)


def framework_in_full(framework: InspectionFramework) -> InspectionFramework:
    return InspectionFramework.objects.prefetch_related("strands__areas", "outcomes").get(pk=framework.pk)


def latest_framework() -> InspectionFramework | None:
    return InspectionFramework.latest()


THIN_EVIDENCE_BELOW = 2  # an area with fewer linked items than this has thin evidence


@dataclass
class ActionEvidence:
    action: Action
    rag: RagLevel | None


@dataclass
class AreaReadiness:
    area_evaluation: AreaEvaluation
    key_issues: list[KeyIssue]
    actions: list[ActionEvidence]
    indicators: list[Indicator]

    @property
    def evidence_count(self) -> int:
        return len(self.key_issues) + len(self.actions) + len(self.indicators)

    @property
    def evidence(self) -> str:
        if not self.evidence_count:
            return "No evidence"
        return "Thin evidence" if self.evidence_count < THIN_EVIDENCE_BELOW else "Evidence linked"


def readiness(evaluation: SelfEvaluation, reader: Reader) -> list[AreaReadiness]:
    """Per area, the key issues, actions (with their latest approved RAG) and indicators linked to it."""
    areas = list(
        evaluation.area_evaluations.select_related("area")
        .prefetch_related(
            key_issues_of(evaluation),
            actions_with_recommendation(),
            Prefetch(
                "area__indicators",
                queryset=linked_indicators(evaluation.partnership, reader),
                to_attr="linked_indicators",
            ),
        )
        .order_by("area__number")
    )
    latest = latest_approved_by_action(
        evaluation.partnership, [action for a in areas for action in a.actions.all()]
    )
    return [
        AreaReadiness(
            area_evaluation=a,
            key_issues=list(a.area.issues),  # type: ignore[attr-defined]
            actions=[
                ActionEvidence(action, latest[action.pk].rag if action.pk in latest else None)
                for action in a.actions.all()
            ],
            indicators=list(a.area.linked_indicators),  # type: ignore[attr-defined]
        )
        for a in areas
    ]


@dataclass
class ItemChange:
    kind: str  # "added", "removed" or "changed"
    before: str = ""
    after: str = ""


@dataclass
class AreaComparison:
    number: int
    title: str
    headings: list[tuple[str, list[ItemChange]]] = field(default_factory=list)
    judgement: tuple[str, str] | None = None
    rationale: tuple[str, str] | None = None
    only_in: str = ""  # "older" or "newer" when the area is in one version only

    @property
    def changed(self) -> bool:
        return bool(self.only_in or self.judgement or self.rationale or any(c for _, c in self.headings))


def list_changes(before: list[str], after: list[str]) -> list[ItemChange]:
    """Items added, removed and changed: a replaced item is 'changed' when it takes another's place one for one."""
    changes: list[ItemChange] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = before[i1:i2], after[j1:j2]
        paired = min(len(old), len(new)) if tag == "replace" else 0
        changes += [ItemChange("changed", o, n) for o, n in zip(old[:paired], new[:paired], strict=True)]
        changes += [ItemChange("removed", before=o) for o in old[paired:]]
        changes += [ItemChange("added", after=n) for n in new[paired:]]
    return changes


def action_labels(area_evaluation: AreaEvaluation) -> set[str]:
    return {f"{a.reference}: {a.what_we_want}" for a in area_evaluation.actions.all()}


def link_changes(before: set[str], after: set[str]) -> list[ItemChange]:
    """Links have no order, so a link is only ever added or removed."""
    return [ItemChange("removed", before=text) for text in sorted(before - after)] + [
        ItemChange("added", after=text) for text in sorted(after - before)
    ]


def compare_versions(older: SelfEvaluation, newer: SelfEvaluation) -> list[AreaComparison]:
    """Part B of two versions side by side, area by area."""
    old_areas = {a.area.number: a for a in area_evaluations_in_full(older)}
    new_areas = {a.area.number: a for a in area_evaluations_in_full(newer)}
    comparisons = []
    for number in sorted(old_areas.keys() | new_areas.keys()):
        old, new = old_areas.get(number), new_areas.get(number)
        either = new or old
        assert either is not None
        comparison = AreaComparison(number=number, title=either.area.title)
        if old is None or new is None:
            comparison.only_in = "newer" if old is None else "older"
            comparisons.append(comparison)
            continue
        old_items, new_items = items_by_heading(old), items_by_heading(new)
        comparison.headings = [
            (label, list_changes(old_items[heading], new_items[heading]))
            for heading, label in AreaItem.Heading.choices
        ] + [("Linked actions", link_changes(action_labels(old), action_labels(new)))]
        old_judgement = str(old.judgement) if old.judgement else "Not judged"
        new_judgement = str(new.judgement) if new.judgement else "Not judged"
        if old_judgement != new_judgement:
            comparison.judgement = (old_judgement, new_judgement)
        if old.judgement_rationale != new.judgement_rationale:
            comparison.rationale = (old.judgement_rationale, new.judgement_rationale)
        comparisons.append(comparison)
    return comparisons
