"""Every write of meetings, narratives and packs, each audited. The pack build itself runs in a worker."""

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record, audited_create, audited_delete, audited_update, snapshot
from core.jobs import send_task
from core.models import Partnership, Role, User
from core.selectors import next_order
from reports import selectors
from reports.content import gather
from reports.drafting import draft_fields, draft_sections, redraft_into
from reports.models import GovernanceBody, Meeting, Narrative, Pack
from reports.rendering import render_pack

logger = logging.getLogger(__name__)

BUILDER_ROLES = (Role.DEMOCRATIC, Role.ADMIN)
READER_ROLES = (Role.BOARD, Role.LEAD, Role.DEMOCRATIC, Role.ADMIN)
QUEUE_DOWN_MESSAGE = (
    "The pack could not be queued because the job service is not available. Nothing was lost: "
    "try again in a few minutes."
)
BUILD_FAILED_MESSAGE = (
    "The pack could not be built. Try again; if it fails again, tell the portal's administrators."
)
LOCK_NAMESPACE = 7007  # pairs with the pack id in PostgreSQL's two-key advisory locks


def require_builder(roles: frozenset[str]) -> None:
    if not roles & set(BUILDER_ROLES):
        raise PermissionDenied("Only democratic services and admins build packs.")


@transaction.atomic
def meeting_create(
    *, actor: User, partnership: Partnership, roles: frozenset[str], data: dict[str, Any]
) -> Meeting:
    require_builder(roles)
    meeting = Meeting.objects.create(partnership=partnership, created_by=actor, **data)
    since, as_at = selectors.drafting_window(meeting, timezone.now())
    narrative = Narrative.objects.create(meeting=meeting, **draft_fields(meeting, since=since, as_at=as_at))
    audit_record(
        actor=actor, verb="create", instance=meeting, partnership=partnership, after=snapshot(meeting)
    )
    audit_record(actor=actor, verb="draft", instance=narrative, partnership=partnership)
    return meeting


@transaction.atomic
def narrative_update(
    *, actor: User, roles: frozenset[str], narrative: Narrative, data: dict[str, Any]
) -> Narrative:
    require_builder(roles)
    before = snapshot(narrative)
    for name, value in data.items():
        setattr(narrative, name, value)
    narrative.edited_by = actor
    narrative.edited_at = timezone.now()
    narrative.save()
    audit_record(
        actor=actor,
        verb="update",
        instance=narrative,
        partnership=narrative.meeting.partnership,
        before=before,
        after=snapshot(narrative),
    )
    return narrative


@transaction.atomic
def narrative_redraft(
    *, actor: User, roles: frozenset[str], narrative: Narrative, sections: set[str] | None = None
) -> list[str]:
    """Draft again from the evidence now: the sections the author has not edited, and any named in
    `sections` even if edited. Returns the keys of the sections replaced."""
    require_builder(roles)
    before = snapshot(narrative)
    since, as_at = selectors.drafting_window(narrative.meeting, timezone.now())
    drafted = draft_sections(narrative.meeting, since=since, as_at=as_at)
    unknown = (sections or set()) - set(drafted)
    if unknown:
        raise ValidationError("Choose a section of the narrative to draft again.", code="unknown_section")
    replaced = redraft_into(narrative, drafted, force=sections or set())
    narrative.drafted_at = as_at
    narrative.save()
    audit_record(
        actor=actor,
        verb="redraft",
        instance=narrative,
        partnership=narrative.meeting.partnership,
        before=before,
        after={**snapshot(narrative), "sections": replaced},
    )
    return replaced


@transaction.atomic
def pack_request(*, actor: User | None, meeting: Meeting, trigger: str = Pack.Trigger.MANUAL) -> Pack:
    """A new pack record, version numbered within the meeting; its data will be as at now."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # versions are numbered one at a time
    version = (meeting.packs.aggregate(v=Max("version"))["v"] or 0) + 1
    now = timezone.now()
    pack = Pack.objects.create(
        meeting=meeting, version=version, trigger=trigger, requested_by=actor, requested_at=now, as_at=now
    )
    audit_record(
        actor=actor, verb="request", instance=pack, partnership=meeting.partnership, after=snapshot(pack)
    )
    return pack


def pack_queue(pack: Pack) -> bool:
    """Hand the build to a worker; when the queue is down the pack says so instead of waiting forever."""
    from reports.tasks import build_pack  # the tasks module imports this one

    if send_task(build_pack, pack_id=pack.pk):
        return True
    Pack.objects.filter(pk=pack.pk, status=Pack.Status.QUEUED).update(
        status=Pack.Status.FAILED, stage="Not queued", error=QUEUE_DOWN_MESSAGE, finished_at=timezone.now()
    )
    return False


@transaction.atomic
def pack_retry(*, actor: User, roles: frozenset[str], pack: Pack) -> Pack:
    require_builder(roles)
    if pack.status != Pack.Status.FAILED:
        raise ValidationError("Only a failed pack can be tried again.", code="not_failed")
    Pack.objects.filter(pk=pack.pk).update(
        status=Pack.Status.QUEUED, stage="Waiting for a worker", progress=0, error="", finished_at=None
    )
    pack.refresh_from_db()
    audit_record(actor=actor, verb="retry", instance=pack, partnership=pack.meeting.partnership)
    return pack


def pack_record_download(*, actor: User, pack: Pack, kind: str) -> None:
    audit_record(
        actor=actor,
        verb="download",
        instance=pack,
        partnership=pack.meeting.partnership,
        after={"format": kind},
    )


@contextmanager
def build_lock(pack_id: int) -> Iterator[bool]:
    """Held by one worker at a time per pack; PostgreSQL frees it if that worker dies mid-build."""
    if connection.vendor != "postgresql":
        yield True  # SQLite runs jobs in the test process only, one at a time
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, pack_id])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, pack_id])


def set_stage(pack: Pack, stage: str, progress: int) -> None:
    Pack.objects.filter(pk=pack.pk).update(stage=stage, progress=progress)


def pack_build(*, pack_id: int) -> str:
    """Build the pack's files. Safe to run twice: a finished pack, or one another worker holds, is left alone."""
    with build_lock(pack_id) as acquired:
        if not acquired:
            return "busy"
        pack = selectors.pack_for_task(pack_id)
        if pack.status == Pack.Status.READY:
            return "already built"
        Pack.objects.filter(pk=pack.pk).update(
            status=Pack.Status.BUILDING,
            stage="Reading the data",
            progress=10,
            attempts=pack.attempts + 1,
            started_at=timezone.now(),
            worker=f"{socket.gethostname()}:{os.getpid()}",
            error="",
        )
        try:
            build_files(pack)
        except Exception:
            logger.exception("Pack %s failed to build", pack.pk)
            Pack.objects.filter(pk=pack.pk).update(
                status=Pack.Status.FAILED,
                stage="Failed",
                error=BUILD_FAILED_MESSAGE,
                finished_at=timezone.now(),
            )
            return "failed"
        return "built"


def build_files(pack: Pack) -> None:
    """Render outside any transaction, so that each stage is visible to the status page as it happens."""
    previous = selectors.previous_ready_pack(pack)
    content = gather(pack.meeting, pack.as_at, previous.snapshot if previous else None)
    content.previous_as_at = previous.as_at if previous else None
    rendered = render_pack(content, pack, lambda stage, progress: set_stage(pack, stage, progress))
    set_stage(pack, "Saving the files", 95)
    stem = f"hwbb-{pack.meeting.date:%Y-%m-%d}-item-{pack.meeting.agenda_item}-v{pack.version}"
    pack.pdf.save(f"{stem}.pdf", ContentFile(rendered.pdf), save=False)
    pack.html.save(f"{stem}.html", ContentFile(rendered.html.encode()), save=False)
    pack.page_count = rendered.page_count
    pack.snapshot = content.snapshot
    pack.status = Pack.Status.READY
    pack.stage = "Ready"
    pack.progress = 100
    pack.finished_at = timezone.now()
    with transaction.atomic():
        pack.save(
            update_fields=[
                "pdf",
                "html",
                "page_count",
                "snapshot",
                "status",
                "stage",
                "progress",
                "finished_at",
            ]
        )
        audit_record(
            actor=None,
            verb="build",
            instance=pack,
            partnership=pack.meeting.partnership,
            after={"version": pack.version, "pages": pack.page_count, "as_at": str(pack.as_at)},
        )


def packs_build_due(*, today: date) -> int:
    """Scheduled builds: one pack per meeting, once its build window opens. Running twice queues nothing new."""
    queued = 0
    for meeting in selectors.meetings_due_a_pack(today):
        if today < meeting.date - timedelta(days=meeting.build_days_before):
            continue
        try:
            pack = pack_request(actor=None, meeting=meeting, trigger=Pack.Trigger.SCHEDULE)
        except IntegrityError:
            continue  # another run of the schedule got there first
        queued += pack_queue(pack)
    return queued


GOVERNANCE_FIELDS = ["order", "name", "purpose", "reports_to", "meets", "membership"]


def require_new_body_name(partnership: Partnership, name: str, body: GovernanceBody | None = None) -> None:
    others = GovernanceBody.objects.filter(partnership=partnership, name__iexact=name.strip())
    if body is not None:
        others = others.exclude(pk=body.pk)
    if others.exists():
        raise ValidationError(f"There is already a board or group called “{name}”")


@transaction.atomic
def governance_body_add(
    *, actor: User, partnership: Partnership, roles: frozenset[str], data: dict[str, Any]
) -> GovernanceBody:
    """A board or group for the packs' Appendix 2; without a position it goes last."""
    require_builder(roles)
    require_new_body_name(partnership, data["name"])
    order = data["order"] or next_order(GovernanceBody.objects.filter(partnership=partnership))
    body = GovernanceBody.objects.create(partnership=partnership, **{**data, "order": order})
    audited_create(actor=actor, instance=body, partnership=partnership, fields=GOVERNANCE_FIELDS)
    return body


@transaction.atomic
def governance_body_update(
    *, actor: User, body: GovernanceBody, roles: frozenset[str], data: dict[str, Any]
) -> GovernanceBody:
    require_builder(roles)
    require_new_body_name(body.partnership, data["name"], body)
    audited_update(
        actor=actor,
        instance=body,
        verb="updated",
        partnership=body.partnership,
        fields=GOVERNANCE_FIELDS,
        **{**data, "order": data["order"] or body.order},
    )
    return body


@transaction.atomic
def governance_body_remove(*, actor: User, body: GovernanceBody, roles: frozenset[str]) -> None:
    """Packs already built keep their copy of Appendix 2; later packs leave the body out."""
    require_builder(roles)
    audited_delete(actor=actor, instance=body, partnership=body.partnership, fields=GOVERNANCE_FIELDS)
