"""Builds a Board pack of about 70 pages from the Southend data plus synthetic history, and reports render
time and peak memory (targets P5 and P6) to the console and var/bench/pack.json.

Besides the December 2024 meeting's four appendices, the benchmark's pack adds the action status table, the
KPI annex and a 10-page uploaded PDF, so that the merging of uploaded pages is timed too."""

import json
import resource
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ProgressUpdate, RagLevel
from actions.services import reporting_period_ensure
from core.models import Partnership
from core.seed.southend import load_southend_partnership
from reports.content import gather
from reports.models import Appendix, Meeting, Pack
from reports.rendering import render_pack

TARGET_SECONDS = 10
TARGET_MIB = 512
HISTORY_MONTHS = 12


class Command(BaseCommand):
    help = "Render a ~60-page Board pack and report its render time and peak memory."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(settings.VAR_DIR / "bench" / "pack.json"))

    def handle(self, *args: object, **options: Any) -> None:
        from django.utils.module_loading import import_string

        partnership = load_southend_partnership()
        for loader in settings.SOUTHEND_LOADERS:
            import_string(loader)(partnership)
        add_synthetic_history(partnership)
        meeting = Meeting.objects.filter(partnership=partnership).order_by("-date").first()
        assert meeting is not None
        add_bench_appendices(meeting)
        pack = Pack(meeting=meeting, version=0, as_at=timezone.now())
        started = time.perf_counter()
        content = gather(meeting, pack.as_at)
        rendered = render_pack(content, pack, lambda stage, progress: None)
        seconds = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result = {
            "pages": rendered.page_count,
            "render_seconds": round(seconds, 2),
            "peak_memory_mib": round(peak_mib, 1),
            "targets": {"render_seconds": TARGET_SECONDS, "peak_memory_mib": TARGET_MIB},
            "met": seconds <= TARGET_SECONDS and peak_mib <= TARGET_MIB,
        }
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result, indent=2))
        (output.parent / "pack.pdf").write_bytes(rendered.pdf)
        self.stdout.write(
            f"Pack: {result['pages']} pages in {result['render_seconds']} s, peak {result['peak_memory_mib']} MiB "
            f"(targets {TARGET_SECONDS} s, {TARGET_MIB} MiB) -> {output}"
        )


UPLOADED_PAGES = 10


@transaction.atomic
def add_bench_appendices(meeting: Meeting) -> None:
    """The action status table, the KPI annex and an uploaded PDF after the meeting's own; running twice adds nothing."""
    from django.core.files.base import ContentFile
    from weasyprint import HTML

    kinds = set(meeting.appendices.values_list("kind", flat=True))
    order = meeting.appendices.count()
    for kind in [Appendix.Kind.ACTION_STATUS, Appendix.Kind.KPIS, Appendix.Kind.UPLOAD]:
        if kind in kinds:
            continue
        order += 1
        appendix = Appendix(
            meeting=meeting, order=order, kind=kind, title=f"Benchmark {Appendix.Kind(kind).label}"
        )
        if kind == Appendix.Kind.UPLOAD:
            pages = "".join(
                f'<p style="break-after: page">Uploaded page {n}</p>' for n in range(UPLOADED_PAGES)
            )
            pdf = HTML(string=f"<html lang='en'><title>Upload</title><body>{pages}</body></html>").write_pdf()
            appendix.file.save("bench-upload.pdf", ContentFile(pdf), save=False)
            appendix.file_type, appendix.file_pages, appendix.file_tagged = (
                "application/pdf",
                UPLOADED_PAGES,
                False,
            )
        appendix.save()


@transaction.atomic
def add_synthetic_history(partnership: Partnership) -> None:
    """A year of approved monthly updates for every action, marked as demo data; running twice adds nothing."""
    actions = list(Action.objects.filter(recommendation__plan__partnership=partnership))
    levels = list(RagLevel.objects.filter(partnership=partnership).order_by("order"))
    person = None
    today = timezone.localdate()
    for month in range(HISTORY_MONTHS):
        year, index = divmod(today.year * 12 + today.month - 1 - month, 12)
        period = reporting_period_ensure(partnership=partnership, day=date(year, index + 1, 1))
        existing = set(ProgressUpdate.objects.filter(period=period).values_list("action_id", flat=True))
        if person is None:
            from core.models import User

            person, _ = User.objects.get_or_create(email="bench@example.invalid", defaults={"is_demo": True})
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                action=action,
                period=period,
                rag=levels[(action.pk + month) % len(levels)],
                commentary=f"Synthetic benchmark commentary for {action.reference} in {period}.",
                state=ProgressUpdate.State.APPROVED,
                created_by=person,
                is_demo=True,
            )
            for action in actions
            if action.pk not in existing
        )
