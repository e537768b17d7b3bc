"""Site operators create partnerships and use Django admin; no partnership user is one."""

import csv

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from core.models import Membership, Partnership, Role, User
from core.seed.demo import create_demo_users
from people import services
from people.local_authorities import DATA, local_authorities
from people.models import Invitation
from tests.conftest import sign_in
from tests.factories import PartnershipFactory
from tests.people.factories import OperatorFactory

pytestmark = pytest.mark.django_db


def test_the_national_list_holds_the_153_english_local_authorities_once_each():
    authorities = local_authorities()
    assert len(authorities) == 153
    assert authorities["E06000033"].name == "Southend-on-Sea"
    assert authorities["E06000033"].dfe_code == "882"
    assert authorities["E06000033"].region == "East of England"
    assert all(code[:3] in {"E06", "E08", "E09", "E10"} for code in authorities)
    with DATA.open() as file:
        assert len({row["dfe_code"] for row in csv.DictReader(file)}) == 153


def test_an_operator_creates_a_partnership_and_invites_its_first_admin(client):
    operator = OperatorFactory()
    sign_in(client, operator)
    form = client.get(reverse("people:partnership_create")).content.decode()
    assert '<option value="E06000034">Thurrock</option>' in form
    response = client.post(
        reverse("people:partnership_create"),
        {
            "local_authority": "E06000034",
            "name": "Thurrock SEND Partnership",
            "organisation_name": "Thurrock Council",
            "admin_name": "Ada Admin",
            "admin_email": "ada@thurrock.example",
        },
    )
    assert response["Location"] == reverse("people:partnerships")
    partnership = Partnership.objects.get(ons_code="E06000034")
    assert (partnership.short_name, partnership.region) == ("Thurrock", "East of England")
    invitation = Invitation.objects.get(partnership=partnership)
    assert (invitation.email, invitation.roles, invitation.organisation.name) == (
        "ada@thurrock.example",
        [Role.ADMIN],
        "Thurrock Council",
    )
    assert "Thurrock SEND Partnership" in client.get(reverse("people:partnerships")).content.decode()


def test_a_local_authority_has_one_partnership_and_the_list_is_the_only_choice(client):
    PartnershipFactory(ons_code="E06000033", name="Southend")
    sign_in(client, OperatorFactory())
    data = {
        "name": "Another",
        "organisation_name": "Council",
        "admin_name": "A",
        "admin_email": "a@example.test",
    }
    taken = client.post(reverse("people:partnership_create"), {**data, "local_authority": "E06000033"})
    assert "Southend-on-Sea already has a partnership in the portal" in taken.content.decode()
    made_up = client.post(reverse("people:partnership_create"), {**data, "local_authority": "E99999999"})
    assert "Choose a local authority" in made_up.content.decode()
    assert Partnership.objects.count() == 1


def test_a_partnership_admin_is_not_an_operator_even_as_staff(world):
    world.admin.is_staff = True
    world.admin.save()
    with pytest.raises(PermissionDenied):
        services.partnership_create(
            actor=world.admin,
            ons_code="E06000034",
            name="X",
            organisation_name="X",
            admin_email="x@example.test",
            admin_name="X",
        )
    client = sign_in(Client(), world.admin)
    assert client.get(reverse("people:partnerships")).status_code == 403
    assert client.get(reverse("admin:core_user_changelist"), follow=True).status_code == 403


def test_django_admin_is_for_operators_only(world):
    operator = sign_in(Client(), OperatorFactory())
    page = operator.get(reverse("admin:core_user_changelist"))
    assert page.status_code == 200
    assert world.stranger.email in page.content.decode()
    for person in (world.admin, world.officer, world.stranger):
        client = sign_in(Client(), person)
        for name in ("admin:index", "admin:core_user_changelist", "admin:core_partnership_changelist"):
            response = client.get(reverse(name), follow=True)
            assert response.status_code == 403
            assert world.stranger.email not in response.content.decode()
    assert Client().get(reverse("admin:login"))["Location"].startswith(reverse("login"))


def test_an_operators_home_is_the_partnerships_page(world):
    client = sign_in(Client(), OperatorFactory())
    assert client.get(reverse("home"))["Location"] == reverse("people:partnerships")


def test_an_operators_address_cannot_be_given_a_partnership_role(world):
    operator = OperatorFactory()
    with pytest.raises(Exception, match="site operator"):
        services.invitation_create(
            actor=world.admin,
            partnership=world.partnership,
            email=operator.email,
            full_name="Op",
            organisation=world.council,
            roles=[Role.OFFICER],
        )


def test_no_demo_partnership_user_is_staff_or_superuser_and_the_demo_operator_is_apart(world, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    from core.models import Organisation
    from core.seed.southend import COUNCIL, PARENT_CARER_FORUM

    for name in (COUNCIL, PARENT_CARER_FORUM):
        Organisation.objects.create(partnership=world.partnership, name=name, kind=Organisation.Kind.COUNCIL)
    User.objects.create_user(
        "admin@example.org", "x", is_staff=True, is_superuser=True
    )  # as older demos made it
    create_demo_users(world.partnership)
    members = User.objects.filter(memberships__isnull=False)
    assert not members.filter(is_staff=True).exists()
    assert not members.filter(is_superuser=True).exists()
    operator = User.objects.get(email="operator@example.org")
    assert operator.is_staff and operator.is_demo
    assert not Membership.objects.filter(user=operator).exists()
