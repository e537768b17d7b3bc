"""Board pages are drawn once and kept until what they show changes (dashboards.pagecache): every write the board
sees gives the partnership a new board version at once (core.audit); drafts, downloads and sign-ins keep it;
readers who may see different indicators never share a drawing."""

import io
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import services as plan
from core import pagecache
from core.audit import audit_record
from core.models import AuditEvent, Partnership, Role
from kpis import services as kpis
from kpis.national_services import national_indicator_adopt, national_statistics_import
from tests.actions.factories import rag
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, PartnershipFactory, member
from tests.kpis.factories import IndicatorFactory, ReturnFactory
from tests.kpis.statistics_files import SOUTHEND, THURROCK, TIMELINESS_HEADER, csv_bytes, timeliness_rows

pytestmark = pytest.mark.django_db


def main_of(page: str) -> str:
    """What a page shows in its main part, without the per-request tokens of the layout around it."""
    return page.split('<main class="govuk-main-wrapper" id="main-content">')[1].split("</main>")[0]


def board_version(partnership: Partnership) -> str:
    return Partnership.objects.get(pk=partnership.pk).board_version


def board_urls(site) -> list[str]:
    return [
        reverse("boards:overview"),
        reverse("boards:recommendation", args=[site.recommendation.pk]),
        reverse("boards:indicator", args=[site.indicator.pk]),
    ]


def test_a_board_page_read_again_is_served_from_its_drawing(site, client, django_assert_num_queries):
    sign_in(client, site.board)
    for url in board_urls(site):
        first = client.get(url).content.decode()
        # The session, the user, their memberships (with the partnership and its board version) and the
        # restricted indicators they may not see: nothing of the page itself.
        with django_assert_num_queries(4):
            again = client.get(url).content.decode()
        assert main_of(again) == main_of(first)
        assert "Board dashboard" in again


def test_an_approved_update_shows_on_the_board_at_once(site, client):
    sign_in(client, site.board)
    url = reverse("boards:recommendation", args=[site.recommendation.pk])
    green = rag(site.partnership, "green").tag_class
    before = main_of(client.get(url).content.decode())

    update = site.submitted_update
    plan.progress_update_approve(update=update, user=site.lead, lock_version=update.lock_version)

    after = main_of(client.get(url).content.decode())
    assert after.count(green) > before.count(green)


def test_drafts_submissions_and_downloads_keep_the_board_version(site):
    before = board_version(site.partnership)
    update = plan.progress_update_save(
        action=site.draft_update.action,
        period=site.draft_update.period,
        user=site.officer,
        data=plan.UpdateInput(rag=rag(site.partnership, "amber"), commentary="Draft"),
        lock_version=site.draft_update.lock_version,
    )
    plan.progress_update_submit(update=update, user=site.officer, lock_version=update.lock_version)
    audit_record(
        actor=site.board, verb=AuditEvent.Verb.DOWNLOAD, instance=site.pack, partnership=site.partnership
    )
    assert board_version(site.partnership) == before

    update.refresh_from_db()
    plan.progress_update_approve(update=update, user=site.lead, lock_version=update.lock_version)
    assert board_version(site.partnership) != before


def test_a_change_that_belongs_to_no_partnership_gives_every_board_a_new_version(site):
    before = board_version(site.partnership)
    audit_record(
        actor=site.admin,
        verb=AuditEvent.Verb.SET_UP_TWO_FACTOR_SIGN_IN,
        instance=site.board,
        partnership=None,
    )
    assert board_version(site.partnership) == before

    # A person's name changed in Django's admin, say: it shows wherever they lead an action.
    audit_record(actor=site.admin, verb=AuditEvent.Verb.UPDATED, instance=site.officer, partnership=None)
    assert board_version(site.partnership) != before


def test_a_restricted_indicator_never_reaches_a_reader_from_a_page_kept_for_another(site):
    secret = IndicatorFactory(
        owner_organisation=site.council,
        title="Exclusions of children with EHC plans",
        restricted=True,
        visible_to_roles=[Role.LEAD],
    )
    secret.recommendations.add(site.recommendation)
    ReturnFactory(indicator=secret, reference_date=timezone.localdate().replace(day=1) - timedelta(days=1))
    lead, board = sign_in(Client(), site.lead), sign_in(Client(), site.board)
    recommendation = reverse("boards:recommendation", args=[site.recommendation.pk])
    page = reverse("boards:indicator", args=[secret.pk])

    assert "Exclusions of children with EHC plans" in lead.get(recommendation).content.decode()
    assert lead.get(page).status_code == 200

    assert "Exclusions of children with EHC plans" not in board.get(recommendation).content.decode()
    assert board.get(page).status_code == 404


def test_a_board_page_is_drawn_when_the_cache_cannot_be_reached(site, client):
    sign_in(client, site.board)
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9",
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get(reverse("boards:overview"))
    assert response.status_code == 200
    assert "Where the plan stands" in response.content.decode()


def test_a_new_day_draws_the_board_pages_afresh(site, client):
    sign_in(client, site.board)
    url = reverse("boards:overview")
    client.get(url)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with (
        mock.patch.object(timezone, "localdate", return_value=tomorrow),
        CaptureQueriesContext(connection) as read,
    ):
        client.get(url)
    assert any('FROM "actions_action"' in query["sql"] for query in read.captured_queries)


def test_figures_returned_show_on_the_board_at_once(site, client):
    sign_in(client, site.board)
    url = reverse("boards:indicator", args=[site.indicator.pk])
    assert "87.5" not in main_of(client.get(url).content.decode())

    kpis.returns_submit_all(
        user=site.officer,
        items=[kpis.ReturnInput(site.indicator, site.return_period, kpis.Figures(Decimal("87.5")))],
    )

    assert "87.5" in main_of(client.get(url).content.decode())


def test_a_national_import_gives_every_partnership_that_adopted_the_measure_a_new_board_version():
    admins = []
    for area in (SOUTHEND, THURROCK):
        partnership = PartnershipFactory(ons_code=area[0])
        admin = member(Role.ADMIN, OrganisationFactory(partnership=partnership))
        national_indicator_adopt(user=admin, partnership=partnership, code="SEN2_ISSUED_20_WEEKS_PC")
        admins.append((admin, partnership))
    (uploader, uploaders_partnership), (_, other) = admins
    before = {p.pk: board_version(p) for _, p in admins}

    national_statistics_import(
        user=uploader,
        partnership=uploaders_partnership,
        file_name="timeliness_20_week.csv",
        stream=io.BytesIO(csv_bytes(TIMELINESS_HEADER, timeliness_rows("2024"))),
    )

    assert board_version(uploaders_partnership) != before[uploaders_partnership.pk]
    assert board_version(other) != before[other.pk]


def test_an_address_with_parameters_the_board_does_not_read_is_drawn_and_not_kept(site, client):
    sign_in(client, site.board)
    client.get(reverse("boards:overview") + "?utm_source=email")
    client.get(reverse("boards:overview") + "?utm_source=email")
    assert not any(":board-page:" in key for key in cache._cache)

    client.get(reverse("boards:overview") + "?as_at=2026-01")
    assert sum(":board-page:" in key for key in cache._cache) == 1


def test_a_new_release_draws_the_board_pages_afresh_rather_than_serve_the_last_releases_drawings(
    site, client, django_assert_num_queries
):
    sign_in(client, site.board)
    url = reverse("boards:overview")
    client.get(url)
    with django_assert_num_queries(4):
        client.get(url)  # this release's drawing

    with mock.patch("core.pagecache.release", return_value="the-next-release"):
        with CaptureQueriesContext(connection) as drawn:
            client.get(url)
        with django_assert_num_queries(4):
            client.get(url)  # the next release's own drawing, kept in its turn

    assert len(drawn.captured_queries) > 4


def test_a_release_is_a_digest_of_what_the_drawings_are_made_from_by_name_and_content(tmp_path):
    templates = tmp_path / "templates"
    (templates / "board").mkdir(parents=True)
    page = templates / "board" / "page.html"
    page.write_text("<h1>{{ title }}</h1>")
    (templates / "board" / "__pycache__").mkdir()
    first = pagecache.digest_of([templates])

    (templates / "board" / "__pycache__" / "page.cpython-311.pyc").write_bytes(b"\0compiled")
    assert pagecache.digest_of([templates]) == first  # Python's own caches are not what pages are drawn from
    page.touch()
    assert pagecache.digest_of([templates]) == first  # a file's date is not a change
    page.write_text("<h1 class='govuk-heading-l'>{{ title }}</h1>")
    changed = pagecache.digest_of([templates])
    assert changed != first
    page.rename(templates / "board" / "renamed.html")
    assert pagecache.digest_of([templates]) not in {first, changed}


def test_the_release_reads_the_portals_own_apps_templates_and_static_files_not_its_libraries():
    folders = {path.relative_to(settings.BASE_DIR).as_posix() for path in pagecache.drawn_from()}

    assert {"dashboards", "core", "templates", "static/dist"} <= folders
    assert not any(folder.startswith((".venv", "node_modules", "var", "tests")) for folder in folders)
