import pytest
from django.urls import reverse
from django.utils.html import escape

from core.models import Role
from core.views import ROLE_PURPOSE
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_the_home_page_tells_each_role_what_its_work_is(client, signed_in, role):
    signed_in(member(role))
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert escape(ROLE_PURPOSE[role]) in page
    for other in set(Role) - {role}:
        assert escape(ROLE_PURPOSE[other]) not in page


def test_a_user_with_two_roles_sees_both(client, signed_in):
    organisation = OrganisationFactory()
    user = member(Role.OFFICER, organisation)
    MembershipFactory(user=user, organisation=organisation, role=Role.LEAD)
    page = signed_in(user).get(reverse("home")).content.decode()
    assert escape(ROLE_PURPOSE[Role.OFFICER]) in page
    assert escape(ROLE_PURPOSE[Role.LEAD]) in page


def test_a_user_without_a_partnership_is_told_to_ask_for_access(client, signed_in):
    signed_in(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "You are not a member of a partnership yet" in response.content.decode()


def test_the_header_names_the_partnership_and_has_no_gov_uk_branding(client, signed_in):
    partnership = PartnershipFactory(short_name="Southend")
    signed_in(member(Role.BOARD, OrganisationFactory(partnership=partnership)))
    page = client.get(reverse("home")).content.decode()
    assert "govuk-generic-header" in page
    assert "Southend SEND partnership" in page
    assert "GOV.UK" not in page
    assert "govuk-header__logotype" not in page


def test_organisations_page_lists_only_the_current_partnership(client, signed_in):
    mine = OrganisationFactory(name="Our council")
    OrganisationFactory(name="Their council")
    signed_in(member(Role.OFFICER, mine))
    page = client.get(reverse("core:organisations")).content.decode()
    assert "Our council" in page
    assert "Their council" not in page
    assert mine.partnership.ons_code not in page  # a statistical code, not something members read


def test_another_partnerships_organisation_answers_404(client, signed_in):
    mine = OrganisationFactory()
    theirs = OrganisationFactory()
    signed_in(member(Role.ADMIN, mine))
    assert client.get(reverse("core:organisation_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("core:organisation_detail", args=[theirs.pk])).status_code == 404


def test_a_member_of_two_partnerships_switches_between_them(client, signed_in):
    first, second = OrganisationFactory(name="First council"), OrganisationFactory(name="Second council")
    user = member(Role.OFFICER, first)
    MembershipFactory(user=user, organisation=second, role=Role.BOARD)
    signed_in(user)
    assert "First council" in client.get(reverse("core:organisations")).content.decode()
    response = client.post(reverse("core:switch_partnership"), {"partnership": second.partnership_id})
    assert response.status_code == 302
    page = client.get(reverse("core:organisations")).content.decode()
    assert "Second council" in page
    assert "First council" not in page
    assert escape(ROLE_PURPOSE[Role.BOARD]) in client.get(reverse("home")).content.decode()


def test_switching_to_a_partnership_you_do_not_belong_to_answers_404(client, signed_in):
    signed_in(member(Role.OFFICER))
    stranger = PartnershipFactory()
    assert client.post(reverse("core:switch_partnership"), {"partnership": stranger.pk}).status_code == 404
    assert client.post(reverse("core:switch_partnership"), {"partnership": "nonsense"}).status_code == 404


def test_switching_partnership_refuses_get(client, signed_in):
    signed_in(member(Role.OFFICER))
    assert client.get(reverse("core:switch_partnership")).status_code == 405


def test_django_admin_is_for_staff_only(client, signed_in):
    signed_in(member(Role.ADMIN))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]


def test_unknown_pages_use_the_gov_uk_style_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
