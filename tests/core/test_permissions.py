"""Every permission decision goes through django-rules (docs/adr/0019): the permissions the code names exist, and
a user's roles in a partnership are read once, however many questions are asked."""

import re
from pathlib import Path

import pytest
import rules

from core.models import User

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "actions", "kpis", "sef", "risks", "reports", "dashboards", "people", "public"]
# A permission named where it is asked: the view decorator, a service check, a user's has_perm, a template tag,
# and the navigation's entries.
ASKED = re.compile(
    r"""(?:permission_required\(|require_perm\(\w+, |has_perm\(|{% has_perm |NavItem\(\s*"[^"]*",\s*"[^"]*",\s*)"""
    r"""["']([a-z]+\.[a-z_]+)["']"""
)


def permissions_asked() -> set[str]:
    files = [path for app in APPS for path in (ROOT / app).rglob("*.py")] + list(
        (ROOT / "templates").rglob("*.html")
    )
    return {name for path in files for name in ASKED.findall(path.read_text())}


def test_every_permission_the_code_asks_is_registered_by_an_apps_rules():
    asked = permissions_asked()
    assert len(asked) > 20
    assert sorted(name for name in asked if not rules.perm_exists(name)) == []


def test_a_users_roles_in_a_partnership_are_read_once_however_many_permissions_are_asked(
    world, django_assert_num_queries
):
    admin = User.objects.get(pk=world.admin.pk)  # a fresh user object, as a task or a command has
    with django_assert_num_queries(1):
        assert admin.has_perm("actions.change_plan", world.partnership)
        assert admin.has_perm("kpis.manage_indicators", world.partnership)
        assert admin.has_perm("risks.set_matrix", world.partnership)
        assert not admin.has_perm("kpis.submit_returns", world.partnership)
    officer = User.objects.get(pk=world.officer.pk)
    with django_assert_num_queries(1):
        assert officer.has_perm("actions.update_actions", world.partnership)
        assert not officer.has_perm("actions.change_plan", world.partnership)
        assert not officer.has_perm("people.manage_people", world.partnership)


def test_a_role_in_one_partnership_opens_nothing_in_another(world):
    """The stranger is the admin of another partnership: asked of this one, every answer is no."""
    stranger = User.objects.get(pk=world.stranger.pk)
    assert stranger.has_perm("core.view_partnership", world.stranger_action.recommendation.plan.partnership)
    for name in (
        "core.view_partnership",
        "actions.change_plan",
        "people.manage_people",
        "reports.view_reports",
    ):
        assert not stranger.has_perm(name, world.partnership), name
    assert world.admin.has_perm("actions.change_plan", world.partnership)
