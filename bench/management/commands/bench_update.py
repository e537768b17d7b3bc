"""`make bench`, after bench_dashboards: an officer saves progress updates on the national-scale bench database,
one at a time, and each save (the POST with its audit write, then the check-your-answers page it redirects to)
is timed: target P4, p95 <= 100 ms. Writes var/bench/update.json."""

import json
import statistics
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate, RagLevel
from actions.selectors import current_period
from bench.management.commands.bench_dashboards import signed_in_client
from core.models import AuditEvent, Partnership, User

OUTPUT = Path(settings.BASE_DIR) / "var" / "bench" / "update.json"
TARGET_P95_MS = 100
SAVES = 200
WARM_UP = 20


def officer_client(partnership: Partnership) -> tuple[Client, User]:
    user = User.objects.get(email=f"officer@bench{partnership.pk}.example.org")
    return signed_in_client(user), user


def nearest_rank(samples: list[float], percent: int) -> float:
    ordered = sorted(samples)
    return ordered[max(1, -(-percent * len(ordered) // 100)) - 1]


class Command(BaseCommand):
    help = "Time an officer's progress update save (POST, audit write and redirect) on the bench database."

    def handle(self, *args: object, **options: Any) -> None:
        partnership = Partnership.objects.filter(short_name="Bench 001").first()
        if partnership is None:
            raise CommandError("Run bench_dashboards first: it builds the bench database this command uses.")
        client, officer = officer_client(partnership)
        # An update submitted this month (by an earlier bench_load, say) waits for its lead: the officer cannot
        # save over it, so those actions are left out.
        waiting = ProgressUpdate.objects.filter(
            state=ProgressUpdate.State.SUBMITTED, period=current_period(partnership, timezone.localdate())
        ).values("action_id")
        actions = list(
            Action.objects.filter(recommendation__plan__partnership=partnership)
            .exclude(pk__in=waiting)
            .order_by("pk")
        )
        if not actions:
            raise CommandError("Every action of Bench 001 has an update waiting for review this month")
        levels = list(RagLevel.objects.filter(partnership=partnership).order_by("order"))
        audits_before = AuditEvent.objects.count()
        timings = []
        for n in range(WARM_UP + SAVES):
            action = actions[n % len(actions)]
            draft = (
                ProgressUpdate.objects.filter(action=action, state=ProgressUpdate.State.DRAFT)
                .order_by("-pk")
                .first()
            )
            form = {
                "rag": str(levels[n % len(levels)].pk),
                "commentary": f"Bench save {n}: the pilot moved on this month.",
                "next_steps": "Report to the next Board.",
                "risks_and_issues": "",
                "proposed_due_date_0": "",
                "proposed_due_date_1": "",
                "proposed_due_date_2": "",
                "proposed_due_reason": "",
                "evidence_link": "",
                "evidence_link_title": "",
                "lock_version": str(draft.lock_version) if draft else "",
            }
            started = time.perf_counter()
            response = client.post(reverse("actions:update", args=[action.pk]), form)
            if response.status_code != 302:
                raise CommandError(f"Save {n} answered {response.status_code}, not a redirect")
            if client.get(response["Location"]).status_code != 200:
                raise CommandError(f"The page after save {n} did not open")
            if n >= WARM_UP:
                timings.append((time.perf_counter() - started) * 1000)
        audited = AuditEvent.objects.count() - audits_before
        result = {
            "saves": SAVES,
            "warm_up": WARM_UP,
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(nearest_rank(timings, 95), 1),
            "audit_events_written": audited,
            "target_p95_ms": TARGET_P95_MS,
            "met": nearest_rank(timings, 95) <= TARGET_P95_MS,
            "measured_at": timezone.now().isoformat(),
        }
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(json.dumps(result, indent=2))
        self.stdout.write(
            f"Officer update save (POST + audit + redirect page), {SAVES} saves: p50 {result['p50_ms']} ms, "
            f"p95 {result['p95_ms']} ms (target {TARGET_P95_MS} ms); {audited} audit events -> {OUTPUT}"
        )
