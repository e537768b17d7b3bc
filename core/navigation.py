"""The service navigation: each entry names the roles that can use it."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from core.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    description: str


NAVIGATION: list[NavItem] = [
    NavItem(
        "Your actions",
        "actions:mine",
        frozenset({Role.OFFICER, Role.ADMIN}),
        "The actions you own, what is due this month, and what is overdue or re-planned.",
    ),
    NavItem(
        "Review updates",
        "actions:review_queue",
        frozenset({Role.LEAD, Role.ADMIN}),
        "Progress updates waiting for you to approve or return.",
    ),
    NavItem(
        "Missing updates",
        "actions:missing",
        frozenset({Role.LEAD, Role.ADMIN}),
        "Actions with no progress update this month, and who owns them.",
    ),
    NavItem(
        "KPI returns",
        "dashboards:returns_due",
        frozenset({Role.OFFICER}),
        "What your organisation owes this period: enter figures one by one or upload a spreadsheet.",
    ),
    NavItem(
        "Verify returns",
        "dashboards:verify_list",
        frozenset({Role.LEAD, Role.ADMIN}),
        "Returns waiting for a check: mark them verified or query them with the organisation.",
    ),
    NavItem(
        "Board dashboard",
        "boards:overview",
        frozenset(Role),
        "The partnership at a glance: RAG by recommendation, KPIs against comparators, what needs attention.",
    ),
    NavItem(
        "Action plan",
        "actions:plan",
        frozenset(Role),
        "The Strategic Action Plan: the six recommendations and every action, with its current status.",
    ),
    NavItem(
        "Self-evaluation",
        "sef:index",
        frozenset(Role),
        "The partnership's self-evaluation against the area SEND inspection framework, version by version.",
    ),
    NavItem(
        "Indicators",
        "dashboards:indicators",
        frozenset(Role),
        "The partnership's KPIs: their definitions, values, comparators and where each figure came from.",
    ),
    NavItem(
        "Board packs",
        "reports:index",
        frozenset({Role.BOARD, Role.LEAD, Role.DEMOCRATIC, Role.ADMIN}),
        "Health and Wellbeing Board meetings and their report packs, as a PDF and a web page.",
    ),
    NavItem(
        "Organisations and people",
        "core:organisations",
        frozenset(Role),
        "The organisations in the partnership and who works on the plan for each.",
    ),
]


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    roles = request.roles  # type: ignore[attr-defined]
    items: list[dict[str, object]] = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "description": item.description,
            "current": False,
        }
        for item in NAVIGATION
        if roles & item.roles
    ]
    # The current section is the item whose address is the longest start of this page's address.
    matches = [i for i in items if request.path.startswith(str(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(str(i["url"])))["current"] = True
    return items
