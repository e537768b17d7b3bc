"""Every read of meetings and packs. Scoping to the current partnership lives here: another's is a 404."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from core.models import Partnership
from reports.models import (
    Appendix,
    GovernanceBody,
    GovernanceDocument,
    GovernanceRelation,
    Meeting,
    Pack,
    PackAttachment,
)
from sef.models import SelfEvaluation


def meetings_in(partnership: Partnership) -> QuerySet[Meeting]:
    return Meeting.objects.filter(partnership=partnership).annotate(
        ready_packs=Count("packs", filter=Q(packs__status=Pack.Status.READY))
    )


def meeting_in(partnership: Partnership, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("narrative", "narrative__edited_by").prefetch_related(
            Prefetch("packs", queryset=Pack.objects.select_related("requested_by").order_by("-version")),
            Prefetch("appendices", queryset=Appendix.objects.order_by("order", "pk")),
        ),
        partnership=partnership,
        pk=pk,
    )


def pack_in(partnership: Partnership, pk: int) -> Pack:
    return get_object_or_404(
        Pack.objects.select_related("meeting", "requested_by"), meeting__partnership=partnership, pk=pk
    )


def pack_for_task(pk: int) -> Pack:
    """The worker's read: the task carries only the id, already checked when the pack was requested."""
    return Pack.objects.select_related("meeting__partnership", "meeting__narrative").get(pk=pk)


def previous_ready_pack(pack: Pack) -> Pack | None:
    """The partnership's last finished pack before this one: what 'change since the last pack' is measured from."""
    earlier = Pack.objects.filter(
        meeting__partnership_id=pack.meeting.partnership_id, status=Pack.Status.READY
    ).exclude(pk=pack.pk)
    if pack.as_at is not None:
        earlier = earlier.filter(as_at__lt=pack.as_at)
    return earlier.order_by("-as_at").first()


def last_ready_pack(partnership: Partnership) -> Pack | None:
    return (
        Pack.objects.filter(meeting__partnership=partnership, status=Pack.Status.READY)
        .order_by("-as_at")
        .first()
    )


def governance_of(partnership: Partnership) -> list[GovernanceBody]:
    return list(GovernanceBody.objects.filter(partnership=partnership).order_by("order", "name"))


def governance_body_in(partnership: Partnership, pk: int) -> GovernanceBody:
    return get_object_or_404(GovernanceBody, partnership=partnership, pk=pk)


def sef_for_pack(partnership: Partnership) -> SelfEvaluation | None:
    """The version awaiting the Board's agreement, or else the current agreed one."""
    versions = SelfEvaluation.objects.filter(partnership=partnership).select_related("framework")
    return (
        versions.filter(status=SelfEvaluation.Status.SUBMITTED).order_by("-version").first()
        or versions.filter(status=SelfEvaluation.Status.AGREED).order_by("-version").first()
    )


def meetings_due_a_pack(today: date) -> QuerySet[Meeting]:
    """Meetings still to come with no scheduled pack yet; the caller checks each one's build window."""
    return Meeting.objects.filter(date__gte=today).exclude(packs__trigger=Pack.Trigger.SCHEDULE)


def governance_relations_of(partnership: Partnership) -> list[GovernanceRelation]:
    return list(
        GovernanceRelation.objects.filter(body__partnership=partnership)
        .select_related("body", "to")
        .order_by("body__order", "to__order", "kind")
    )


def governance_documents_of(partnership: Partnership) -> QuerySet[GovernanceDocument]:
    return GovernanceDocument.objects.filter(body__partnership=partnership).select_related("body")


def appendices_of(meeting: Meeting) -> list[Appendix]:
    """The meeting's appendices in the order the pack prints them."""
    return list(
        Appendix.objects.filter(meeting=meeting)
        .select_related("document__body", "evaluation")
        .order_by("order", "pk")
    )


def appendix_in(partnership: Partnership, pk: int) -> Appendix:
    return get_object_or_404(
        Appendix.objects.select_related("meeting"), meeting__partnership=partnership, pk=pk
    )


def pack_attachment_in(partnership: Partnership, pack_pk: int, number: int) -> PackAttachment:
    return get_object_or_404(
        PackAttachment.objects.select_related("pack__meeting"),
        pack__meeting__partnership=partnership,
        pack__status=Pack.Status.READY,
        pack_id=pack_pk,
        number=number,
    )


def governance_bodies_in(partnership: Partnership) -> QuerySet[GovernanceBody]:
    return GovernanceBody.objects.filter(partnership=partnership).order_by("order", "name")


def relations_initial(body: GovernanceBody) -> dict[str, list[int]]:
    """The bodies this one reports and is accountable to, as the governance form's initial choices."""
    relations = GovernanceRelation.objects.filter(body=body)
    return {
        "reports_to_bodies": [r.to_id for r in relations if r.kind == GovernanceRelation.Kind.REPORTS_TO],
        "accountable_to_bodies": [
            r.to_id for r in relations if r.kind == GovernanceRelation.Kind.ACCOUNTABLE_TO
        ],
    }


def governance_page(partnership: Partnership) -> list[GovernanceBody]:
    """The bodies with who each answers to and the documents held for it, in three queries."""
    return list(
        governance_bodies_in(partnership).prefetch_related(
            Prefetch(
                "answers_to", queryset=GovernanceRelation.objects.select_related("to").order_by("to__order")
            ),
            Prefetch("documents", queryset=GovernanceDocument.objects.order_by("kind", "-version")),
        )
    )


def governance_document_in(partnership: Partnership, pk: int) -> GovernanceDocument:
    return get_object_or_404(
        GovernanceDocument.objects.select_related("body"), body__partnership=partnership, pk=pk
    )
