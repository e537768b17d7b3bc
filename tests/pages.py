"""Every HTML page of the portal, found from the permission matrix: what the axe audit and the page-weight check visit.

Each URL a role may GET is opened once, as the least privileged role allowed, with the `site` fixture's
objects. Whether it is a page is read from the response itself: downloads, JSON, stored files and
redirect-only addresses are not pages.
"""

from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from tests.conftest import sign_in
from tests.test_permission_matrix import MATRIX, PUBLIC, Rule

# Least privileged first: board members only read; admins may do everything, so they come last.
VISITORS = ["anonymous", "board", "officer", "democratic", "lead", "other_officer", "admin", "operator"]
# One person of each role, and a site operator; each home page.
SIGNED_IN = ["board", "officer", "democratic", "lead", "admin", "operator"]


def visitor(rule: Rule) -> str:
    """The least privileged role that may GET the URL."""
    if rule.get == PUBLIC:
        return "anonymous"
    assert isinstance(rule.get, frozenset)
    return next(role for role in VISITORS if role in rule.get)


def gettable() -> dict[str, Rule]:
    return {name: rule for name, rule in MATRIX.items() if rule.get is not None}


@dataclass(frozen=True)
class Visit:
    name: str
    url: str


def not_a_page(response: HttpResponseBase) -> str | None:
    """Why the response is not an HTML page to audit, or None when it is one."""
    if response.status_code == 302:
        return "redirects"
    assert response.status_code == 200, f"{response.status_code} where the matrix allows the role"
    if not response["Content-Type"].startswith("text/html"):
        return response["Content-Type"]
    if response.streaming:
        return "a stored file served as it is"
    return None


def survey(site: SimpleNamespace, only: str | None = None) -> tuple[dict[str, list[Visit]], dict[str, str]]:
    """The HTML pages grouped by the role that opens them, and why each other URL is not one. With `only`, just
    the URLs that role opens: an audit of one role's pages need not load every other role's."""
    clients: dict[str, Client] = {}
    pages: dict[str, list[Visit]] = defaultdict(list)
    skipped: dict[str, str] = {}
    for name, rule in sorted(gettable().items()):
        role = visitor(rule)
        if only is not None and role != only:
            continue
        if role not in clients:
            clients[role] = Client() if role == "anonymous" else sign_in(Client(), getattr(site, role))
        url = reverse(name, kwargs=rule.kwargs(site) if rule.kwargs else None)
        response = clients[role].get(url)
        reason = not_a_page(response)
        if reason:
            skipped[name] = reason
        else:
            pages[role].append(Visit(name, url))
    return pages, skipped
