from datetime import date

import factory

from actions.models import Action, Milestone, Plan, ProgressUpdate, RagLevel, Recommendation, ReportingPeriod
from actions.seed.loader import load_default_rag_scale
from core.models import Partnership
from tests.factories import PartnershipFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    title = "SEND Strategic Action Plan 2023–2026"
    version = 1
    status = Plan.Status.PUBLISHED
    start = date(2023, 7, 1)
    end = date(2026, 7, 31)

    @factory.post_generation
    def rag_scale(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            load_default_rag_scale(self.partnership)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n % 6 + 1)
    short_title = factory.Sequence(lambda n: f"Recommendation title {n}")
    text = "The local area partnership should work jointly to make improvements."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    recommendation = factory.SubFactory(RecommendationFactory)
    reference = factory.Sequence(lambda n: f"R9.{n}")
    order = factory.Sequence(lambda n: n)
    what_we_want = factory.Sequence(lambda n: f"Outcome wanted {n}")
    what_we_will_do = "Do the work."
    where_are_we_now = "The baseline."
    what_we_will_see = "Evidence of change."
    difference_this_will_make = "Better outcomes."


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = date(2026, 3, 31)


def rag(partnership: Partnership, key: str) -> RagLevel:
    return RagLevel.objects.get(partnership=partnership, key=key)


def period(partnership: Partnership, start: date) -> ReportingPeriod:
    from actions.services import reporting_period_ensure

    return reporting_period_ensure(partnership=partnership, day=start)


def approved_update(action: Action, when: date, key: str = "green", **fields: object) -> ProgressUpdate:
    partnership = action.recommendation.plan.partnership
    from tests.factories import UserFactory

    person = fields.pop("created_by", None) or UserFactory()
    return ProgressUpdate.objects.create(
        action=action,
        period=period(partnership, when),
        rag=rag(partnership, key),
        created_by=person,
        submitted_by=person,
        **{"state": ProgressUpdate.State.APPROVED, **fields},
    )
