"""Board pages drawn once and kept in the shared cache (core.pagecache) until what they show changes.

The board pages are the heaviest that members read, and on the update deadline they read them while officers save
drafts that the board does not show (docs/adr/0013-serving-deadline-day.md). A drawing is kept under:

- the partnership's board version, which every change the board sees replaces in the change's own transaction
  (core.audit.board_changed), so a drawing never outlives what it shows;
- the day, since the position as at this month, and what is overdue, follow the date;
- the restricted indicators this reader may not see, as the permission layer says: readers who may see the same
  indicators are shown the same page;
- the address and its query (the month, the meeting, the filters, the sort and the page).

Only the parts that are the same for all such readers are kept: the title, what comes before the main content, and
the content. The header, menu and messages around them are drawn for each reader.
"""

import hashlib
from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from core.http import PortalRequest
from core.pagecache import keep, kept
from kpis.selectors import hidden_indicators

# A drawing is replaced at once by a change the board sees, and by a new release (core.pagecache.release); the limit
# only bounds what was changed outside the portal's audited writes (a shell).
BOARD_PAGE_SECONDS = 600
# The board's templates extend kept.html, which puts these markers between the parts. Escaped text cannot hold
# one, so a drawing splits only where the layout put them.
PART_BREAK = "<!-- part -->"
PARTS = 3
# What the board pages read from the query (the month, the meeting, the filters, django-tables2's sort and page,
# and the recommendation an indicator was reached from). An address with anything else is drawn but not kept:
# made-up parameters must not fill the cache.
QUERY_PARAMETERS = {
    "as_at",
    "board",
    "rag",
    "organisation",
    "owner",
    "sort",
    "page",
    "per_page",
    "recommendation",
}


def board_page(
    request: PortalRequest, template: str, context: Callable[[], dict[str, object]]
) -> HttpResponse:
    """The page drawn from `template` with `context()`, or its drawing kept for the same partnership, version, day,
    readership and address."""
    key = drawing_key(request) if set(request.GET) <= QUERY_PARAMETERS else ""
    parts = kept(key) if key else None
    if parts is None:
        parts = render_to_string(template, context(), request).split(PART_BREAK)
        if len(parts) != PARTS:
            raise ValueError(
                f"{template} must extend dashboards/board/kept.html, which lays out {PARTS} parts"
            )
        if key:
            keep(key, parts, BOARD_PAGE_SECONDS)
    title, before_content, content = (SafeString(part) for part in parts)
    return render(
        request,
        "dashboards/board/page.html",
        {"title": title, "before_content": before_content, "content": content},
    )


def drawing_key(request: PortalRequest) -> str:
    partnership = request.partnership
    hidden = ",".join(str(pk) for pk in hidden_indicators(partnership, request.user))
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return (
        f"board-page:{partnership.pk}:{partnership.board_version}:{timezone.localdate().isoformat()}:{hidden}:"
        f"{address}"
    )
