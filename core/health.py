"""Readiness of the parts the portal depends on, for health checks and for a clear message to users."""

from functools import lru_cache

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


@lru_cache(maxsize=4)
def broker_client(url: str) -> Redis:
    """One client per broker address for the process: every submitted update asks, and a new client opened a new
    connection each time. Its pool opens connections afresh in a forked worker and after the broker comes back."""
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def broker_ok() -> bool:
    """True when background jobs can be queued now; answers within about a second."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return True  # the filesystem transport needs no server
    try:
        return bool(broker_client(url).ping())
    except RedisError:
        return False


def outbox_waiting() -> int:
    """Background jobs recorded but not yet queued (e-mails waiting for the broker)."""
    from core.models import OutboxJob

    return OutboxJob.objects.filter(queued_at__isnull=True).count()


def report() -> tuple[dict[str, object], bool]:
    """What /health/ says, and whether the portal can serve pages at all (the database answers).

    "degraded" means pages work but background jobs (packs, e-mails) wait: an operator should look, the load
    balancer should keep sending traffic.
    """
    database = database_ok()
    broker = broker_ok()
    waiting = outbox_waiting() if database else 0
    reasons = []
    if not database:
        reasons.append("The database cannot be reached: no page can be served.")
    if not broker:
        reasons.append(
            "The job broker cannot be reached: packs cannot be built and e-mails wait in the outbox."
        )
    if waiting:
        reasons.append(f"{waiting} e-mail or job(s) wait in the outbox to be queued.")
    status = "unavailable" if not database else ("degraded" if reasons else "ok")
    return (
        {
            "status": status,
            "database": "ok" if database else "unavailable",
            "broker": "ok" if broker else "unavailable",
            "outbox_waiting": waiting,
            "reasons": reasons,
        },
        database,
    )
