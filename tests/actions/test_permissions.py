"""Every action-plan URL, for every role: who gets the page, who is refused, and who gets 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Evidence, ProgressUpdate
from actions.services import reporting_period_ensure
from tests.actions.factories import rag

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "officer",
    "trust_officer",
    "lead",
    "other_lead",
    "board",
    "democratic",
    "admin",
    "stranger",
]
EVERYONE = {"officer", "trust_officer", "lead", "other_lead", "board", "democratic", "admin"}


@pytest.fixture
def objects(world):
    update = ProgressUpdate.objects.create(
        action=world.action,
        rag=rag(world.partnership, "green"),
        created_by=world.officer,
        period=reporting_period_ensure(partnership=world.partnership, day=timezone.localdate()),
        state=ProgressUpdate.State.SUBMITTED,
        submitted_by=world.officer,
    )
    evidence = Evidence.objects.create(
        update=update, title="Minutes", link="https://example.org", added_by=world.officer
    )
    return {
        "action": world.action.pk,
        "recommendation": world.recommendation.pk,
        "update": update.pk,
        "evidence": evidence.pk,
    }


# name, argument kind, roles that get 200 on GET (others: 403; strangers 404 on objects; anonymous 302)
GET_RULES = [
    ("actions:plan", None, EVERYONE),
    ("actions:mine", None, {"officer", "trust_officer", "admin"}),
    ("actions:review_queue", None, {"lead", "other_lead", "admin"}),
    ("actions:missing", None, {"lead", "other_lead", "admin"}),
    ("actions:export_csv", None, EVERYONE),
    ("actions:export_xlsx", None, EVERYONE),
    ("actions:recommendation", "recommendation", EVERYONE),
    ("actions:recommendation_lead", "recommendation", {"admin"}),
    ("actions:action", "action", EVERYONE),
    ("actions:history", "action", EVERYONE),
    ("actions:update", "action", {"officer", "admin"}),
    ("actions:edit", "action", {"admin"}),
    ("actions:replan", "action", {"admin"}),
    ("actions:add_milestone", "action", {"admin"}),
    ("actions:check", "update", set()),  # a submitted update: its page sends editors back to the action
    ("actions:review", "update", {"lead", "admin"}),
]


def url_for(name, kind, objects):
    return reverse(name, args=[objects[kind]] if kind else [])


def expected_get(role, kind, allowed):
    if role == "anonymous":
        return 302
    if role == "stranger":
        return 404 if kind else (200 if "admin" in allowed else 403)
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kind", "allowed"), GET_RULES)
def test_get_answers_each_role_as_expected(client, signed_in, world, objects, role, name, kind, allowed):
    if role != "anonymous":
        signed_in(getattr(world, role))
    expected = expected_get(role, kind, allowed)
    if name == "actions:check" and role in {"officer", "admin"}:
        expected = 302
    assert client.get(url_for(name, kind, objects)).status_code == expected


@pytest.mark.parametrize("role", ["board", "democratic", "trust_officer", "other_lead"])
@pytest.mark.parametrize(
    "name", ["actions:update", "actions:edit", "actions:replan", "actions:add_milestone"]
)
def test_read_only_and_unrelated_roles_cannot_post_changes_to_an_action(
    client, signed_in, world, objects, role, name
):
    signed_in(getattr(world, role))
    assert client.post(reverse(name, args=[objects["action"]]), {}).status_code == 403


@pytest.mark.parametrize("role", ["board", "democratic", "trust_officer", "other_lead"])
def test_read_only_and_unrelated_roles_cannot_review_or_remove_evidence(
    client, signed_in, world, objects, role
):
    signed_in(getattr(world, role))
    assert (
        client.post(reverse("actions:review", args=[objects["update"]]), {"decision": "approve"}).status_code
        == 403
    )
    assert client.post(reverse("actions:evidence_remove", args=[objects["evidence"]])).status_code == 403
    assert ProgressUpdate.objects.get().state == ProgressUpdate.State.SUBMITTED


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("actions:update", "action"),
        ("actions:edit", "action"),
        ("actions:replan", "action"),
        ("actions:review", "update"),
        ("actions:evidence_remove", "evidence"),
        ("actions:check", "update"),
    ],
)
def test_another_partnerships_objects_answer_404_to_post(client, signed_in, world, objects, name, kind):
    signed_in(world.stranger)
    assert client.post(reverse(name, args=[objects[kind]]), {}).status_code == 404


@pytest.mark.parametrize("name", ["actions:plan", "actions:mine", "actions:export_csv", "actions:evidence"])
def test_read_pages_refuse_post(client, signed_in, world, objects, name):
    signed_in(world.admin)
    args = [objects["evidence"]] if name == "actions:evidence" else []
    assert client.post(reverse(name, args=args)).status_code == 405


def test_evidence_links_are_not_downloads(client, signed_in, world, objects):
    signed_in(world.board)
    assert client.get(reverse("actions:evidence", args=[objects["evidence"]])).status_code == 403
