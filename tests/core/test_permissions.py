"""Every permission decision goes through django-rules (docs/adr/0019): the permissions the code names exist, and
a user's roles in a partnership are read once, however many questions are asked."""

import re
from pathlib import Path

import pytest
import rules
from django.test import Client
from django.urls import reverse

from core.models import User
from tests.conftest import sign_in

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


def test_the_refusal_page_sends_others_to_the_partnership_admin_and_tells_the_admin_how_to_give_the_role(
    world, client
):
    """Returns are entered by officers: the admin is refused too, but is not told to ask themselves."""
    returns_page = reverse("kpis:returns_due")
    officer_page = sign_in(Client(), world.officer).get(returns_page)
    assert officer_page.status_code == 200

    board_page = sign_in(Client(), world.board).get(returns_page)
    assert board_page.status_code == 403
    assert "ask your partnership admin" in board_page.content.decode()
    assert "Change your own roles" not in board_page.content.decode()

    admin_page = sign_in(client, world.admin).get(returns_page)
    assert admin_page.status_code == 403
    text = admin_page.content.decode()
    assert "ask your partnership admin" not in text
    assert "add the role it needs to your own account" in text
    assert f'href="{reverse("people:person", args=[world.admin.pk])}">Change your own roles</a>' in text
