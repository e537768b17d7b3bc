import re
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.db.models import QuerySet

from actions.models import Action
from core.forms import GDSFormMixin, long_text
from sef.models import AreaItem, JudgementLevel, KeyIssue, SelfEvaluation

ITEMS_HINT = "Put each item in its own paragraph, with a blank line between items."
BLANK_LINES = re.compile(r"\n\s*\n")


def split_items(text: str) -> list[str]:
    """Paragraphs become items; single line breaks stay inside an item, as in the published SEF."""
    return [item.strip() for item in BLANK_LINES.split(text.replace("\r\n", "\n")) if item.strip()]


def join_items(items: list[str]) -> str:
    return "\n\n".join(items)


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.reference}: {obj.what_we_want}"


class KeyIssueChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: KeyIssue) -> str:
        return f"Key issue {obj.order}: {obj.text}"


class AreaEvaluationForm(GDSFormMixin, forms.Form):
    do_well = forms.CharField(
        label="What we do well", required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    impact = forms.CharField(
        label="Impact on outcomes", required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    improve = forms.CharField(
        label="What we need to improve", required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    judgement = forms.ModelChoiceField(
        label="Self-assessed judgement",
        queryset=JudgementLevel.objects.none(),
        required=False,
        blank=True,
        empty_label="Not judged yet",
        widget=forms.RadioSelect,
    )
    judgement_rationale = forms.CharField(
        label="Why this judgement",
        help_text="The evidence that supports the judgement.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    key_issues = KeyIssueChoiceField(
        label="Key issues from Part A this area addresses",
        queryset=KeyIssue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions = ActionChoiceField(
        label="Actions of the plan that are evidence for this area",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        judgements: QuerySet[JudgementLevel],
        key_issues: QuerySet[KeyIssue],
        actions: QuerySet[Action],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["judgement"].queryset = judgements  # type: ignore[attr-defined]
        self.fields["key_issues"].queryset = key_issues  # type: ignore[attr-defined]
        self.fields["actions"].queryset = actions  # type: ignore[attr-defined]
        for name in ("do_well", "impact", "improve"):
            self.fields[name].help_text = ITEMS_HINT
        self.helper.layout = Layout(
            Fieldset(
                Field.textarea("do_well"),
                Field.textarea("impact"),
                Field.textarea("improve"),
                legend="Items",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("judgement", legend_size=Size.MEDIUM),
            Field.textarea("judgement_rationale"),
            Field.checkboxes("key_issues", legend_size=Size.MEDIUM, small=True),
            Field.checkboxes("actions", legend_size=Size.MEDIUM, small=True),
            "row_version",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("judgement") and not (data.get("judgement_rationale") or "").strip():
            self.add_error("judgement_rationale", "Enter why you have made this judgement")
        return data

    def items(self) -> dict[str, list[str]]:
        return {heading: split_items(self.cleaned_data[heading]) for heading in AreaItem.Heading.values}

    @staticmethod
    def initial_for(items: dict[str, list[str]], **initial: Any) -> dict[str, Any]:
        return {heading: join_items(texts) for heading, texts in items.items()} | initial


class SubmitForm(GDSFormMixin, forms.Form):
    meeting_body = forms.CharField(
        label="Which body is asked to agree it",
        max_length=200,
        initial="Health and Wellbeing Board",
        error_messages={"required": "Enter the body that is asked to agree the self-evaluation"},
    )
    meeting_date = forms.DateField(
        label="Date of the meeting",
        help_text="For example, 10/12/2025",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date of the meeting as day/month/year, for example 10/12/2025",
        },
        widget=forms.DateInput(format="%d/%m/%Y"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("meeting_body"), Field.text("meeting_date", field_width=10))


class AgreementForm(GDSFormMixin, forms.Form):
    body = forms.CharField(
        label="Body that agreed it",
        max_length=200,
        error_messages={"required": "Enter the body that agreed the self-evaluation"},
    )
    agreed_on = forms.DateField(
        label="Date it was agreed",
        help_text="For example, 10/12/2025",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Enter the date it was agreed",
            "invalid": "Enter the date it was agreed as day/month/year, for example 10/12/2025",
        },
        widget=forms.DateInput(format="%d/%m/%Y"),
    )
    minute_reference = forms.CharField(
        label="Minute reference",
        max_length=100,
        help_text="As the published minutes number the item",
        error_messages={"required": "Enter the minute reference"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("body"),
            Field.text("agreed_on", field_width=10),
            Field.text("minute_reference", field_width=20),
        )


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SelfEvaluation) -> str:
        return f"Version {obj.version} ({obj.get_status_display()}, dated {obj.dated_display})"


class CompareForm(GDSFormMixin, forms.Form):
    older = VersionChoiceField(label="Compare", queryset=SelfEvaluation.objects.none(), empty_label=None)
    newer = VersionChoiceField(label="with", queryset=SelfEvaluation.objects.none(), empty_label=None)

    def __init__(self, *args: Any, versions: QuerySet[SelfEvaluation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("older", "newer"):
            self.fields[name].queryset = versions  # type: ignore[attr-defined]
        self.helper.layout = Layout(Field.select("older"), Field.select("newer"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("older") and data.get("older") == data.get("newer"):
            self.add_error("newer", "Choose two different versions")
        return data


class PriorityForm(GDSFormMixin, forms.Form):
    text = forms.CharField(
        label="Priority",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the priority"},
    )
    actions = ActionChoiceField(
        label="Actions of the plan that deliver this priority",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, actions: QuerySet[Action], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = actions  # type: ignore[attr-defined]
        self.helper.layout = Layout(
            Field.textarea("text", rows=4),
            Field.checkboxes("actions", legend_size=Size.MEDIUM, small=True),
            "row_version",
        )


class ContextSectionForm(GDSFormMixin, forms.Form):
    narrative = long_text(
        "Narrative",
        help_text="Put each paragraph on its own, with a blank line between paragraphs. The key issues stay after "
        "the paragraph they follow now.",
        limit=10_000,
    )
    data_references = long_text(
        "The data it draws on (optional)",
        help_text="The reports and figures the section refers to, as a reader would look them up.",
        limit=2_000,
        name="The data it draws on",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("narrative", rows=16),
            Field.textarea("data_references", rows=3),
            "row_version",
        )


class JudgementLevelForm(GDSFormMixin, forms.Form):
    label = forms.CharField(
        label="Judgement",
        max_length=300,
        help_text="The words leads choose when they judge an area.",
        error_messages={"required": "Enter the judgement"},
    )
    description = long_text("What it means", "Optional. Shown with the scale on the framework page.")
