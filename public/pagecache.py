"""Public pages drawn once and kept for anonymous readers in the cache every process shares (settings.CACHES).

A page's key names the partnership's board version, which every audited change that a reader could see replaces
in the change's own transaction (core.audit.board_changed): the admin's choices, a "You said, we did" entry
published or archived, a published pack, an approved update. Every process so draws the pages afresh at
its next request after such a change commits. The board pages are kept under the same version
(dashboards.pagecache).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from core.models import Partnership
from core.pagecache import keep, kept

PAGE_CACHE_SECONDS = 600
BROWSER_CACHE_SECONDS = 300
# What a page or download keeps of its drawing besides the content: its type, and a download's file name.
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def cached_for_the_public(
    request: HttpRequest, partnership: Partnership, draw: Callable[[], HttpResponse]
) -> HttpResponse:
    """Anonymous readers share one drawing of a page or download; signed-in people get their own (it names them).

    A cache that cannot be reached costs a drawing, never the page.
    """
    if request.user.is_authenticated:
        return draw()
    # The day too: a pack becomes public on its issue date, with no change to mark it.
    key = f"public-page:{partnership.pk}:{partnership.board_version}:{timezone.localdate()}:{request.path}"
    content = kept(key)
    if content is None:
        response = draw()
        if response.status_code != 200:
            return response
        content = (response.content, {name: response[name] for name in KEPT_HEADERS if name in response})
        keep(key, content, PAGE_CACHE_SECONDS)
    body, headers = content
    response = HttpResponse(body, headers=headers)
    patch_cache_control(response, public=True, max_age=BROWSER_CACHE_SECONDS)
    return response
