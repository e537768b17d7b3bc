"""KPI definitions, the values each organisation returns for them, and the comparators beside them.

Returns are append-only: a correction is a new row that supersedes the one before, so the history of
what was reported, and when, stays (docs/adr/0005-kpi-return-periods-and-append-only-returns.md).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Recommendation
from core.models import Organisation, Partnership, Role


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    WEEKS = "weeks", "Weeks"
    DAYS = "days", "Days"
    MONEY = "money", "Money (£)"
    RATE = "rate", "Rate"
    SCORE = "score", "Score"  # a point score, such as Attainment 8


# The units by the names data files give them, as a sentence lists them, for the descriptions of such files.
UNIT_NAMES = f"{', '.join(Unit.values[:-1])} or {Unit.values[-1]}"


class Better(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEITHER = "neither", "Neither (context measure)"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    TERMLY = "termly", "Termly"
    ANNUAL = "annual", "Annual"


class DataQuality(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    VERIFIED = "verified", "Verified"
    NOT_CAPTURED = "not_captured", "Not captured"
    UNABLE_TO_VERIFY = "unable_to_verify", "Unable to verify"
    PUBLISHED = "published", "Published national statistics"


class Geography(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"


class Qualifier(models.TextChoices):
    """How a document words an approximate figure; shown with the figure wherever it appears."""

    EXACT = "", "Exact"
    AROUND = "around", "around"
    ABOUT = "about", "about"
    OVER = "over", "over"
    APPROXIMATELY = "approximately", "approximately"
    FEWER_THAN = "fewer than", "fewer than"
    AT_LEAST = "at least", "at least"
    ALMOST = "almost", "almost"
    CIRCA = "circa", "circa"


class Indicator(models.Model):
    """A KPI definition: what is counted, for whom, by whom, how often, and what good looks like."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(
        max_length=60, allow_unicode=False, help_text="Capitals and underscores, for example EHCP_MAINTAINED"
    )
    title = models.CharField(max_length=150)
    description = models.TextField()
    unit = models.CharField(max_length=12, choices=Unit.choices)
    better = models.CharField("which direction is better", max_length=8, choices=Better.choices)
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    source_collection = models.CharField(max_length=100, help_text="For example SEN2 or school census")
    cohort = models.TextField("cohort definition")
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="indicators")
    numerator = models.TextField("numerator definition", blank=True)
    denominator = models.TextField("denominator definition", blank=True)
    suppress_small_numbers = models.BooleanField(
        default=False, help_text="Counts from 1 to 4 are shown as 'fewer than 5' everywhere"
    )
    restricted = models.BooleanField(default=False, help_text="Only the roles named below may see it")
    visible_to_roles = models.JSONField(
        default=list, blank=True, help_text="Roles that may see a restricted indicator (admins always can)"
    )
    target_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target_text = models.TextField(blank=True, help_text="The target as its document words it")
    target_source_document = models.CharField(max_length=100, blank=True)
    tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="How far from the target, in the indicator's unit, still counts as amber",
    )
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="indicators")
    actions = models.ManyToManyField(Action, blank=True, related_name="indicators")
    national_measure = models.CharField(
        "national indicator",
        max_length=60,
        blank=True,
        help_text="The national indicator this is the same measure as: its published figures are imported",
    )
    breakdown_topic = models.CharField(
        "broken down by",
        max_length=120,
        blank=True,
        help_text="What its figures may be broken down by, for example 'Primary need' or 'Where educated'",
    )
    # Linked to the framework's area, not to one SEF version, so the link holds across versions (ADR 0004).
    sef_areas = models.ManyToManyField(
        "sef.EvaluationArea", blank=True, related_name="indicators", verbose_name="self-evaluation areas"
    )

    class Meta:
        db_table = "dashboards_indicator"  # kept from before the app was split (docs/adr/0012-kpis-apart-from-dashboards.md)
        ordering = ["partnership_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="indicator_code_unique"),
            models.UniqueConstraint(
                fields=["partnership", "national_measure"],
                condition=~models.Q(national_measure=""),
                name="indicator_national_measure_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(tolerance__isnull=True) | models.Q(tolerance__gte=0),
                name="indicator_tolerance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:indicator", args=[self.pk])

    def visible_to(self, roles: frozenset[str]) -> bool:
        return not self.restricted or Role.ADMIN in roles or bool(roles & set(self.visible_to_roles))


class ReturnPeriod(models.Model):
    """A collection window for indicators of one frequency: what is owed, for which dates, by when."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="return_periods")
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    label = models.CharField(max_length=60, help_text="As people say it, for example 'April 2025'")
    start = models.DateField()
    end = models.DateField()
    deadline = models.DateField()
    is_open = models.BooleanField(default=True, help_text="Returns can be entered only while it is open")

    class Meta:
        db_table = "dashboards_returnperiod"  # kept from before the app was split (docs/adr/0012-kpis-apart-from-dashboards.md)
        ordering = ["partnership_id", "-end", "frequency"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "label"], name="return_period_label_unique"),
            models.UniqueConstraint(
                fields=["partnership", "frequency", "start"], name="return_period_start_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Return(models.Model):
    """One reported value of an indicator for a period. Never edited: a correction supersedes it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="returns")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        ReturnPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="returns"
    )
    period_label = models.CharField(max_length=120)
    period_start = models.DateField()
    period_end = models.DateField()
    reference_date = models.DateField()
    # The group of the cohort the figure is for, one of the indicator's breakdown_topic ("Autistic spectrum
    # disorder" of "Primary need"); empty for the headline figure for the whole cohort, the only one that every
    # reader of "the indicator's value" reads (kpis.selectors.headline_returns).
    breakdown = models.CharField(max_length=200, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    # Stored to four places, a figure returned as 5.0 would read 5: the places it was written with are kept beside
    # it, and it is shown with them. None for a figure returned before they were kept.
    decimal_places = models.PositiveSmallIntegerField(null=True, blank=True)
    qualifier = models.CharField(
        max_length=14, choices=Qualifier.choices, blank=True, help_text="Where the source words it so"
    )
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    data_quality = models.CharField(max_length=20, choices=DataQuality.choices)
    note = models.TextField(blank=True)
    source_document = models.CharField(max_length=100, blank=True)
    source_quote = models.TextField(blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    query_reason = models.TextField(blank=True)
    queried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    queried_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "dashboards_return"  # kept from before the app was split (docs/adr/0012-kpis-apart-from-dashboards.md)
        ordering = ["indicator", "reference_date", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True)
                | models.Q(denominator__isnull=True)
                | models.Q(numerator__lte=models.F("denominator")),
                name="return_numerator_not_above_denominator",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="return_period_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "indicator", "reference_date"]),
            # The board dashboards read "the latest version of the latest value up to a date" per indicator.
            models.Index(fields=["indicator", "reference_date", "submitted_at"], name="return_as_at"),
        ]

    def __str__(self) -> str:
        group = f" ({self.breakdown})" if self.breakdown else ""
        return f"{self.indicator.code} {self.period_label}{group}"

    @property
    def awaiting_verification(self) -> bool:
        return self.submitted_by_id is not None and self.verified_at is None and not self.query_reason


class Comparator(models.Model):
    """A national, regional or statistical-neighbour figure to read beside the local one."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comparators")
    geography = models.CharField(max_length=24, choices=Geography.choices)
    period_label = models.CharField(max_length=120)
    reference_date = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    # The value is stored to four places, so "47.0" would come back as 47: the places its source wrote it with are
    # kept beside it, and it is shown with them. None for a figure recorded before they were kept.
    decimal_places = models.PositiveSmallIntegerField(null=True, blank=True)
    qualifier = models.CharField(
        max_length=14, choices=Qualifier.choices, blank=True, help_text="Where the source words it so"
    )
    note = models.TextField(blank=True)
    source_document = models.CharField(max_length=200)
    source_quote = models.TextField(blank=True)

    class Meta:
        db_table = "dashboards_comparator"  # kept from before the app was split (docs/adr/0012-kpis-apart-from-dashboards.md)
        ordering = ["indicator", "reference_date", "geography"]
        indexes = [models.Index(fields=["indicator", "geography", "reference_date"], name="comparator_as_at")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.get_geography_display()} {self.period_label}"


# The national statistics models live in their own module; importing them here registers them with the app.
from kpis.national import (  # noqa: E402
    LocalAuthority,
    NationalValue,
    StatisticalNeighbour,
    StatisticsImport,
)

__all__ = [
    "Better",
    "Comparator",
    "DataQuality",
    "Frequency",
    "Geography",
    "Indicator",
    "LocalAuthority",
    "NationalValue",
    "Qualifier",
    "Return",
    "ReturnPeriod",
    "StatisticalNeighbour",
    "StatisticsImport",
    "Unit",
]
