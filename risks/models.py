"""The SEND risk log: each risk with its cause and effect, owner, scores on the partnership's 5 x 5 matrix,
controls and mitigating actions; every change of score and every escalation kept as history."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.models import Partnership

SCALE = range(1, 6)  # likelihood and impact are each scored 1 to 5
DEFAULT_LIKELIHOODS = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
DEFAULT_IMPACTS = ["Negligible", "Minor", "Moderate", "Major", "Severe"]


def default_likelihoods() -> list[str]:
    return list(DEFAULT_LIKELIHOODS)


def default_impacts() -> list[str]:
    return list(DEFAULT_IMPACTS)


class RiskMatrix(models.Model):
    """How the partnership scores risks: the words for each step of likelihood and impact, the scores at which
    a risk counts as medium, high and very high, and who holds the log and who it escalates to."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="risk_matrix")
    likelihood_labels = models.JSONField(default=default_likelihoods, help_text="Five words, 1 to 5")
    impact_labels = models.JSONField(default=default_impacts, help_text="Five words, 1 to 5")
    medium_from = models.PositiveSmallIntegerField(default=5)
    high_from = models.PositiveSmallIntegerField(default=10)
    very_high_from = models.PositiveSmallIntegerField(default=15)
    held_by = models.CharField(
        max_length=200, default="Operations group", help_text="The group that keeps the log day to day"
    )
    escalates_to = models.CharField(
        max_length=200, default="Strategic partnership board", help_text="The board a risk is escalated to"
    )
    source_document = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(medium_from__gt=1)
                & models.Q(high_from__gt=models.F("medium_from"))
                & models.Q(very_high_from__gt=models.F("high_from"))
                & models.Q(very_high_from__lte=25),
                name="risk_bands_rise",
            ),
        ]

    def __str__(self) -> str:
        return f"Risk matrix of {self.partnership}"

    def band(self, score: int) -> str:
        if score >= self.very_high_from:
            return "Very high"
        if score >= self.high_from:
            return "High"
        if score >= self.medium_from:
            return "Medium"
        return "Low"

    def likelihood(self, value: int) -> str:
        return str(self.likelihood_labels[value - 1])

    def impact(self, value: int) -> str:
        return str(self.impact_labels[value - 1])


def score_field(what: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=f"{what}, 1 to 5"
    )


class Risk(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ESCALATED = "escalated", "Escalated"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveIntegerField(help_text="Numbered in the order raised: risk 1, risk 2")
    title = models.CharField(max_length=200)
    cause = models.TextField(help_text="What could make it happen")
    effect = models.TextField(help_text="What would happen if it did")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks")
    inherent_likelihood = score_field("Likelihood before controls")
    inherent_impact = score_field("Impact before controls")
    residual_likelihood = score_field("Likelihood with the controls in place")
    residual_impact = score_field("Impact with the controls in place")
    controls = models.TextField(blank=True, help_text="What is already in place; one control per line")
    actions = models.ManyToManyField(
        "actions.Action", blank=True, related_name="risks", help_text="Plan actions that mitigate it"
    )
    review_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_reason = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="risk_number_unique"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"risk_{name}_1_to_5"
                )
                for name in [
                    "inherent_likelihood",
                    "inherent_impact",
                    "residual_likelihood",
                    "residual_impact",
                ]
            ],
        ]

    def __str__(self) -> str:
        return f"Risk {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:risk", args=[self.pk])

    @property
    def inherent_score(self) -> int:
        return self.inherent_likelihood * self.inherent_impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def control_lines(self) -> list[str]:
        return [line.strip() for line in self.controls.splitlines() if line.strip()]


class HistoryStep(models.Model):
    """One step of a risk's history: who took it and when, oldest first."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["risk", "changed_at", "pk"]


class ScoreChange(HistoryStep):
    """The scores a risk was given, each time they were set: its first scoring, then every rescoring."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="score_changes")
    inherent_likelihood = score_field("Likelihood before controls")
    inherent_impact = score_field("Impact before controls")
    residual_likelihood = score_field("Likelihood with the controls in place")
    residual_impact = score_field("Impact with the controls in place")
    reason = models.TextField()

    class Meta(HistoryStep.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.risk} scored {self.residual_score} on {self.changed_at:%-d %B %Y}"

    @property
    def inherent_score(self) -> int:
        return self.inherent_likelihood * self.inherent_impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact


class DetailChange(HistoryStep):
    """The risk's words, owner and status, each time they were set: when it was raised, then every change of its
    details, escalation, closing and reopening. A report reads them as they stood at its data cut-off."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="detail_changes")
    title = models.CharField(max_length=200)
    cause = models.TextField()
    effect = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    controls = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Risk.Status.choices)
    reason = models.TextField(blank=True, help_text="Why its status changed: escalated, closed or reopened")

    class Meta(HistoryStep.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.risk} {self.get_status_display().lower()} on {self.changed_at:%-d %B %Y}"


class Escalation(models.Model):
    """A risk raised from the group that holds the log to the board, with why, by whom and when."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="escalations")
    from_body = models.CharField(max_length=200)
    to_body = models.CharField(max_length=200)
    reason = models.TextField()
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["risk", "escalated_at", "pk"]

    def __str__(self) -> str:
        return f"{self.risk} escalated to {self.to_body}"


class ReviewReminder(models.Model):
    """A reminder that a risk's review date has passed, sent once per review date to its owner."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reminders")
    review_date = models.DateField()
    sent_to = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["risk", "review_date"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "review_date", "sent_to"], name="one_review_reminder"),
        ]

    def __str__(self) -> str:
        return f"Review reminder for {self.risk} ({self.review_date:%-d %B %Y})"
