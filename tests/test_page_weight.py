"""Page weight (TARGETS P7): on a first visit, every page with its styles and scripts weighs at most 150 KB
compressed, and nothing is fetched from another site."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from tests.conftest import sign_in
from tests.pages import survey

pytestmark = pytest.mark.django_db

LIMIT = 150 * 1024
ASSET = re.compile(r'<(?:script|link|img)\b[^>]*\s(?:src|href)="([^"]+)"')
MODULE_IMPORT = re.compile(r"""^import\s(?:[^'"]*\sfrom\s)?['"](\.[^'"]+)['"]""", re.MULTILINE)


def compressed_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def static_bytes(url: str) -> bytes:
    found = finders.find(url.removeprefix(settings.STATIC_URL))
    assert found, f"{url} is not one of the portal's static files"
    return Path(found).read_bytes()


def loaded_with(url: str) -> set[str]:
    """The asset and, for a JavaScript module, every module it imports in turn."""
    urls = {url}
    if url.endswith(".mjs"):
        folder = url.rsplit("/", 1)[0]
        for relative in MODULE_IMPORT.findall(static_bytes(url).decode()):
            urls |= loaded_with(f"{folder}/{relative.removeprefix('./')}")
    return urls


def assets_of(html: str) -> set[str]:
    """Scripts, style sheets and images the page asks for (in <head> and <body> alike)."""
    return {url for url in ASSET.findall(html) if url.startswith(settings.STATIC_URL) or "//" in url}


def test_every_page_weighs_at_most_150_kb_compressed_and_loads_nothing_from_elsewhere(site):
    pages, _ = survey(site)
    weights = {}
    for role, visits in pages.items():
        client = Client() if role == "anonymous" else sign_in(Client(), getattr(site, role))
        for visit in visits:
            html = client.get(visit.url).content
            assets = assets_of(html.decode())
            assert all(url.startswith(settings.STATIC_URL) for url in assets), f"{visit.url}: {assets}"
            files = set().union(*(loaded_with(url) for url in assets)) if assets else set()
            weights[visit.url] = compressed_size(html) + sum(compressed_size(static_bytes(f)) for f in files)
    heaviest = max(weights, key=weights.__getitem__)
    assert len(weights) > 50
    assert weights[heaviest] <= LIMIT, f"{heaviest} weighs {weights[heaviest]:,} bytes compressed"


def test_a_page_and_its_modules_are_all_counted(client, signed_in, site):
    signed_in(site.board)
    html = client.get("/").content.decode()

    files = set().union(*(loaded_with(url) for url in assets_of(html)))

    assert files == {
        "/static/css/app.css",
        "/static/js/app.mjs",
        "/static/js/govuk-frontend.min.js",
        "/static/js/session-timeout.mjs",
        "/static/js/wide-tables.mjs",
    }
