from django.utils import timezone

from reports import services
from send_portal.celery import app


@app.task(name="reports.build_pack")
def build_pack(*, pack_id: int) -> str:
    return services.pack_build(pack_id=pack_id)


@app.task(name="reports.build_due_packs")
def build_due_packs() -> int:
    return services.packs_build_due(today=timezone.localdate())


@app.task(name="reports.recover_stalled_packs")
def recover_stalled_packs() -> int:
    return services.packs_recover_stalled(now=timezone.now())
