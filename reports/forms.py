from typing import Any

from django import forms
from django.db.models import QuerySet

from core.forms import GDSFormMixin, long_text
from reports.appendices import check_upload
from reports.models import (
    Appendix,
    GovernanceBody,
    GovernanceDocument,
    GovernanceRelation,
    Meeting,
    Narrative,
)
from sef.models import SelfEvaluation


class MeetingForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "body",
            "council",
            "date",
            "agenda_item",
            "item_time",
            "report_title",
            "report_of",
            "report_author",
            "executive_director",
            "classification",
            "key_decision",
            "democratic_contact",
            "build_days_before",
        ]
        labels = {
            "body": "Meeting",
            "date": "Date of the meeting",
            "agenda_item": "Agenda item number",
            "item_time": "Time of the item (optional)",
            "report_of": "Report of (optional)",
            "key_decision": "This is a key decision",
            "democratic_contact": "Democratic services contact",
            "build_days_before": "Build the pack automatically this many days before the meeting",
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "item_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "classification": forms.RadioSelect,
        }


class NarrativeForm(GDSFormMixin, forms.Form):
    """The cover report's text; one progress field per recommendation of the plan."""

    executive_summary = forms.CharField(
        label="1. Executive summary", widget=forms.Textarea(attrs={"rows": 3})
    )
    background = forms.CharField(
        label="3. Background",
        help_text="Separate paragraphs with a blank line; start a line with a dash and a space for a bullet.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    progress_intro = forms.CharField(
        label="4.1 Introduction to progress", widget=forms.Textarea(attrs={"rows": 4})
    )
    impact = forms.CharField(
        label="5. Impact to date", help_text="One paragraph per line.", widget=forms.Textarea
    )
    priorities_heading = forms.CharField(label="Heading of section 6", max_length=100)
    priorities = forms.CharField(
        label="6. Priorities", help_text="One priority per line.", widget=forms.Textarea
    )

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.numbers = numbers
        for number in numbers:
            self.fields[f"progress_{number}"] = forms.CharField(
                label=f"Progress towards recommendation {number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        order = ["executive_summary", "background", "progress_intro", *[f"progress_{n}" for n in numbers]]
        self.order_fields(order)

    @staticmethod
    def initial_for(narrative: Narrative) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "executive_summary": narrative.executive_summary,
            "background": narrative.background,
            "progress_intro": narrative.progress.get("intro", ""),
            "impact": narrative.impact,
            "priorities_heading": narrative.priorities_heading,
            "priorities": narrative.priorities,
        }
        for key, text in narrative.progress.items():
            initial[f"progress_{key}"] = text
        return initial

    def narrative_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "executive_summary": data["executive_summary"],
            "background": data["background"],
            "progress": {
                "intro": data["progress_intro"],
                **{str(n): data[f"progress_{n}"] for n in self.numbers},
            },
            "impact": data["impact"],
            "priorities_heading": data["priorities_heading"],
            "priorities": data["priorities"],
        }


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
