from celery import shared_task
from django.utils import timezone

from reports import services


@shared_task(name="reports.build_pack")
def build_pack(*, pack_id: int) -> str:
    return services.pack_build(pack_id=pack_id)


@shared_task(name="reports.build_due_packs")
def build_due_packs() -> int:
    return services.packs_build_due(today=timezone.localdate())
