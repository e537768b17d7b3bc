import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import Evidence, PlanVersion, ProgressUpdate
from actions.services import reporting_period_ensure
from core.middleware import SIGNED_IN_AT
from core.models import Membership, Role, User
from kpis.national import StatisticsImport
from public.models import ApiToken, Feedback, PublicChoices
from reports.models import GovernanceDocument, Pack, PackAttachment, ReportType
from risks.models import Risk
from sef.models import JudgementLevel, SelfEvaluation
from tests.actions.factories import ActionFactory, MilestoneFactory, PlanFactory, RecommendationFactory, rag
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, ReturnFactory, ReturnPeriodFactory, period_for
from tests.people.factories import IdentityProviderFactory, InvitationFactory, OperatorFactory
from tests.reports.factories import GovernanceBodyFactory, MeetingFactory, NarrativeFactory
from tests.risks.factories import RiskFactory
from tests.sef.factories import self_evaluation

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server and the ORM in one browser test

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def authenticator_for(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, created if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def sign_in(client: Client, user: User) -> Client:
    """Signed in with password and second factor, as after the full sign-in journey."""
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time()
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in(client: Client):
    """Call with a user to get the test client signed in as them."""
    return lambda user: sign_in(client, user)


@pytest.fixture(autouse=True)
def _nothing_kept():
    """Each test starts with an empty cache: a page kept for one test's data never answers another's."""
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _return_periods_counted_from_the_first():
    """Each test's return periods are the months from January 2025 on, whatever ran before it in the process: counted
    on from other tests, the 25th and later fell after December 2026, and a page "as at" today no longer showed their
    figures."""
    ReturnPeriodFactory.reset_sequence()


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """Each test's files in a folder of its own; a test on the module's shared site starts with a copy of its
    files, since a file a test removes is not brought back by the rollback that brings back its row."""
    media = tmp_path / "media"
    if "module_site" in request.fixturenames:
        shutil.copytree(request.getfixturevalue("module_media"), media)
    settings.MEDIA_ROOT = media


@pytest.fixture
def redis_url() -> str:
    """A reachable Redis for tests that need one; under CI=true its absence fails the test."""
    from redis import Redis
    from redis.exceptions import RedisError

    url = settings.TEST_REDIS_URL
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except RedisError:
        if settings.CI:
            pytest.fail(f"CI=true but Redis is not reachable at {url}")
        pytest.skip(f"Redis is not reachable at {url}")
    return url


@pytest.fixture
def world(db):
    """One partnership with a plan, an owned action and a person in every role, plus strangers."""
    return make_world()


def make_world() -> SimpleNamespace:
    plan = PlanFactory()
    partnership = plan.partnership
    council = OrganisationFactory(partnership=partnership, name="Council")
    trust = OrganisationFactory(partnership=partnership, name="NHS trust")
    lead = member(Role.LEAD, council, email="lead@example.test", full_name="Lee Lead")
    recommendation = RecommendationFactory(
        plan=plan, number=2, lead=Membership.objects.get(user=lead, role=Role.LEAD)
    )
    other_recommendation = RecommendationFactory(plan=plan, number=3)
    action = ActionFactory(recommendation=recommendation, reference="R2.1")
    action.owner_organisations.add(council)
    other_action = ActionFactory(recommendation=other_recommendation, reference="R3.1")
    other_action.owner_organisations.add(trust)
    stranger_plan = PlanFactory()
    return SimpleNamespace(
        partnership=partnership,
        plan=plan,
        council=council,
        recommendation=recommendation,
        other_recommendation=other_recommendation,
        action=action,
        other_action=other_action,
        milestone=MilestoneFactory(action=action, title="Pilot in three wards"),
        officer=member(Role.OFFICER, council, email="officer@example.test", full_name="Olu Officer"),
        trust_officer=member(Role.OFFICER, trust, email="trust@example.test"),
        lead=lead,
        other_lead=member(Role.LEAD, trust, email="lead2@example.test"),
        board=member(Role.BOARD, council, email="board@example.test"),
        democratic=member(Role.DEMOCRATIC, council, email="dem@example.test"),
        admin=member(Role.ADMIN, council, email="admin@example.test"),
        stranger=member(Role.ADMIN, OrganisationFactory(partnership=stranger_plan.partnership)),
        stranger_action=ActionFactory(recommendation=RecommendationFactory(plan=stranger_plan, number=1)),
    )


DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down(settings):
    """Redis is stopped: jobs really go to a broker, which does not answer."""
    from send_portal.celery import app as celery_app

    working = celery_app.conf.broker_url
    settings.CELERY_BROKER_URL = DEAD_BROKER
    send_jobs_to(celery_app, DEAD_BROKER)
    celery_app.conf.task_always_eager = False
    yield
    send_jobs_to(celery_app, working)
    celery_app.conf.task_always_eager = True


def send_jobs_to(celery_app: Any, broker_url: str) -> None:
    """Celery keeps the pool of producers it made for the first job sent, bound to that broker, for the life of the
    process (Celery.close drops only the connection pool): both are dropped, so that the next job goes to
    `broker_url`. Kept, a test after this fixture in the same process sent its jobs to the dead broker."""
    celery_app.close()
    celery_app.amqp._producer_pool = None
    celery_app.conf.update(broker_url=broker_url)


@pytest.fixture
def reporting_day() -> date:
    """A day in the month whose reporting period holds the `site` fixture's progress updates."""
    return timezone.localdate()


@pytest.fixture
def site(world, reporting_day):
    """The actions `world` plus an object of every kind the URLs take, all in the same partnership."""
    return make_site(world, reporting_day)


@pytest.fixture(scope="module")
def module_reporting_day() -> date:
    """The day whose reporting period holds `module_site`'s progress updates; a module may override it."""
    return timezone.localdate()


@pytest.fixture(scope="module")
def module_media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@contextmanager
def kept_for_the_module(django_db_blocker) -> Iterator[None]:
    """Rows made once for a module's tests, in a transaction rolled back after the module's last test. Each test's
    own changes are rolled back after it (pytest-django), so every test meets the same rows."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_site(
    django_db_setup, django_db_blocker, module_media, module_reporting_day
) -> Iterator[SimpleNamespace]:
    """The `site`, shared by a module's tests (`kept_for_the_module`), each test with its own copy of the site's
    files (`_media_root`). Building it for each of the 600 URL checks took a fifth of their time."""
    with kept_for_the_module(django_db_blocker), override_settings(MEDIA_ROOT=module_media):
        yield make_site(make_world(), module_reporting_day)


@pytest.fixture(scope="module")
def module_southend(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The whole Southend seed, loaded once for a module's tests (`kept_for_the_module`): 2-3 s a load."""
    with kept_for_the_module(django_db_blocker):
        call_command("load_southend", stdout=StringIO())
        yield


def make_site(world: SimpleNamespace, reporting_day: date) -> SimpleNamespace:
    partnership = world.partnership
    period = reporting_period_ensure(partnership=partnership, day=reporting_day)
    lead_membership = Membership.objects.get(user=world.lead, role=Role.LEAD)
    submitted = ProgressUpdate.objects.create(
        action=world.action,
        period=period,
        rag=rag(partnership, "green"),
        created_by=world.officer,
        submitted_by=world.officer,
        submitted_at=timezone.now(),
        state=ProgressUpdate.State.SUBMITTED,
    )
    second = ActionFactory(recommendation=world.recommendation, reference="R2.2")
    second.owner_organisations.add(world.council)
    draft = ProgressUpdate.objects.create(
        action=second, period=period, rag=rag(partnership, "green"), created_by=world.officer
    )
    evidence = Evidence(
        update=draft,
        title="minutes.pdf",
        content_type="application/pdf",
        size=len(PDF),
        added_by=world.officer,
    )
    evidence.file.save("minutes.pdf", ContentFile(PDF))
    indicator = IndicatorFactory(owner_organisation=world.council)
    meeting = MeetingFactory(partnership=partnership)
    NarrativeFactory(meeting=meeting)
    pack = Pack.objects.create(
        meeting=meeting,
        version=1,
        status=Pack.Status.READY,
        page_count=1,
        as_at=timezone.now(),
        published_at=timezone.now(),  # board members and leads see published versions only
    )
    pack.pdf.save("pack.pdf", ContentFile(PDF))
    pack.html.save("pack.html", ContentFile(b"<!DOCTYPE html><html lang='en'><title>Pack</title></html>"))
    governance_body = GovernanceBodyFactory(partnership=partnership)
    scrutiny_meeting = NarrativeFactory(
        meeting__partnership=partnership, meeting__report_type=ReportType.SCRUTINY, meeting__appendices=False
    ).meeting
    attachment = PackAttachment(pack=pack, number=1, title="Minutes", file_type="application/pdf")
    attachment.file.save("appendix-1.pdf", ContentFile(PDF))
    assert world.recommendation.lead == lead_membership
    public_choices = public_everything(partnership, indicator)
    return SimpleNamespace(
        **vars(world),
        other_officer=world.trust_officer,
        submitted_update=submitted,
        draft_update=draft,
        evidence=evidence,
        sef_draft=self_evaluation(partnership, status=SelfEvaluation.Status.DRAFT, version=2),
        sef_submitted=self_evaluation(partnership, status=SelfEvaluation.Status.SUBMITTED, version=1),
        indicator=indicator,
        return_period=period_for(indicator),
        statistics_import=StatisticsImport.objects.create(
            layout="sen2_timeliness",
            file_name="timeliness_20_week.csv",
            checksum="0" * 64,
            partnership=partnership,
            imported_by=world.admin,
            rows_read=6,
            rows_used=6,
            finished_at=timezone.now(),
        ),
        kpi_return=ReturnFactory(indicator=indicator, submitted_by=world.officer),
        meeting=meeting,
        scrutiny_meeting=scrutiny_meeting,
        pack=pack,
        appendix=meeting.appendices.first(),
        rag_level=rag(partnership, "amber"),
        judgement_level=JudgementLevel.objects.create(
            partnership=partnership, order=99, label="Not yet known"
        ),
        governance_body=governance_body,
        risk=RiskFactory(partnership=partnership, owner=world.lead),
        closed_risk=RiskFactory(
            partnership=partnership,
            owner=world.lead,
            status=Risk.Status.CLOSED,
            closed_reason="Posts filled.",
        ),
        governance_document=GovernanceDocument.objects.create(
            body=governance_body, title="Terms of Reference", content=[{"heading": "1 Purpose", "blocks": []}]
        ),
        plan_version=PlanVersion.objects.create(
            plan=world.plan, version=0, content=[], superseded_because="Test", superseded_by=world.admin
        ),
        invitation=InvitationFactory(organisation=world.council, invited_by=world.admin),
        operator=OperatorFactory(),
        identity_provider=IdentityProviderFactory(partnership=partnership),
        public_choices=public_choices,
        feedback=Feedback.objects.create(
            partnership=partnership, kind=Feedback.Kind.QUESTION, message="When is the next meeting?"
        ),
        api_token=ApiToken.objects.create(
            user=world.officer,
            partnership=partnership,
            name="Report",
            scopes=["actions"],
            prefix="sp_test",
            key_hash="0" * 64,
        ),
    )


def public_everything(partnership, *indicators) -> PublicChoices:
    """Every public section switched on, with these indicators published."""
    choices = PublicChoices.objects.create(
        partnership=partnership,
        show_plan=True,
        show_summaries=True,
        show_indicators=True,
        show_packs=True,
        show_easy_read=True,
        take_feedback=True,
    )
    choices.indicators.set(indicators)
    return choices


@pytest.fixture(scope="session", autouse=True)
def _job_queue_of_this_process() -> str:
    """Parallel test processes (pytest-xdist) share one Redis: each sends its jobs to a queue of its own, and
    the workers it starts listen there only, so no worker takes a job meant for another process's database."""
    from send_portal.celery import app as celery_app

    process = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, … under xdist
    celery_app.conf.task_default_queue = f"portal-tests-{process}"
    return celery_app.conf.task_default_queue


@pytest.fixture
def postgres_database():
    """Worker processes share the test database, which SQLite's in-transaction test database cannot offer."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        if settings.CI:
            pytest.fail("CI=true but the tests are not running on PostgreSQL")
        pytest.skip("the worker needs a database it can share with the test process")
    return connection.settings_dict


@pytest.fixture
def start_worker(redis_url, postgres_database, tmp_path):
    """Starts a real Celery worker on the test database and the test Redis; jobs stop running eagerly."""
    import subprocess
    import sys
    from pathlib import Path

    from send_portal.celery import app as celery_app

    processes = []
    db = postgres_database

    def start(pool: str = "solo", **extra_env: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "send_portal.settings.local",
            "VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": celery_app.conf.task_default_queue,
            **extra_env,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "send_portal",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            f"--queues={celery_app.conf.task_default_queue}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ]
        process = subprocess.Popen(
            command,
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=(tmp_path / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return process

    assert celery_app.conf.broker_url == redis_url
    celery_app.conf.task_always_eager = False
    yield start
    celery_app.conf.task_always_eager = True
    for process in processes:
        process.terminate()
        process.wait(timeout=15)
