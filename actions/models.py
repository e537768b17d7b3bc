"""The Strategic Action Plan: recommendations, actions with their five published fields, milestones,
monthly reporting periods and the progress updates that record how each action is going."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.models import Membership, Organisation, Partnership


class RagLevel(models.Model):
    """One level of a partnership's RAG scale, with the definition shown to people choosing it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="rag_levels")
    key = models.SlugField(max_length=20)
    label = models.CharField(max_length=30)
    meaning = models.CharField(max_length=60, help_text="A few words, for example 'off track'")
    definition = models.TextField()
    colour = models.CharField(max_length=7, help_text="Hex colour, for charts; text always accompanies it")
    tag_class = models.CharField(max_length=40, help_text="GOV.UK tag modifier, for example govuk-tag--red")
    order = models.PositiveSmallIntegerField()
    needs_commentary = models.BooleanField(default=False, help_text="Commentary is required at this level")

    class Meta:
        # By the partnership's id, not its name: a page reads one partnership's levels, and ordering by the
        # partnership's own ordering would join it to every read only to sort.
        ordering = ["partnership_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="rag_key_unique_in_partnership")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.meaning})"


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True)
    published_label = models.CharField(max_length=100, blank=True)
    start = models.DateField()
    end = models.DateField()
    about = models.TextField(blank=True)
    source_document = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["partnership_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status="published"),
                name="one_published_plan_per_partnership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Recommendation(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    short_title = models.CharField(max_length=100)
    text = models.TextField(help_text="The recommendation as published")
    lead = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_recommendations"
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="recommendation_number_unique")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}: {self.short_title}"

    def get_absolute_url(self) -> str:
        return reverse("actions:recommendation", args=[self.pk])


class Action(models.Model):
    class Lifecycle(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETE = "complete", "Complete"
        BAU = "bau", "Business as usual"
        CLOSED = "closed", "Closed"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    reference = models.CharField(max_length=10)
    order = models.PositiveSmallIntegerField()
    what_we_want = models.TextField()
    what_we_will_do = models.TextField()
    where_are_we_now = models.TextField(
        help_text="The baseline when the plan was published; progress never changes it"
    )
    what_we_will_see = models.TextField()
    difference_this_will_make = models.TextField()
    owner_organisations = models.ManyToManyField(Organisation, blank=True, related_name="owned_actions")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_actions"
    )
    start_date = models.DateField(null=True, blank=True)
    original_due_date = models.DateField(null=True, blank=True)
    revised_due_date = models.DateField(null=True, blank=True)
    revision_reason = models.TextField(blank=True)
    replan_count = models.PositiveSmallIntegerField(default=0)
    lock_version = models.PositiveIntegerField(default=0, help_text="Counts saves, to refuse stale forms")
    lifecycle = models.CharField(max_length=10, choices=Lifecycle.choices, default=Lifecycle.OPEN)

    class Meta:
        ordering = ["recommendation__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "reference"], name="action_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.what_we_want[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("actions:action", args=[self.pk])

    @property
    def due_date(self) -> date | None:
        return self.revised_due_date or self.original_due_date

    @property
    def slipped(self) -> bool:
        return self.replan_count > 0


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_date = models.DateField()
    revised_due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["action", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def current_due_date(self) -> date:
        return self.revised_due_date or self.due_date

    def is_overdue(self, today: date) -> bool:
        return self.completed_on is None and self.current_due_date < today


DEADLINE_DAYS_AFTER_MONTH_END = 5


class ReportingPeriod(models.Model):
    """A calendar month in which every open action gets one progress update."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField()
    end = models.DateField()
    update_deadline = models.DateField()

    class Meta:
        ordering = ["partnership_id", "-start"]  # by id, not name: see RagLevel
        constraints = [models.UniqueConstraint(fields=["partnership", "start"], name="period_start_unique")]

    def __str__(self) -> str:
        return self.start.strftime("%B %Y")

    @staticmethod
    def month_bounds(day: date) -> tuple[date, date]:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)

    @classmethod
    def of_month(cls, partnership: Partnership, day: date) -> "ReportingPeriod":
        """The month containing the day, with its update deadline; not stored."""
        start, end = cls.month_bounds(day)
        deadline = end + timedelta(days=DEADLINE_DAYS_AFTER_MONTH_END)
        return cls(partnership=partnership, start=start, end=end, update_deadline=deadline)


class ProgressUpdate(models.Model):
    """How an action stands in a period. Approved updates are never edited; a correction is a new revision."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="updates")
    revision = models.PositiveSmallIntegerField(default=1)
    rag = models.ForeignKey(RagLevel, on_delete=models.PROTECT, related_name="updates")
    commentary = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    risks_and_issues = models.TextField(blank=True)
    proposed_due_date = models.DateField(null=True, blank=True)
    proposed_due_reason = models.TextField(blank=True)
    completed_milestones = models.ManyToManyField(Milestone, blank=True, related_name="completed_by_updates")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    return_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0, help_text="Counts saves, to refuse stale forms")
    is_demo = models.BooleanField(default=False, help_text="Sample history made by the local demo set-up")

    class Meta:
        ordering = ["action", "-period__start", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["action", "period", "revision"], name="one_update_per_revision"),
        ]
        indexes = [models.Index(fields=["state", "action"])]

    def __str__(self) -> str:
        return f"{self.action.reference} {self.period} ({self.get_state_display()})"

    @property
    def is_editable(self) -> bool:
        return self.state in {self.State.DRAFT, self.State.RETURNED}


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.update.action_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Evidence(models.Model):
    """A file or a link supporting an update. Files live outside the web root and are served by a view."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=evidence_path, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    link = models.URLField(blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["update", "added_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(link="")) | (~models.Q(file="") & models.Q(link="")),
                name="evidence_is_a_file_or_a_link",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RecommendationSummary(models.Model):
    """The yearly summary of a recommendation: what we wanted, what we did, the difference, the priority."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="summaries")
    year = models.CharField(max_length=9, help_text="For example 2023-24")
    published_label = models.CharField(max_length=60, blank=True, help_text="For example October 2024")
    recommendation_text = models.TextField(
        blank=True, help_text="The recommendation as worded in the summary"
    )
    what_we_wanted = models.TextField()
    what_we_did = models.JSONField(default=list, help_text="A list of items")
    difference_it_made = models.TextField()
    priority_heading = models.CharField(max_length=40)
    priority = models.TextField()
    source_document = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["recommendation__number", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "year"], name="one_summary_per_recommendation_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} – {self.year}"


class AnnualUpdate(models.Model):
    """The opening of a year's summaries as the partnership published them (its leaflet): the title, the date and
    the introduction that come before the recommendations' summaries, printed so in the pack's annual update."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="annual_updates")
    year = models.CharField(max_length=9, help_text="The year of its summaries, for example 2023-24")
    title = models.CharField(max_length=200)
    published_label = models.CharField(max_length=60, blank=True, help_text="For example October 2024")
    introduction = models.TextField(help_text="Paragraphs separated by a blank line")
    source_document = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="one_annual_update_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Reminder(models.Model):
    """A reminder e-mail already sent, so that a repeated run of the reminder job sends nothing twice."""

    class Kind(models.TextChoices):
        BEFORE_DEADLINE = "before", "Before the deadline"
        AFTER_DEADLINE = "after", "After a missed deadline"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "period", "kind", "sent_to"], name="one_reminder_each"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} reminder to {self.sent_to} for {self.action_id} in {self.period_id}"
        )


class PlanVersion(models.Model):
    """An earlier published version of a plan, kept word for word when the plan changes."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="earlier_versions")
    version = models.PositiveSmallIntegerField()
    published_on = models.DateField(null=True, blank=True)
    published_label = models.CharField(max_length=100, blank=True)
    content = models.JSONField(help_text="The recommendations and actions as they stood in this version")
    superseded_because = models.TextField()
    superseded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="plan_version_archived_once")]

    def __str__(self) -> str:
        return f"{self.plan.title}, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("actions:version", args=[self.pk])
