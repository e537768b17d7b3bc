"""Drawings of pages kept in the cache that every serving process shares (settings.CACHES): Redis in production,
files under var/ in the embedded mode. The public pages (public.pagecache) and the board pages
(dashboards.pagecache) keep theirs here.

The cache only saves work: one that cannot be reached costs a drawing, never the page.
"""

import logging
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

# What the cache back ends raise when their store cannot be reached: Redis down, or the files' folder unwritable.
CACHE_FAILURES = (RedisError, OSError)

logger = logging.getLogger(__name__)


def kept(key: str) -> Any | None:
    """What is kept under the key; None when nothing is, or when the cache cannot be reached."""
    try:
        return cache.get(key)
    except CACHE_FAILURES:
        logger.warning("The cache cannot be reached: %s is drawn without it", key, exc_info=True)
        return None


def keep(key: str, drawing: Any, seconds: int) -> None:
    """Keep a drawing under the key for so many seconds; a cache that cannot be reached keeps nothing."""
    try:
        cache.set(key, drawing, seconds)
    except CACHE_FAILURES:
        logger.warning("The cache cannot be reached: %s is not kept", key, exc_info=True)
