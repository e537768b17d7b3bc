from dataclasses import dataclass
from decimal import Decimal

import pytest

from core.models import Membership, Role, User
from kpis.models import Indicator, Return, ReturnPeriod
from kpis.services import Figures, ReturnInput, return_submit
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, period_for


@dataclass
class Area:
    """A partnership with an indicator, an open period, a submitted return and a person in every role."""

    indicator: Indicator
    period: ReturnPeriod
    submitted: Return
    users: dict[str, User]
    outsider_indicator: Indicator
    outsider_period: ReturnPeriod


@pytest.fixture
def area(db) -> Area:
    council = OrganisationFactory(name="Area council")
    trust = OrganisationFactory(partnership=council.partnership, name="Area NHS trust")
    indicator = IndicatorFactory(
        owner_organisation=council, code="ANNUAL_REVIEWS", title="Annual reviews on time"
    )
    period = period_for(indicator, label="April 2025")
    users: dict[str, User] = {role.value: member(role, council, full_name=f"Area {role}") for role in Role}
    users["officer_elsewhere"] = member(Role.OFFICER, trust, full_name="Trust officer")
    submitted = return_submit(
        user=users[Role.OFFICER], item=ReturnInput(indicator, period, Figures(value=Decimal(60)))
    )
    elsewhere = OrganisationFactory(name="Other council")
    outsider = member(Role.ADMIN, elsewhere, full_name="Outsider")
    for role in (Role.OFFICER, Role.LEAD):
        Membership.objects.create(
            user=outsider, partnership=elsewhere.partnership, organisation=elsewhere, role=role
        )
    users["outsider"] = outsider
    outsider_indicator = IndicatorFactory(owner_organisation=elsewhere, code="THEIR_KPI")
    return Area(indicator, period, submitted, users, outsider_indicator, period_for(outsider_indicator))
