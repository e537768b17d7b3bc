"""No GET changes anything (TARGETS S3): every URL of the permission matrix, opened by someone it serves, leaves
every table but the session, the audit trail and sign-in bookkeeping exactly as it was."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.test_permission_matrix import MATRIX, first_allowed, stored_rows

pytestmark = pytest.mark.django_db

# Pages for people between their password and their second factor: visited at that step, before they have an
# authenticator app, as someone signing in for the first time meets them.
SECOND_FACTOR_STEP = {"two_factor_setup", "two_factor_verify"}


@pytest.fixture(scope="module")
def module_reporting_day():
    """The site's updates belong to last month, so nothing of this month (its reporting period) is stored before
    the GET: a page that stores it on opening shows here."""
    return timezone.localdate().replace(day=1) - timedelta(days=1)


@pytest.mark.parametrize("name", sorted(n for n, rule in MATRIX.items() if rule.get is not None))
def test_no_get_changes_anything(module_site, name):
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(module_site) if rule.kwargs else None)
    client = Client()
    person = getattr(module_site, first_allowed(rule.get))
    if name in SECOND_FACTOR_STEP:
        assert (
            client.post(reverse("login"), {"username": person.email, "password": PASSWORD}).status_code == 302
        )
    else:
        sign_in(client, person)
    before = stored_rows()
    assert client.get(url).status_code < 500
    assert stored_rows() == before
