"""Public pages are drawn once and kept in a cache that every serving process shares: Redis in production and CI,
files under var/ in the embedded mode. Each `with process():` block below is one serving process with a cache
client of its own (a new connection to Redis, a new reader of the files), as each gunicorn worker has."""

import os
import subprocess
import sys
import uuid
from datetime import date

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from redis import Redis

from core.models import Partnership
from public import services
from public.models import Feedback
from reports import services as report_services
from tests.conftest import public_everything
from tests.kpis.factories import IndicatorFactory
from tests.public.factories import pack_for

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["redis", "files"])
def process(request, tmp_path):
    """Call to get the settings of one more serving process on the shared cache (Redis or files)."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        prefix = f"portal-tests-{uuid.uuid4().hex}"  # other test processes use the same Redis database
        config = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    else:
        config = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    # A change of CACHES makes Django open the cache afresh: each block gets a client of its own.
    yield lambda: override_settings(CACHES={"default": config})
    if request.param == "redis":
        redis = Redis.from_url(config["LOCATION"])
        keys = list(redis.scan_iter(f"{config['KEY_PREFIX']}:*"))
        if keys:
            redis.delete(*keys)


@pytest.fixture
def public(world):
    pack_for(world.partnership, cut_off=date(2025, 3, 31), meeting_date=date(2025, 4, 20))
    return public_everything(world.partnership)


def page(name: str, partnership: Partnership) -> str:
    return Client().get(reverse(f"public:{name}", args=[partnership.ons_code])).content.decode()


def test_a_page_drawn_by_one_process_is_served_by_another_without_drawing_it(world, public, process):
    with process():
        assert world.partnership.short_name in page("home", world.partnership)
    Partnership.objects.filter(pk=world.partnership.pk).update(short_name="Renamed")
    with process():
        assert "Renamed" not in page("home", world.partnership)  # the first process's drawing
    assert "Renamed" in page("home", world.partnership)  # a process with a cache of its own draws it


def test_a_download_is_kept_with_its_type_and_file_name(world, public, process):
    url = reverse("public:dataset_csv", args=[world.partnership.ons_code, "actions"])
    with process():
        first = Client().get(url)
    Partnership.objects.filter(pk=world.partnership.pk).update(short_name="Renamed")
    with process():
        again = Client().get(url)
    assert again.content == first.content and again["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        again["Content-Disposition"] == first["Content-Disposition"]
        and "renamed" not in again["Content-Disposition"]
    )


def test_a_cached_page_costs_two_queries(world, public, process, django_assert_max_num_queries):
    with process():
        page("plan", world.partnership)
    with process(), django_assert_max_num_queries(2):
        page("plan", world.partnership)  # the choices with the partnership, and the last published pack


def test_a_newly_published_pack_reaches_every_process(world, public, process):
    with process():
        assert "7 July 2025" not in page("packs", world.partnership)
    later = pack_for(
        world.partnership, cut_off=date(2025, 6, 30), meeting_date=date(2025, 7, 7), published=False
    )
    with process():
        report_services.pack_publish(actor=world.democratic, pack=later)
    with process():
        assert "7 July 2025" in page("packs", world.partnership)


def test_a_change_of_what_is_public_reaches_every_process(
    world, public, process, django_capture_on_commit_callbacks
):
    title = "Plans issued within 20 weeks"
    indicator = IndicatorFactory(owner_organisation=world.council, title=title)
    with process():
        assert title not in page("indicators", world.partnership)
    data = {**dict.fromkeys(services.CHOICE_FIELDS, True), "retention_days": 90, "indicators": [indicator]}
    with process(), django_capture_on_commit_callbacks(execute=True):
        services.public_choices_save(actor=world.admin, partnership=world.partnership, data=data)
    with process():
        assert title in page("indicators", world.partnership)


def test_a_published_or_archived_entry_reaches_every_process(
    world, public, process, django_capture_on_commit_callbacks
):
    item = Feedback.objects.create(partnership=world.partnership, kind="question", message="When?")
    with process():
        assert "A question on places" not in page("you_said", world.partnership)
    with process(), django_capture_on_commit_callbacks(execute=True):
        services.feedback_publish(
            actor=world.admin, feedback=item, you_said="A question on places", we_did="Done"
        )
    with process():
        assert "A question on places" in page("you_said", world.partnership)
    with process(), django_capture_on_commit_callbacks(execute=True):
        services.feedback_archive(actor=world.admin, feedback=item)
    with process():
        assert "A question on places" not in page("you_said", world.partnership)


def test_pages_are_drawn_and_entries_published_when_the_cache_cannot_be_reached(
    world, public, django_capture_on_commit_callbacks
):
    item = Feedback.objects.create(partnership=world.partnership, kind="question", message="When?")
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
    with override_settings(CACHES={"default": unreachable}):
        with django_capture_on_commit_callbacks(execute=True):
            services.feedback_publish(actor=world.admin, feedback=item, you_said="Asked", we_did="Answered")
        response = Client().get(reverse("public:you_said", args=[world.partnership.ons_code]))
    assert response.status_code == 200 and "Answered" in response.content.decode()
    assert Feedback.objects.get().state == Feedback.State.PUBLISHED


CACHE_CHOICES: list[tuple[dict[str, str], str, str]] = [
    ({"REDIS_URL": "redis://queue:6379/0"}, "RedisCache", "redis://queue:6379/0"),
    (
        {"REDIS_URL": "redis://queue:6379/0", "CACHE_REDIS_URL": "redis://queue:6379/1"},
        "RedisCache",
        "redis://queue:6379/1",
    ),
    ({}, "FileBasedCache", "{var}/cache"),
]


@pytest.mark.parametrize(("environment", "backend", "location"), CACHE_CHOICES)
def test_the_cache_is_redis_when_there_is_one_and_files_under_var_otherwise(
    tmp_path, environment, backend, location
):
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_REDIS_URL", "DATABASE_URL"}}
    shown = subprocess.run(
        [sys.executable, "-c", "from send_portal.settings import local; print(local.CACHES['default'])"],
        env={**clean, **environment, "VAR_DIR": str(tmp_path)},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert backend in shown and location.format(var=tmp_path) in shown
