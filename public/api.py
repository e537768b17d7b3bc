"""The read API, version 1: public data without credentials, a partnership's own data with a personal token.

Built on django-ninja (docs/adr/0016-public-pages-and-the-read-api-with-django-ninja.md), which writes the OpenAPI 3 document at
/api/openapi.json from these declarations. Public answers are the same rows as the open data (public.opendata),
so the API, the downloads and the pages cannot disagree; a token reads what its holder's roles read on the pages.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from actions import selectors as action_selectors
from kpis import selectors as kpi_selectors
from kpis.figures import annotated_text
from public import opendata, selectors, services
from public.models import ApiToken, PublicChoices
from reports.models import Pack

PAGE_SIZE = 100

api = NinjaAPI(
    title="SEND partnership portal read API",
    version="1",
    description=(
        "Read-only JSON. Public data needs no credentials and is what each partnership's last published "
        "Board pack showed. A partnership's own data needs a personal API token, sent as "
        "'Authorization: Bearer <token>', and answers with what its holder's roles may see. "
        "Data is published under the Open Government Licence v3.0."
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive docs page loads scripts from elsewhere; the portal serves none
    openapi_url=None,  # served by public.views.openapi, which answers GET only
    throttle=[AnonRateThrottle(settings.API_RATE_ANONYMOUS), AuthRateThrottle(settings.API_RATE_TOKEN)],
)


class TokenAuth(HttpBearer):
    """A personal token that is active, holds the scope, and whose holder is still a member of its partnership."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = selectors.active_token(services.token_hash(token))
        if found is None:
            return None
        if not found.user.is_active or not found.user.has_perm("public.hold_tokens", found.partnership):
            return None
        if self.scope not in found.scopes:
            raise HttpError(403, f"This token may not read {self.scope}")
        services.api_token_used(found, timezone.now())
        return found


class Partnership(Schema):
    code: str
    name: str
    sections: list[str]
    data_as_at: str | None
    pack_published: str | None


class Action(Schema):
    recommendation: str
    recommendation_title: str
    reference: str
    what_we_want: str
    what_we_will_do: str
    due_date: str
    lifecycle: str
    status: str
    status_meaning: str
    status_month: str
    commentary: str


class Status(Schema):
    recommendation: str
    reference: str
    month: str
    status: str
    status_meaning: str
    approved_on: str


class IndicatorValue(Schema):
    indicator_code: str
    indicator_title: str
    unit: str
    period_label: str
    period_start: str
    period_end: str
    reference_date: str
    breakdown_topic: str
    breakdown: str
    value: str
    qualifier: str
    numerator: str
    denominator: str
    suppressed: str
    data_quality: str
    source_document: str


class YouSaidWeDid(Schema):
    you_said: str
    we_did: str
    published: str


class Indicator(Schema):
    code: str
    title: str
    unit: str
    latest_period: str
    latest_value: str


class Problem(Schema):
    detail: str


def sections_of(choices: PublicChoices) -> list[str]:
    return [section for section in selectors.SECTIONS if selectors.section_is_shown(choices, section)]


def describe(choices: PublicChoices, pack: Pack | None) -> dict[str, Any]:
    """A partnership that publishes, with its last published pack."""
    as_at = selectors.pack_data_time(pack)
    return {
        "code": choices.partnership.ons_code,
        "name": choices.partnership.name,
        "sections": sections_of(choices),
        "data_as_at": timezone.localtime(as_at).isoformat() if as_at else None,
        "pack_published": timezone.localdate(pack.published_at).isoformat()
        if pack and pack.published_at
        else None,
    }


def public_rows(code: str, slug: str) -> list[dict[str, str]]:
    _, choices = selectors.public_partnership(code)
    dataset = opendata.dataset_in(choices, slug)
    return dataset.rows(choices, selectors.pack_data_time(selectors.last_published_pack(choices.partnership)))


NOT_FOUND = {404: Problem}


@api.get("/v1/partnerships", response=list[Partnership], tags=["Public"], summary="Partnerships that publish")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def partnerships(request: HttpRequest) -> list[dict[str, Any]]:
    found = list(selectors.publishing_partnerships())
    packs = selectors.last_published_packs(found)
    return [describe(choices, packs.get(choices.last_pack_pk)) for choices in found]  # type: ignore[attr-defined]


@api.get(
    "/v1/partnerships/{code}",
    response={200: Partnership, **NOT_FOUND},
    tags=["Public"],
    summary="One partnership and what it publishes",
)
def partnership(request: HttpRequest, code: str) -> dict[str, Any]:
    partnership, choices = selectors.public_partnership(code)
    return describe(choices, selectors.last_published_pack(partnership))


@api.get(
    "/v1/partnerships/{code}/actions",
    response={200: list[Action], **NOT_FOUND},
    tags=["Public"],
    summary="Actions with their status as the last published Board pack gave it",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def actions(request: HttpRequest, code: str) -> list[dict[str, str]]:
    return public_rows(code, "actions")


@api.get(
    "/v1/partnerships/{code}/statuses",
    response={200: list[Status], **NOT_FOUND},
    tags=["Public"],
    summary="Each action's approved status month by month",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def statuses(request: HttpRequest, code: str) -> list[dict[str, str]]:
    return public_rows(code, "statuses")


@api.get(
    "/v1/partnerships/{code}/indicator-values",
    response={200: list[IndicatorValue], **NOT_FOUND},
    tags=["Public"],
    summary="Values of the indicators the partnership publishes, small counts suppressed",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def indicator_values(request: HttpRequest, code: str) -> list[dict[str, str]]:
    return public_rows(code, "indicator-values")


@api.get(
    "/v1/partnerships/{code}/you-said-we-did",
    response={200: list[YouSaidWeDid], **NOT_FOUND},
    tags=["Public"],
    summary="What families said and what the partnership did, as moderators published it",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def you_said_we_did(request: HttpRequest, code: str) -> list[dict[str, str]]:
    partnership, choices = selectors.public_partnership(code)
    selectors.section_shown(choices, "feedback")
    return [
        {
            "you_said": entry.you_said,
            "we_did": entry.we_did,
            "published": timezone.localdate(entry.published_at).isoformat() if entry.published_at else "",
        }
        for entry in selectors.you_said_we_did(partnership)
    ]


TOKEN_ERRORS = {401: Problem, 403: Problem}


@api.get(
    "/v1/own/actions",
    response={200: list[Action], **TOKEN_ERRORS},
    auth=TokenAuth(ApiToken.Scope.ACTIONS),
    tags=["Your partnership"],
    summary="Your partnership's actions with each latest approved status",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def own_actions(request: HttpRequest) -> list[dict[str, str]]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    found = list(action_selectors.actions_in(token.partnership).order_by("recommendation__number", "order"))
    latest = action_selectors.latest_approved_by_action(token.partnership, found)
    return [opendata.action_record(action.recommendation, action, latest.get(action.pk)) for action in found]


@api.get(
    "/v1/own/indicators",
    response={200: list[Indicator], **TOKEN_ERRORS},
    auth=TokenAuth(ApiToken.Scope.INDICATORS),
    tags=["Your partnership"],
    summary="The indicators your roles may see, with their latest values, small counts suppressed",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def own_indicators(request: HttpRequest) -> list[dict[str, str]]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    rows = []
    for indicator in kpi_selectors.indicator_list(token.partnership, token.user, by="title"):
        rows.append(
            {
                "code": indicator.code,
                "title": indicator.title,
                "unit": indicator.unit,
                "latest_period": indicator.latest_period or "",  # type: ignore[attr-defined] # indicator_list annotates it
                "latest_value": annotated_text(indicator),
            }
        )
    return rows
