"""Health and Wellbeing Board meetings, the narrative written for each, the packs built for them, and the
boards and groups of the partnership's governance that Appendix 2 of a pack describes."""

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.models import Partnership
from core.pages import listed
from reports.calendar import publication_date_for

# An agenda item's number as agendas write it: 7, or 7a for an item added under another.
AGENDA_NUMBER = re.compile(r"[1-9][0-9]{0,2}[a-zA-Z]?")


class ReportType(models.TextChoices):
    """The kinds of report the portal writes; `reports.report_types` says what each prints."""

    HWBB = "hwbb", "Health and Wellbeing Board report"
    SCRUTINY = "scrutiny", "Scrutiny update"
    PARTNERSHIP_BOARD = "partnership_board", "Strategic Partnership Board performance report"
    MONITORING = "monitoring", "Monitoring summary for DfE and NHS England"
    EASY_READ = "easy_read", "Easy-read summary"
    CUSTOM = "custom", "A report with the sections you choose"


class Meeting(models.Model):
    """A Board meeting with the SEND report on its agenda, as democratic services record it."""

    class Classification(models.TextChoices):
        PART_1 = "Part 1", "Part 1 (public)"
        PART_2 = "Part 2", "Part 2 (exempt)"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    body = models.CharField(max_length=150, default="Health and Wellbeing Board")
    council = models.CharField(
        max_length=150, help_text="The council whose democratic services issue the pack"
    )
    date = models.DateField()
    agenda_item = models.CharField(max_length=10, help_text="For example 7")
    item_time = models.TimeField(null=True, blank=True, help_text="When the item is expected to start")
    report_title = models.CharField(max_length=200)
    agenda_title = models.CharField(
        max_length=200, blank=True, help_text="The item's title on the agenda, if not the report's"
    )
    report_of = models.CharField(max_length=150, blank=True, help_text="For example SEND Project Officer")
    report_author = models.CharField(max_length=150, help_text="Name and job title")
    executive_director = models.CharField(max_length=150)
    classification = models.CharField(max_length=10, choices=Classification.choices, default="Part 1")
    key_decision = models.BooleanField(default=False)
    democratic_contact = models.CharField(
        max_length=150, help_text="Name and job title of the democratic services officer"
    )
    build_days_before = models.PositiveSmallIntegerField(
        default=10, help_text="How many days before the meeting the pack is built automatically"
    )
    issue_date = models.DateField(
        null=True, blank=True, help_text="Empty: five clear working days before the meeting"
    )
    data_cut_off = models.DateField(
        null=True, blank=True, help_text="The pack shows data as it stood at the end of this day"
    )
    other_items = models.TextField(
        blank=True,
        help_text="Other agenda items issued in the same pack, one per line, as the front sheet lists them",
    )
    after_the_agenda = models.BooleanField(
        default=False,
        help_text="Issued after the agenda was printed, as a supplementary reports pack",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_document = models.CharField(max_length=100, blank=True)
    report_type = models.CharField(max_length=20, choices=ReportType.choices, default=ReportType.HWBB)
    sections = models.JSONField(
        default=list, blank=True, help_text="For a report with chosen sections: their keys in the catalogue"
    )

    class Meta:
        ordering = ["partnership_id", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "body", "date", "agenda_item"], name="one_meeting_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("reports:meeting", args=[self.pk])

    @property
    def pack_issue_date(self) -> dt.date:
        """The date on the front sheet: as democratic services set it, or the latest the law allows."""
        return self.issue_date or publication_date_for(self.date)

    @property
    def cut_off(self) -> dt.date:
        return self.data_cut_off or self.pack_issue_date

    @property
    def cut_off_at(self) -> dt.datetime:
        """The end of the cut-off day: the pack shows everything approved that day, nothing after it."""
        next_day = self.cut_off + dt.timedelta(days=1)
        start_of_next_day = timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))
        return start_of_next_day - dt.timedelta(microseconds=1)

    @property
    def automatic_build_date(self) -> dt.date:
        return self.date - dt.timedelta(days=self.build_days_before)

    @property
    def builds_before_cut_off(self) -> bool:
        """The scheduled build comes on or before the cut-off day: its pack shows the data as it stood then, without
        what is approved until the cut-off's end (services.packs_build_due; the pack's as-at is the earlier)."""
        return self.automatic_build_date <= self.cut_off

    @property
    def builds_after_issue(self) -> bool:
        """The scheduled build comes after the day the pack is to be issued: too late for the pack itself."""
        return self.automatic_build_date > self.pack_issue_date

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_taken_place(self) -> bool:
        """Before today: scheduled builds are for meetings still to come (selectors.meetings_due_a_pack)."""
        return self.date < timezone.localdate()

    @property
    def other_item_rows(self) -> list[tuple[str, str]]:
        """Each other item as its agenda number and its title, for the front sheet's two columns."""
        rows = []
        for line in filter(None, (line.strip() for line in self.other_items.splitlines())):
            number, _, title = line.partition(" ")
            rows.append((number, title.strip()) if AGENDA_NUMBER.fullmatch(number) else ("", line))
        return rows

    @property
    def pack_items(self) -> list[str]:
        """The numbers of the agenda items the pack holds: this report's, then the others'."""
        return [self.agenda_item, *(number for number, _ in self.other_item_rows if number)]

    @property
    def pack_items_named(self) -> str:
        """The agenda items as a supplementary pack's title names them: "agenda items 7, 9 and 10"."""
        items = self.pack_items
        return f"agenda item{'s' if len(items) > 1 else ''} {listed(items)}"

    @property
    def contact_lines(self) -> list[str]:
        """The contact officer's name above their job title, as a front sheet signs off."""
        return [part.strip() for part in self.democratic_contact.split(",", 1)]


class Narrative(models.Model):
    """The text the report author writes for a meeting's cover report, drafted by the portal from the data.

    Paragraphs are separated by blank lines; a line starting with "- " is a bullet.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="narrative")
    executive_summary = models.TextField()
    recommendations = models.TextField(
        default=(
            "To note progress\nTo request a further update on the area's progress in implementing the action "
            "plan in 6 months"
        ),
        help_text="Section 2, what the Board is asked to do: one recommendation per line",
    )
    background = models.TextField(help_text="Sections 3.1 onwards; the recommendations follow in full")
    recommendation_wording = models.JSONField(
        default=dict,
        blank=True,
        help_text="Recommendation number to its wording in this cover report, where it differs from the plan's",
    )
    progress = models.JSONField(default=dict, help_text="Recommendation number to its progress text")
    impact = models.TextField(help_text="One paragraph per line")
    priorities_heading = models.CharField(max_length=100, default="Ongoing priorities")
    priorities = models.TextField(help_text="One priority per line")
    drafted = models.JSONField(
        default=dict,
        blank=True,
        help_text="Each section as the portal last drafted it, paragraph by paragraph with where it came from",
    )
    drafted_at = models.DateTimeField(default=timezone.now)
    sections = models.JSONField(
        default=dict,
        blank=True,
        help_text="The texts the author writes for a report type's own sections, such as other options",
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Narrative for {self.meeting}"


def pack_path(instance: "Pack", filename: str) -> str:
    return f"packs/{instance.meeting.partnership_id}/{instance.meeting_id}/v{instance.version}/{filename}"


class Pack(models.Model):
    """One build of a meeting's pack. Files, as-at time and data snapshot never change once ready."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "On request"
        SCHEDULE = "schedule", "On schedule"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="packs")
    version = models.PositiveSmallIntegerField()
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, default="Waiting to start")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True, help_text="Host and process of the last attempt")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker building it"
    )
    error = models.TextField(blank=True)
    as_at = models.DateTimeField(null=True, blank=True, help_text="The data in the pack is as at this time")
    pdf = models.FileField(upload_to=pack_path, blank=True)
    html = models.FileField(upload_to=pack_path, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True, help_text="What the pack said, for comparisons")
    compared_with = models.JSONField(
        default=dict, blank=True, help_text="The previous meeting's pack its changes are measured from"
    )
    reason = models.TextField(blank=True, help_text="Why a version after a published one was made")
    supplementary = models.BooleanField(
        default=False, help_text="Built after an earlier version was published"
    )
    issue_date = models.DateField(null=True, blank=True, help_text="The date on its front sheet")
    is_demo = models.BooleanField(default=False, help_text="Built while the partnership held demo history")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, help_text="Checksum of the PDF as published")
    html_sha256 = models.CharField(
        max_length=64, blank=True, help_text="Checksum of the web page as published"
    )

    class Meta:
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="pack_version_unique"),
            models.UniqueConstraint(
                fields=["meeting"], condition=models.Q(trigger="schedule"), name="one_scheduled_pack"
            ),
        ]

    def __str__(self) -> str:
        return f"Pack version {self.version} for {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("reports:pack", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class GovernanceBody(models.Model):
    """A board or group in the partnership's governance, and how it reports (Appendix 2 of a pack)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="governance_bodies")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    reports_to = models.TextField(blank=True, help_text="Who it is accountable to, as its documents say")
    meets = models.CharField(max_length=100, blank=True, help_text="For example bi-monthly")
    membership = models.TextField(blank=True, help_text="One member per line")
    source_document = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["partnership_id", "order"]
        verbose_name_plural = "governance bodies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="governance_body_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


FRONT_SHEET_FIELDS = [
    "council",
    "executive_director_title",
    "executive_director",
    "address",
    "telephone",
    "website",
]


class FrontSheet(models.Model):
    """The council's details printed on the front sheet of every Public Document Pack."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="front_sheet")
    council = models.CharField(max_length=150)
    executive_director_title = models.CharField(
        max_length=150, help_text="For example Executive Director (Strategy & Change)"
    )
    executive_director = models.CharField(max_length=150)
    address = models.CharField(max_length=300)
    telephone = models.CharField(max_length=40)
    website = models.CharField(max_length=200, help_text="For example www.southend.gov.uk")
    source_document = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"Front sheet of {self.partnership}"


class GovernanceRelation(models.Model):
    """How one board or group answers to another, as its documents say; the governance chart is drawn from these."""

    class Kind(models.TextChoices):
        REPORTS_TO = "reports_to", "Reports to"
        ACCOUNTABLE_TO = "accountable_to", "Accountable to"

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="answers_to")
    to = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="answered_by")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_document = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["body__order", "to__order", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["body", "to", "kind"], name="governance_relation_unique"),
            models.CheckConstraint(
                condition=~models.Q(body=models.F("to")), name="governance_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.get_kind_display().lower()} {self.to}"


class GovernanceDocument(models.Model):
    """A governance body's document, such as its terms of reference, held word for word, one row per version.

    `content` is the document's text in order: a list of sections, each {"heading", "blocks"}; a block is
    {"number", "text", "emphasis", "list", "members"} with only the keys it needs ("members" is "core" or
    "co-opted" for a list of members).
    """

    class Kind(models.TextChoices):
        TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ADOPTED = "adopted", "Adopted"

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.TERMS_OF_REFERENCE)
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200, help_text="As the document is headed")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    date_of_issue = models.DateField(null=True, blank=True)
    date_of_review = models.DateField(null=True, blank=True)
    content = models.JSONField(default=list)
    source_document = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["body", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "version"], name="governance_document_version"),
        ]

    def __str__(self) -> str:
        draft = " (draft)" if self.status == self.Status.DRAFT else ""
        return f"{self.body.name} {self.get_kind_display().lower()}, version {self.version}{draft}"

    def members(self, group: str) -> list[str]:
        return [
            item
            for section in self.content
            for block in section.get("blocks", [])
            if block.get("members") == group
            for item in block.get("list", [])
        ]


def appendix_path(instance: "Appendix", filename: str) -> str:
    return f"appendices/{instance.meeting.partnership_id}/{instance.meeting_id}/{filename}"


class Appendix(models.Model):
    """One appendix of a meeting's pack, in the order the pack prints them: generated from the data, a governance
    document the portal holds, or a PDF or image democratic services uploaded."""

    class Kind(models.TextChoices):
        ANNUAL_UPDATE = "annual_update", "Strategic Action Plan annual update"
        ACTION_STATUS = "action_status", "Strategic Action Plan action status table"
        SEF = "sef", "Self Evaluation Framework (SEF)"
        KPIS = "kpis", "Key performance indicators"
        GOVERNANCE_CHART = "governance_chart", "Governance chart"
        DOCUMENT = "document", "A governance document the portal holds"
        UPLOAD = "upload", "An uploaded PDF or image"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="appendices")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    evaluation = models.ForeignKey(
        "sef.SelfEvaluation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a SEF appendix: this version; empty for the one awaiting agreement or last agreed",
    )
    document = models.ForeignKey(
        GovernanceDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="appendices"
    )
    file = models.FileField(upload_to=appendix_path, blank=True, help_text="An uploaded PDF or image")
    file_type = models.CharField(max_length=40, blank=True)
    file_pages = models.PositiveSmallIntegerField(null=True, blank=True)
    file_tagged = models.BooleanField(null=True, blank=True, help_text="Whether an uploaded PDF is tagged")
    description = models.TextField(blank=True, help_text="The text alternative of an uploaded image")

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name_plural = "appendices"

    def __str__(self) -> str:
        return self.title

    @property
    def is_uploaded(self) -> bool:
        return bool(self.file)

    @property
    def is_pdf(self) -> bool:
        return self.file_type == "application/pdf"


def attachment_path(instance: "PackAttachment", filename: str) -> str:
    pack = instance.pack
    return f"packs/{pack.meeting.partnership_id}/{pack.meeting_id}/v{pack.version}/appendices/{filename}"


class PackAttachment(models.Model):
    """A built pack's own copy of an uploaded appendix, which its HTML twin links: later changes to the meeting's
    appendices leave packs already built as they were."""

    pack = models.ForeignKey(Pack, on_delete=models.CASCADE, related_name="attachments")
    number = models.PositiveSmallIntegerField(help_text="The appendix number in this pack")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=attachment_path)
    file_type = models.CharField(max_length=40)

    class Meta:
        ordering = ["pack", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "number"], name="pack_attachment_number"),
        ]

    def __str__(self) -> str:
        return f"Appendix {self.number}: {self.title}"
