"""The Self-Evaluation Framework (SEF): the shared area SEND inspection framework, and each partnership's
versioned self-evaluations against it (Part A context and key issues, Part B area evaluations, Part C
priorities), with the links that trace a key issue through an area to the plan's recommendations and actions.

Indicators (the kpis app, a layer below) name EvaluationArea in their link by label, without importing this app;
the SEF reads its indicator evidence through kpis' selectors.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse

from actions.models import Action, Recommendation
from core.models import Partnership
from core.text import paragraphs


class InspectionFramework(models.Model):
    """Reference data shared by every partnership; a new edition of the framework is a new version."""

    name = models.CharField(max_length=150)
    version = models.CharField(max_length=20)
    source_document = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="framework_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @classmethod
    def latest(cls) -> "InspectionFramework | None":
        return cls.objects.order_by("-version").first()


class FrameworkStrand(models.Model):
    framework = models.ForeignKey(InspectionFramework, on_delete=models.CASCADE, related_name="strands")
    key = models.SlugField(max_length=30)
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="strand_key_unique_in_framework"),
        ]

    def __str__(self) -> str:
        return self.title


class EvaluationAreaQuerySet(models.QuerySet["EvaluationArea"]):
    def of_latest_framework(self) -> "EvaluationAreaQuerySet":
        """The areas of the newest edition of the framework: the only ones new links are made to."""
        return self.filter(framework=InspectionFramework.latest()).order_by("number")


class EvaluationArea(models.Model):
    framework = models.ForeignKey(InspectionFramework, on_delete=models.CASCADE, related_name="areas")
    strand = models.ForeignKey(FrameworkStrand, on_delete=models.PROTECT, related_name="areas")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)

    objects = EvaluationAreaQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="area_number_unique_in_framework"),
        ]

    def __str__(self) -> str:
        return f"Area {self.number}: {self.title}"


class InspectionOutcome(models.Model):
    """One of the possible outcomes of an area SEND inspection, as worded in the framework."""

    framework = models.ForeignKey(InspectionFramework, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    follow_up = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="outcome_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Outcome {self.number}"


class JudgementLevel(models.Model):
    """One level of the scale a partnership judges its own areas on; by default, the inspection outcomes."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="judgement_levels")
    order = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    outcome = models.ForeignKey(
        InspectionOutcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["partnership_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "order"], name="judgement_order_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class SelfEvaluation(models.Model):
    """One version of a partnership's SEF. Only drafts change; agreed and superseded versions are locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for agreement"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="self_evaluations")
    framework = models.ForeignKey(InspectionFramework, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField()
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=300)
    dated = models.DateField()
    dated_label = models.CharField(max_length=40, blank=True, help_text="As the document words its date")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    introduction = models.TextField(blank=True)
    summary_text = models.TextField(
        blank=True, help_text="The whole text of a version kept only as a summary"
    )
    part_a_title = models.CharField(max_length=300, blank=True)
    part_a_closing = models.TextField(blank=True)
    part_b_title = models.CharField(max_length=300, blank=True)
    part_b_closing = models.TextField(blank=True)
    part_c_title = models.CharField(max_length=300, blank=True)
    part_c_introduction = models.TextField(blank=True)
    source_document = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    meeting_body = models.CharField(max_length=200, blank=True, help_text="The body asked to agree it")
    meeting_date = models.DateField(null=True, blank=True)
    agreed_by_body = models.CharField(max_length=200, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    minute_reference = models.CharField(max_length=100, blank=True)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="sef_version_unique"),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status="draft"),
                name="one_sef_draft_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status="agreed"),
                name="one_agreed_sef_per_partnership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("sef:version", args=[self.pk])

    @property
    def dated_display(self) -> str:
        return self.dated_label or f"{self.dated:%-d %B %Y}"

    @property
    def agreement(self) -> str:
        """Who agreed it and when, or where it goes to be agreed: one phrase, which pages end as their sentence
        needs."""
        if self.agreed_on:
            return f"Agreed by the {self.agreed_by_body} on {self.agreed_on:%-d %B %Y} (minute {self.minute_reference})"
        if self.meeting_date:
            return f"Submitted for agreement at the {self.meeting_body} of {self.meeting_date:%-d %B %Y}"
        return "Not recorded"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_locked(self) -> bool:
        return self.status in {self.Status.AGREED, self.Status.SUPERSEDED}


class ContextSection(models.Model):
    """A Part A heading with its narrative and the data it draws on."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    narrative = models.TextField(blank=True)
    data_references = models.TextField(blank=True)
    row_version = models.PositiveIntegerField(default=1)  # goes up on every save, so a stale edit is refused

    class Meta:
        ordering = ["evaluation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "order"], name="section_order_unique"),
        ]

    def __str__(self) -> str:
        return self.heading

    def narrative_parts(self) -> list["NarrativePart"]:
        """The narrative cut where the document places its key issues, each part followed by the issues that
        come after it. A key issue with no place, or a place beyond the narrative, follows the last paragraph."""
        narrative = paragraphs(self.narrative)
        placed: dict[int, list[KeyIssue]] = {}
        for issue in self.key_issues.all():
            wanted = issue.after_paragraph
            place = len(narrative) if wanted is None else min(wanted, len(narrative))
            placed.setdefault(place, []).append(issue)
        parts = []
        start = 0
        for cut, issues in sorted(placed.items()):
            parts.append(NarrativePart("\n\n".join(narrative[start:cut]), issues))
            start = cut
        if start < len(narrative):
            parts.append(NarrativePart("\n\n".join(narrative[start:]), []))
        return parts


@dataclass
class NarrativePart:
    """Paragraphs of a Part A section, and the key issues the document puts after them."""

    text: str
    key_issues: list["KeyIssue"]


class KeyIssue(models.Model):
    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="key_issues")
    section = models.ForeignKey(ContextSection, on_delete=models.CASCADE, related_name="key_issues")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    after_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How many of the section's paragraphs come before it, as the document places it. "
        "Left empty, it follows the section's last paragraph.",
    )
    areas = models.ManyToManyField(EvaluationArea, blank=True, related_name="key_issues")

    class Meta:
        ordering = ["evaluation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "order"], name="key_issue_order_unique"),
        ]

    def __str__(self) -> str:
        return f"Key issue {self.order}"


class AreaEvaluation(models.Model):
    """Part B for one area. `row_version` goes up on every save so a stale edit is refused, not applied."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="area_evaluations")
    area = models.ForeignKey(EvaluationArea, on_delete=models.PROTECT, related_name="evaluations")
    improve_heading = models.CharField(max_length=100, default="What do we need to do to improve")
    judgement = models.ForeignKey(
        JudgementLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="area_evaluations"
    )
    judgement_rationale = models.TextField(blank=True)
    actions = models.ManyToManyField(Action, blank=True, related_name="sef_area_evaluations")
    row_version = models.PositiveIntegerField(default=1)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "area__number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "area"], name="one_evaluation_per_area"),
        ]

    def __str__(self) -> str:
        return f"Area {self.area.number} in {self.evaluation}"

    def get_absolute_url(self) -> str:
        return reverse("sef:area", args=[self.evaluation_id, self.area.number])


class AreaItem(models.Model):
    class Heading(models.TextChoices):
        DO_WELL = "do_well", "What we do well"
        IMPACT = "impact", "Impact on outcomes"
        IMPROVE = "improve", "What we need to improve"

    area_evaluation = models.ForeignKey(AreaEvaluation, on_delete=models.CASCADE, related_name="items")
    heading = models.CharField(max_length=10, choices=Heading.choices)
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["area_evaluation", "heading", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["area_evaluation", "heading", "order"], name="area_item_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class PriorityGroup(models.Model):
    """A Part C sub-heading: one recommendation of the action plan, as the SEF words it."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="priority_groups")
    number = models.PositiveSmallIntegerField()
    heading = models.TextField()
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.SET_NULL, null=True, blank=True, related_name="sef_priority_groups"
    )

    class Meta:
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="priority_group_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class Priority(models.Model):
    group = models.ForeignKey(PriorityGroup, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    actions = models.ManyToManyField(Action, blank=True, related_name="sef_priorities")
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["group", "order"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["group", "order"], name="priority_order_unique"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class PreviousPriority(models.Model):
    """A priority of an earlier strategy with the rating the SEF gave it, for example 'Partly Achieved'."""

    evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="previous_priorities"
    )
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    rating = models.CharField(max_length=60)
    period = models.CharField(max_length=20)

    class Meta:
        ordering = ["evaluation", "order"]
        verbose_name_plural = "previous priorities"

    def __str__(self) -> str:
        return f"{self.text}: {self.rating}"
