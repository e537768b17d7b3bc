"""The admin's national statistics pages: upload, check, import, history, the library and the neighbours."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Role
from kpis import national_services
from kpis.models import Comparator, Geography
from kpis.national import NationalValue, StatisticsImport
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, PartnershipFactory, member
from tests.kpis.statistics_files import TIMELINESS_HEADER, csv_bytes, timeliness_file, timeliness_rows

pytestmark = pytest.mark.django_db

PAGE = reverse("kpis:national_statistics")
CHECK = reverse("kpis:national_statistics_check")


@pytest.fixture
def admin(client):
    partnership = PartnershipFactory(ons_code="E06000033", short_name="Southend")
    user = member(
        Role.ADMIN, OrganisationFactory(partnership=partnership, name="Southend-on-Sea City Council")
    )
    sign_in(client, user)
    return user


def upload(client, content: bytes):
    return client.post(PAGE, {"file": SimpleUploadedFile("timeliness_20_week.csv", content, "text/csv")})


@pytest.fixture
def imported(client, django_capture_on_commit_callbacks):
    """Uploads, checks and imports a file through the pages, the job running as the request commits."""

    def run(content: bytes):
        upload(client, content)
        with django_capture_on_commit_callbacks(execute=True):
            queued = client.post(CHECK)
        return client.get(queued.url)

    return run


def test_an_admin_checks_the_file_sees_their_own_figures_then_its_import_reports_on_its_rows(
    client, admin, django_capture_on_commit_callbacks
):
    response = upload(client, timeliness_file().getvalue())
    assert response.status_code == 302 and response.url == CHECK

    check = client.get(CHECK).content.decode()
    assert "EHC plans issued within the statutory 20 week timeframe" in check
    assert "Calendar year 2024" in check and "23.4%" in check
    assert not NationalValue.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(CHECK)

    record = StatisticsImport.objects.get()
    assert queued.url == record.get_absolute_url()
    report = client.get(queued.url).content.decode()
    assert NationalValue.objects.filter(area_code="E06000033").exists()
    assert "Figures imported" in report and "Rows read" in report
    assert (
        "Education, health and care plans: EHC plans issued within the statutory 20 week timeframe" in report
    )
    assert "Report" in client.get(PAGE).content.decode()


def test_a_file_in_another_layout_is_refused_naming_its_columns_and_nothing_is_imported(client, admin):
    header = [*TIMELINESS_HEADER, "plans_issued_total"]
    rows = [[*row, "1"] for row in timeliness_rows()]

    response = upload(client, csv_bytes(header, rows))

    assert response.status_code == 200
    assert "these columns are not expected: plans_issued_total" in response.content.decode()
    assert not StatisticsImport.objects.exists()


def test_adopting_a_national_indicator_shows_england_region_and_each_neighbour_on_its_page(
    client, admin, imported
):
    imported(timeliness_file().getvalue())
    client.post(reverse("kpis:statistical_neighbours"), {"codes": "E06000034\nE06000032"})

    adopted = client.post(
        reverse("kpis:national_library"), {"measure": "SEN2_ISSUED_20_WEEKS_PC"}, follow=True
    )

    page = adopted.content.decode()
    assert "New EHC plans issued within 20 weeks, including exceptions (%)" in page
    assert "Published national statistics" in page
    assert {c.geography for c in Comparator.objects.all()} == set(Geography)
    assert "Thurrock" in page and "Not published (x: not available)" in page
    assert "East of England" in page


def test_unknown_neighbour_codes_are_reported_on_the_form(client, admin, imported):
    imported(timeliness_file().getvalue())

    response = client.post(reverse("kpis:statistical_neighbours"), {"codes": "E06000034\nE09999999"})

    assert "not local authority codes in the imported statistics: E09999999" in response.content.decode()


def test_the_board_indicator_page_shows_england_region_and_neighbours_with_their_period(
    client, admin, imported
):
    imported(timeliness_file().getvalue())
    client.post(reverse("kpis:statistical_neighbours"), {"codes": "E06000034\nE06000032"})
    client.post(reverse("kpis:national_library"), {"measure": "SEN2_ISSUED_20_WEEKS_PC"})
    indicator = admin.memberships.get().partnership.indicators.get()

    page = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()

    for figure in ("46.0%", "30.0%", "40.0%", "23.4%"):  # as the file writes them
        assert figure in page
    assert "Calendar year 2024" in page and "No comparator published" not in page


def test_a_file_imported_before_is_reported_on_its_import_page_and_nothing_changes(client, admin, imported):
    imported(timeliness_file().getvalue())
    values = NationalValue.objects.count()

    again = imported(timeliness_file().getvalue()).content.decode()

    assert "Nothing was imported" in again and "nothing has changed" in again
    assert NationalValue.objects.count() == values
    failed = StatisticsImport.objects.get(status=StatisticsImport.Status.FAILED)
    assert failed.pending_file == "" and not list(national_services.pending_folder().iterdir())


def test_an_import_page_is_for_the_partnership_that_asked_for_it(client, admin, imported):
    imported(timeliness_file().getvalue())
    record = StatisticsImport.objects.get()
    assert client.get(record.get_absolute_url()).status_code == 200
    other = PartnershipFactory(ons_code="E06000034")
    sign_in(client, member(Role.ADMIN, OrganisationFactory(partnership=other)))

    assert client.get(record.get_absolute_url()).status_code == 404
