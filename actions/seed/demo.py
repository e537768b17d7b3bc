"""Sample history for trying the portal locally. Every row made here is flagged `is_demo` and pages that
show one say "Demo data". The published plan's texts are never touched."""

import hashlib
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from actions import selectors, services
from actions.models import Action, ProgressUpdate, RagLevel
from core.models import Membership, Partnership, Role

DEMO_MONTHS = 6
DEMO_COMMENTARY = (
    "Demo data: a sample update made by the local demo set-up so that the portal has history to show."
)
# Mostly on track, some at risk, a few off track: weights per RAG key.
DEMO_RAG_WEIGHTS = [("green", 6), ("amber", 3), ("red", 1)]


def months_back(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return list(reversed(months))


def demo_rag(action: Action, month: date, levels: dict[str, RagLevel]) -> RagLevel:
    """A stable choice per action and month, so repeated set-ups give the same history."""
    digest = int(hashlib.sha256(f"{action.reference}{month}".encode()).hexdigest(), 16)
    pick = digest % sum(weight for _, weight in DEMO_RAG_WEIGHTS)
    for key, weight in DEMO_RAG_WEIGHTS:
        if pick < weight:
            return levels[key]
        pick -= weight
    raise AssertionError("weights cover every pick")


@transaction.atomic
def load_demo_history(partnership: Partnership, now: datetime | None = None) -> None:
    lead = Membership.objects.get(partnership=partnership, role=Role.LEAD, user__is_demo=True)
    officer = Membership.objects.get(partnership=partnership, role=Role.OFFICER, user__is_demo=True)
    plan = selectors.published_plan(partnership)
    if plan is None:
        return
    plan.recommendations.filter(lead__isnull=True).update(lead=lead)
    actions = list(selectors.actions_in(partnership))
    Action.objects.filter(pk__in=[a.pk for a in actions], lead_officer__isnull=True).update(
        lead_officer=officer.user
    )
    levels = {level.key: level for level in selectors.rag_scale(partnership)}
    now = now or timezone.now()
    today = timezone.localdate(now)
    for month in months_back(today, DEMO_MONTHS):
        period = services.reporting_period_ensure(partnership=partnership, day=month)
        done = set(ProgressUpdate.objects.filter(period=period).values_list("action_id", flat=True))
        submitted = timezone.make_aware(datetime.combine(period.end, time(17, 0)))
        ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(
                    action=action,
                    period=period,
                    rag=demo_rag(action, month, levels),
                    commentary=DEMO_COMMENTARY,
                    state=ProgressUpdate.State.APPROVED,
                    created_by=officer.user,
                    created_at=submitted,
                    submitted_by=officer.user,
                    submitted_at=submitted,
                    reviewed_by=lead.user,
                    # Two days after submission, or now when those are still to come (early in a month): pages
                    # would say "approved" on a day not yet come, and a cut-off before it would leave the update out.
                    reviewed_at=min(submitted + timedelta(days=2), now),
                    is_demo=True,
                )
                for action in actions
                if action.pk not in done
            ]
        )
    services.reporting_period_ensure(partnership=partnership, day=today)
    Partnership.objects.filter(pk=partnership.pk).update(has_demo_data=True)
