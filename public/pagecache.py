"""Public pages drawn once and kept for anonymous readers in the cache every process shares (settings.CACHES).

A page's key names the partnership's generation of public pages and its last published pack. A write that
changes what the public sees (the admin's choices, a "You said, we did" entry published or archived) starts a new
generation once it commits, so every process draws the pages afresh at its next request. Packs are published by
the reports app, below this one, so the pack in the key does the same for a new pack; the time limit covers the
rest (a summary edited in the plan).
"""

import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from core.models import Partnership
from core.pagecache import CACHE_FAILURES, keep, kept
from reports.models import Pack

PAGE_CACHE_SECONDS = 600
BROWSER_CACHE_SECONDS = 300
# What a page or download keeps of its drawing besides the content: its type, and a download's file name.
KEPT_HEADERS = ("Content-Type", "Content-Disposition")

logger = logging.getLogger(__name__)


def generation_key(partnership: Partnership) -> str:
    return f"public-pages:{partnership.pk}"


def generation(partnership: Partnership) -> str:
    """The partnership's current generation: a new one if the cache has lost it, so no older page comes back."""
    return str(cache.get_or_set(generation_key(partnership), time.time_ns, timeout=None))


def forget(partnership: Partnership) -> None:
    """Every process draws the partnership's public pages afresh once the current transaction commits.

    Robust: the write has been committed by then, so a cache that cannot be reached must not fail the request.
    """
    transaction.on_commit(
        lambda: cache.set(generation_key(partnership), time.time_ns(), timeout=None), robust=True
    )


def cached_for_the_public(
    request: HttpRequest, partnership: Partnership, draw: Callable[[], HttpResponse], pack: Pack | None = None
) -> HttpResponse:
    """Anonymous readers share one drawing of a page or download; signed-in people get their own (it names them).

    A cache that cannot be reached costs a drawing, never the page.
    """
    if request.user.is_authenticated:
        return draw()
    try:
        key = (
            f"public-page:{partnership.pk}:{generation(partnership)}:{pack.pk if pack else 0}:{request.path}"
        )
    except CACHE_FAILURES:
        logger.warning("The cache cannot be reached: %s is drawn without it", request.path, exc_info=True)
        key = ""
    content = kept(key) if key else None
    if content is None:
        response = draw()
        if response.status_code != 200:
            return response
        content = (response.content, {name: response[name] for name in KEPT_HEADERS if name in response})
        if key:
            keep(key, content, PAGE_CACHE_SECONDS)
    body, headers = content
    response = HttpResponse(body, headers=headers)
    patch_cache_control(response, public=True, max_age=BROWSER_CACHE_SECONDS)
    return response
