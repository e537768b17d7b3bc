from types import SimpleNamespace

import pytest

from core.models import Membership, Role
from tests.actions.factories import ActionFactory, MilestoneFactory, PlanFactory, RecommendationFactory
from tests.factories import OrganisationFactory, member


@pytest.fixture
def world(db):
    """One partnership with a plan, an owned action and a person in every role, plus strangers."""
    plan = PlanFactory()
    partnership = plan.partnership
    council = OrganisationFactory(partnership=partnership, name="Council")
    trust = OrganisationFactory(partnership=partnership, name="NHS trust")
    lead = member(Role.LEAD, council, email="lead@example.test", full_name="Lee Lead")
    recommendation = RecommendationFactory(
        plan=plan, number=2, lead=Membership.objects.get(user=lead, role=Role.LEAD)
    )
    other_recommendation = RecommendationFactory(plan=plan, number=3)
    action = ActionFactory(recommendation=recommendation, reference="R2.1")
    action.owner_organisations.add(council)
    other_action = ActionFactory(recommendation=other_recommendation, reference="R3.1")
    other_action.owner_organisations.add(trust)
    stranger_plan = PlanFactory()
    return SimpleNamespace(
        partnership=partnership,
        plan=plan,
        council=council,
        recommendation=recommendation,
        other_recommendation=other_recommendation,
        action=action,
        other_action=other_action,
        milestone=MilestoneFactory(action=action, title="Pilot in three wards"),
        officer=member(Role.OFFICER, council, email="officer@example.test", full_name="Olu Officer"),
        trust_officer=member(Role.OFFICER, trust, email="trust@example.test"),
        lead=lead,
        other_lead=member(Role.LEAD, trust, email="lead2@example.test"),
        board=member(Role.BOARD, council, email="board@example.test"),
        democratic=member(Role.DEMOCRATIC, council, email="dem@example.test"),
        admin=member(Role.ADMIN, council, email="admin@example.test"),
        stranger=member(Role.ADMIN, OrganisationFactory(partnership=stranger_plan.partnership)),
        stranger_action=ActionFactory(recommendation=RecommendationFactory(plan=stranger_plan, number=1)),
    )
