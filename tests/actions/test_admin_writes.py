"""The plan's shape is the partnership admin's: each admin write refuses anyone else in the service itself, so no
caller other than its view (a command, a task, a future page) can skip the check (issue 14)."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from actions import services
from actions.models import Action, Milestone, RagLevel
from core.models import AuditEvent, Membership, Role
from tests.actions.factories import rag

pytestmark = pytest.mark.django_db

Write = Callable[[object, object], object]


def replan(world, user):
    return services.action_replan(
        action=world.action, user=user, new_due_date=date(2027, 3, 31), reason="Provider changed"
    )


def set_details(world, user):
    return services.action_set_details(
        action=world.action,
        user=user,
        lead_officer=world.officer,
        owner_organisations=[world.council],
        start_date=None,
        original_due_date=date(2026, 12, 31),
        lifecycle=Action.Lifecycle.CLOSED,
        lock_version=Action.objects.get(pk=world.action.pk).lock_version,
    )


def set_lead(world, user):
    return services.recommendation_set_lead(
        recommendation=world.other_recommendation,
        user=user,
        lead=Membership.objects.get(user=world.other_lead, role=Role.LEAD),
    )


def add_milestone(world, user):
    return services.milestone_add(
        action=world.action, user=user, title="Pilot ends", due_date=date(2027, 1, 31)
    )


def add_action(world, user):
    texts = {
        "what_we_want": "Every family hears back within a week",
        "what_we_will_do": "Answer every enquiry",
        "where_are_we_now": "Some wait a month",
        "what_we_will_see": "Replies within a week",
        "difference_this_will_make": "Families are not left waiting",
    }
    return services.plan_action_add(
        recommendation=world.recommendation, user=user, texts=texts, reason="Board asked"
    )


def reword_rag(world, user):
    level = rag(world.partnership, "amber")
    values = {name: getattr(level, name) for name in services.RAG_FIELDS}
    return services.rag_level_update(level=level, user=user, **{**values, "label": "Behind"})


def changed(world) -> tuple:
    action = Action.objects.get(pk=world.action.pk)
    return (
        action.revised_due_date,
        action.original_due_date,
        action.lifecycle,
        Milestone.objects.filter(title="Pilot ends").exists(),
        Action.objects.filter(what_we_want="Every family hears back within a week").exists(),
        RagLevel.objects.get(pk=rag(world.partnership, "amber").pk).label,
        type(world.other_recommendation).objects.get(pk=world.other_recommendation.pk).lead_id,
    )


WRITES = [replan, set_details, set_lead, add_milestone, add_action, reword_rag]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_an_admin_write_refuses_everyone_but_the_partnerships_admin(world, write):
    world.action.original_due_date = date(2026, 12, 31)
    world.action.save()
    before = changed(world)
    for refused in (world.officer, world.lead, world.board, world.democratic, world.stranger):
        with pytest.raises(PermissionDenied):
            write(world, refused)
        assert changed(world) == before, refused.email
    audits = AuditEvent.objects.count()

    write(world, world.admin)

    assert changed(world) != before
    assert AuditEvent.objects.count() > audits
