"""Drawings of pages kept in the cache that every serving process shares (settings.CACHES): Redis in production,
files under var/ in the embedded mode. The public pages (public.pagecache) and the board pages
(dashboards.pagecache) keep theirs here.

The cache only saves work: one that cannot be reached costs a drawing, never the page.

Every drawing is kept under the release that drew it (`release`): after a deploy that changes a template, a filter
or a style sheet, the pages are drawn afresh at once rather than served as the previous release drew them, with
the previous release's style sheet names, until their drawings expire.
"""

import hashlib
import logging
from functools import cache as once
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

# What the cache back ends raise when their store cannot be reached: Redis down, or the files' folder unwritable.
CACHE_FAILURES = (RedisError, OSError)

logger = logging.getLogger(__name__)


def drawn_from() -> list[Path]:
    """What a drawing is made from: the portal's own apps (their code and templates), the shared templates and the
    static files the pages name."""
    base = Path(settings.BASE_DIR)
    own_apps = [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base)
        and not Path(config.path).relative_to(base).parts[0].startswith(".")
    ]
    templates = [
        Path(folder) for engine in settings.TEMPLATES for folder in cast(list[Path], engine.get("DIRS", []))
    ]
    return [*own_apps, *templates, *(Path(folder) for folder in settings.STATICFILES_DIRS)]


def digest_of(folders: list[Path]) -> str:
    """A digest of every file in the folders, by name and content: the same for the same files, whatever their dates."""
    digest = hashlib.sha256()
    for folder in folders:
        files = sorted(
            path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts
        )
        for path in files:
            digest.update(str(path.relative_to(folder.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@once
def release() -> str:
    """The release serving this process, read once: a digest of what its drawings are made from."""
    return digest_of(drawn_from())


def kept(key: str) -> Any | None:
    """What this release keeps under the key; None when nothing is, or when the cache cannot be reached."""
    try:
        return cache.get(f"{release()}:{key}")
    except CACHE_FAILURES:
        logger.warning("The cache cannot be reached: %s is drawn without it", key, exc_info=True)
        return None


def keep(key: str, drawing: Any, seconds: int) -> None:
    """Keep a drawing under the key for so many seconds; a cache that cannot be reached keeps nothing."""
    try:
        cache.set(f"{release()}:{key}", drawing, seconds)
    except CACHE_FAILURES:
        logger.warning("The cache cannot be reached: %s is not kept", key, exc_info=True)
