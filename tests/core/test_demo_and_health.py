import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from core.models import Membership, Organisation, Partnership, Role, User
from core.seed.demo import DEMO_OPERATOR, DEMO_USERS, create_demo_users
from core.seed.southend import ORGANISATIONS

pytestmark = pytest.mark.django_db


def test_demo_set_up_loads_southend_and_one_user_per_role_and_repeats_without_duplicates(settings):
    settings.DEMO_PASSWORD = "a-chosen-demo-password"
    call_command("setup_demo", verbosity=0)
    call_command("setup_demo", verbosity=0)
    southend = Partnership.objects.get(ons_code="E06000033")
    assert Partnership.objects.count() == 1
    assert Organisation.objects.filter(partnership=southend).count() == len(ORGANISATIONS)
    assert {m.role for m in Membership.objects.all()} == set(Role)
    assert User.objects.count() == len(DEMO_USERS) + 1 == 6  # one per role, and the site operator
    for email, *_ in [*DEMO_USERS, DEMO_OPERATOR]:
        user = User.objects.get(email=email)
        assert user.is_demo
        assert user.check_password("a-chosen-demo-password")
    assert not User.objects.filter(memberships__isnull=False, is_superuser=True).exists()


def test_southend_is_loaded_with_the_partners_the_documents_name():
    call_command("load_southend", verbosity=0)
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {
        "Southend-on-Sea City Council",
        "Mid and South Essex Integrated Care Board",
        "Essex Partnership University NHS Foundation Trust",
        "North East London NHS Foundation Trust",
        "Southend SEND Independent Forum",
    } <= names
    forum = Organisation.objects.get(name="Southend SEND Independent Forum")
    assert forum.kind == Organisation.Kind.PARENT_CARER_FORUM


def test_demo_users_are_refused_where_settings_do_not_allow_them(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False
    call_command("load_southend", verbosity=0)
    with pytest.raises(ImproperlyConfigured):
        create_demo_users(Partnership.objects.get())
    assert not User.objects.exists()


def test_health_reports_the_database_and_a_real_redis_broker(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "outbox_waiting": 0,
        "reasons": [],
    }


def test_health_says_when_the_broker_is_unavailable(client, broker_down):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"] == "unavailable"
    assert "packs cannot be built" in response.json()["reasons"][0]
