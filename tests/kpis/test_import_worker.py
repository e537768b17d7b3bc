"""National statistics imported by a real Celery worker over real Redis, and the import page while it runs.
Required under CI=true; skipped locally without PostgreSQL or Redis."""

import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Role
from kpis.national import NationalValue, StatisticsImport
from tests.factories import OrganisationFactory, PartnershipFactory, member
from tests.kpis.statistics_files import TIMELINESS_HEADER, census_file, csv_bytes, timeliness_rows

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_client(signed_in):
    partnership = PartnershipFactory(ons_code="E06000033", short_name="Southend")
    return signed_in(member(Role.ADMIN, OrganisationFactory(partnership=partnership)))


def wait_for(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def status_of(record: StatisticsImport) -> str:
    return StatisticsImport.objects.values_list("status", flat=True).get(pk=record.pk)


def queue(client, name: str, content: bytes) -> StatisticsImport:
    client.post(reverse("kpis:national_statistics"), {"file": SimpleUploadedFile(name, content, "text/csv")})
    response = client.post(reverse("kpis:national_statistics_check"))
    record = StatisticsImport.objects.latest("pk")
    assert response["Location"] == record.get_absolute_url()
    return record


def test_a_worker_imports_the_file_while_the_admin_refreshes_its_page(admin_client, start_worker):
    start_worker(MEDIA_ROOT=str(settings.MEDIA_ROOT))

    record = queue(admin_client, "sen_phase_type.csv", census_file().getvalue())

    assert wait_for(lambda: status_of(record) == StatisticsImport.Status.DONE, 60), (
        StatisticsImport.objects.get(pk=record.pk).error
    )
    page = admin_client.get(record.get_absolute_url()).content.decode()
    assert "Figures imported" in page and "Special educational needs in England" in page
    assert NationalValue.objects.filter(measure="CENSUS_EHC_PLAN_PC", area_code="E06000033").exists()


def test_a_file_the_worker_cannot_import_is_reported_with_its_reason_and_imports_nothing(
    admin_client, start_worker
):
    start_worker(MEDIA_ROOT=str(settings.MEDIA_ROOT))
    rows = timeliness_rows()
    rows.append([*rows[2]])  # the same figure twice: found only when the values are stored

    record = queue(admin_client, "timeliness_20_week.csv", csv_bytes(TIMELINESS_HEADER, rows))

    assert wait_for(lambda: status_of(record) == StatisticsImport.Status.FAILED, 60)
    page = admin_client.get(record.get_absolute_url()).content.decode()
    assert "Nothing was imported" in page and "the same figure twice" in page
    assert not NationalValue.objects.exists()


def test_with_the_broker_down_the_import_says_so_at_once(admin_client, broker_down):
    started = time.monotonic()

    record = queue(admin_client, "sen_phase_type.csv", census_file().getvalue())

    assert time.monotonic() - started < 5
    assert status_of(record) == StatisticsImport.Status.FAILED
    assert "job service is not available" in admin_client.get(record.get_absolute_url()).content.decode()
