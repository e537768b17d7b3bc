"""An action's latest approved update: asked for one action on its own pages, and for many in one query on lists."""

from datetime import date

import pytest

from actions import selectors
from actions.models import ProgressUpdate
from tests.actions.factories import approved_update

pytestmark = pytest.mark.django_db


def test_one_action_and_a_list_of_actions_give_the_same_latest_approved_update(world):
    approved_update(world.action, date(2030, 5, 1), "green")
    newest = approved_update(world.action, date(2030, 6, 1), "amber", revision=1)
    approved_update(
        world.action, date(2030, 6, 1), "green", revision=0
    )  # an earlier revision of the same month
    approved_update(
        world.action, date(2030, 7, 1), "red", state=ProgressUpdate.State.SUBMITTED
    )  # not approved
    approved_update(world.other_action, date(2030, 4, 1), "red")

    listed = selectors.latest_approved_by_action(world.partnership, [world.action, world.other_action])

    assert selectors.latest_approved(world.action) == listed[world.action.pk] == newest
    assert listed[world.other_action.pk].rag.key == "red"
    assert selectors.latest_approved(world.other_action) == listed[world.other_action.pk]
