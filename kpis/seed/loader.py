"""Loads the Southend KPI definitions, returns and comparators verbatim from southend_kpis.json.

Every value, period and target in the JSON is as a document states it, with the document and the
words quoted; where a document gives only words, the value is empty and the words are the note. An indicator
may name a "breakdown_topic" and a return a "breakdown", the group of the cohort its figure is for: a return
without one is the headline figure for the whole cohort.
Running the loader again updates in place and duplicates nothing.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from actions.models import Plan, Recommendation
from core.models import Organisation, Partnership
from kpis.figures import written_places
from kpis.models import Comparator, Indicator, Return

SEED_FILE = Path(__file__).resolve().parent / "southend_kpis.json"

# Southend's indicators that are the same measure as a national indicator (kpis/library.py): their published
# figures are imported beside the documents' own. The descriptions match word for word in what is counted.
SAME_AS_NATIONAL = {
    "EHCP_MAINTAINED": "SEN2_ACTIVE_PLANS",
    "EHCP_NEW_ISSUED": "SEN2_NEW_PLANS",
    "EHCP_ISSUED_20_WEEKS_PCT": "SEN2_ISSUED_20_WEEKS_PC",
    "EHCNA_REQUESTS": "SEN2_REQUESTS",
    "EHCNA_NOT_PROCEEDING_PCT": "SEN2_REQUESTS_NOT_ASSESSED_PC",
    "EHCP_PUPILS_PCT": "CENSUS_EHC_PLAN_PC",
    "SEN_SUPPORT_PCT": "CENSUS_SEN_SUPPORT_PC",
}


def decimal_or_none(value: float | int | None) -> Decimal | None:
    # Through str() so that 9.25 stays 9.25 rather than the nearest binary fraction.
    return None if value is None else Decimal(str(value))


def load_indicator(
    partnership: Partnership, item: dict[str, Any], recommendations: dict[int, Recommendation]
) -> Indicator:
    target = item["target"] or {}
    indicator, _ = Indicator.objects.update_or_create(
        partnership=partnership,
        code=item["code"],
        defaults={
            "title": item["title"],
            "description": item["description"],
            "unit": item["unit"],
            "better": item["better"],
            "frequency": item["frequency"],
            "source_collection": item["source_collection"],
            "cohort": item["cohort"],
            "owner_organisation": Organisation.objects.get(
                partnership=partnership, name=item["owner_organisation"]
            ),
            "numerator": item["numerator"],
            "denominator": item["denominator"],
            "suppress_small_numbers": item["suppress_small_numbers"],
            "restricted": item["restricted"],
            "target_value": decimal_or_none(target.get("value")),
            "target_text": target.get("text", ""),
            "target_source_document": target.get("source_document", ""),
            "national_measure": SAME_AS_NATIONAL.get(item["code"], ""),
            "breakdown_topic": item.get("breakdown_topic", ""),
        },
    )
    indicator.recommendations.set([recommendations[number] for number in item["recommendations"]])
    return indicator


def load_return(indicator: Indicator, item: dict[str, Any]) -> None:
    if item.get("breakdown") and not indicator.breakdown_topic:
        raise ValueError(f"{indicator.code} has a return for {item['breakdown']!r} but no breakdown_topic")
    value = decimal_or_none(item["value"])
    Return.objects.update_or_create(
        indicator=indicator,
        partnership=indicator.partnership,
        submitted_by=None,
        period_label=item["period_label"],
        reference_date=date.fromisoformat(item["reference_date"]),
        source_document=item["source_document"],
        # A figure for one group of the cohort ("Autistic spectrum disorder"); absent for the headline figure.
        breakdown=item.get("breakdown", ""),
        defaults={
            "period_start": date.fromisoformat(item["period_start"]),
            "period_end": date.fromisoformat(item["period_end"]),
            "value": value,
            "decimal_places": written_places(value),
            "qualifier": item.get("qualifier", ""),
            "numerator": item["numerator"],
            "denominator": item["denominator"],
            "data_quality": item["data_quality"],
            "note": item["note"],
            "source_quote": item["source_quote"],
        },
    )


def load_comparator(indicator: Indicator, item: dict[str, Any]) -> None:
    value = decimal_or_none(item["value"])  # 47.0 in the file is Decimal("47.0"), its place kept
    Comparator.objects.update_or_create(
        indicator=indicator,
        geography=item["geography"],
        period_label=item["period_label"],
        source_document=item["source_document"],
        defaults={
            "reference_date": date.fromisoformat(item["reference_date"]),
            "value": value,
            "decimal_places": written_places(value),
            "qualifier": item.get("qualifier", ""),
            "note": item["note"],
            "source_quote": item["source_quote"],
        },
    )


@transaction.atomic
def load_southend_kpis(partnership: Partnership) -> list[Indicator]:
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    plan = Plan.objects.get(partnership=partnership, status=Plan.Status.PUBLISHED)
    recommendations = {r.number: r for r in plan.recommendations.all()}
    indicators = {
        item["code"]: load_indicator(partnership, item, recommendations) for item in data["indicators"]
    }
    for item in data["returns"]:
        load_return(indicators[item["indicator"]], item)
    for item in data["comparators"]:
        load_comparator(indicators[item["indicator"]], item)
    return list(indicators.values())
