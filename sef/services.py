"""Every change to a self-evaluation: start a draft, edit an area, submit, record the Board's agreement."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from core.audit import audit_record, audited_create, audited_delete, audited_update, snapshot
from core.models import AuditEvent, Partnership, User
from core.permissions import require_perm
from core.selectors import next_order
from sef import selectors
from sef.models import (
    AreaEvaluation,
    AreaItem,
    ContextSection,
    InspectionFramework,
    JudgementLevel,
    KeyIssue,
    PreviousPriority,
    Priority,
    PriorityGroup,
    SelfEvaluation,
)


class StaleEditError(ValidationError):
    """Someone else saved the same part after the editor opened it; nothing was saved."""


def require_draft(evaluation: SelfEvaluation) -> None:
    if not evaluation.is_editable:
        raise ValidationError(
            f"Version {evaluation.version} is {evaluation.get_status_display().lower()}: only a draft can change."
        )


@transaction.atomic
def judgement_scale_ensure_default(
    *, partnership: Partnership, framework: InspectionFramework
) -> list[JudgementLevel]:
    """The partnership's scale; a partnership without one gets the inspection outcomes, worded as published."""
    levels = list(partnership.judgement_levels.all())
    if levels:
        return levels
    return [
        JudgementLevel.objects.create(
            partnership=partnership,
            order=outcome.number,
            label=outcome.text,
            description=outcome.follow_up,
            outcome=outcome,
        )
        for outcome in framework.outcomes.all()
    ]


@transaction.atomic
def evaluation_start_draft(*, actor: User, partnership: Partnership) -> SelfEvaluation:
    """A new draft with everything in the latest version copied forward (or every area empty, if none)."""
    require_perm(actor, "sef.edit_evaluation", partnership)
    versions = SelfEvaluation.objects.select_for_update().filter(partnership=partnership).order_by("-version")
    if versions.filter(status=SelfEvaluation.Status.DRAFT).exists():
        raise ValidationError("There is already a draft: carry on with it instead of starting another.")
    latest = versions.first()
    framework = latest.framework if latest else selectors.latest_framework()
    if framework is None:
        raise ValidationError("No inspection framework is loaded.")
    judgement_scale_ensure_default(partnership=partnership, framework=framework)
    draft = SelfEvaluation.objects.create(
        partnership=partnership,
        framework=framework,
        version=latest.version + 1 if latest else 1,
        based_on=latest,
        title=latest.title if latest else f"{partnership.name}: SEND Self Evaluation",
        dated=timezone.localdate(),
        status=SelfEvaluation.Status.DRAFT,
        created_by=actor,
        **({field: getattr(latest, field) for field in COPIED_TEXT_FIELDS} if latest else {}),
    )
    if latest:
        copy_contents(latest, draft)
    missing = framework.areas.exclude(evaluations__evaluation=draft)
    AreaEvaluation.objects.bulk_create(AreaEvaluation(evaluation=draft, area=area) for area in missing)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        instance=draft,
        partnership=partnership,
        after={**snapshot(draft), "based_on_version": latest.version if latest else None},
    )
    return draft


COPIED_TEXT_FIELDS = [
    "introduction",
    "summary_text",
    "part_a_title",
    "part_a_closing",
    "part_b_title",
    "part_b_closing",
    "part_c_title",
    "part_c_introduction",
]


def copy_contents(source: SelfEvaluation, target: SelfEvaluation) -> None:
    """Copies every part, item and link; each copy is a new row so the source version never changes."""
    sections = {
        old.pk: ContextSection.objects.create(
            evaluation=target,
            order=old.order,
            heading=old.heading,
            narrative=old.narrative,
            data_references=old.data_references,
        )
        for old in source.sections.all()
    }
    for old_issue in source.key_issues.prefetch_related("areas"):
        issue = KeyIssue.objects.create(
            evaluation=target,
            section=sections[old_issue.section_id],
            order=old_issue.order,
            text=old_issue.text,
            after_paragraph=old_issue.after_paragraph,
        )
        issue.areas.set(old_issue.areas.all())
    for old_area in source.area_evaluations.prefetch_related("items", "actions"):
        area = AreaEvaluation.objects.create(
            evaluation=target,
            area_id=old_area.area_id,
            improve_heading=old_area.improve_heading,
            judgement_id=old_area.judgement_id,
            judgement_rationale=old_area.judgement_rationale,
        )
        AreaItem.objects.bulk_create(
            AreaItem(area_evaluation=area, heading=item.heading, order=item.order, text=item.text)
            for item in old_area.items.all()
        )
        area.actions.set(old_area.actions.all())
    for old_group in source.priority_groups.prefetch_related("priorities__actions"):
        group = PriorityGroup.objects.create(
            evaluation=target,
            number=old_group.number,
            heading=old_group.heading,
            recommendation_id=old_group.recommendation_id,
        )
        for old_priority in old_group.priorities.all():
            priority = Priority.objects.create(group=group, order=old_priority.order, text=old_priority.text)
            priority.actions.set(old_priority.actions.all())
    PreviousPriority.objects.bulk_create(
        PreviousPriority(evaluation=target, order=p.order, text=p.text, rating=p.rating, period=p.period)
        for p in source.previous_priorities.all()
    )


def area_picture(area_evaluation: AreaEvaluation) -> dict[str, Any]:
    """What an area says and links to, for the audit trail."""
    items: dict[str, list[str]] = {heading: [] for heading in AreaItem.Heading.values}
    for item in area_evaluation.items.order_by("heading", "order"):
        items[item.heading].append(item.text)
    return {
        **items,
        "judgement": str(area_evaluation.judgement) if area_evaluation.judgement else None,
        "judgement_rationale": area_evaluation.judgement_rationale,
        "actions": sorted(a.reference for a in area_evaluation.actions.all()),
        "key_issues": sorted(
            k.order
            for k in area_evaluation.area.key_issues.filter(evaluation_id=area_evaluation.evaluation_id)
        ),
    }


@transaction.atomic
def area_evaluation_update(
    *,
    actor: User,
    area_evaluation: AreaEvaluation,
    expected_row_version: int,
    items: dict[str, list[str]],
    judgement: JudgementLevel | None,
    judgement_rationale: str,
    actions: list[Action],
    key_issues: list[KeyIssue],
) -> AreaEvaluation:
    """Saves an area if nobody else has saved it since the editor opened it; otherwise raises StaleEditError."""
    evaluation = area_evaluation.evaluation
    partnership = evaluation.partnership
    require_perm(actor, "sef.edit_evaluation", partnership)
    current = (
        AreaEvaluation.objects.select_for_update()
        .select_related("area", "evaluation")
        .get(pk=area_evaluation.pk)
    )
    require_draft(current.evaluation)
    if current.row_version != expected_row_version:
        raise StaleEditError(
            "Someone else saved this area while you were editing it, so your changes have not been saved yet.",
            code="stale",
        )
    if judgement is not None and judgement.partnership_id != partnership.pk:
        raise ValidationError("Choose a judgement from your partnership's scale.")
    if any(action.recommendation.plan.partnership_id != partnership.pk for action in actions):
        raise ValidationError("Choose actions from your partnership's plan.")
    if any(issue.evaluation_id != evaluation.pk for issue in key_issues):
        raise ValidationError("Choose key issues from this version.")
    before = area_picture(current)
    current.items.all().delete()
    AreaItem.objects.bulk_create(
        AreaItem(area_evaluation=current, heading=heading, order=order, text=text)
        for heading in AreaItem.Heading.values
        for order, text in enumerate(items.get(heading, []), start=1)
    )
    current.judgement = judgement
    current.judgement_rationale = judgement_rationale
    current.row_version += 1
    current.last_edited_by = actor
    current.last_edited_at = timezone.now()
    current.save()
    current.actions.set(actions)
    linked = KeyIssue.areas.through.objects.filter(
        keyissue__evaluation=evaluation, evaluationarea=current.area
    )
    linked.exclude(keyissue__in=key_issues).delete()
    for issue in key_issues:
        issue.areas.add(current.area)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        instance=current,
        partnership=partnership,
        before=before,
        after=area_picture(current),
    )
    return current


@transaction.atomic
def evaluation_submit(
    *, actor: User, evaluation: SelfEvaluation, meeting_body: str, meeting_date: date
) -> SelfEvaluation:
    require_perm(actor, "sef.edit_evaluation", evaluation.partnership)
    evaluation = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    require_draft(evaluation)
    before = snapshot(evaluation)
    evaluation.status = SelfEvaluation.Status.SUBMITTED
    evaluation.meeting_body = meeting_body
    evaluation.meeting_date = meeting_date
    evaluation.submitted_by = actor
    evaluation.submitted_at = timezone.now()
    evaluation.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.SUBMITTED,
        instance=evaluation,
        partnership=evaluation.partnership,
        before=before,
        after=snapshot(evaluation),
    )
    return evaluation


@transaction.atomic
def evaluation_record_agreement(
    *, actor: User, evaluation: SelfEvaluation, body: str, agreed_on: date, minute_reference: str
) -> SelfEvaluation:
    """Locks the version as agreed and supersedes every earlier version that was agreed or awaiting agreement."""
    partnership = evaluation.partnership
    require_perm(actor, "sef.record_agreement", partnership)
    versions = SelfEvaluation.objects.select_for_update().filter(partnership=partnership)
    evaluation = versions.get(pk=evaluation.pk)
    if evaluation.status != SelfEvaluation.Status.SUBMITTED:
        raise ValidationError("Only a version submitted for agreement can be recorded as agreed.")
    if versions.filter(status=SelfEvaluation.Status.AGREED, version__gt=evaluation.version).exists():
        raise ValidationError("A later version has already been agreed.")
    earlier = versions.filter(
        version__lt=evaluation.version,
        status__in=[SelfEvaluation.Status.AGREED, SelfEvaluation.Status.SUBMITTED],
    )
    for old in earlier:
        before = snapshot(old, ["status"])
        old.status = SelfEvaluation.Status.SUPERSEDED
        old.save(update_fields=["status"])
        audit_record(
            actor=actor,
            verb=AuditEvent.Verb.SUPERSEDE,
            instance=old,
            partnership=partnership,
            before=before,
            after=snapshot(old, ["status"]),
        )
    before = snapshot(evaluation)
    evaluation.status = SelfEvaluation.Status.AGREED
    evaluation.agreed_by_body = body
    evaluation.agreed_on = agreed_on
    evaluation.minute_reference = minute_reference
    evaluation.agreement_recorded_by = actor
    evaluation.agreement_recorded_at = timezone.now()
    evaluation.save()
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.AGREE,
        instance=evaluation,
        partnership=partnership,
        before=before,
        after=snapshot(evaluation),
    )
    return evaluation


@transaction.atomic
def priority_update(
    *, actor: User, priority: Priority, expected_row_version: int, text: str, actions: list[Action]
) -> Priority:
    """Saves a Part C priority and the actions it links to, unless someone else saved it first."""
    current = (
        Priority.objects.select_for_update()
        .select_related("group__evaluation__partnership")
        .get(pk=priority.pk)
    )
    evaluation = current.group.evaluation
    require_perm(actor, "sef.edit_evaluation", evaluation.partnership)
    require_draft(evaluation)
    if current.row_version != expected_row_version:
        raise StaleEditError("Someone else saved this priority while you were editing it.", code="stale")
    if any(action.recommendation.plan.partnership_id != evaluation.partnership_id for action in actions):
        raise ValidationError("Choose actions from your partnership's plan.")
    before = {"text": current.text, "actions": sorted(a.reference for a in current.actions.all())}
    current.text = text
    current.row_version += 1
    current.save()
    current.actions.set(actions)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        instance=current,
        partnership=evaluation.partnership,
        before=before,
        after={"text": text, "actions": sorted(a.reference for a in actions)},
    )
    return current


@transaction.atomic
def context_section_update(
    *, actor: User, section: ContextSection, expected_row_version: int, narrative: str, data_references: str
) -> ContextSection:
    """Saves a Part A section's narrative and the data it draws on, unless someone else saved it first."""
    current = (
        ContextSection.objects.select_for_update(of=("self",))
        .select_related("evaluation__partnership")
        .get(pk=section.pk)
    )
    evaluation = current.evaluation
    require_perm(actor, "sef.edit_evaluation", evaluation.partnership)
    require_draft(evaluation)
    if current.row_version != expected_row_version:
        raise StaleEditError("Someone else saved this section while you were editing it.", code="stale")
    audited_update(
        actor=actor,
        instance=current,
        verb=AuditEvent.Verb.UPDATED,
        partnership=evaluation.partnership,
        fields=["narrative", "data_references"],
        narrative=narrative,
        data_references=data_references,
        row_version=current.row_version + 1,
    )
    return current


JUDGEMENT_FIELDS = ["order", "label", "description"]


def require_new_judgement_label(
    partnership: Partnership, label: str, level: JudgementLevel | None = None
) -> None:
    others = partnership.judgement_levels.filter(label__iexact=label.strip())
    if level is not None:
        others = others.exclude(pk=level.pk)
    if others.exists():
        raise ValidationError(f"The scale already has the judgement “{label}”: use different words")


@transaction.atomic
def judgement_level_update(
    *, actor: User, level: JudgementLevel, label: str, description: str
) -> JudgementLevel:
    """Rewords a level; areas judged at it, in every version, show the new words."""
    require_perm(actor, "sef.change_judgement_scale", level.partnership)
    require_new_judgement_label(level.partnership, label, level)
    audited_update(
        actor=actor,
        instance=level,
        verb=AuditEvent.Verb.UPDATED,
        partnership=level.partnership,
        fields=JUDGEMENT_FIELDS,
        label=label,
        description=description,
    )
    return level


@transaction.atomic
def judgement_level_add(
    *, actor: User, partnership: Partnership, label: str, description: str
) -> JudgementLevel:
    """A new level at the end of the scale, which is first set up from the inspection outcomes if it is empty."""
    require_perm(actor, "sef.change_judgement_scale", partnership)
    framework = selectors.latest_framework()
    if framework is not None:
        judgement_scale_ensure_default(partnership=partnership, framework=framework)
    require_new_judgement_label(partnership, label)
    level = JudgementLevel.objects.create(
        partnership=partnership,
        order=next_order(partnership.judgement_levels.all()),
        label=label,
        description=description,
    )
    audited_create(actor=actor, instance=level, partnership=partnership, fields=JUDGEMENT_FIELDS)
    return level


@transaction.atomic
def judgement_level_remove(*, actor: User, level: JudgementLevel) -> None:
    """Only a level no area has been judged at can go: the judgements of earlier versions must stay readable."""
    require_perm(actor, "sef.change_judgement_scale", level.partnership)
    used = level.area_evaluations.count()
    if used:
        raise ValidationError(
            f"{used} area judgement{'s are' if used != 1 else ' is'} “{level.label}” in this or earlier "
            "versions of the self-evaluation, so it stays on the scale. You can change its words instead."
        )
    audited_delete(actor=actor, instance=level, partnership=level.partnership, fields=JUDGEMENT_FIELDS)
