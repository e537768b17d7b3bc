"""Loads the Southend KPI definitions, returns and comparators verbatim from southend_kpis.json.

Every value, period and target in the JSON is as a document states it, with the document and the
words quoted; where a document gives only words, the value is empty and the words are the note. An indicator
may name a "breakdown_topic" and a return a "breakdown", the group of the cohort its figure is for: a return
without one is the headline figure for the whole cohort.
Running the loader again updates in place and duplicates nothing.
"""

import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, cast

from django.db import transaction
from django.db.models import Field

from actions.models import Plan, Recommendation
from core.models import Partnership
from kpis.figures import written_places
from kpis.models import Comparator, Indicator, Return

SEED_FILE = Path(__file__).resolve().parent / "southend_kpis.json"
M = TypeVar("M", Indicator, Return, Comparator)

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


# Each kind of row's key: a row loaded again with the same key is the same row, brought up to date.
INDICATOR_KEY = ("partnership", "code")
RETURN_KEY = ("indicator", "period_label", "reference_date", "source_document", "breakdown")
COMPARATOR_KEY = ("indicator", "geography", "period_label", "source_document")


def upsert(
    model: type[M], held: Iterable[M], wanted: list[dict[str, Any]], key: tuple[str, ...]
) -> dict[tuple[object, ...], M]:
    """The rows by their key, as update_or_create would leave them row by row, in one statement each for the new
    and the changed: a row not held is inserted, and a held row is brought up to date in every field the seed
    sets, so a field added to a seed function is kept up to date with no list to add it to."""
    fields = sorted({name for values in wanted for name in values} - set(key))
    attnames = [cast(Field, model._meta.get_field(name)).attname for name in fields]
    key_attnames = [cast(Field, model._meta.get_field(name)).attname for name in key]

    def key_of(row: M) -> tuple[object, ...]:
        return tuple(getattr(row, name) for name in key_attnames)

    current = {key_of(row): row for row in held}
    kept: dict[tuple[object, ...], M] = {}
    new: list[M] = []
    changed: list[M] = []
    for row in (model(**values) for values in wanted):
        found = current.get(key_of(row))
        if found is None:
            new.append(row)
            kept[key_of(row)] = row
            continue
        if any(getattr(found, name) != getattr(row, name) for name in attnames):
            for name in attnames:
                setattr(found, name, getattr(row, name))
            changed.append(found)
        kept[key_of(row)] = found
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, fields)
    return kept


def load_indicators(
    partnership: Partnership, items: list[dict[str, Any]], recommendations: dict[int, Recommendation]
) -> dict[str, Indicator]:
    """The seed's indicators by code."""
    owners = {organisation.name: organisation.pk for organisation in partnership.organisations.all()}
    wanted = [seed_indicator(partnership, item, owners) for item in items]
    held = Indicator.objects.filter(partnership=partnership)
    kept = upsert(Indicator, held, wanted, INDICATOR_KEY)
    indicators = {indicator.code: indicator for indicator in kept.values()}
    link_recommendations(indicators, items, recommendations)
    return indicators


def link_recommendations(
    indicators: dict[str, Indicator], items: list[dict[str, Any]], recommendations: dict[int, Recommendation]
) -> None:
    """Each indicator linked to the recommendations its item names, and to those only, as `set` would leave it."""
    links = Indicator.recommendations.through
    linked = {
        (indicators[item["code"]].pk, recommendations[number].pk)
        for item in items
        for number in item["recommendations"]
    }
    current = links.objects.filter(indicator__in=list(indicators.values()))
    held_links = {(link.indicator_id, link.recommendation_id): link.pk for link in current}
    links.objects.filter(pk__in=[pk for pair, pk in held_links.items() if pair not in linked]).delete()
    links.objects.bulk_create(
        [links(indicator_id=i, recommendation_id=r) for i, r in sorted(linked - held_links.keys())]
    )


def seed_indicator(partnership: Partnership, item: dict[str, Any], owners: dict[str, int]) -> dict[str, Any]:
    target = item["target"] or {}
    return {
        "partnership": partnership,
        "code": item["code"],
        "title": item["title"],
        "description": item["description"],
        "unit": item["unit"],
        "better": item["better"],
        "frequency": item["frequency"],
        "source_collection": item["source_collection"],
        "cohort": item["cohort"],
        "owner_organisation_id": owners[item["owner_organisation"]],
        "numerator": item["numerator"],
        "denominator": item["denominator"],
        "suppress_small_numbers": item["suppress_small_numbers"],
        "restricted": item["restricted"],
        "target_value": decimal_or_none(target.get("value")),
        "target_text": target.get("text", ""),
        "target_source_document": target.get("source_document", ""),
        "national_measure": SAME_AS_NATIONAL.get(item["code"], ""),
        "breakdown_topic": item.get("breakdown_topic", ""),
    }


def seed_return(indicator: Indicator, item: dict[str, Any]) -> dict[str, Any]:
    if item.get("breakdown") and not indicator.breakdown_topic:
        raise ValueError(f"{indicator.code} has a return for {item['breakdown']!r} but no breakdown_topic")
    return {
        "indicator": indicator,
        "partnership_id": indicator.partnership_id,
        "period_label": item["period_label"],
        "reference_date": date.fromisoformat(item["reference_date"]),
        "source_document": item["source_document"],
        # A figure for one group of the cohort ("Autistic spectrum disorder"); absent for the headline figure.
        "breakdown": item.get("breakdown", ""),
        "period_start": date.fromisoformat(item["period_start"]),
        "period_end": date.fromisoformat(item["period_end"]),
        "numerator": item["numerator"],
        "denominator": item["denominator"],
        "data_quality": item["data_quality"],
        **as_written(item),
    }


def seed_comparator(indicator: Indicator, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "geography": item["geography"],
        "period_label": item["period_label"],
        "source_document": item["source_document"],
        "reference_date": date.fromisoformat(item["reference_date"]),
        **as_written(item),
    }


def as_written(item: dict[str, Any]) -> dict[str, Any]:
    """A figure's fields as its document writes it: the value with its places (47.0 in the file is Decimal("47.0")),
    the qualifier ("around"), and the note and words quoted."""
    value = decimal_or_none(item["value"])
    return {
        "value": value,
        "decimal_places": written_places(value),
        "qualifier": item.get("qualifier", ""),
        "note": item["note"],
        "source_quote": item["source_quote"],
    }


@transaction.atomic
def load_southend_kpis(partnership: Partnership) -> list[Indicator]:
    """Every row in a few statements a kind, as the seed is loaded for many tests and each `make run`: one
    update_or_create a row took 3,000 queries."""
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    plan = Plan.objects.get(partnership=partnership, status=Plan.Status.PUBLISHED)
    recommendations = {r.number: r for r in plan.recommendations.all()}
    indicators = load_indicators(partnership, data["indicators"], recommendations)
    load_returns(indicators, data["returns"])
    comparators = [seed_comparator(indicators[item["indicator"]], item) for item in data["comparators"]]
    held = Comparator.objects.filter(indicator__in=list(indicators.values()))
    upsert(Comparator, held, comparators, COMPARATOR_KEY)
    return list(indicators.values())


def load_returns(indicators: dict[str, Indicator], items: list[dict[str, Any]]) -> None:
    """The documents' figures as returns, held apart from those the partnership submitted itself."""
    returns = [seed_return(indicators[item["indicator"]], item) for item in items]
    held = Return.objects.filter(indicator__in=list(indicators.values()), submitted_by=None)
    upsert(Return, held, returns, RETURN_KEY)
