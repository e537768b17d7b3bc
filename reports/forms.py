import datetime
import re
from datetime import time
from typing import Any, cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Layout
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet

from core.forms import GDSFormMixin, OptionalDateField, RealDateField, long_text
from reports.appendices import check_upload
from reports.drafting import section_text
from reports.models import (
    AGENDA_NUMBER,
    FRONT_SHEET_FIELDS,
    Appendix,
    FrontSheet,
    GovernanceBody,
    GovernanceDocument,
    GovernanceRelation,
    Meeting,
    Narrative,
    ReportType,
)
from reports.report_types import CATALOGUE_CHOICES, KINDS, NarrativePart
from sef.models import SelfEvaluation

AGENDA_ITEM = RegexValidator(
    rf"^{AGENDA_NUMBER.pattern}$", "Enter the agenda item as a number, like 7, or with a letter, like 7a"
)
LATEST_YEARS_AHEAD = 3


def parse_time(text: str) -> time | None:
    """18:05, 18.05, 6.05pm or 6:05 pm, as agendas and people write times."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*([ap]\.?m\.?)?\s*", text.lower())
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2]), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


class MeetingForm(GDSFormMixin, forms.Form):
    """What democratic services record about a meeting; every error names its field."""

    report_type = forms.ChoiceField(
        label="Kind of report",
        choices=[
            Choice(
                key,
                kind.label,
                hint=f"For {kind.audience[0].lower()}{kind.audience[1:]}. {kind.cadence}. {kind.contents}",
            )
            for key, kind in KINDS.items()
        ],
        initial=ReportType.HWBB,
        widget=forms.RadioSelect,
        required=False,  # a form sent without it records a Health and Wellbeing Board report, as before
    )
    sections = forms.MultipleChoiceField(
        label="Sections of the report",
        choices=CATALOGUE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They print in this order.",
    )
    body = forms.CharField(
        label="Meeting",
        max_length=150,
        help_text="The board or committee, for example Health and Wellbeing Board.",
        error_messages={"required": "Enter the name of the meeting"},
    )
    council = forms.CharField(
        label="Council",
        max_length=150,
        help_text="The council whose democratic services issue the pack.",
        error_messages={"required": "Enter the council"},
    )
    date = RealDateField(
        label="Date of the meeting", name="the date of the meeting", help_text="For example, 10 12 2024"
    )
    agenda_item = forms.CharField(
        label="Agenda item number",
        validators=[AGENDA_ITEM],
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the agenda item number"},
    )
    item_time = forms.CharField(
        label="Time of the item (optional)",
        required=False,
        max_length=10,
        help_text="For example, 18:05 or 6.05pm",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
    )
    report_title = forms.CharField(
        label="Report title", max_length=200, error_messages={"required": "Enter the report title"}
    )
    agenda_title = forms.CharField(
        label="Title on the agenda (optional)",
        max_length=200,
        required=False,
        help_text="As the front sheet lists the item, for example SEND Reporting. Leave empty to use the report title.",
    )
    report_of = forms.CharField(
        label="Report of (optional)",
        max_length=150,
        required=False,
        help_text="For example, SEND Project Officer.",
    )
    report_author = forms.CharField(
        label="Report author",
        max_length=150,
        help_text="Name and job title.",
        error_messages={"required": "Enter the report author's name and job title"},
    )
    executive_director = forms.CharField(
        label="Executive director",
        max_length=150,
        help_text="The executive director named in the cover report.",
        error_messages={"required": "Enter the executive director"},
    )
    classification = forms.ChoiceField(
        label="Classification",
        choices=Meeting.Classification.choices,
        initial=Meeting.Classification.PART_1,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the classification"},
    )
    key_decision = forms.BooleanField(label="This is a key decision", required=False)
    democratic_contact = forms.CharField(
        label="Democratic services contact",
        max_length=150,
        help_text="Name and job title of the democratic services officer.",
        error_messages={"required": "Enter the democratic services contact"},
    )
    issue_date = OptionalDateField(
        label="Date the pack is issued (optional)",
        name="the date the pack is issued",
        help_text="Leave empty for five clear working days before the meeting.",
    )
    data_cut_off = OptionalDateField(
        label="Data cut-off (optional)",
        name="the data cut-off",
        help_text="The pack shows data as it stood at the end of this day. Leave empty for the date the pack is issued.",
    )
    other_items = forms.CharField(
        label="Other items in the same pack (optional)",
        required=False,
        max_length=2000,
        help_text="Listed on the front sheet after this report. One per line, for example: 9 Better Care Fund Update.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Other items must be 2,000 characters or fewer"},
    )
    after_the_agenda = forms.BooleanField(
        label="Issued after the agenda was printed, as a supplementary reports pack",
        required=False,
        help_text="Its front sheet then says so, and names the agenda items it holds.",
    )
    build_days_before = forms.IntegerField(
        label="Build the pack automatically this many days before the meeting",
        initial=10,
        min_value=0,
        max_value=60,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter how many days before the meeting the pack is built",
            "invalid": "Enter the days before the meeting as a whole number, like 10",
            "min_value": "Enter 0 or more days before the meeting",
            "max_value": "Enter 60 days before the meeting or fewer",
        },
    )

    def __init__(
        self, *args: Any, earliest: datetime.date | None, today: datetime.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest
        self.latest = today + datetime.timedelta(days=365 * LATEST_YEARS_AHEAD)
        # The section checkboxes belong to the one kind whose sections are chosen, revealed when it is; the
        # other kinds say their own sections in their hints.
        self.helper.layout = Layout(
            ConditionalRadios(
                "report_type",
                *(
                    ConditionalQuestion(kind.label, "sections") if kind.chooses_sections else kind.label
                    for kind in KINDS.values()
                ),
            ),
            *(name for name in self.fields if name not in ("report_type", "sections")),
        )

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        initial = {name: getattr(meeting, name) for name in MeetingForm.base_fields}
        initial["item_time"] = f"{meeting.item_time:%H:%M}" if meeting.item_time else ""
        return initial

    def clean_item_time(self) -> time | None:
        text = self.cleaned_data["item_time"]
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            raise forms.ValidationError("Enter the time of the item like 18:05 or 6.05pm")
        return parsed

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if self.earliest and day < self.earliest:
            raise forms.ValidationError(
                f"The date of the meeting must be on or after {self.earliest:%-d %B %Y}, "
                "when the Strategic Action Plan started: check the year"
            )
        if day > self.latest:
            raise forms.ValidationError(
                f"The date of the meeting must be before {self.latest:%-d %B %Y}: check the year"
            )
        return day

    def clean_report_type(self) -> str:
        return self.cleaned_data["report_type"] or ReportType.HWBB

    def clean_sections(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["sections"]
        kind = KINDS.get(
            self.data.get("report_type") or ReportType.HWBB
        )  # None: the type's own error says why
        if kind is None or not kind.chooses_sections:
            return []
        if not chosen:
            raise forms.ValidationError("Choose at least one section for the report")
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        meeting_day, issued, cut_off = data.get("date"), data.get("issue_date"), data.get("data_cut_off")
        if meeting_day and issued and issued > meeting_day:
            self.add_error(
                "issue_date", "The date the pack is issued must be on or before the date of the meeting"
            )
        if meeting_day and cut_off and cut_off > (issued or meeting_day):
            self.add_error(
                "data_cut_off",
                "The data cut-off must be on or before the date the pack is issued"
                if issued
                else "The data cut-off must be on or before the date of the meeting",
            )
        return data


class CancelMeetingForm(GDSFormMixin, forms.Form):
    reason = long_text("Why the meeting is cancelled", required=True, name="The reason for cancelling it")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the meeting is cancelled"


class NewVersionForm(GDSFormMixin, forms.Form):
    reason = long_text(
        "Why a new version is needed",
        "A version is already published: the new one is issued as a supplementary version with this reason.",
        required=True,
        name="The reason for a new version",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why a new version is needed"


class FrontSheetForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = FrontSheet
        fields = FRONT_SHEET_FIELDS
        labels = {
            "executive_director_title": "Executive director's title",
            "executive_director": "Executive director's name",
        }
        error_messages = {
            "council": {"required": "Enter the council"},
            "executive_director_title": {"required": "Enter the executive director's title"},
            "executive_director": {"required": "Enter the executive director's name"},
            "address": {"required": "Enter the council's address"},
            "telephone": {"required": "Enter the council's telephone number"},
            "website": {"required": "Enter the council's website"},
        }


def narrative_field_name(key: str) -> str:
    return key.replace(":", "_")


def narrative_field(part: NarrativePart, body: str) -> forms.CharField:
    """The box for one part of the narrative, as the kind of part asks to be written."""
    kind = part.key.partition(":")[0]
    if kind == "priorities_heading":
        return forms.CharField(label=part.label, max_length=100)
    help_text, rows, required = {
        "recommendations": (f"What the {body} is asked to do, one recommendation per line.", 3, True),
        "background": (
            "Separate paragraphs with a blank line; start a line with a dash and a space for a bullet.",
            10,
            True,
        ),
        "wording": ("Leave empty to print the recommendation as the plan words it.", 3, False),
        "progress": ("", 4 if part.key == "progress:intro" else 6, part.key == "progress:intro"),
        "impact": ("One paragraph per line.", 10, True),
        "priorities": ("One priority per line.", 10, True),
    }.get(kind, ("", 3, True))
    return forms.CharField(
        label=part.label, help_text=help_text, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class NarrativeForm(GDSFormMixin, forms.Form):
    """The parts of the narrative that the meeting's report prints, each labelled as that report numbers it."""

    def __init__(self, *args: Any, narrative: Narrative, parts: list[NarrativePart], **kwargs: Any) -> None:
        super().__init__(*args, initial=self.initial_for(narrative, parts), **kwargs)
        self.narrative = narrative
        self.parts = parts
        for part in parts:
            self.fields[narrative_field_name(part.key)] = narrative_field(part, narrative.meeting.body)

    @staticmethod
    def initial_for(narrative: Narrative, parts: list[NarrativePart]) -> dict[str, str]:
        return {
            narrative_field_name(part.key): (
                section_text(narrative, part.key)
                if part.drafted
                else narrative.recommendation_wording.get(part.key.removeprefix("wording:"), "")
            )
            for part in parts
        }

    def narrative_fields(self) -> dict[str, Any]:
        """The narrative's fields as edited; a recommendation's parts the report does not print are kept."""
        fields: dict[str, Any] = {
            "progress": dict(self.narrative.progress),
            "recommendation_wording": dict(self.narrative.recommendation_wording),
        }
        for part in self.parts:
            text = self.cleaned_data[narrative_field_name(part.key)]
            kind, _, number = part.key.partition(":")
            if kind == "progress":
                fields["progress"][number] = text
            elif kind == "wording":
                fields["recommendation_wording"][number] = text.strip()
            else:
                fields[part.key] = text
        fields["recommendation_wording"] = {
            number: text for number, text in fields["recommendation_wording"].items() if text
        }
        return fields


class GovernanceBodyForm(GDSFormMixin, forms.Form):
    """A board or group, with the others it reports or is accountable to: the governance chart is drawn from them."""

    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the name"})
    purpose = long_text("Purpose", "Optional.")
    reports_to = long_text(
        "What its documents say about who it answers to", "Optional. In the words of its terms of reference."
    )
    meets = forms.CharField(
        label="Meets", max_length=100, required=False, help_text="Optional. For example, bi-monthly."
    )
    membership = long_text("Membership", "Optional. One member or role per line.")
    order = forms.IntegerField(
        label="Position in the list",
        min_value=1,
        max_value=999,
        required=False,
        help_text="Optional. Bodies are listed, and drawn on each row of the governance chart, in this order; leave empty to put it last.",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": "Enter the position as a whole number",
            "min_value": "Enter a position of 1 or more",
            "max_value": "Enter a position of 999 or less",
        },
    )
    reports_to_bodies = forms.ModelMultipleChoiceField(
        label="Reports to",
        queryset=GovernanceBody.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional. The governance chart draws a line from this board or group to each one you select.",
    )
    accountable_to_bodies = forms.ModelMultipleChoiceField(
        label="Accountable to",
        queryset=GovernanceBody.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional. Drawn as a dashed line.",
    )

    def __init__(self, *args: Any, others: QuerySet[GovernanceBody], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ["reports_to_bodies", "accountable_to_bodies"]:
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = others
        if not others.exists():
            del self.fields["reports_to_bodies"], self.fields["accountable_to_bodies"]
        else:
            self.order_fields(["name", "purpose", "reports_to_bodies", "accountable_to_bodies", "reports_to"])

    def body_fields(self) -> dict[str, Any]:
        relations = {"reports_to_bodies", "accountable_to_bodies"}
        return {name: value for name, value in self.cleaned_data.items() if name not in relations}

    def relations(self) -> dict[str, list[GovernanceBody]]:
        return {
            GovernanceRelation.Kind.REPORTS_TO: list(self.cleaned_data.get("reports_to_bodies") or []),
            GovernanceRelation.Kind.ACCOUNTABLE_TO: list(
                self.cleaned_data.get("accountable_to_bodies") or []
            ),
        }


UPLOAD_HELP = (
    "A PDF, PNG or JPG file, smaller than 10 MB. A PDF should be tagged, so that screen readers can read it."
)


def appendix_title() -> forms.CharField:
    return forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the appendix's title"}
    )


class AppendixFileField(forms.FileField):
    """A file checked as every upload is: size, real type from its first bytes, and that it opens."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            check_upload(upload)
        return upload


def appendix_file() -> forms.FileField:
    return AppendixFileField(
        label="File",
        help_text=UPLOAD_HELP,
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )


def image_description() -> forms.CharField:
    return long_text(
        "Text alternative (for an image)",
        "Optional for a PDF. For an image, say what it shows, for people who cannot see it.",
    )


class AppendixAddForm(GDSFormMixin, forms.Form):
    """Which appendix to add: one the portal writes from the data, a SEF version, or a governance document."""

    choice = forms.ChoiceField(
        label="Which appendix do you want to add?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the appendix to add"},
    )
    title = forms.CharField(
        label="Title (optional)",
        max_length=200,
        required=False,
        help_text="Leave empty to use the name shown above.",
    )

    def __init__(
        self,
        *args: Any,
        documents: list[GovernanceDocument],
        evaluations: list[SelfEvaluation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.documents = {f"document-{d.pk}": d for d in documents}
        self.evaluations = {f"sef-{e.pk}": e for e in evaluations}
        generated = [
            (kind.value, kind.label)
            for kind in Appendix.Kind
            if kind not in {Appendix.Kind.DOCUMENT, Appendix.Kind.UPLOAD, Appendix.Kind.SEF}
        ]
        choice = self.fields["choice"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [
            *generated,
            (
                Appendix.Kind.SEF.value,
                "Self Evaluation Framework (SEF): the version awaiting agreement, or the last agreed",
            ),
            *[
                (
                    key,
                    f"Self Evaluation Framework (SEF) dated {e.dated_display}, version {e.version}, {e.get_status_display().lower()}",
                )
                for key, e in self.evaluations.items()
            ],
            *[(key, str(d)) for key, d in self.documents.items()],
        ]

    def appendix_fields(self) -> dict[str, Any]:
        choice = self.cleaned_data["choice"]
        document = self.documents.get(choice)
        evaluation = self.evaluations.get(choice)
        if document is not None:
            draft = "draft " if document.status == GovernanceDocument.Status.DRAFT else ""
            kind = Appendix.Kind.DOCUMENT
            label = f"{document.body.name} {draft}{document.get_kind_display().lower()}"
        elif evaluation is not None:
            kind, label = Appendix.Kind.SEF, Appendix.Kind.SEF.label
        else:
            kind, label = Appendix.Kind(choice), Appendix.Kind(choice).label
        return {
            "kind": kind,
            "title": self.cleaned_data["title"] or label,
            "document": document,
            "evaluation": evaluation,
        }


class AppendixUploadForm(GDSFormMixin, forms.Form):
    title = appendix_title()
    file = appendix_file()
    description = image_description()


class AppendixReplaceForm(GDSFormMixin, forms.Form):
    file = appendix_file()
    description = image_description()


class AppendixRenameForm(GDSFormMixin, forms.Form):
    title = appendix_title()


class RedraftForm(GDSFormMixin, forms.Form):
    section = forms.ChoiceField(
        label="Which section should the portal draft again from the data?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a section to draft again",
            "invalid_choice": "Choose a section to draft again",
        },
    )

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["section"]).choices = [
            ("unedited", "Every section you have not changed"),
            *sections,
        ]


class ReportSectionsForm(GDSFormMixin, forms.Form):
    """The texts the author writes for a report type's own sections, such as other options or implications."""

    def __init__(self, *args: Any, written: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in written:
            self.fields[key] = long_text(
                f"{label} (optional)",
                "Leave empty where there is nothing to report: the report then says none are identified.",
            )
