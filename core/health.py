"""Readiness of the parts the portal depends on, for health checks and for a clear message to users."""

from django.conf import settings
from django.db import connection
from redis import Redis
from redis.exceptions import RedisError


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False


def broker_ok() -> bool:
    """True when background jobs can be queued now; answers within about a second."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return True  # the filesystem transport needs no server
    try:
        client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except RedisError:
        return False
