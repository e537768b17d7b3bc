"""National statistics as the Department for Education publishes them, for every English local area.

One import of a published file serves every partnership: the values are stored once, for England, each region
and each local authority, and each partnership reads its own area, its region and its statistical neighbours
from them (docs/adr/0015-national-statistics.md). A revised release never overwrites: the earlier value stays,
marked as no longer current, so the history of what was published is kept.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.models import Partnership

ENGLAND_CODE = "E92000001"  # England's area code in every published file


class Level(models.TextChoices):
    NATIONAL = "National", "England"
    REGIONAL = "Regional", "Region"
    LOCAL_AUTHORITY = "Local authority", "Local authority"


class LocalAuthority(models.Model):
    """An English local authority as the published files name it: the national list partnerships choose from."""

    code = models.CharField("ONS code", max_length=9, unique=True)
    old_code = models.CharField("DfE number", max_length=3, blank=True)
    name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=9)
    region_name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class StatisticsImport(models.Model):
    """One published file to import: what it was, who imported it, how its job went, and what became of its rows.

    An admin's import runs as a background job: the row is created waiting for a worker, and the job fills in the
    rest, all or nothing; a refused file keeps the reason. An operator's command imports at once."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be imported"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    layout = models.CharField(max_length=60, help_text="Which published file this is, from kpis.library")
    file_name = models.CharField(max_length=200)
    checksum = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the file as uploaded, once read"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DONE)
    error = models.TextField(blank=True, help_text="Why the file was not imported")
    pending_file = models.CharField(
        max_length=60, blank=True, help_text="The uploaded file waiting for the job, in the pending folder"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where the admin who imported it works; empty for an operator's command",
    )
    imported_at = models.DateTimeField(default=timezone.now)
    rows_read = models.PositiveIntegerField(default=0)
    rows_used = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, blank=True, help_text="Rows not used, counted by reason")
    values_added = models.PositiveIntegerField(default=0)
    values_revised = models.PositiveIntegerField(default=0)
    values_unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.layout} {self.imported_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("kpis:national_statistics_import", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def title(self) -> str:
        """The file's title as its publication gives it."""
        from kpis.library import LAYOUTS  # the library reads kpis.models, which registers this module

        layout = LAYOUTS.get(self.layout)
        return f"{layout.publication}: {layout.title}" if layout else self.layout


class NationalValue(models.Model):
    """One published figure: a measure, for an area, a period and a breakdown, or the reason it is missing."""

    measure = models.CharField(max_length=60, help_text="A national indicator's code in kpis.library")
    level = models.CharField(max_length=16, choices=Level.choices)
    area_code = models.CharField(max_length=9)
    time_period = models.CharField(max_length=6, help_text="As published: 2024, or 202425 for 2024/25")
    breakdown_topic = models.CharField(max_length=120)
    breakdown = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    # Stored to four places, the value would read 5 where the file gave 5.0: the places it was written with are
    # kept beside it, for the comparators made from it. None for a value imported before they were kept.
    decimal_places = models.PositiveSmallIntegerField(null=True, blank=True)
    missing = models.CharField(
        max_length=4, blank=True, help_text="The published symbol where there is no number: x, z, c, low, u…"
    )
    headline = models.BooleanField(
        default=False, help_text="The file's total row (all children and young people), not a breakdown"
    )
    source = models.ForeignKey(StatisticsImport, on_delete=models.PROTECT, related_name="values")
    current = models.BooleanField(default=True, help_text="False once a revised release replaced it")

    class Meta:
        ordering = ["measure", "time_period", "area_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "area_code", "time_period", "breakdown_topic", "breakdown"],
                condition=models.Q(current=True),
                name="national_value_current_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(missing=""),
                name="national_value_number_or_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["measure", "time_period", "level"], name="national_value_period"),
            models.Index(fields=["area_code", "measure", "headline"], name="national_value_area"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.area_code} {self.time_period}"


class StatisticalNeighbour(models.Model):
    """A local authority a partnership compares itself with, in the order its admin gave."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="statistical_neighbours"
    )
    code = models.CharField("ONS code", max_length=9)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["partnership", "position"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="statistical_neighbour_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} neighbour {self.code}"
