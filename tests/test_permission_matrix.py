"""One matrix over the whole URLconf: every URL, every role, GET and POST (TARGETS S2 and S3).

Each URL names who may use it. Signed-in people without the right role get 403; a person of any role in another
partnership gets 404 for this partnership's objects; anonymous visitors are sent to sign in; public pages are
served to everyone. A URL added to the portal without an entry here fails `test_every_url_has_an_entry`.
"""

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Role
from people.tokens import invitation_token
from tests.conftest import sign_in
from tests.factories import member

pytestmark = pytest.mark.django_db

MEMBERS = frozenset({"officer", "other_officer", "lead", "other_lead", "board", "democratic", "admin"})
OFFICERS = frozenset({"officer", "other_officer"})
# Site operators hold no partnership role: every partnership role is refused; tests/people show operators served.
OPERATORS = frozenset({"operator"})
LEADS = frozenset({"lead", "other_lead"})
# A person of each role in another partnership: what they may do there, this partnership's objects do not exist.
STRANGERS = [f"stranger_{role}" for role in Role]
ROLES = ["anonymous", *sorted(MEMBERS), *STRANGERS]
PUBLIC = "public"
SIGNS_OUT = "signs out"  # sign-out's success is the sign-in page, for everyone
SKIPPED_NAMESPACES = {"admin"}  # Django admin: site operators only, tested in tests/core and tests/people


@dataclass(frozen=True)
class Rule:
    """Who may GET and who may POST; None means the method is not allowed (405) for anyone."""

    kwargs: Callable[[SimpleNamespace], dict[str, int | str]] | None
    get: frozenset[str] | str | None
    post: frozenset[str] | str | None
    data: Callable[[SimpleNamespace], dict[str, object]] | None = None
    names_partnership_object: bool = False  # in the POST data rather than the URL


def pk(attribute: str) -> Callable[[SimpleNamespace], dict[str, int | str]]:
    return lambda site: {"pk": getattr(site, attribute).pk}


def only(*roles: str) -> frozenset[str]:
    return frozenset(roles)


def code(site: SimpleNamespace) -> dict[str, str]:
    """A public page's address names the partnership by its ONS code."""
    return {"code": site.partnership.ons_code}


MATRIX: dict[str, Rule] = {
    "home": Rule(None, MEMBERS, MEMBERS),
    "login": Rule(None, PUBLIC, PUBLIC),
    "logout": Rule(None, None, SIGNS_OUT),
    "two_factor_verify": Rule(None, MEMBERS, MEMBERS),
    "two_factor_setup": Rule(None, MEMBERS, MEMBERS),
    "two_factor_recovery_codes": Rule(None, MEMBERS, None),
    "keep_alive": Rule(None, None, MEMBERS),
    "accessibility": Rule(None, PUBLIC, None),
    "health": Rule(None, PUBLIC, None),
    "core:organisations": Rule(None, MEMBERS, MEMBERS),
    "core:organisation_detail": Rule(pk("council"), MEMBERS, MEMBERS),
    "core:switch_partnership": Rule(
        None, None, MEMBERS, data=lambda s: {"partnership": s.partnership.pk}, names_partnership_object=True
    ),
    "actions:plan": Rule(None, MEMBERS, None),
    "actions:mine": Rule(None, OFFICERS | {"admin"}, None),
    "actions:review_queue": Rule(None, only("lead", "other_lead", "admin"), None),
    "actions:missing": Rule(None, only("lead", "other_lead", "admin"), None),
    "actions:export_csv": Rule(None, MEMBERS, None),
    "actions:export_xlsx": Rule(None, MEMBERS, None),
    "actions:recommendation": Rule(pk("recommendation"), MEMBERS, None),
    "actions:recommendation_lead": Rule(pk("recommendation"), only("admin"), only("admin")),
    "actions:add_action": Rule(pk("recommendation"), only("admin"), only("admin")),
    "actions:versions": Rule(None, MEMBERS, None),
    "actions:rag_scale": Rule(None, only("admin"), None),
    "actions:rag_level_edit": Rule(pk("rag_level"), only("admin"), only("admin")),
    "actions:version": Rule(pk("plan_version"), MEMBERS, None),
    "actions:action": Rule(pk("action"), MEMBERS, None),
    "actions:history": Rule(pk("action"), MEMBERS, None),
    "actions:update": Rule(pk("action"), only("officer", "admin"), only("officer", "admin")),
    "actions:edit": Rule(pk("action"), only("admin"), only("admin")),
    "actions:replan": Rule(pk("action"), only("admin"), only("admin")),
    "actions:add_milestone": Rule(pk("action"), only("admin"), only("admin")),
    "actions:change_milestone": Rule(pk("milestone"), only("admin"), only("admin")),
    "actions:remove_milestone": Rule(pk("milestone"), only("admin"), only("admin")),
    "actions:check": Rule(pk("draft_update"), only("officer", "admin"), only("officer", "admin")),
    "actions:review": Rule(pk("submitted_update"), only("lead", "admin"), only("lead", "admin")),
    # The fixture evidence belongs to a draft: its organisation and lead see it, nobody else until submitted.
    "actions:evidence": Rule(pk("evidence"), only("officer", "lead", "admin"), None),
    "actions:evidence_remove": Rule(pk("evidence"), None, only("officer", "admin")),
    "sef:index": Rule(None, MEMBERS, None),
    "sef:start_draft": Rule(None, None, only("lead", "other_lead", "admin")),
    "sef:compare": Rule(None, MEMBERS, None),
    "sef:framework": Rule(None, MEMBERS, None),
    "sef:judgement_level_add": Rule(None, only("admin"), only("admin")),
    "sef:judgement_level_edit": Rule(pk("judgement_level"), only("admin"), only("admin")),
    "sef:judgement_level_remove": Rule(pk("judgement_level"), only("admin"), only("admin")),
    "sef:version": Rule(pk("sef_draft"), MEMBERS, None),
    "sef:part_a": Rule(pk("sef_draft"), MEMBERS, None),
    "sef:section_edit": Rule(
        lambda s: {"pk": s.sef_draft.pk, "order": 1},
        only("lead", "other_lead", "admin"),
        only("lead", "other_lead", "admin"),
    ),
    "sef:area": Rule(lambda s: {"pk": s.sef_draft.pk, "number": 1}, MEMBERS, None),
    "sef:area_edit": Rule(
        lambda s: {"pk": s.sef_draft.pk, "number": 1},
        only("lead", "other_lead", "admin"),
        only("lead", "other_lead", "admin"),
    ),
    "sef:part_c": Rule(pk("sef_draft"), MEMBERS, None),
    "sef:priority_edit": Rule(
        lambda s: {"pk": s.sef_draft.pk, "number": 1, "order": 1},
        only("lead", "other_lead", "admin"),
        only("lead", "other_lead", "admin"),
    ),
    "sef:links": Rule(pk("sef_draft"), MEMBERS, None),
    "sef:print": Rule(pk("sef_draft"), MEMBERS, None),
    "sef:export_csv": Rule(pk("sef_draft"), MEMBERS, None),
    "sef:export_xlsx": Rule(pk("sef_draft"), MEMBERS, None),
    "sef:readiness": Rule(pk("sef_draft"), MEMBERS, None),
    "sef:submit": Rule(
        pk("sef_draft"), only("lead", "other_lead", "admin"), only("lead", "other_lead", "admin")
    ),
    "sef:agree": Rule(pk("sef_submitted"), only("democratic", "admin"), only("democratic", "admin")),
    "kpis:indicators": Rule(None, MEMBERS, MEMBERS),
    "kpis:indicator_create": Rule(None, only("admin"), only("admin")),
    "kpis:indicator": Rule(pk("indicator"), MEMBERS, MEMBERS),
    "kpis:indicator_edit": Rule(pk("indicator"), only("admin"), only("admin")),
    "kpis:comparator_create": Rule(pk("indicator"), only("admin"), only("admin")),
    "kpis:return_enter": Rule(
        lambda s: {"pk": s.indicator.pk, "period_pk": s.return_period.pk}, only("officer"), only("officer")
    ),
    "kpis:return_check": Rule(
        lambda s: {"pk": s.indicator.pk, "period_pk": s.return_period.pk}, only("officer"), only("officer")
    ),
    "kpis:returns_due": Rule(None, OFFICERS, OFFICERS),
    "kpis:upload": Rule(None, OFFICERS, OFFICERS),
    "kpis:upload_preview": Rule(None, OFFICERS, OFFICERS),
    "kpis:upload_cancel": Rule(None, OFFICERS, OFFICERS),
    "kpis:template_csv": Rule(None, OFFICERS, None),
    "kpis:template_xlsx": Rule(None, OFFICERS, None),
    "kpis:verify_list": Rule(None, only("lead", "other_lead", "admin"), only("lead", "other_lead", "admin")),
    "kpis:verify_return": Rule(
        pk("kpi_return"), only("lead", "other_lead", "admin"), only("lead", "other_lead", "admin")
    ),
    "kpis:periods": Rule(None, only("admin"), only("admin")),
    "kpis:period_create": Rule(None, only("admin"), only("admin")),
    "kpis:period_close": Rule(pk("return_period"), None, only("admin")),
    "kpis:export": Rule(None, MEMBERS, MEMBERS),
    "kpis:export_csv": Rule(None, MEMBERS, None),
    "kpis:export_xlsx": Rule(None, MEMBERS, None),
    "kpis:export_json": Rule(None, MEMBERS, None),
    "kpis:national_statistics": Rule(None, only("admin"), only("admin")),
    "kpis:national_statistics_check": Rule(None, only("admin"), only("admin")),
    "kpis:national_statistics_cancel": Rule(None, None, only("admin")),
    "kpis:national_statistics_import": Rule(pk("statistics_import"), only("admin"), None),
    "kpis:national_library": Rule(
        None, only("admin"), only("admin"), data=lambda site: {"measure": "SEN2_REQUESTS"}
    ),
    "kpis:statistical_neighbours": Rule(None, only("admin"), only("admin")),
    "kpis:statistical_neighbours_import": Rule(None, None, only("admin")),
    "reports:index": Rule(None, only("board", "lead", "other_lead", "democratic", "admin"), None),
    "reports:meeting_create": Rule(None, only("democratic", "admin"), only("democratic", "admin")),
    "reports:meeting": Rule(pk("meeting"), only("board", "lead", "other_lead", "democratic", "admin"), None),
    "reports:meeting_edit": Rule(pk("meeting"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:meeting_cancel": Rule(pk("meeting"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:meeting_delete": Rule(pk("meeting"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:narrative": Rule(pk("meeting"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:redraft": Rule(pk("meeting"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:sections": Rule(
        pk("scrutiny_meeting"), only("democratic", "admin"), only("democratic", "admin")
    ),
    "reports:build": Rule(pk("meeting"), None, only("democratic", "admin")),
    "reports:pack": Rule(pk("pack"), only("board", "lead", "other_lead", "democratic", "admin"), None),
    "reports:pack_status": Rule(pk("pack"), only("board", "lead", "other_lead", "democratic", "admin"), None),
    "reports:retry": Rule(pk("pack"), None, only("democratic", "admin")),
    "reports:publish": Rule(pk("pack"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:front_sheet": Rule(None, only("admin"), only("admin")),
    "reports:changes": Rule(pk("pack"), only("board", "lead", "other_lead", "democratic", "admin"), None),
    "reports:pdf": Rule(pk("pack"), only("board", "lead", "other_lead", "democratic", "admin"), None),
    "reports:html": Rule(pk("pack"), only("board", "lead", "other_lead", "democratic", "admin"), None),
    "reports:appendices": Rule(pk("meeting"), only("democratic", "admin"), None),
    "reports:appendix_add": Rule(pk("meeting"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:appendix_upload": Rule(pk("meeting"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:appendix_rename": Rule(pk("appendix"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:appendix_replace": Rule(
        pk("appendix"), only("democratic", "admin"), only("democratic", "admin")
    ),
    "reports:appendix_move": Rule(
        pk("appendix"), None, only("democratic", "admin"), data=lambda site: {"direction": "down"}
    ),
    "reports:appendix_remove": Rule(pk("appendix"), only("democratic", "admin"), only("democratic", "admin")),
    "reports:pack_attachment": Rule(
        lambda site: {"pk": site.pack.pk, "number": 1},
        only("board", "lead", "other_lead", "democratic", "admin"),
        None,
    ),
    "reports:governance": Rule(None, only("board", "lead", "other_lead", "democratic", "admin"), None),
    "reports:governance_add": Rule(None, only("democratic", "admin"), only("democratic", "admin")),
    "reports:governance_document": Rule(
        pk("governance_document"), only("board", "lead", "other_lead", "democratic", "admin"), None
    ),
    "reports:governance_edit": Rule(
        pk("governance_body"), only("democratic", "admin"), only("democratic", "admin")
    ),
    "reports:governance_remove": Rule(
        pk("governance_body"), only("democratic", "admin"), only("democratic", "admin")
    ),
    "risks:index": Rule(None, MEMBERS, None),
    "risks:add": Rule(None, only("lead", "other_lead", "admin"), only("lead", "other_lead", "admin")),
    "risks:matrix": Rule(None, only("admin"), only("admin")),
    "risks:export_csv": Rule(None, MEMBERS, None),
    "risks:export_xlsx": Rule(None, MEMBERS, None),
    "risks:risk": Rule(pk("risk"), MEMBERS, None),
    # The fixture risk is owned by the lead: its owner and admins change it, nobody else.
    "risks:edit": Rule(pk("risk"), only("lead", "admin"), only("lead", "admin")),
    "risks:rescore": Rule(pk("risk"), only("lead", "admin"), only("lead", "admin")),
    "risks:escalate": Rule(pk("risk"), only("lead", "admin"), only("lead", "admin")),
    "risks:close": Rule(pk("risk"), only("lead", "admin"), only("lead", "admin")),
    "risks:reopen": Rule(pk("closed_risk"), only("lead", "admin"), only("lead", "admin")),
    "boards:overview": Rule(None, MEMBERS, None),
    "boards:recommendation": Rule(pk("recommendation"), MEMBERS, None),
    "boards:recommendation_csv": Rule(pk("recommendation"), MEMBERS, None),
    "boards:recommendation_xlsx": Rule(pk("recommendation"), MEMBERS, None),
    "boards:indicator": Rule(pk("indicator"), MEMBERS, None),
    "boards:indicator_csv": Rule(pk("indicator"), MEMBERS, None),
    "password_reset": Rule(None, PUBLIC, PUBLIC),
    "password_reset_sent": Rule(None, PUBLIC, None),
    "password_reset_confirm": Rule(lambda site: {"uidb64": "MQ", "token": "not-a-token"}, PUBLIC, PUBLIC),
    "password_reset_complete": Rule(None, PUBLIC, None),
    "people:index": Rule(None, only("admin"), None),
    "people:invite": Rule(None, only("admin"), only("admin")),
    "people:person": Rule(pk("officer"), only("admin"), None),
    "people:change_roles": Rule(pk("officer"), only("admin"), only("admin")),
    "people:deactivate": Rule(pk("officer"), only("admin"), only("admin")),
    "people:reactivate": Rule(pk("officer"), only("admin"), only("admin")),
    "people:reset_two_factor": Rule(pk("officer"), only("admin"), only("admin")),
    "people:unlock": Rule(pk("officer"), only("admin"), only("admin")),
    "people:invitation_resend": Rule(pk("invitation"), None, only("admin")),
    "people:invitation_revoke": Rule(pk("invitation"), only("admin"), only("admin")),
    "people:organisation_add": Rule(None, only("admin"), only("admin")),
    "people:organisation_rename": Rule(pk("council"), only("admin"), only("admin")),
    "people:organisation_deactivate": Rule(pk("council"), only("admin"), only("admin")),
    "people:organisation_reactivate": Rule(pk("council"), only("admin"), only("admin")),
    "people:join": Rule(lambda site: {"token": invitation_token(site.invitation)}, PUBLIC, PUBLIC),
    "people:sso_start": Rule(pk("identity_provider"), PUBLIC, None),
    "people:sso_callback": Rule(None, PUBLIC, None),
    "people:sso_refused": Rule(None, PUBLIC, None),
    "people:partnerships": Rule(None, OPERATORS, None),
    "people:partnership_create": Rule(None, OPERATORS, OPERATORS),
    # Public pages: everyone, signed in or not (tests/public holds what each shows and hides).
    "public:index": Rule(None, PUBLIC, None),
    "public:home": Rule(code, PUBLIC, None),
    "public:plan": Rule(code, PUBLIC, None),
    "public:years": Rule(code, PUBLIC, None),
    "public:indicators": Rule(code, PUBLIC, None),
    "public:packs": Rule(code, PUBLIC, None),
    "public:pack_pdf": Rule(lambda s: {**code(s), "pk": s.pack.pk}, PUBLIC, None),
    "public:pack_html": Rule(lambda s: {**code(s), "pk": s.pack.pk}, PUBLIC, None),
    "public:pack_attachment": Rule(lambda s: {**code(s), "pk": s.pack.pk, "number": 1}, PUBLIC, None),
    "public:easy_read": Rule(code, PUBLIC, None),
    "public:feedback": Rule(code, PUBLIC, PUBLIC),
    "public:feedback_sent": Rule(code, PUBLIC, None),
    "public:you_said": Rule(code, PUBLIC, None),
    "public:data": Rule(code, PUBLIC, None),
    "public:dataset": Rule(lambda s: {**code(s), "name": "actions"}, PUBLIC, None),
    "public:dataset_csv": Rule(lambda s: {**code(s), "name": "actions"}, PUBLIC, None),
    "public:dataset_json": Rule(lambda s: {**code(s), "name": "indicator-values"}, PUBLIC, None),
    "public:choices": Rule(None, only("admin"), only("admin")),
    "public:moderation": Rule(None, only("admin"), None),
    "public:moderate": Rule(pk("feedback"), only("admin"), None),
    "public:reply": Rule(pk("feedback"), None, only("admin")),
    "public:publish": Rule(pk("feedback"), None, only("admin")),
    "public:archive": Rule(pk("feedback"), None, only("admin")),
    "public:tokens": Rule(None, MEMBERS, MEMBERS),
    # The token is the officer's: its holder or the partnership admin may revoke it.
    "public:token_revoke": Rule(pk("api_token"), None, only("officer", "admin")),
    # The read API: public data for everyone; a partnership's own data only with a token (never a session),
    # so every role here gets 401 (tests/public/test_api.py holds the token-scope matrix).
    "api:api-root": Rule(None, None, None),  # the root the API names its addresses from; nothing is there
    "public:openapi": Rule(None, PUBLIC, None),
    "public:api_reference": Rule(None, PUBLIC, None),
    "api:partnerships": Rule(None, PUBLIC, None),
    "api:partnership": Rule(code, PUBLIC, None),
    "api:actions": Rule(code, PUBLIC, None),
    "api:statuses": Rule(code, PUBLIC, None),
    "api:indicator_values": Rule(code, PUBLIC, None),
    "api:you_said_we_did": Rule(code, PUBLIC, None),
    "api:own_actions": Rule(None, None, None),
    "api:own_indicators": Rule(None, None, None),
}


def url_names(patterns: list[URLPattern | URLResolver], namespace: str | None = None) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_an_entry():
    names = set(url_names(get_resolver().url_patterns))
    assert names - set(MATRIX) == set(), "add these URLs to the permission matrix"
    assert set(MATRIX) - names == set(), "these matrix entries name no URL"


REFUSED = {"405", "403", "404", "sign-in", "401"}  # 401: the API without a token


def expected(rule_roles: frozenset[str] | str | None, role: str, has_object: bool) -> set[str]:
    """The outcomes that are right for this role."""
    if rule_roles is None:
        return REFUSED  # the method is not allowed: refused one way or another, never served
    if rule_roles == PUBLIC:
        return {"allowed"}  # served to everyone: a public page that asks for sign-in is wrong
    if rule_roles == SIGNS_OUT:
        return {"sign-in"}
    if role == "anonymous":
        return {"sign-in"}
    if role in STRANGERS:
        if may_in_their_own_partnership(rule_roles, role.removeprefix("stranger_")):
            return {"404"} if has_object else {"allowed"}
        # Refused for their role before the object is looked up, or not found: neither tells them it exists.
        return {"403", "404"} if has_object else {"403"}
    return {"allowed"} if role in rule_roles else {"403"}


def may_in_their_own_partnership(rule_roles: frozenset[str], role: str) -> bool:
    """Whether someone of the role may use the URL at home, where no organisation or recommendation is theirs."""
    return role in rule_roles or f"other_{role}" in rule_roles


def outcome(status: int, location: str) -> str:
    if status in (401, 405):
        return str(status)
    if status == 302 and location.split("?")[0] == reverse("login"):
        return "sign-in"
    if status in (403, 404):
        return str(status)
    if status >= 500:
        return "500"
    return "allowed"


@pytest.fixture(scope="module")
def everyone(module_site):
    """The site, a person of each role in another partnership (which has a plan of its own), and each role's
    client, signed in.

    Made once for the module, in module_site's transaction; each request is rolled back after it (request_as).
    """
    elsewhere = module_site.stranger.memberships.get().organisation
    strangers = {f"stranger_{role}": member(role, elsewhere) for role in Role if role != Role.ADMIN}
    people = SimpleNamespace(**vars(module_site), stranger_admin=module_site.stranger, **strangers)
    people.clients = {
        role: Client() if role == "anonymous" else sign_in(Client(), getattr(people, role)) for role in ROLES
    }
    return people


def request_as(client: Client, method: str, url: str, data: dict[str, object]) -> tuple[int, str]:
    # Every request is rolled back, and the client keeps its cookies, so one role's POST (a sign-out, a new
    # session at the code step) does not change what the next request meets.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response.status_code, response.get("Location", "")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_url_answers_each_role_as_the_matrix_says(everyone, name):
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(everyone) if rule.kwargs else None)
    data = rule.data(everyone) if rule.data else {}
    wrong = []
    for method, allowed in (("GET", rule.get), ("POST", rule.post)):
        for role in ROLES:
            status, location = request_as(everyone.clients[role], method, url, data)
            want = expected(allowed, role, rule.kwargs is not None or rule.names_partnership_object)
            got = outcome(status, location)
            if got not in want:
                wrong.append(f"{method} as {role}: wanted {want}, got {status} {location}")
    assert not wrong, f"{url}\n" + "\n".join(wrong)


# Tables a GET may write to: the session, the audit trail of downloads, sign-in bookkeeping.
WRITABLE_BY_GET = {
    "sessions.session",
    "core.auditevent",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


def stored_rows() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table a GET must leave alone, so that a changed field shows as well as a new row.

    Read in plain SQL: the ORM took four times as long, and three suites call this before and after each request.
    """
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.label_lower in WRITABLE_BY_GET or not model._meta.managed:
                continue
            table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {key}")  # noqa: S608 (names from the models)
            rows[model._meta.label_lower] = cursor.fetchall()
    return rows


def first_allowed(roles: frozenset[str] | str) -> str:
    return "officer" if roles in (PUBLIC, SIGNS_OUT) else sorted(roles)[0]


@pytest.mark.parametrize("name", sorted(n for n, rule in MATRIX.items() if rule.post is not None))
def test_every_post_needs_the_csrf_token(module_site, name):
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(module_site) if rule.kwargs else None)
    client = Client(enforce_csrf_checks=True)
    if rule.post != PUBLIC:
        sign_in(client, getattr(module_site, first_allowed(rule.post)))
    before = stored_rows()
    response = client.post(url, rule.data(module_site) if rule.data else {})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert stored_rows() == before
