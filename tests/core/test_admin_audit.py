"""Edits through Django's admin are audited as the portal's own are: who, and the values before and after."""

import pytest
from django.urls import reverse

from core.models import AuditEvent, Membership, Organisation, Role
from tests.factories import OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return UserFactory(email="operator@example.test", is_staff=True, is_superuser=True)


def organisation_form(organisation: Organisation, **changes: object) -> dict[str, object]:
    return {
        "partnership": organisation.partnership_id,
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        **changes,
    }


def test_an_operators_change_is_audited_with_the_values_before_and_after(client, signed_in, operator):
    organisation = OrganisationFactory(name="Southend Borough Council")
    signed_in(operator)
    url = reverse("admin:core_organisation_change", args=[organisation.pk])
    response = client.post(url, organisation_form(organisation, name="Southend-on-Sea City Council"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="core.organisation", object_id=str(organisation.pk))
    assert (event.actor, event.verb, event.partnership) == (operator, "updated", organisation.partnership)
    assert (event.before["name"], event.after["name"]) == (
        "Southend Borough Council",
        "Southend-on-Sea City Council",
    )


def test_a_role_given_in_a_users_inline_table_is_audited(client, signed_in, operator):
    organisation = OrganisationFactory()
    person = member(Role.BOARD, organisation, email="pat@example.test", full_name="Pat Board")
    signed_in(operator)
    url = reverse("admin:core_user_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "groups": [],
            "user_permissions": [],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(person.memberships.get().pk),
            "memberships-0-user": str(person.pk),
            "memberships-0-partnership": str(organisation.partnership_id),
            "memberships-0-organisation": str(organisation.pk),
            "memberships-0-role": Role.BOARD,
            "memberships-1-user": str(person.pk),
            "memberships-1-partnership": str(organisation.partnership_id),
            "memberships-1-organisation": str(organisation.pk),
            "memberships-1-role": Role.LEAD,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    lead = Membership.objects.get(user=person, role=Role.LEAD)
    event = AuditEvent.objects.get(object_type="core.membership", object_id=str(lead.pk))
    assert (event.actor, event.verb, event.after["role"]) == (operator, "created", "lead")
    assert "password" not in AuditEvent.objects.get(object_type="core.user").after


def test_an_organisation_removed_through_the_admin_keeps_its_values_in_the_audit(client, signed_in, operator):
    organisation = OrganisationFactory(name="Old trust")
    signed_in(operator)
    response = client.post(reverse("admin:core_organisation_delete", args=[organisation.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    event = AuditEvent.objects.get(object_type="core.organisation")
    assert (event.verb, event.before["name"], event.after) == ("removed", "Old trust", {})
