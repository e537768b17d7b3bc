import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action, Plan, PlanVersion
from core.models import AuditEvent, Role
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

NEW_ACTION = {
    "what_we_want": "Short breaks meet the growing needs of the area.",
    "what_we_will_do": "Recommission the short breaks offer.",
    "where_are_we_now": "The short breaks offer is underdeveloped.",
    "what_we_will_see": "More families using short breaks.",
    "difference_this_will_make": "Families are supported earlier.",
}


@pytest.fixture
def southend_admin(client, signed_in):
    call_command("load_southend", verbosity=0)
    plan = Plan.objects.get()
    admin = member(Role.ADMIN, OrganisationFactory(partnership=plan.partnership))
    signed_in(admin)
    return plan, admin


def test_adding_an_action_makes_a_new_version_and_keeps_the_published_one_word_for_word(
    client, southend_admin
):
    plan, admin = southend_admin
    recommendation = plan.recommendations.get(number=2)
    r2_1 = Action.objects.get(reference="R2.1")
    response = client.post(
        reverse("actions:add_action", args=[recommendation.pk]),
        {**NEW_ACTION, "reason": "Agreed at the Partnership Board in March"},
    )
    new = Action.objects.get(reference="R2.16")
    assert response["Location"] == new.get_absolute_url()
    assert "R2.16 added: the plan is now Version 2" in client.get(response["Location"]).content.decode()
    assert new.what_we_want == NEW_ACTION["what_we_want"]
    plan.refresh_from_db()
    assert plan.version == 2
    archived = PlanVersion.objects.get()
    assert (archived.version, archived.published_label) == (1, "Published July 2023. Version 1")
    assert archived.superseded_because == "Agreed at the Partnership Board in March"
    archived_r2 = next(r for r in archived.content if r["number"] == 2)
    assert [a["reference"] for a in archived_r2["actions"]][-1] == "R2.15"
    assert archived_r2["actions"][0]["what_we_will_do"] == r2_1.what_we_will_do
    assert sum(len(r["actions"]) for r in archived.content) == 45
    assert Action.objects.count() == 46
    assert AuditEvent.objects.filter(verb="added to the plan", actor=admin).exists()
    page = client.get(archived.get_absolute_url()).content.decode()
    assert "R2.15" in page and "R2.16" not in page
    versions = client.get(reverse("actions:versions")).content.decode()
    assert "Version 2 (current)" in versions and "Agreed at the Partnership Board in March" in versions


def test_the_add_page_says_beforehand_that_adding_an_action_publishes_the_plans_next_version(
    client, southend_admin
):
    plan, _ = southend_admin
    add_page = reverse("actions:add_action", args=[plan.recommendations.get(number=2).pk])

    before = client.get(add_page).content.decode()
    client.post(add_page, {**NEW_ACTION, "reason": "Agreed at the Partnership Board in March"})
    after = client.get(add_page).content.decode()

    assert (
        "Adding an action publishes a new version of the plan, version 2. Version 1, which the board"
        in before
    )
    assert (
        "Adding an action publishes a new version of the plan, version 3. Version 2, which the board" in after
    )


def test_loading_southend_again_keeps_the_plan_as_the_portal_changed_it(client, southend_admin):
    plan, admin = southend_admin
    recommendation = plan.recommendations.get(number=2)
    client.post(
        reverse("actions:add_action", args=[recommendation.pk]),
        {**NEW_ACTION, "reason": "Agreed at the Partnership Board in March"},
    )

    call_command("load_southend", verbosity=0)  # as every `make run` does

    assert Plan.objects.get().version == 2
    assert Action.objects.count() == 46
    assert recommendation.actions.filter(what_we_want=NEW_ACTION["what_we_want"]).exists()


def test_a_new_action_needs_all_five_texts_and_a_reason(client, southend_admin):
    plan, _ = southend_admin
    recommendation = plan.recommendations.get(number=1)
    response = client.post(
        reverse("actions:add_action", args=[recommendation.pk]),
        {**NEW_ACTION, "what_we_will_see": "", "where_are_we_now": "", "reason": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter what we will see when it is done" in page
    assert "Enter where things stand now, the action&#x27;s baseline" in page  # not "Enter where are we now"
    assert "Enter why the plan is changing" in page
    assert Action.objects.count() == 45
    assert not PlanVersion.objects.exists()
