"""Loads the area SEND inspection framework and Southend's self-evaluations verbatim from the JSON beside this file.

The JSON was extracted word for word from the partnership's documents (see each file's "source"); the loader
never rewrites a text and never invents a judgement: the documents give no grade per area, so none is set.
The October 2024 SEF is loaded as submitted for agreement at the Health and Wellbeing Board of 10 December
2024, because the report asks the Board "to agree" it and no document records that it did. The April 2021
executive summary is the earlier version. Links from priorities to actions are left for leads to set: the
documents name none. Running the loader again finds what it loaded before and duplicates nothing.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.apps import apps as django_apps
from django.db import transaction

from actions.models import Plan
from core.models import Partnership
from sef.models import (
    AreaEvaluation,
    AreaItem,
    ContextSection,
    InspectionFramework,
    KeyIssue,
    PreviousPriority,
    Priority,
    PriorityGroup,
    SelfEvaluation,
)
from sef.seed.framework import write_framework
from sef.services import judgement_scale_ensure_default

SEED_DIR = Path(__file__).resolve().parent
SEF_2024_FILE = SEED_DIR / "southend_sef_2024.json"
SEF_2021_FILE = SEED_DIR / "southend_sef_2021.json"

SUBMITTED_TO_BODY = "Health and Wellbeing Board"
SUBMITTED_TO_MEETING = date(2024, 12, 10)

ITEM_LISTS = {
    AreaItem.Heading.DO_WELL: "what_we_do_well",
    AreaItem.Heading.IMPACT: "impact_on_outcomes",
    AreaItem.Heading.IMPROVE: "what_we_need_to_improve",
}


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def load_inspection_framework() -> InspectionFramework:
    """Refreshes the framework the migration loaded, in case its JSON has been corrected since."""
    framework: InspectionFramework = write_framework(django_apps)
    return framework


def next_version(partnership: Partnership) -> int:
    latest = SelfEvaluation.objects.filter(partnership=partnership).order_by("-version").first()
    return latest.version + 1 if latest else 1


@transaction.atomic
def load_sef_2021(partnership: Partnership, framework: InspectionFramework) -> SelfEvaluation:
    data = read(SEF_2021_FILE)
    existing = SelfEvaluation.objects.filter(
        partnership=partnership, source_document=data["source"], dated=date.fromisoformat(data["dated"])
    ).first()
    if existing:
        return existing
    evaluation = SelfEvaluation.objects.create(
        partnership=partnership,
        framework=framework,
        version=next_version(partnership),
        title=data["title"],
        dated=date.fromisoformat(data["dated"]),
        dated_label=data["dated_label"],
        status=SelfEvaluation.Status.SUPERSEDED,
        summary_text=data["text"],
        source_document=data["source"],
    )
    PreviousPriority.objects.bulk_create(
        PreviousPriority(
            evaluation=evaluation,
            order=order,
            text=item["text"],
            rating=item["rating"],
            period=item["period"],
        )
        for order, item in enumerate(data["previous_priorities"], start=1)
    )
    return evaluation


@transaction.atomic
def load_sef_2024(
    partnership: Partnership, framework: InspectionFramework, based_on: SelfEvaluation | None
) -> SelfEvaluation:
    data = read(SEF_2024_FILE)
    existing = SelfEvaluation.objects.filter(
        partnership=partnership, source_document=data["source"], dated=date.fromisoformat(data["dated"])
    ).first()
    if existing:
        return existing
    part_a, part_b, part_c = data["part_a"], data["part_b"], data["part_c"]
    evaluation = SelfEvaluation.objects.create(
        partnership=partnership,
        framework=framework,
        version=next_version(partnership),
        based_on=based_on,
        title=data["title"],
        dated=date.fromisoformat(data["dated"]),
        status=SelfEvaluation.Status.SUBMITTED,
        meeting_body=SUBMITTED_TO_BODY,
        meeting_date=SUBMITTED_TO_MEETING,
        introduction=data["introduction"],
        part_a_title=part_a["title"],
        part_a_closing=part_a["closing"],
        part_b_title=part_b["title"],
        part_b_closing=part_b["closing"],
        part_c_title=part_c["title"],
        part_c_introduction=part_c["introduction"],
        source_document=data["source"],
    )
    load_part_a(evaluation, part_a)
    load_part_b(evaluation, framework, part_b)
    load_part_c(evaluation, partnership, part_c)
    return evaluation


def load_part_a(evaluation: SelfEvaluation, part_a: dict[str, Any]) -> None:
    sections = {
        item["order"]: ContextSection.objects.create(
            evaluation=evaluation, order=item["order"], heading=item["heading"], narrative=item["narrative"]
        )
        for item in part_a["sections"]
    }
    KeyIssue.objects.bulk_create(
        KeyIssue(
            evaluation=evaluation,
            section=sections[item["section_order"]],
            order=item["order"],
            text=item["text"],
            after_paragraph=item.get("after_paragraph"),
        )
        for item in part_a["key_issues"]
    )


def load_part_b(evaluation: SelfEvaluation, framework: InspectionFramework, part_b: dict[str, Any]) -> None:
    areas = {area.number: area for area in framework.areas.all()}
    for item in part_b["areas"]:
        area_evaluation = AreaEvaluation.objects.create(
            evaluation=evaluation, area=areas[item["number"]], improve_heading=item["improve_heading"]
        )
        AreaItem.objects.bulk_create(
            AreaItem(area_evaluation=area_evaluation, heading=heading, order=order, text=text)
            for heading, key in ITEM_LISTS.items()
            for order, text in enumerate(item[key], start=1)
        )


def load_part_c(evaluation: SelfEvaluation, partnership: Partnership, part_c: dict[str, Any]) -> None:
    plan = Plan.objects.filter(partnership=partnership, status=Plan.Status.PUBLISHED).first()
    recommendations = {r.number: r for r in plan.recommendations.all()} if plan else {}
    groups = {
        item["recommendation"]: PriorityGroup.objects.create(
            evaluation=evaluation,
            number=item["recommendation"],
            heading=item["text"],
            recommendation=recommendations.get(item["recommendation"]),
        )
        for item in part_c["recommendation_headings"]
    }
    Priority.objects.bulk_create(
        Priority(group=groups[item["recommendation"]], order=item["order"], text=item["text"])
        for item in part_c["priorities"]
    )


def load_southend_sef(partnership: Partnership) -> SelfEvaluation:
    framework = load_inspection_framework()
    judgement_scale_ensure_default(partnership=partnership, framework=framework)
    earlier = load_sef_2021(partnership, framework)
    return load_sef_2024(partnership, framework, based_on=earlier)
