"""Loads the published Strategic Action Plan and the yearly summaries verbatim from the JSON beside this file.

The JSON was extracted word for word from the partnership's published documents (see each file's
"source"); the loader never rewrites a text. Running it again updates in place and duplicates nothing.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from actions.models import Action, AnnualUpdate, Plan, RagLevel, Recommendation, RecommendationSummary
from core.models import Partnership

SEED_DIR = Path(__file__).resolve().parent
PLAN_FILE = SEED_DIR / "southend_plan_2023.json"
SUMMARY_FILE = SEED_DIR / "southend_leaflet_2024.json"

DEFAULT_RAG_SCALE = [
    (
        "red",
        "Red",
        "off track",
        "#d4351c",
        "govuk-tag--red",
        True,
        "The action will not deliver what it promised by its due date without intervention, or has stopped.",
    ),
    (
        "amber",
        "Amber",
        "at risk",
        "#f47738",
        "govuk-tag--orange",
        True,
        "Delivery is behind plan or facing problems that the owner is managing; it may still deliver on time.",
    ),
    (
        "green",
        "Green",
        "on track",
        "#00703c",
        "govuk-tag--green",
        False,
        "Delivery is going as planned and the action is expected to finish by its due date.",
    ),
    (
        "blue",
        "Blue",
        "complete",
        "#1d70b8",
        "govuk-tag--blue",
        False,
        "The action has delivered what it promised; what continues is business as usual.",
    ),
    (
        "grey",
        "Grey",
        "not started",
        "#505a5f",
        "govuk-tag--grey",
        False,
        "Work on the action has not started yet, as planned.",
    ),
]


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def load_default_rag_scale(partnership: Partnership) -> None:
    for order, (key, label, meaning, colour, tag_class, needs_commentary, definition) in enumerate(
        DEFAULT_RAG_SCALE
    ):
        RagLevel.objects.get_or_create(
            partnership=partnership,
            key=key,
            defaults={
                "label": label,
                "meaning": meaning,
                "colour": colour,
                "tag_class": tag_class,
                "order": order,
                "needs_commentary": needs_commentary,
                "definition": definition,
            },
        )


@transaction.atomic
def load_plan(partnership: Partnership) -> Plan:
    data = read(PLAN_FILE)
    meta = data["plan"]
    # Every change to the plan in the portal makes it a new version: loading again (each `make run`) must not undo
    # those changes, nor add the seed's version beside them.
    changed_since = Plan.objects.filter(partnership=partnership, version__gt=int(meta["version"])).first()
    if changed_since is not None:
        return changed_since
    plan, _ = Plan.objects.update_or_create(
        partnership=partnership,
        version=int(meta["version"]),
        defaults={
            "title": meta["title"],
            "status": Plan.Status.PUBLISHED,
            "published_on": date.fromisoformat(meta["published"]),
            "published_label": meta["published_label"],
            "start": date.fromisoformat(meta["start"]),
            "end": date.fromisoformat(meta["end"]),
            "about": meta["about"],
            "source_document": data["source"],
        },
    )
    for rec in data["recommendations"]:
        recommendation, _ = Recommendation.objects.update_or_create(
            plan=plan, number=rec["number"], defaults={"short_title": rec["short_title"], "text": rec["text"]}
        )
        for order, item in enumerate(rec["actions"], start=1):
            Action.objects.update_or_create(
                recommendation=recommendation,
                reference=item["reference"],
                defaults={
                    "order": order,
                    "what_we_want": item["what_we_want"],
                    "what_we_will_do": item["what_we_will_do"],
                    "where_are_we_now": item["where_are_we_now"],
                    "what_we_will_see": item["what_we_will_see"],
                    "difference_this_will_make": item["difference_this_will_make"],
                },
            )
    return plan


@transaction.atomic
def load_summaries(plan: Plan) -> None:
    data = read(SUMMARY_FILE)
    AnnualUpdate.objects.update_or_create(
        partnership=plan.partnership,
        year=data["year"],
        defaults={
            "title": data["title"],
            "published_label": data["dated"],
            "introduction": data["introduction"],
            "source_document": data["source"],
        },
    )
    recommendations = {r.number: r for r in plan.recommendations.all()}
    for item in data["recommendations"]:
        RecommendationSummary.objects.update_or_create(
            recommendation=recommendations[item["number"]],
            year=data["year"],
            defaults={
                "published_label": data["dated"],
                "recommendation_text": item["recommendation_text"],
                "what_we_wanted": item["what_we_wanted"],
                "what_we_did": item["what_we_did"],
                "difference_it_made": item["difference_it_made"],
                "priority_heading": item["priority_heading"],
                "priority": item["priority"],
                "source_document": data["source"],
            },
        )


def load_southend_plan(partnership: Partnership) -> Plan:
    load_default_rag_scale(partnership)
    plan = load_plan(partnership)
    load_summaries(plan)
    return plan
