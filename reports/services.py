"""Every write of meetings, narratives and packs, each audited. The pack build itself runs in a worker."""

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.template.defaultfilters import pluralize
from django.utils import timezone

from core.audit import audit_record, audited_create, audited_delete, audited_update, snapshot
from core.jobs import send_task
from core.models import AuditEvent, Partnership, User
from core.permissions import require_perm
from core.selectors import next_order
from core.storage import delete_after_commit, sha256_of
from reports import selectors
from reports.appendices import NOT_ATTACHED_NOTE, check_upload
from reports.audiences import audience_part
from reports.content import comparison_baseline, gather
from reports.drafting import (
    NOTHING_TO_DRAFT_FROM,
    draft_fields,
    draft_sections,
    drafting_window,
    redraft_into,
)
from reports.models import (
    FRONT_SHEET_FIELDS,
    Appendix,
    FrontSheet,
    GovernanceBody,
    GovernanceDocument,
    GovernanceRelation,
    Meeting,
    Narrative,
    Pack,
    PackAttachment,
)
from reports.rendering import render_pack
from reports.report_types import kind_of, sections_of, written_fields
from sef.models import SelfEvaluation

logger = logging.getLogger(__name__)

QUEUE_DOWN_MESSAGE = (
    "The pack could not be queued because the job service is not available. Nothing was lost: "
    "try again in a few minutes."
)
BUILD_FAILED_MESSAGE = (
    "The pack could not be built. Try again; if it fails again, tell the portal's administrators."
)
REASON_NEEDED = "Enter why a new version is needed"
LOCK_NAMESPACE = 7007  # pairs with the pack id in PostgreSQL's two-key advisory locks


MEETING_TAKEN = "There is already a meeting of this board on that date with that agenda item number"
MEETING_FIELDS = [
    "body",
    "council",
    "date",
    "agenda_item",
    "item_time",
    "report_title",
    "agenda_title",
    "report_of",
    "report_author",
    "executive_director",
    "classification",
    "key_decision",
    "democratic_contact",
    "issue_date",
    "data_cut_off",
    "other_items",
    "after_the_agenda",
    "build_days_before",
    "report_type",
    "sections",
]


def require_free_slot(partnership: Partnership, data: dict[str, Any], meeting: Meeting | None = None) -> None:
    others = Meeting.objects.filter(
        partnership=partnership, body=data["body"], date=data["date"], agenda_item=data["agenda_item"]
    )
    if meeting is not None:
        others = others.exclude(pk=meeting.pk)
    if others.exists():
        raise ValidationError({"agenda_item": MEETING_TAKEN})


def default_appendices(meeting: Meeting) -> list[Appendix]:
    """A new meeting's appendices, as its report type starts them; democratic services then change them."""
    return [
        Appendix.objects.create(meeting=meeting, order=order, kind=kind, title=Appendix.Kind(kind).label)
        for order, kind in enumerate(kind_of(meeting.report_type).appendices, start=1)
    ]


@transaction.atomic
def meeting_create(*, actor: User, partnership: Partnership, data: dict[str, Any]) -> Meeting:
    require_perm(actor, "reports.build_packs", partnership)
    require_free_slot(partnership, data)
    meeting = Meeting.objects.create(partnership=partnership, created_by=actor, **data)
    default_appendices(meeting)
    narrative = Narrative.objects.create(meeting=meeting, **draft_fields(meeting, now=timezone.now()))
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        instance=meeting,
        partnership=partnership,
        after=snapshot(meeting),
    )
    audit_record(actor=actor, verb=AuditEvent.Verb.DRAFT, instance=narrative, partnership=partnership)
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Corrects what was recorded. Versions already built keep what they said; the next one uses this."""
    require_perm(actor, "reports.build_packs", meeting)
    require_free_slot(meeting.partnership, data, meeting)
    audited_update(
        actor=actor,
        instance=meeting,
        verb=AuditEvent.Verb.UPDATED,
        partnership=meeting.partnership,
        fields=MEETING_FIELDS,
        **{name: data[name] for name in MEETING_FIELDS},
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """A cancelled meeting gets no more packs; a version already published stays on record."""
    require_perm(actor, "reports.build_packs", meeting)
    if meeting.is_cancelled:
        raise ValidationError("This meeting is already cancelled.", code="cancelled")
    audited_update(
        actor=actor,
        instance=meeting,
        verb=AuditEvent.Verb.CANCELLED,
        partnership=meeting.partnership,
        fields=["cancelled_at", "cancellation_reason"],
        cancelled_at=timezone.now(),
        cancelled_by=actor,
        cancellation_reason=reason,
    )
    return meeting


MEETING_PUBLISHED = (
    "This meeting cannot be deleted because a version of its pack has been published. "
    "Board members have read it, so it stays on record: cancel the meeting instead."
)


@transaction.atomic
def meeting_delete(*, actor: User, meeting: Meeting) -> None:
    """Removes a meeting recorded by mistake, with its narrative and draft packs, while nothing is published."""
    require_perm(actor, "reports.build_packs", meeting)
    packs = list(Pack.objects.select_for_update().filter(meeting=meeting))
    if any(pack.is_published for pack in packs):
        raise ValidationError(MEETING_PUBLISHED, code="published")
    for pack in packs:
        files = [stored for stored in (pack.pdf, pack.html) if stored]
        audited_delete(
            actor=actor, instance=pack, partnership=meeting.partnership, fields=["version", "status"]
        )
        for stored in files:
            delete_after_commit(stored)
    audited_delete(actor=actor, instance=meeting, partnership=meeting.partnership, fields=MEETING_FIELDS)


@transaction.atomic
def narrative_update(*, actor: User, narrative: Narrative, data: dict[str, Any]) -> Narrative:
    require_perm(actor, "reports.build_packs", narrative.meeting)
    before = snapshot(narrative)
    for name, value in data.items():
        setattr(narrative, name, value)
    narrative.edited_by = actor
    narrative.edited_at = timezone.now()
    narrative.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        instance=narrative,
        partnership=narrative.meeting.partnership,
        before=before,
        after=snapshot(narrative),
    )
    return narrative


@transaction.atomic
def narrative_sections_update(*, actor: User, narrative: Narrative, texts: dict[str, str]) -> Narrative:
    """The author's texts for the report type's own sections; texts for sections it no longer has are kept."""
    require_perm(actor, "reports.build_packs", narrative.meeting)
    allowed = {
        key
        for key, _ in written_fields(sections_of(narrative.meeting.report_type, narrative.meeting.sections))
    }
    if set(texts) - allowed:
        raise ValidationError("Write only the sections this report has.", code="unknown_section")
    before = dict(narrative.sections)
    narrative.sections = {**narrative.sections, **texts}
    narrative.edited_by = actor
    narrative.edited_at = timezone.now()
    narrative.save(update_fields=["sections", "edited_by", "edited_at"])
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED_SECTIONS,
        instance=narrative,
        partnership=narrative.meeting.partnership,
        before=before,
        after=narrative.sections,
    )
    return narrative


@transaction.atomic
def narrative_redraft(*, actor: User, narrative: Narrative, sections: set[str] | None = None) -> list[str]:
    """Draft again from the evidence now, of the sections the report prints: those the author has not edited,
    and any named in `sections` even if edited. Returns the keys of the sections replaced."""
    require_perm(actor, "reports.build_packs", narrative.meeting)
    before = snapshot(narrative)
    window = drafting_window(narrative.meeting, timezone.now())
    printed = {part.key for part in selectors.narrative_parts_of(narrative.meeting)}
    drafted = {key: section for key, section in draft_sections(window).items() if key in printed}
    unknown = (sections or set()) - set(drafted)
    if unknown:
        raise ValidationError("Choose a section of the narrative to draft again.", code="unknown_section")
    replaced = redraft_into(narrative, drafted, force=sections or set())
    narrative.drafted_at = window.as_at
    narrative.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.REDRAFT,
        instance=narrative,
        partnership=narrative.meeting.partnership,
        before=before,
        after={**snapshot(narrative), "sections": replaced},
    )
    return replaced


@transaction.atomic
def pack_request(
    *, actor: User | None, meeting: Meeting, trigger: str = Pack.Trigger.MANUAL, reason: str = ""
) -> Pack:
    """A new version of the meeting's pack, with data as at the meeting's cut-off (or now, before it).

    After a version is published, another is a supplementary version and needs its reason.
    """
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # versions are numbered one at a time
    if meeting.is_cancelled:
        raise ValidationError("The meeting is cancelled, so no pack is built for it.", code="cancelled")
    version = (meeting.packs.aggregate(v=Max("version"))["v"] or 0) + 1
    supplementary = meeting.packs.filter(published_at__isnull=False).exists()
    if supplementary and not reason.strip():
        raise ValidationError({"reason": REASON_NEEDED})
    now = timezone.now()
    pack = Pack.objects.create(
        meeting=meeting,
        version=version,
        trigger=trigger,
        requested_by=actor,
        requested_at=now,
        as_at=min(now, meeting.cut_off_at),
        supplementary=supplementary,
        reason=reason.strip(),
        issue_date=timezone.localdate(now) if supplementary else meeting.pack_issue_date,
        is_demo=meeting.partnership.has_demo_data,
    )
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.REQUEST,
        instance=pack,
        partnership=meeting.partnership,
        after=snapshot(pack),
    )
    return pack


def pack_queue(pack: Pack) -> bool:
    """Hand the build to a worker; when the queue is down the pack says so instead of waiting forever."""
    if send_task("reports.build_pack", pack_id=pack.pk):
        return True
    Pack.objects.filter(pk=pack.pk, status=Pack.Status.QUEUED).update(
        status=Pack.Status.FAILED, stage="Not queued", error=QUEUE_DOWN_MESSAGE, finished_at=timezone.now()
    )
    return False


@transaction.atomic
def pack_retry(*, actor: User, pack: Pack) -> Pack:
    require_perm(actor, "reports.build_packs", pack.meeting)
    if pack.status != Pack.Status.FAILED:
        raise ValidationError("Only a failed pack can be tried again.", code="not_failed")
    Pack.objects.filter(pk=pack.pk).update(
        status=Pack.Status.QUEUED, stage="Waiting to start", progress=0, error="", finished_at=None
    )
    pack.refresh_from_db()
    audit_record(actor=actor, verb=AuditEvent.Verb.RETRY, instance=pack, partnership=pack.meeting.partnership)
    return pack


def file_sha256(stored: Any) -> str:
    with stored.open("rb"):
        return sha256_of(stored)


def publish_refusal(pack: Pack) -> str:
    """Why this version cannot be published, or an empty string if it can."""
    if pack.status != Pack.Status.READY:
        return "Only a pack that is ready can be published."
    if pack.is_published:
        return "This version is already published."
    later = pack.meeting.packs.filter(version__gt=pack.version, status=Pack.Status.READY).order_by("-version")
    if any(version.is_published for version in later):
        return "A later version is already published."
    if later:
        return f"Version {later[0].version} is newer and ready: publish that one, so that the board reads the latest."
    notes = notes_to_the_author(pack)
    if notes:
        quoted = ", ".join(f"“{note.split(':')[0].strip()}”" for note in notes)
        return (
            f"It prints the portal's {pluralize(len(notes), 'note,notes')} to its author where the report's own words "
            f"should be: {quoted}. Write "
            f"{pluralize(len(notes), 'that part,those parts')} in the narrative or add the appendix, then build a "
            "new version and publish that."
        )
    return ""


def notes_to_the_author(pack: Pack) -> list[str]:
    """The notes the portal drafts or prints for the report's author, not its readers, that this version prints:
    a section there was nothing to draft from, or a cross-reference to an appendix the pack lacks. Read from the
    version's own web page, which says what its PDF says."""
    with pack.html.open("rb") as page:
        printed = page.read().decode()
    return [note for note in (*NOTHING_TO_DRAFT_FROM, NOT_ATTACHED_NOTE) if note.strip() in printed]


@transaction.atomic
def pack_publish(*, actor: User, pack: Pack) -> Pack:
    """Lets board members read a ready version, locked by the checksums of its files as they are now."""
    require_perm(actor, "reports.build_packs", pack.meeting)
    pack = Pack.objects.select_for_update(of=("self",)).select_related("meeting__partnership").get(pk=pack.pk)
    refusal = publish_refusal(pack)
    if refusal:
        raise ValidationError(refusal, code="not_publishable")
    audited_update(
        actor=actor,
        instance=pack,
        verb=AuditEvent.Verb.PUBLISHED,
        partnership=pack.meeting.partnership,
        fields=["version", "published_at", "pdf_sha256", "html_sha256"],
        published_at=timezone.now(),
        published_by=actor,
        pdf_sha256=file_sha256(pack.pdf),
        html_sha256=file_sha256(pack.html),
    )
    return pack


def pack_record_download(*, actor: User, pack: Pack, kind: str) -> None:
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.DOWNLOAD,
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


@contextmanager
def heartbeat(pack_id: int) -> Iterator[None]:
    """Records a sign of life every PACK_HEARTBEAT_SECONDS while the block runs.

    A thread, because one stage (WeasyPrint laying out 70 pages) takes seconds with no point to report from.
    If the whole worker process dies the beats stop, and packs_recover_stalled notices.
    """
    stop = threading.Event()

    def beat() -> None:
        try:
            while True:
                Pack.objects.filter(pk=pack_id).update(heartbeat_at=timezone.now())
                if stop.wait(settings.PACK_HEARTBEAT_SECONDS):
                    return
        finally:
            connection.close()  # the thread's own database connection

    thread = threading.Thread(target=beat, name=f"pack-{pack_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


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
            with heartbeat(pack.pk):
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
    baseline = comparison_baseline(pack.meeting, pack.as_at)
    content = gather(pack.meeting, pack.as_at, baseline.get("snapshot"))
    content.compared_with = baseline
    content.previous_as_at = datetime.fromisoformat(baseline["as_at"]) if baseline else None
    content.audience = audience_part(content)
    rendered = render_pack(content, pack, lambda stage, progress: set_stage(pack, stage, progress))
    set_stage(pack, "Saving the files", 95)
    kind = kind_of(pack.meeting.report_type)
    stem = f"{kind.file_stem}-{pack.meeting.date:%Y-%m-%d}-item-{pack.meeting.agenda_item}-v{pack.version}"
    pack.pdf.save(f"{stem}.pdf", ContentFile(rendered.pdf), save=False)
    pack.html.save(f"{stem}.html", ContentFile(rendered.html.encode()), save=False)
    attachments = pack_attachments(pack, content)
    pack.page_count = rendered.page_count
    pack.snapshot = content.snapshot
    pack.compared_with = baseline
    pack.status = Pack.Status.READY
    pack.stage = "Ready"
    pack.progress = 100
    pack.finished_at = timezone.now()
    with transaction.atomic():
        PackAttachment.objects.filter(pack=pack).delete()  # from an attempt that died before finishing
        for attachment in attachments:
            attachment.save()
        pack.save(
            update_fields=[
                "pdf",
                "html",
                "page_count",
                "snapshot",
                "compared_with",
                "status",
                "stage",
                "progress",
                "finished_at",
            ]
        )
        audit_record(
            actor=None,
            verb=AuditEvent.Verb.BUILD,
            instance=pack,
            partnership=pack.meeting.partnership,
            after={"version": pack.version, "pages": pack.page_count, "as_at": str(pack.as_at)},
        )


def pack_attachments(pack: Pack, content: Any) -> list[PackAttachment]:
    """The pack's own copies of its uploaded appendices, which its HTML twin links, not yet saved."""
    attachments = []
    for item in content.appendices:
        appendix = item.appendix
        if not appendix.is_uploaded:
            continue
        attachment = PackAttachment(
            pack=pack, number=item.number, title=appendix.title, file_type=appendix.file_type
        )
        with appendix.file.open("rb") as stream:
            name = f"appendix-{item.number}{os.path.splitext(appendix.file.name)[1].lower()}"
            attachment.file.save(name, ContentFile(stream.read()), save=False)
        attachments.append(attachment)
    return attachments


def packs_build_due(*, today: date) -> int:
    """Scheduled builds: one pack per meeting, once its build window opens. Running twice queues nothing new."""
    queued = 0
    for meeting in selectors.meetings_due_a_pack(today):
        if today < meeting.automatic_build_date:
            continue
        try:
            pack = pack_request(actor=None, meeting=meeting, trigger=Pack.Trigger.SCHEDULE)
        except IntegrityError:
            continue  # another run of the schedule got there first
        queued += pack_queue(pack)
    return queued


@transaction.atomic
def front_sheet_save(*, actor: User, partnership: Partnership, data: dict[str, Any]) -> FrontSheet:
    """The council's details for the front sheet of packs built from now on; the partnership admin keeps them."""
    require_perm(actor, "reports.keep_front_sheet", partnership)
    sheet = selectors.front_sheet_of(partnership)
    if sheet is None:
        sheet = FrontSheet.objects.create(partnership=partnership, **data)
        audited_create(actor=actor, instance=sheet, partnership=partnership, fields=FRONT_SHEET_FIELDS)
        return sheet
    audited_update(
        actor=actor,
        instance=sheet,
        verb=AuditEvent.Verb.UPDATED,
        partnership=partnership,
        fields=FRONT_SHEET_FIELDS,
        **data,
    )
    return sheet


GOVERNANCE_FIELDS = ["order", "name", "purpose", "reports_to", "meets", "membership"]


def require_new_body_name(partnership: Partnership, name: str, body: GovernanceBody | None = None) -> None:
    others = GovernanceBody.objects.filter(partnership=partnership, name__iexact=name.strip())
    if body is not None:
        others = others.exclude(pk=body.pk)
    if others.exists():
        raise ValidationError(f"There is already a board or group called “{name}”")


Relations = dict[str, list[GovernanceBody]]  # kind of relation -> the bodies answered to


def governance_relations_set(*, actor: User, body: GovernanceBody, relations: Relations) -> None:
    """Who the body reports and is accountable to, replacing what was recorded; a change is audited."""
    for targets in relations.values():
        if any(target.partnership_id != body.partnership_id or target.pk == body.pk for target in targets):
            raise ValidationError("Choose other boards or groups of this partnership", code="relation")
    current = {
        (r.kind, r.to_id): r for r in GovernanceRelation.objects.filter(body=body).select_related("to")
    }
    wanted = {(kind, target.pk) for kind, targets in relations.items() for target in targets}
    if set(current) == wanted:
        return
    before = sorted(str(r) for r in current.values())
    GovernanceRelation.objects.filter(
        pk__in=[r.pk for key, r in current.items() if key not in wanted]
    ).delete()
    for kind, targets in relations.items():
        for target in targets:
            if (kind, target.pk) not in current:
                GovernanceRelation.objects.create(body=body, to=target, kind=kind)
    after = sorted(str(r) for r in GovernanceRelation.objects.filter(body=body).select_related("body", "to"))
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CHANGED_RELATIONS,
        instance=body,
        partnership=body.partnership,
        before={"relations": before},
        after={"relations": after},
    )


@transaction.atomic
def governance_body_add(
    *,
    actor: User,
    partnership: Partnership,
    data: dict[str, Any],
    relations: Relations | None = None,
) -> GovernanceBody:
    """A board or group for the governance chart; without a position it goes last."""
    require_perm(actor, "reports.build_packs", partnership)
    require_new_body_name(partnership, data["name"])
    order = data["order"] or next_order(GovernanceBody.objects.filter(partnership=partnership))
    body = GovernanceBody.objects.create(partnership=partnership, **{**data, "order": order})
    audited_create(actor=actor, instance=body, partnership=partnership, fields=GOVERNANCE_FIELDS)
    governance_relations_set(actor=actor, body=body, relations=relations or {})
    return body


@transaction.atomic
def governance_body_update(
    *,
    actor: User,
    body: GovernanceBody,
    data: dict[str, Any],
    relations: Relations | None = None,
) -> GovernanceBody:
    """The body's details, and when given, who it reports and is accountable to."""
    require_perm(actor, "reports.build_packs", body)
    require_new_body_name(body.partnership, data["name"], body)
    audited_update(
        actor=actor,
        instance=body,
        verb=AuditEvent.Verb.UPDATED,
        partnership=body.partnership,
        fields=GOVERNANCE_FIELDS,
        **{**data, "order": data["order"] or body.order},
    )
    if relations is not None:
        governance_relations_set(actor=actor, body=body, relations=relations)
    return body


@transaction.atomic
def governance_body_remove(*, actor: User, body: GovernanceBody) -> None:
    """Packs already built keep their governance chart; later packs leave the body and its lines out. A body
    whose document a meeting prints as an appendix stays until that appendix is removed."""
    require_perm(actor, "reports.build_packs", body)
    used = Appendix.objects.filter(document__body=body).select_related("meeting").first()
    if used is not None:
        raise ValidationError(
            f"{body.name} cannot be removed while “{used.title}” is an appendix of the pack for the "
            f"{used.meeting}. Remove that appendix first.",
            code="document_in_use",
        )
    audited_delete(actor=actor, instance=body, partnership=body.partnership, fields=GOVERNANCE_FIELDS)


STALLED_MESSAGE = (
    "The worker building this pack stopped without finishing, twice (its last sign of life was at {time}). "
    "Nothing was lost: try again, and if it stops again tell the portal's administrators."
)


def packs_recover_stalled(*, now: datetime) -> int:
    """Builds whose worker died (no heartbeat for PACK_STALLED_SECONDS): queued once more, or failed with the
    reason after a second stall, so that no pack says "Building" for ever. Returns how many it dealt with."""
    stalled_before = now - timedelta(seconds=settings.PACK_STALLED_SECONDS)
    stalled = Pack.objects.filter(status=Pack.Status.BUILDING).filter(
        Q(heartbeat_at__lt=stalled_before) | Q(heartbeat_at__isnull=True, started_at__lt=stalled_before)
    )
    dealt_with = 0
    for pack in stalled.select_related("meeting"):
        with build_lock(pack.pk) as free:
            if not free:
                continue  # a live worker holds it: its beats are late, not stopped
            dealt_with += 1
            if pack.attempts < 2:
                pack_requeue_after_stall(pack)
            else:
                pack_fail_after_stall(pack)
    return dealt_with


def pack_requeue_after_stall(pack: Pack) -> None:
    Pack.objects.filter(pk=pack.pk, status=Pack.Status.BUILDING).update(
        status=Pack.Status.QUEUED,
        stage="Waiting to start again: the last build stopped before it finished",
        progress=0,
    )
    audit_record(
        actor=None,
        verb=AuditEvent.Verb.REQUEUE,
        instance=pack,
        partnership=pack.meeting.partnership,
        after={"reason": "the worker stopped sending signs of life", "attempts": pack.attempts},
    )
    pack_queue(pack)


def pack_fail_after_stall(pack: Pack) -> None:
    last_seen = timezone.localtime(pack.heartbeat_at or pack.started_at or timezone.now())
    Pack.objects.filter(pk=pack.pk, status=Pack.Status.BUILDING).update(
        status=Pack.Status.FAILED,
        stage="Failed",
        error=STALLED_MESSAGE.format(time=f"{last_seen:%H:%M:%S}"),
        finished_at=timezone.now(),
    )
    audit_record(
        actor=None,
        verb=AuditEvent.Verb.FAIL,
        instance=pack,
        partnership=pack.meeting.partnership,
        after={"reason": "the worker stopped twice", "attempts": pack.attempts},
    )


# Appendices: the ordered list each meeting's pack prints

APPENDIX_FIELDS = [
    "order",
    "kind",
    "title",
    "evaluation",
    "document",
    "file",
    "file_type",
    "file_pages",
    "file_tagged",
]
ONE_EACH = {
    Appendix.Kind.ANNUAL_UPDATE,
    Appendix.Kind.ACTION_STATUS,
    Appendix.Kind.KPIS,
    Appendix.Kind.GOVERNANCE_CHART,
}


def require_not_attached(
    meeting: Meeting, kind: str, document: GovernanceDocument | None, evaluation: SelfEvaluation | None
) -> None:
    attached = Appendix.objects.filter(meeting=meeting, kind=kind)
    if kind == Appendix.Kind.DOCUMENT:
        attached = attached.filter(document=document)
    elif kind == Appendix.Kind.SEF:
        attached = attached.filter(evaluation=evaluation)
    elif kind not in ONE_EACH:
        return
    if attached.exists():
        raise ValidationError("This pack already has that appendix", code="duplicate")


@transaction.atomic
def appendix_add(
    *,
    actor: User,
    meeting: Meeting,
    kind: str,
    title: str,
    document: GovernanceDocument | None = None,
    evaluation: SelfEvaluation | None = None,
) -> Appendix:
    """A generated appendix, or a governance document the portal holds, added last."""
    require_perm(actor, "reports.build_packs", meeting)
    if kind == Appendix.Kind.UPLOAD:
        raise ValidationError("Upload a file to add it as an appendix", code="upload")
    if kind == Appendix.Kind.DOCUMENT and (
        document is None or document.body.partnership_id != meeting.partnership_id
    ):
        raise ValidationError("Choose the document to attach", code="document")
    if evaluation is not None and evaluation.partnership_id != meeting.partnership_id:
        raise ValidationError("Choose a version of this partnership's SEF", code="evaluation")
    require_not_attached(meeting, kind, document, evaluation)
    appendix = Appendix.objects.create(
        meeting=meeting,
        order=next_order(Appendix.objects.filter(meeting=meeting)),
        kind=kind,
        title=title,
        document=document if kind == Appendix.Kind.DOCUMENT else None,
        evaluation=evaluation if kind == Appendix.Kind.SEF else None,
    )
    audited_create(actor=actor, instance=appendix, partnership=meeting.partnership, fields=APPENDIX_FIELDS)
    return appendix


def forget_file_on_commit(appendix: Appendix) -> None:
    """The meeting's copy of a replaced or removed file goes once the change is saved; packs keep their own."""
    if appendix.file:
        delete_after_commit(appendix.file)


def renumber(appendices: list[Appendix]) -> None:
    """Gives the appendices the numbers of their places in the list, writing only those that change."""
    for position, item in enumerate(appendices, start=1):
        if item.order != position:
            Appendix.objects.filter(pk=item.pk).update(order=position)


def store_upload(appendix: Appendix, upload: UploadedFile, description: str) -> None:
    checked = check_upload(upload)
    appendix.file_type = checked.content_type
    appendix.file_pages = checked.pages
    appendix.file_tagged = checked.tagged
    appendix.description = description
    appendix.file.save(os.path.basename(upload.name or "appendix"), upload, save=False)


@transaction.atomic
def appendix_upload(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    upload: UploadedFile,
    description: str = "",
) -> Appendix:
    """An uploaded PDF or image, checked and added last. The caller tells the uploader when a PDF is not tagged."""
    require_perm(actor, "reports.build_packs", meeting)
    appendix = Appendix(
        meeting=meeting,
        order=next_order(Appendix.objects.filter(meeting=meeting)),
        kind=Appendix.Kind.UPLOAD,
        title=title,
    )
    store_upload(appendix, upload, description)
    appendix.save()
    audited_create(actor=actor, instance=appendix, partnership=meeting.partnership, fields=APPENDIX_FIELDS)
    return appendix


@transaction.atomic
def appendix_replace(
    *, actor: User, appendix: Appendix, upload: UploadedFile, description: str = ""
) -> Appendix:
    """The appendix keeps its place and title and prints the uploaded file instead: a chart image for the
    governance chart, say. Packs already built keep their own copy of what they printed."""
    require_perm(actor, "reports.build_packs", appendix.meeting)
    before = snapshot(appendix, APPENDIX_FIELDS)
    forget_file_on_commit(appendix)
    store_upload(appendix, upload, description)
    appendix.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.REPLACED,
        instance=appendix,
        partnership=appendix.meeting.partnership,
        before=before,
        after=snapshot(appendix, APPENDIX_FIELDS),
    )
    return appendix


@transaction.atomic
def appendix_rename(*, actor: User, appendix: Appendix, title: str) -> Appendix:
    require_perm(actor, "reports.build_packs", appendix.meeting)
    audited_update(
        actor=actor,
        instance=appendix,
        verb=AuditEvent.Verb.RENAMED,
        partnership=appendix.meeting.partnership,
        fields=APPENDIX_FIELDS,
        title=title,
    )
    return appendix


@transaction.atomic
def appendix_move(*, actor: User, appendix: Appendix, up: bool) -> None:
    """Swaps the appendix with the one before (up) or after it; the numbers in the narrative follow."""
    require_perm(actor, "reports.build_packs", appendix.meeting)
    Meeting.objects.select_for_update().filter(pk=appendix.meeting_id).first()  # one reorder at a time
    ordered = list(Appendix.objects.filter(meeting_id=appendix.meeting_id).order_by("order", "pk"))
    index = next(i for i, a in enumerate(ordered) if a.pk == appendix.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        raise ValidationError("That appendix cannot move further", code="at_end")
    ordered[index], ordered[other] = ordered[other], ordered[index]
    before = [a.title for a in sorted(ordered, key=lambda a: (a.order, a.pk))]
    renumber(ordered)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.REORDERED_APPENDICES,
        instance=appendix.meeting,
        partnership=appendix.meeting.partnership,
        before={"appendices": before},
        after={"appendices": [a.title for a in ordered]},
    )


@transaction.atomic
def appendix_remove(*, actor: User, appendix: Appendix) -> None:
    """Left out of packs built from now on; the ones after it move up a number."""
    require_perm(actor, "reports.build_packs", appendix.meeting)
    meeting = appendix.meeting
    forget_file_on_commit(appendix)
    audited_delete(actor=actor, instance=appendix, partnership=meeting.partnership, fields=APPENDIX_FIELDS)
    renumber(list(Appendix.objects.filter(meeting=meeting).order_by("order", "pk")))
