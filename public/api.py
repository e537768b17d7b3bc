"""The read API, version 1: public data without credentials, a partnership's own data with a personal token.

Built on django-ninja (docs/adr/0016-public-pages-and-the-read-api-with-django-ninja.md), which writes the OpenAPI 3 document at
/api/openapi.json from these declarations. Public answers are the same rows as the open data (public.opendata),
so the API, the downloads and the pages cannot disagree; a token reads what its holder's roles read on the pages.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle
from pydantic import create_model

from actions import selectors as action_selectors
from kpis import selectors as kpi_selectors
from kpis.figures import annotated_text
from kpis.models import UNIT_NAMES
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
    code: str = Field(
        description="The council's ONS code, which names the partnership in the API's addresses"
    )
    name: str = Field(description="The partnership's name")
    sections: list[str] = Field(description=f"What it publishes, of: {', '.join(selectors.SECTIONS)}")
    data_as_at: str | None = Field(
        description="The time its last published Board pack's data is as at (ISO 8601); null before the first"
    )
    pack_published: str | None = Field(
        description="The day its last Board pack was published (ISO 8601); null before the first"
    )


def rows_of(name: str, slug: str) -> Any:
    """A list of an open dataset's rows as the API answers it: each row's fields are the dataset's columns,
    described as the dataset describes them. The row's schema is named `name` in the OpenAPI document."""
    columns = opendata.dataset_named(slug).columns
    fields: dict[str, Any] = {column.name: (str, Field(description=column.meaning)) for column in columns}
    return list[create_model(name, __base__=Schema, **fields)]  # type: ignore[misc] # a class made at run time


ACTIONS = rows_of("Action", "actions")
STATUSES = rows_of("Status", "statuses")
INDICATOR_VALUES = rows_of("IndicatorValue", "indicator-values")


class YouSaidWeDid(Schema):
    you_said: str = Field(description="What families said, as the partnership's moderators published it")
    we_did: str = Field(description="What the partnership did about it")
    published: str = Field(description="The day it was published (ISO 8601)")


class Indicator(Schema):
    code: str = Field(description="The indicator's code")
    title: str = Field(description="What the indicator measures")
    unit: str = Field(description=f"The unit of its values: {UNIT_NAMES}")
    latest_period: str = Field(description="The period of its latest value, as its source gives it")
    latest_value: str = Field(
        description='Its latest value as the pages show it, "fewer than 5" where a small count is suppressed'
    )


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
CODE = "The council's ONS code, for example E06000033 for Southend-on-Sea"


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
def partnership(request: HttpRequest, code: str = Path(..., description=CODE)) -> dict[str, Any]:
    partnership, choices = selectors.public_partnership(code)
    return describe(choices, selectors.last_published_pack(partnership))


@api.get(
    "/v1/partnerships/{code}/actions",
    response={200: ACTIONS, **NOT_FOUND},
    tags=["Public"],
    summary="Actions with their status as the last published Board pack gave it",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def actions(request: HttpRequest, code: str = Path(..., description=CODE)) -> list[dict[str, str]]:
    return public_rows(code, "actions")


@api.get(
    "/v1/partnerships/{code}/statuses",
    response={200: STATUSES, **NOT_FOUND},
    tags=["Public"],
    summary="Each action's approved status month by month",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def statuses(request: HttpRequest, code: str = Path(..., description=CODE)) -> list[dict[str, str]]:
    return public_rows(code, "statuses")


@api.get(
    "/v1/partnerships/{code}/indicator-values",
    response={200: INDICATOR_VALUES, **NOT_FOUND},
    tags=["Public"],
    summary="Values of the indicators the partnership publishes, small counts suppressed",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def indicator_values(request: HttpRequest, code: str = Path(..., description=CODE)) -> list[dict[str, str]]:
    return public_rows(code, "indicator-values")


@api.get(
    "/v1/partnerships/{code}/you-said-we-did",
    response={200: list[YouSaidWeDid], **NOT_FOUND},
    tags=["Public"],
    summary="What families said and what the partnership did, as moderators published it",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def you_said_we_did(request: HttpRequest, code: str = Path(..., description=CODE)) -> list[dict[str, str]]:
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
    response={200: ACTIONS, **TOKEN_ERRORS},
    auth=TokenAuth(ApiToken.Scope.ACTIONS),
    description=f"Needs a token that may read: {ApiToken.Scope.ACTIONS.label.lower()}.",
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
    description=f"Needs a token that may read: {ApiToken.Scope.INDICATORS.label.lower()}.",
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


# The reference page (/api/docs/), read from the OpenAPI document so that it cannot disagree with the API


@dataclass(frozen=True)
class Endpoint:
    """One address of the API, as a person writing a program against it reads it."""

    summary: str
    path: str
    description: str
    needs_token: bool
    paged: bool
    parameters: list[tuple[str, str]]  # the address's own parameters: name and meaning
    fields: list[tuple[str, str]]  # the fields of what it answers: name and meaning


def answer_schema(document: dict[str, Any], operation: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema of one item the operation answers with, and whether it comes in pages of items."""
    schemas = document["components"]["schemas"]
    schema = schemas[
        operation["responses"][200]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    ]
    items = schema["properties"].get("items", {}).get("items")
    if items:
        return schemas[items["$ref"].split("/")[-1]], True
    return schema, False


def endpoints(document: dict[str, Any]) -> list[Endpoint]:
    found = []
    for path, operations in document["paths"].items():
        operation = operations["get"]
        schema, paged = answer_schema(document, operation)
        found.append(
            Endpoint(
                summary=operation["summary"],
                path=path,
                description=operation.get("description", ""),
                needs_token=bool(operation.get("security")),
                paged=paged,
                parameters=[
                    (parameter["name"], parameter["description"])
                    for parameter in operation.get("parameters", [])
                    if parameter["in"] == "path"
                ],
                fields=[(name, field.get("description", "")) for name, field in schema["properties"].items()],
            )
        )
    return found
