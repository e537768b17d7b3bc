"""The read API: public data without credentials, a partnership's own data with a scoped, revocable personal
token that reads what its holder's roles read on the pages; throttled, paginated, and tested against its own
OpenAPI document."""

from datetime import date

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from ninja.throttling import AnonRateThrottle

from core.models import AuditEvent, Membership
from public import opendata, services
from public.api import api
from public.models import ApiToken, PublicChoices
from tests.actions.factories import ActionFactory, approved_update
from tests.conftest import public_everything
from tests.factories import PartnershipFactory
from tests.kpis.factories import IndicatorFactory, ReturnFactory
from tests.public.factories import at, pack_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_world(world):
    approved_update(
        world.action, date(2025, 2, 1), "green", commentary="In the pack", reviewed_at=at(date(2025, 3, 3))
    )
    approved_update(
        world.action, date(2025, 3, 1), "red", commentary="Approved since", reviewed_at=at(date(2025, 4, 9))
    )
    shared = IndicatorFactory(owner_organisation=world.council, title="Plans issued within 20 weeks")
    restricted = IndicatorFactory(
        owner_organisation=world.council,
        title="Complaints upheld",
        restricted=True,
        visible_to_roles=["lead"],
    )
    ReturnFactory(
        indicator=shared,
        value=61,
        reference_date=date(2025, 2, 28),
        submitted_by=world.officer,
        submitted_at=at(date(2025, 3, 5)),
    )
    pack_for(world.partnership, cut_off=date(2025, 3, 31))
    public_everything(world.partnership, shared)
    world.shared, world.restricted = shared, restricted
    return world


def token_for(user, partnership, *scopes: str) -> str:
    _, key = services.api_token_create(actor=user, partnership=partnership, name="Test", scopes=list(scopes))
    return key


def get(path: str, key: str | None = None, **params: object):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return Client().get(path, params, **headers)


def test_public_data_needs_no_credentials_and_is_what_the_pack_showed(api_world):
    code = api_world.partnership.ons_code
    about = get(f"/api/v1/partnerships/{code}").json()
    assert about["sections"] == ["plan", "summaries", "indicators", "packs", "easy_read", "feedback"]
    assert about["data_as_at"].startswith("2025-03-31T23:59:59")
    actions = get(f"/api/v1/partnerships/{code}/actions").json()
    row = next(item for item in actions["items"] if item["reference"] == "R2.1")
    assert (row["status"], row["commentary"]) == ("Green", "In the pack")
    assert get(f"/api/v1/partnerships/{code}/indicator-values").json()["items"][0]["value"] == "61"
    assert get("/api/v1/partnerships/E99999999").status_code == 404


def test_answers_come_a_page_at_a_time(api_world):
    for number in range(5):
        ActionFactory(recommendation=api_world.recommendation, reference=f"R2.{number + 5}")
    path = f"/api/v1/partnerships/{api_world.partnership.ons_code}/actions"
    first = get(path, page_size=3).json()
    second = get(path, page_size=3, page=2).json()
    assert first["count"] == second["count"] == 7
    assert len(first["items"]) == 3 and len(second["items"]) == 3
    assert {i["reference"] for i in first["items"]}.isdisjoint({i["reference"] for i in second["items"]})


def test_the_list_of_partnerships_reads_their_last_packs_in_a_fixed_number_of_queries(
    api_world, django_assert_max_num_queries
):
    def listed() -> dict[str, str | None]:
        cache.clear()  # a fresh throttle count for each request
        return {item["code"]: item["pack_published"] for item in get("/api/v1/partnerships").json()["items"]}

    # The partnerships with their last packs' keys, then those packs.
    with django_assert_max_num_queries(2):
        assert listed()[api_world.partnership.ons_code] is not None
    for number in range(6):
        partnership = PartnershipFactory()
        public_everything(partnership)
        pack_for(partnership, cut_off=date(2025, 1, 31), meeting_date=date(2025, 2, number + 1))
        if number % 2:  # a newer meeting's pack is the one described
            newest = pack_for(partnership, cut_off=date(2025, 3, 31))
            newest.published_at = at(date(2025, 4, 2))
            newest.save(update_fields=["published_at"])
    PublicChoices.objects.create(partnership=PartnershipFactory(), show_plan=True)  # publishes, no pack yet
    with django_assert_max_num_queries(2):
        shown = listed()
    assert len(shown) == 8 and sum(value is None for value in shown.values()) == 1
    assert sum(value == "2025-04-02" for value in shown.values()) == 3


# The token-scope matrix: who, with which token, reads which of a partnership's own endpoints.
OWN = {"actions": "/api/v1/own/actions", "indicators": "/api/v1/own/indicators"}


@pytest.mark.parametrize(
    ("holder", "scopes", "endpoint", "status"),
    [
        ("officer", ["actions"], "actions", 200),
        ("officer", ["actions"], "indicators", 403),
        ("board", ["indicators"], "indicators", 200),
        ("board", ["indicators"], "actions", 403),
        ("admin", ["actions", "indicators"], "actions", 200),
        ("admin", ["actions", "indicators"], "indicators", 200),
        ("stranger", ["actions", "indicators"], "actions", 200),
    ],
)
def test_a_token_reads_only_the_scopes_it_holds(api_world, holder, scopes, endpoint, status):
    user = getattr(api_world, holder)
    partnership = Membership.objects.filter(user=user).first().partnership
    response = get(OWN[endpoint], token_for(user, partnership, *scopes))
    assert response.status_code == status
    if holder == "stranger" and status == 200:  # their own partnership's actions, never this one's
        assert "R2.1" not in response.content.decode()


def test_without_a_valid_token_own_data_answers_401(api_world, signed_in):
    for endpoint in OWN.values():
        assert get(endpoint).status_code == 401
        assert get(endpoint, "sp_not-a-real-token").status_code == 401
        assert signed_in(api_world.admin).get(endpoint).status_code == 401  # a session is not a token


def test_own_actions_show_the_latest_approved_status_to_members(api_world):
    rows = get(OWN["actions"], token_for(api_world.officer, api_world.partnership, "actions")).json()["items"]
    row = next(item for item in rows if item["reference"] == "R2.1")
    assert (row["status"], row["commentary"]) == ("Red", "Approved since")


def test_own_indicators_follow_the_holders_roles(api_world):
    board = get(OWN["indicators"], token_for(api_world.board, api_world.partnership, "indicators")).json()
    lead = get(OWN["indicators"], token_for(api_world.lead, api_world.partnership, "indicators")).json()
    assert [i["title"] for i in board["items"]] == ["Plans issued within 20 weeks"]
    assert "Complaints upheld" in [i["title"] for i in lead["items"]]
    assert "code" in board["items"][0] and board["items"][0]["latest_value"] == "61%"


def test_own_indicators_are_read_by_title_where_postgresql_plans_the_list_for_its_values(api_world):
    """The same read as the indicators page (kpis.selectors.indicator_list), whose kept plan fits no partnership."""
    key = token_for(api_world.lead, api_world.partnership, "indicators")
    with CaptureQueriesContext(connection) as read:
        titles = [i["title"] for i in get(OWN["indicators"], key).json()["items"]]
    statements = [query["sql"] for query in read.captured_queries]
    set_at = statements.index("SET LOCAL plan_cache_mode = force_custom_plan")
    assert set_at < next(i for i, sql in enumerate(statements) if "latest_shown_id" in sql)
    assert len(titles) > 1 and titles == sorted(titles)


def test_own_indicators_word_a_missing_or_small_figure_as_the_pages_do(api_world):
    appeals = IndicatorFactory(
        owner_organisation=api_world.council,
        title="Appeals lodged",
        unit="count",
        suppress_small_numbers=True,
    )
    ReturnFactory(
        indicator=appeals,
        value=3,
        reference_date=date(2025, 2, 28),
        submitted_by=api_world.officer,
        submitted_at=at(date(2025, 3, 5)),
    )
    lead = get(OWN["indicators"], token_for(api_world.lead, api_world.partnership, "indicators")).json()
    shown = {i["title"]: i["latest_value"] for i in lead["items"]}
    assert shown["Complaints upheld"] == "No figure given"
    assert shown["Appeals lodged"] == "fewer than 5"
    assert shown["Plans issued within 20 weeks"] == "61%"


def test_a_revoked_token_and_a_token_of_someone_who_left_open_nothing(api_world, signed_in):
    key = token_for(api_world.officer, api_world.partnership, "actions")
    token = ApiToken.objects.get(key_hash=services.token_hash(key))
    assert get(OWN["actions"], key).status_code == 200
    assert token.__class__.objects.get(pk=token.pk).last_used_at is not None
    response = signed_in(api_world.officer).post(reverse("public:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert get(OWN["actions"], key).status_code == 401
    assert (
        AuditEvent.objects.filter(object_type="public.apitoken", verb__in=["created", "revoked"]).count() == 2
    )
    other = token_for(api_world.board, api_world.partnership, "indicators")
    Membership.objects.filter(user=api_world.board).delete()
    assert get(OWN["indicators"], other).status_code == 401


def test_an_admin_may_revoke_a_token_another_member_holds_and_nobody_else_may(api_world, signed_in):
    key = token_for(api_world.officer, api_world.partnership, "actions")
    token = ApiToken.objects.get(key_hash=services.token_hash(key))
    assert signed_in(api_world.lead).post(reverse("public:token_revoke", args=[token.pk])).status_code == 403
    assert signed_in(api_world.admin).post(reverse("public:token_revoke", args=[token.pk])).status_code == 302
    assert get(OWN["actions"], key).status_code == 401


def test_every_member_finds_their_tokens_beside_their_name_and_nobody_signed_out_does(world, signed_in):
    link = f'<a class="app-header__link" href="{reverse("public:tokens")}">Your API tokens</a>'
    for member in (world.officer, world.board, world.admin):
        assert link in signed_in(member).get(reverse("home")).content.decode()
    assert "Your API tokens" not in Client().get(reverse("login")).content.decode()


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(api_world, signed_in):
    client = signed_in(api_world.board)
    response = client.post(reverse("public:tokens"), {"name": "Monthly report", "scopes": ["indicators"]})
    key = response.context["new_key"]
    assert key.startswith("sp_") and key in response.content.decode()
    token = ApiToken.objects.get(name="Monthly report")
    assert token.key_hash == services.token_hash(key) and key not in str(vars(token))
    assert key not in client.get(reverse("public:tokens")).content.decode()
    refused = client.post(reverse("public:tokens"), {"name": ""})
    assert (
        refused.status_code == 400 and refused.content.decode().count("Select what the token may read") == 2
    )


def test_too_many_requests_from_one_address_are_throttled(api_world, monkeypatch):
    # The configured allowance (settings.API_RATE_ANONYMOUS) made small, so the minute's window cannot pass
    # while a busy machine answers the requests.
    anonymous = next(throttle for throttle in api.throttle if isinstance(throttle, AnonRateThrottle))
    monkeypatch.setattr(anonymous, "num_requests", 5)
    path = f"/api/v1/partnerships/{api_world.partnership.ons_code}"
    statuses = [Client().get(path).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    key = token_for(api_world.admin, api_world.partnership, "actions")
    assert get(OWN["actions"], key).status_code == 200  # a token has its own, larger allowance


def test_the_openapi_document_describes_every_endpoint(db):
    document = Client().get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/partnerships",
        "/api/v1/partnerships/{code}",
        "/api/v1/partnerships/{code}/actions",
        "/api/v1/partnerships/{code}/statuses",
        "/api/v1/partnerships/{code}/indicator-values",
        "/api/v1/partnerships/{code}/you-said-we-did",
        "/api/v1/own/actions",
        "/api/v1/own/indicators",
    }


def test_a_public_answer_has_its_open_datasets_columns_each_described_as_the_dataset_describes_it(api_world):
    document = Client().get("/api/openapi.json").json()
    code = api_world.partnership.ons_code
    for slug, schema in (
        ("actions", "Action"),
        ("statuses", "Status"),
        ("indicator-values", "IndicatorValue"),
    ):
        columns = opendata.dataset_named(slug).columns
        described = document["components"]["schemas"][schema]["properties"]
        assert {name: field["description"] for name, field in described.items()} == {
            column.name: column.meaning for column in columns
        }
        answered = get(f"/api/v1/partnerships/{code}/{slug}").json()["items"]
        assert answered and all(list(item) == [column.name for column in columns] for item in answered)


def test_the_reference_page_describes_every_address_for_people_without_signing_in(db):
    document = Client().get("/api/openapi.json").json()

    page = " ".join(Client().get(reverse("public:api_reference")).content.decode().split())

    for path, operations in document["paths"].items():
        assert f"GET {path}" in page and escape(operations["get"]["summary"]) in page
    assert (
        escape("The action's reference in the plan, for example R1.2") in page
    )  # a field, as the open data says it
    assert escape("The council's ONS code, for example E06000033") in page  # the address's own part
    assert page.count("Public: no token needed.") == 6
    assert (
        escape("Needs a token that may read: the action plan with each action's latest approved status.")
        in page
    )
    assert "in pages of 100 items" in page and "120 requests a minute" in page


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The portal's WSGI application, served without closing the test's database connection after each request
    (as Django's test client does), so that its answers read this test's data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_answers_as_its_openapi_document_says(api_world, wsgi_in_the_test_transaction):
    """Schemathesis generates requests from the document, valid and not, and checks each answer against it."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_in_the_test_transaction)
    key = token_for(api_world.admin, api_world.partnership, "actions", "indicators")
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis.settings(
            max_examples=25, deadline=None, suppress_health_check=list(hypothesis.HealthCheck)
        )
        @hypothesis.given(case=operation.as_strategy())
        def answers_as_documented(case: schemathesis.Case) -> None:
            cache.clear()  # the throttle would otherwise answer the generated requests with 429
            case.call_and_validate()

        answers_as_documented()
        # The partnership that publishes, and a token, so that real answers are checked as well as refusals.
        known = schema.make_case(
            operation=operation,
            path_parameters={"code": api_world.partnership.ons_code} if "{code}" in operation.path else None,
            headers={"Authorization": f"Bearer {key}"},
        )
        assert known.call_and_validate().status_code == 200
        checked.append(operation.label)
    assert len(checked) == 8


def test_a_breakdown_in_the_public_values_says_which_group_it_is_for_and_the_own_indicators_stay_headline(
    api_world,
):
    shared = api_world.shared
    shared.breakdown_topic = "Primary need"
    shared.save()
    ReturnFactory(
        indicator=shared,
        breakdown="Autistic spectrum disorder",
        value=19,
        reference_date=date(2025, 2, 28),
        submitted_by=api_world.officer,
        submitted_at=at(date(2025, 3, 5)),
    )
    code = api_world.partnership.ons_code

    items = get(f"/api/v1/partnerships/{code}/indicator-values").json()["items"]

    assert [(i["breakdown_topic"], i["breakdown"], i["value"]) for i in items] == [
        ("", "", "61"),
        ("Primary need", "Autistic spectrum disorder", "19"),
    ]
    key = token_for(api_world.admin, api_world.partnership, "indicators")
    own = get("/api/v1/own/indicators", key).json()["items"]
    assert next(i for i in own if i["title"] == "Plans issued within 20 weeks")["latest_value"] == "61%"
