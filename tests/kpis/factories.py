from datetime import date

import factory

from core.models import Organisation
from kpis.models import (
    Better,
    Comparator,
    DataQuality,
    Frequency,
    Geography,
    Indicator,
    Return,
    ReturnPeriod,
    Unit,
)
from tests.factories import OrganisationFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    owner_organisation = factory.SubFactory(OrganisationFactory)
    partnership = factory.SelfAttribute("owner_organisation.partnership")
    code = factory.Sequence(lambda n: f"KPI_{n}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    description = "What is counted"
    unit = Unit.PERCENTAGE
    better = Better.HIGHER
    frequency = Frequency.MONTHLY
    source_collection = "Case management system"
    cohort = "Children and young people with an EHC plan"


class ReturnPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnPeriod

    partnership = factory.SubFactory("tests.factories.PartnershipFactory")
    frequency = Frequency.MONTHLY
    label = factory.Sequence(lambda n: f"Month {n}")
    start = factory.Sequence(lambda n: date(2025 + n // 12, n % 12 + 1, 1))
    end = factory.LazyAttribute(lambda o: o.start.replace(day=28))
    deadline = factory.LazyAttribute(
        lambda o: o.end.replace(day=28, month=o.end.month % 12 + 1, year=o.end.year + (o.end.month == 12))
    )


class ReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Return

    indicator = factory.SubFactory(IndicatorFactory)
    partnership = factory.SelfAttribute("indicator.partnership")
    period_label = "January 2024"
    period_start = date(2024, 1, 1)
    period_end = date(2024, 1, 31)
    reference_date = date(2024, 1, 31)
    value = 50
    data_quality = DataQuality.VERIFIED
    source_document = "test.txt"


class ComparatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comparator

    indicator = factory.SubFactory(IndicatorFactory)
    geography = Geography.ENGLAND
    period_label = "January 2024"
    reference_date = date(2024, 1, 31)
    value = 50
    source_document = "National statistics"


def period_for(indicator: Indicator, **fields: object) -> ReturnPeriod:
    fields.setdefault("frequency", indicator.frequency)
    return ReturnPeriodFactory(partnership=indicator.partnership, **fields)


def indicator_form_data(owner: Organisation, **changes: object) -> dict[str, object]:
    """The indicator form as an admin fills it in, for the organisation that returns it."""
    return {
        "code": "NEWSLETTER_SUBSCRIBERS",
        "title": "Newsletter subscribers",
        "description": "People subscribed",
        "unit": "count",
        "better": "higher",
        "frequency": "monthly",
        "source_collection": "Mailing list",
        "cohort": "Everyone",
        "owner_organisation": owner.pk,
    } | changes
