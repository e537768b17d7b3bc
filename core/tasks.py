from core import jobs
from send_portal.celery import app


@app.task(name="core.flush_outbox")
def flush_outbox() -> int:
    return jobs.outbox_flush()
