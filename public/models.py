"""What a partnership publishes to the public, what families send it, and the personal tokens of the read API.

Public pages show only what the last published Board pack showed (public.selectors); these models hold the
partnership's choices of what is public, the feedback families send and its moderation, and API tokens.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import Partnership


class PublicChoices(models.Model):
    """What a partnership admin has chosen to publish, section by section and indicator by indicator."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="public_choices")
    show_plan = models.BooleanField("the recommendations and their actions, with their status", default=False)
    show_summaries = models.BooleanField(
        "what we wanted, what we did and the difference it made, year by year", default=False
    )
    show_indicators = models.BooleanField("the indicators chosen below", default=False)
    show_packs = models.BooleanField("the published Board packs", default=False)
    show_easy_read = models.BooleanField("the easy read summary", default=False)
    take_feedback = models.BooleanField(
        "the feedback form and what families said, with what the partnership did", default=False
    )
    indicators = models.ManyToManyField("kpis.Indicator", blank=True, related_name="+")
    retention_days = models.PositiveSmallIntegerField(
        default=180, help_text="Days a person's name, contact details and message are kept after they send it"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "public choices"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retention_days__gte=7, retention_days__lte=730),
                name="retention_between_a_week_and_two_years",
            )
        ]

    def __str__(self) -> str:
        return f"What {self.partnership} publishes"

    @property
    def any_section(self) -> bool:
        return any(
            (
                self.show_plan,
                self.show_summaries,
                self.show_indicators,
                self.show_packs,
                self.show_easy_read,
                self.take_feedback,
            )
        )


class Feedback(models.Model):
    """A question, suggestion or feedback sent through the public form, and what the partnership did with it.

    Nothing here is public until a moderator publishes it, and then only the moderator's summary and the
    partnership's response are shown: never the sender's own words, name or contact details.
    """

    class Kind(models.TextChoices):
        QUESTION = "question", "A question"
        SUGGESTION = "suggestion", "A suggestion"
        FEEDBACK = "feedback", "Feedback"

    class State(models.TextChoices):
        NEW = "new", "Waiting for a reply"
        REPLIED = "replied", "Replied"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    message = models.TextField()
    name = models.CharField(max_length=150, blank=True)
    contact = models.EmailField(blank=True)
    sender_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="A keyed hash of the sender's network address, for the rate limit",
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    you_said = models.TextField(
        blank=True, help_text="The moderator's summary, published without personal data"
    )
    we_did = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["sender_key", "received_at"], name="feedback_rate_limit")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} received {self.received_at:%-d %B %Y}"


class ApiToken(models.Model):
    """A person's key to their partnership's own data through the read API; only its hash is kept."""

    class Scope(models.TextChoices):
        ACTIONS = "actions", "The action plan with each action's latest approved status"
        INDICATORS = "indicators", "The indicators you may see, with their values"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, help_text="What the token is for, so you can tell them apart")
    scopes = models.JSONField(default=list)
    prefix = models.CharField(max_length=8, help_text="The first characters, to recognise the token")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def scope_labels(self) -> list[str]:
        return [str(self.Scope(scope).label) for scope in self.scopes if scope in self.Scope.values]
