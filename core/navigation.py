"""The service navigation: each entry names the permission (django-rules) that opens it.

The home page lists every entry. The menu across the top lists the sections and, for people with work
queues, one "Your work" entry (the home page) in place of the queues, each by its shortest clear word, so that
it fits one line from 1024 px whatever the roles (tests/browser/test_navigation.py).
"""

from dataclasses import dataclass
from functools import cache

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str  # asked of the current partnership
    description: str
    is_section: bool = True  # False: a work queue, reached from "Your work" in the menu
    menu_label: str = ""  # a shorter word for the menu across the top, where the label would not fit one line


NAVIGATION: list[NavItem] = [
    NavItem(
        "Your actions",
        "actions:mine",
        "actions.update_actions",
        "The actions you own, what is due this month, and what is overdue or re-planned.",
        is_section=False,
    ),
    NavItem(
        "Review updates",
        "actions:review_queue",
        "actions.review_updates",
        "Progress updates waiting for you to approve or return.",
        is_section=False,
    ),
    NavItem(
        "Missing updates",
        "actions:missing",
        "actions.review_updates",
        "Actions with no progress update this month, and who owns them.",
        is_section=False,
    ),
    NavItem(
        "KPI returns",
        "kpis:returns_due",
        "kpis.submit_returns",
        "What your organisation owes this period: enter figures one by one or upload a spreadsheet.",
        is_section=False,
    ),
    NavItem(
        "Verify returns",
        "kpis:verify_list",
        "kpis.verify_returns",
        "Returns waiting for a check: mark them verified or query them with the organisation.",
        is_section=False,
    ),
    NavItem(
        "Families' feedback",
        "public:moderation",
        "public.moderate_feedback",
        "Questions, suggestions and feedback sent through the public pages: reply, publish or archive.",
        is_section=False,
    ),
    NavItem(
        "Public pages",
        "public:choices",
        "public.choose_public_pages",
        "Choose what the public pages show, indicator by indicator, and how long feedback is kept.",
        is_section=False,
    ),
    NavItem(
        "Board dashboard",
        "boards:overview",
        "core.view_partnership",
        "The partnership at a glance: RAG by recommendation, KPIs against comparators, what needs attention.",
    ),
    NavItem(
        "Action plan",
        "actions:plan",
        "core.view_partnership",
        "The Strategic Action Plan: the six recommendations and every action, with its current status.",
    ),
    NavItem(
        "Self-evaluation",
        "sef:index",
        "core.view_partnership",
        "The partnership's self-evaluation against the area SEND inspection framework, version by version.",
    ),
    NavItem(
        "Indicators",
        "kpis:indicators",
        "core.view_partnership",
        "The partnership's KPIs: their definitions, values, comparators and where each figure came from.",
    ),
    NavItem(
        "Board packs",
        "reports:index",
        "reports.view_reports",
        "Health and Wellbeing Board meetings and their report packs, as a PDF and a web page.",
    ),
    NavItem(
        "Risk log",
        "risks:index",
        "core.view_partnership",
        "The SEND risk log: each risk's owner, scores, controls and mitigating actions, and its heat map.",
    ),
    NavItem(
        "People",
        "people:index",
        "people.manage_people",
        "Invite people, change their roles, and help them sign in: unlock, reset two-factor, deactivate.",
        is_section=False,
    ),
    NavItem(
        "Organisations and people",
        "core:organisations",
        "core.view_partnership",
        "The organisations in the partnership and who works on the plan for each.",
        menu_label="Organisations",
    ),
]


def address_of(url_name: str) -> str:
    """An entry's address, worked out once per process: the menu is on every page, and its addresses take no
    arguments. What else an address depends on, the script prefix and the URLconf, is part of the key."""
    return reversed_once(url_name, get_script_prefix(), get_urlconf())


@cache
def reversed_once(url_name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(url_name, urlconf=urlconf)


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    """Every entry this user's permissions open, for the home page."""
    return [
        {
            "label": item.label,
            "menu_label": item.menu_label or item.label,
            "url": address_of(item.url_name),
            "description": item.description,
            "is_section": item.is_section,
            "current": False,
        }
        for item in NAVIGATION
        if request.user.has_perm(item.perm, request.partnership)  # type: ignore[attr-defined]
    ]


def menu_for(request: HttpRequest) -> list[dict[str, object]]:
    """The menu: "Your work" (when the user has work queues) and the sections, with the current one marked.

    The current entry is the one with an address that is the longest start of this page's address; a
    work queue's address counts for "Your work", so /plan/mine/ is not taken for the action plan.
    """
    items = items_for(request)
    queues = [str(item["url"]) for item in items if not item["is_section"]]
    menu = [item for item in items if item["is_section"]]
    if queues:
        home = address_of("home")
        menu.insert(
            0,
            {
                "label": "Your work",
                "menu_label": "Your work",
                "url": home,
                "addresses": [home, *queues],
                "current": False,
            },
        )
    best, length = None, 0
    for item in menu:
        for address in item.get("addresses", [item["url"]]):  # type: ignore[attr-defined]
            exact_home = address != "/" or request.path == "/"
            if request.path.startswith(str(address)) and exact_home and len(str(address)) > length:
                best, length = item, len(str(address))
    if best:
        best["current"] = True
    return menu
