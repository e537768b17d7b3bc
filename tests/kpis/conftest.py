import pytest

from core.models import Role
from tests.factories import OrganisationFactory, PartnershipFactory, member


@pytest.fixture
def southend():
    """Southend's partnership, by its ONS code, and the admin of its council."""
    partnership = PartnershipFactory(ons_code="E06000033", short_name="Southend")
    council = OrganisationFactory(partnership=partnership, name="Southend-on-Sea City Council")
    return partnership, member(Role.ADMIN, council)
