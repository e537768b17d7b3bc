"""Self-evaluations for tests: the real framework (it is shared reference data) and small versions built on it."""

from datetime import date

from actions.models import Action, Plan, Recommendation
from core.models import Partnership
from sef.models import (
    AreaEvaluation,
    AreaItem,
    ContextSection,
    KeyIssue,
    Priority,
    PriorityGroup,
    SelfEvaluation,
)
from sef.seed.loader import load_inspection_framework
from sef.services import judgement_scale_ensure_default


def plan_with_actions(partnership: Partnership) -> Plan:
    plan = Plan.objects.create(
        partnership=partnership,
        title="Strategic Action Plan",
        version=1,
        status=Plan.Status.PUBLISHED,
        start=date(2023, 7, 1),
        end=date(2026, 7, 31),
    )
    recommendation = Recommendation.objects.create(
        plan=plan, number=1, short_title="Leadership", text="Lead well"
    )
    for order in (1, 2):
        Action.objects.create(
            recommendation=recommendation,
            reference=f"R1.{order}",
            order=order,
            what_we_want=f"Outcome wanted {order}",
            what_we_will_do="Do it",
            where_are_we_now="Baseline",
            what_we_will_see="See it",
            difference_this_will_make="Better",
        )
    return plan


def self_evaluation(
    partnership: Partnership,
    *,
    status: str = SelfEvaluation.Status.SUBMITTED,
    version: int = 1,
    **fields: object,
) -> SelfEvaluation:
    """A version with every framework area, two items in area 1, one Part A section, key issue and priority."""
    framework = load_inspection_framework()
    judgement_scale_ensure_default(partnership=partnership, framework=framework)
    evaluation = SelfEvaluation.objects.create(
        partnership=partnership,
        framework=framework,
        version=version,
        title=fields.pop("title", "Our SEND Self Evaluation"),
        dated=date(2024, 10, 10),
        status=status,
        **fields,
    )
    areas = {
        area.number: AreaEvaluation.objects.create(evaluation=evaluation, area=area)
        for area in framework.areas.all()
    }
    AreaItem.objects.create(
        area_evaluation=areas[1], heading=AreaItem.Heading.DO_WELL, order=1, text="Early help works"
    )
    AreaItem.objects.create(
        area_evaluation=areas[1], heading=AreaItem.Heading.IMPROVE, order=1, text="Faster plans"
    )
    section = ContextSection.objects.create(
        evaluation=evaluation, order=1, heading="Context", narrative="Our area"
    )
    KeyIssue.objects.create(evaluation=evaluation, section=section, order=1, text="Plans are late")
    group = PriorityGroup.objects.create(evaluation=evaluation, number=1, heading="Leaders lead")
    Priority.objects.create(group=group, order=1, text="Set up a forum")
    return evaluation
