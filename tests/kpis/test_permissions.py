"""Every dashboards URL x every role, GET and POST: who gets in, who gets 403, and 404 across partnerships."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from core.models import Role
from tests.conftest import sign_in
from tests.kpis.conftest import Area

pytestmark = pytest.mark.django_db

EVERYONE: set[str] = {Role.OFFICER, Role.LEAD, Role.BOARD, Role.DEMOCRATIC, Role.ADMIN, "officer_elsewhere"}
OFFICERS: set[str] = {Role.OFFICER, "officer_elsewhere"}
VERIFIERS: set[str] = {Role.LEAD, Role.ADMIN}
ADMINS: set[str] = {Role.ADMIN}
OWNER: set[str] = {Role.OFFICER}

# name: (who may open it, URL arguments taken from the area, whether it names an object of the partnership)
MATRIX: dict[str, tuple[set[str], Callable[[Area], list[int]], bool]] = {
    "indicators": (EVERYONE, lambda a: [], False),
    "indicator": (EVERYONE, lambda a: [a.indicator.pk], True),
    "indicator_create": (ADMINS, lambda a: [], False),
    "indicator_edit": (ADMINS, lambda a: [a.indicator.pk], True),
    "comparator_create": (ADMINS, lambda a: [a.indicator.pk], True),
    "return_enter": (OWNER, lambda a: [a.indicator.pk, a.period.pk], True),
    "return_check": (OWNER, lambda a: [a.indicator.pk, a.period.pk], True),
    "returns_due": (OFFICERS, lambda a: [], False),
    "upload": (OFFICERS, lambda a: [], False),
    "upload_preview": (OFFICERS, lambda a: [], False),
    "upload_cancel": (OFFICERS, lambda a: [], False),
    "template_csv": (OFFICERS, lambda a: [], False),
    "template_xlsx": (OFFICERS, lambda a: [], False),
    "verify_list": (VERIFIERS, lambda a: [], False),
    "verify_return": (VERIFIERS, lambda a: [a.submitted.pk], True),
    "periods": (ADMINS, lambda a: [], False),
    "period_create": (ADMINS, lambda a: [], False),
    "period_close": (ADMINS, lambda a: [a.period.pk], True),
    "export": (EVERYONE, lambda a: [], False),
    "export_csv": (EVERYONE, lambda a: [], False),
    "export_xlsx": (EVERYONE, lambda a: [], False),
    "export_json": (EVERYONE, lambda a: [], False),
    "national_statistics": (ADMINS, lambda a: [], False),
    "national_statistics_check": (ADMINS, lambda a: [], False),
    "national_statistics_cancel": (ADMINS, lambda a: [], False),
    "national_library": (ADMINS, lambda a: [], False),
    "statistical_neighbours": (ADMINS, lambda a: [], False),
}
# What an allowed GET answers where it is not 200: a redirect to the step before, or POST only.
GET_STATUS = {
    "return_check": 302,
    "upload_preview": 302,
    "upload_cancel": 302,
    "period_close": 405,
    "national_statistics_check": 302,
    "national_statistics_cancel": 405,
}
ROLES = sorted(EVERYONE | {"outsider"})


def test_every_kpis_url_is_in_the_matrix():
    names = {
        pattern.name
        for pattern in get_resolver().url_patterns
        if getattr(pattern, "namespace", None) == "kpis"
        for pattern in pattern.url_patterns
    }
    assert names == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_visitors_are_sent_to_sign_in(client, area, name):
    url = reverse(f"kpis:{name}", args=MATRIX[name][1](area))
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_what_the_matrix_says(area, name, role):
    allowed, args, names_object = MATRIX[name]
    client = sign_in(Client(), area.users[role])
    url = reverse(f"kpis:{name}", args=args(area))
    get, post = client.get(url), client.post(url)
    if role == "outsider":
        # An admin, officer and lead of another partnership: its own pages open, this one's objects do not exist.
        if names_object:
            assert get.status_code == (405 if GET_STATUS.get(name) == 405 else 404)
            assert post.status_code == 404
        else:
            assert get.status_code == GET_STATUS.get(name, 200)
        return
    if role in allowed:
        assert get.status_code == GET_STATUS.get(name, 200)
        assert post.status_code not in {403, 404, 500}
    else:
        assert get.status_code == 403
        assert post.status_code == 403


def test_posts_need_a_csrf_token(area):
    client = sign_in(Client(enforce_csrf_checks=True), area.users[Role.ADMIN])
    response = client.post(reverse("kpis:period_close", args=[area.period.pk]))
    assert response.status_code == 403
    area.period.refresh_from_db()
    assert area.period.is_open
