"""Democratic services and admins keep the governance list that Appendix 2 of every pack is built from."""

import pytest
from django.urls import reverse

from core.models import AuditEvent, Role
from reports import selectors
from reports.models import GovernanceBody
from tests.factories import OrganisationFactory, member
from tests.reports.factories import GovernanceBodyFactory

pytestmark = pytest.mark.django_db

BODY = {
    "name": "SEND Strategic Partnership Board",
    "purpose": "To oversee the Strategic Action Plan.",
    "reports_to": "Health and Wellbeing Board",
    "meets": "Bi-monthly",
    "membership": "Director of Children's Services\nParent carer forum chair",
    "order": "",
}


@pytest.fixture
def partnership(client, signed_in):
    organisation = OrganisationFactory()
    signed_in(member(Role.DEMOCRATIC, organisation))
    return organisation.partnership


def test_a_body_added_without_a_position_goes_last_and_is_audited(client, partnership):
    GovernanceBodyFactory(partnership=partnership, order=4, name="Children's Joint Commissioning Group")

    response = client.post(reverse("reports:governance_add"), BODY)

    assert response.status_code == 302 and response["Location"] == reverse("reports:governance")
    assert [(b.name, b.order) for b in selectors.governance_of(partnership)] == [
        ("Children's Joint Commissioning Group", 4),
        ("SEND Strategic Partnership Board", 5),
    ]
    body = GovernanceBody.objects.get(name=BODY["name"])
    assert body.membership == "Director of Children's Services\nParent carer forum chair"
    assert (
        AuditEvent.objects.get(object_type="reports.governancebody", verb="created").after["meets"]
        == "Bi-monthly"
    )
    page = client.get(reverse("reports:governance")).content.decode()
    assert "Director of Children&#x27;s Services<br>Parent carer forum chair" in page


def test_a_body_is_changed_and_moved_with_the_values_before_and_after_recorded(client, partnership):
    body = GovernanceBodyFactory(partnership=partnership, order=1, name="SEND Board", meets="Monthly")
    GovernanceBodyFactory(partnership=partnership, order=2, name="Health group")

    response = client.post(reverse("reports:governance_edit", args=[body.pk]), {**BODY, "order": "3"})

    assert response.status_code == 302
    assert [b.name for b in selectors.governance_of(partnership)] == ["Health group", BODY["name"]]
    event = AuditEvent.objects.get(object_type="reports.governancebody", verb="updated")
    assert (event.before["meets"], event.after["meets"]) == ("Monthly", "Bi-monthly")
    assert (event.before["order"], event.after["order"]) == (1, 3)


def test_two_bodies_cannot_share_a_name(client, partnership):
    GovernanceBodyFactory(partnership=partnership, name="SEND Strategic Partnership Board")

    response = client.post(
        reverse("reports:governance_add"), {**BODY, "name": "send strategic partnership board"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page and "There is already a board or group called" in page
    assert GovernanceBody.objects.filter(partnership=partnership).count() == 1


def test_a_position_that_is_not_a_whole_number_is_refused(client, partnership):
    response = client.post(reverse("reports:governance_add"), {**BODY, "order": "first"})

    assert response.status_code == 400
    assert "Enter the position as a whole number" in response.content.decode()
    assert not GovernanceBody.objects.exists()


def test_a_body_is_removed_after_confirmation_and_leaves_later_packs(client, partnership):
    body = GovernanceBodyFactory(partnership=partnership, name="Task and finish group")
    assert (
        "Remove Task and finish group?"
        in client.get(reverse("reports:governance_remove", args=[body.pk])).content.decode()
    )

    response = client.post(reverse("reports:governance_remove", args=[body.pk]))

    assert response.status_code == 302
    assert selectors.governance_of(partnership) == []
    assert AuditEvent.objects.get(object_type="reports.governancebody", verb="removed").before["name"] == (
        "Task and finish group"
    )


def test_board_members_read_the_governance_list_without_ways_to_change_it(client, signed_in, partnership):
    GovernanceBodyFactory(partnership=partnership, name="SEND Strategic Partnership Board")
    signed_in(member(Role.BOARD, partnership.organisations.first()))

    page = client.get(reverse("reports:governance")).content.decode()

    assert "SEND Strategic Partnership Board" in page
    assert (
        "Add a board or group" not in page
        and "/governance/" not in page.split("<main")[1].split("Governance</h1>")[1]
    )
