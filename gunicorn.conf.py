"""gunicorn's settings for the portal (docs/adr/0013-serving-deadline-day.md).

gunicorn reads this file from its working directory, so the image, docker-compose and `make bench` all serve
the portal the same way. GUNICORN_WORKERS and GUNICORN_THREADS change the counts without a new image.
"""

import gc
import os
from typing import Any

# One process per core, each with a few threads: a thread waiting on PostgreSQL, Redis or a slow client
# leaves its process free to serve another request, where a sync worker would sit idle; more processes than
# cores would only queue for the CPU.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS") or os.cpu_count() or 2)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# People click every 1-3 seconds: a kept-alive connection spares a new TCP (and TLS) set-up per page.
keepalive = 5
timeout = 30
graceful_timeout = 30
# The portal is loaded once, before the workers are forked (see when_ready), so that no person's request
# pays for it: importing every view (WeasyPrint, openpyxl and the rest) takes seconds of CPU.
preload_app = True


def on_starting(server: Any) -> None:
    """Check that passwords can be hashed on this processor (core.passwords), after the app is loaded and before
    the server listens: a binding compiled for instructions this processor lacks stops it here, with the reason."""
    from core.passwords import check_hashing_runs_on_this_processor

    check_hashing_runs_on_this_processor()


def when_ready(server: Any) -> None:
    """Import every view, and read the release the page drawings are kept under (core.pagecache), in the master,
    after the app is loaded and before the workers are forked; then freeze what is loaded for the garbage collector.

    Django reads its URLs, and so imports the views, only at the first request; each worker would do it again.
    """
    from django.db import connections
    from django.urls import get_resolver

    from core.pagecache import release

    get_resolver().url_patterns  # noqa: B018 - read for its side effect, the imports
    release()  # the digest the page drawings are kept under, read once here rather than in each worker
    connections.close_all()  # a connection opened here must not be shared by the forked workers
    # What is loaded now lives as long as the process. Frozen, the garbage collector's full collections no longer
    # walk its 200,000 objects: in a load run each stopped all of a worker's threads for 150-320 ms, and frozen
    # for 10-80 ms (docs/adr/0013-serving-deadline-day.md).
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """Fill the worker's memory for hashing passwords before it takes a request (core.passwords)."""
    from core.passwords import fill_working_memory

    fill_working_memory()
