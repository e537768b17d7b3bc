"""For trying the portal locally: last month's collection period is open, as an admin would open it,
so that officers have returns due. It holds no figures: those are entered by people."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.models import Membership, Partnership, Role
from kpis.models import Frequency, ReturnPeriod
from kpis.services import return_period_open

DAYS_TO_DEADLINE = 14


@transaction.atomic
def open_last_month(partnership: Partnership) -> None:
    admin = Membership.objects.get(partnership=partnership, role=Role.ADMIN, user__is_demo=True).user
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    label = end.strftime("%B %Y")
    if ReturnPeriod.objects.filter(partnership=partnership, label=label).exists():
        return
    return_period_open(
        user=admin,
        partnership=partnership,
        frequency=Frequency.MONTHLY,
        label=label,
        start=end.replace(day=1),
        end=end,
        deadline=timezone.localdate() + timedelta(days=DAYS_TO_DEADLINE),
    )
