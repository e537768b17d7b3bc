from datetime import date
from typing import Any

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Layout
from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q

from actions.models import Action, Plan, Recommendation
from core.forms import GDSFormMixin, long_text
from core.models import Partnership, Role
from kpis.exports import plain_decimal
from kpis.figures import in_sentence
from kpis.models import Comparator, Frequency, Indicator, Qualifier, Return, ReturnPeriod
from kpis.uploads import MAX_NOTE
from kpis.validation import (
    BREAKDOWN_LENGTH,
    FigureError,
    check_breakdown,
    check_denominator,
    check_fraction,
    check_value,
    known_spelling,
    parse_number,
)

WHOLE_COHORT, ONE_GROUP = "whole", "group"


def standing_figures(returned: Return) -> dict[str, str]:
    """A standing figure as ReturnForm takes it, so that correcting one number does not mean typing the rest again."""

    def written(number: int | None) -> str:
        return "" if number is None else str(number)

    return {
        "figure_for": ONE_GROUP if returned.breakdown else WHOLE_COHORT,
        "breakdown": returned.breakdown,
        "value": "" if returned.value is None else plain_decimal(returned.value, returned.decimal_places),
        "qualifier": returned.qualifier,
        "numerator": written(returned.numerator),
        "denominator": written(returned.denominator),
        "note": returned.note,
    }


class ReturnForm(GDSFormMixin, forms.Form):
    """The figures for one indicator and period. Values arrive as text so the messages can be specific.

    For an indicator broken down by a topic, the figure is for the whole cohort or for one group of it,
    named in a field labelled with the topic ("Primary need")."""

    figure_for = forms.ChoiceField(
        label="Who is this figure for?",
        choices=[(WHOLE_COHORT, "The whole cohort"), (ONE_GROUP, "One group")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the figure is for the whole cohort or for one group"},
    )
    breakdown = forms.CharField(max_length=BREAKDOWN_LENGTH, required=False)
    value = forms.CharField(label="Value", max_length=30)
    qualifier = forms.ChoiceField(
        label="Is the value exact?",
        choices=[("", "Exact"), *[(key, f"Approximate: {key}") for key in Qualifier.values if key]],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text="Where the figure is approximate, readers see it with its qualifier, for example 'around 5%'",
    )
    numerator = forms.CharField(label="Numerator (optional)", max_length=30, required=False)
    denominator = forms.CharField(label="Denominator (optional)", max_length=30, required=False)
    note = long_text(
        "Note (optional)",
        "Anything a reader needs to know about this figure, such as a change of definition",
        limit=MAX_NOTE,
    )

    def __init__(
        self, *args: Any, indicator: Indicator, known_groups: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.known_groups = known_groups or []
        topic = indicator.breakdown_topic
        if topic:
            self.fields["figure_for"].choices = [  # type: ignore[attr-defined]
                (WHOLE_COHORT, "The whole cohort"),
                (ONE_GROUP, f"One group, by {in_sentence(topic)}"),
            ]
            self.fields["breakdown"].label = f"{topic} (if the figure is for one group)"
            self.fields["breakdown"].help_text = "The group as its source names it" + (
                f". Groups already returned: {'; '.join(self.known_groups)}" if self.known_groups else ""
            )
            self.fields["breakdown"].error_messages["max_length"] = (
                f"{topic} must be {BREAKDOWN_LENGTH} characters or fewer"
            )
        else:
            del self.fields["figure_for"]
            del self.fields["breakdown"]
        self.fields["value"].help_text = {
            "percentage": "A percentage between 0 and 100, without the % sign",
            "count": "A whole number",
        }.get(indicator.unit, f"A number of {indicator.get_unit_display().lower()}")
        self.fields["value"].widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})
        for name in ("numerator", "denominator"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})
        if indicator.numerator:
            self.fields["numerator"].help_text = indicator.numerator
        if indicator.denominator:
            self.fields["denominator"].help_text = indicator.denominator

    def parsed(self, name: str, *, whole: bool) -> Any:
        text = self.cleaned_data.get(name, "")
        if not text:
            return None
        try:
            number = parse_number(text, whole=whole, what=name.capitalize())
        except FigureError as error:
            raise forms.ValidationError(str(error)) from error
        return int(number) if whole else number

    def clean_value(self) -> Any:
        value = self.parsed("value", whole=False)
        try:
            check_value(self.indicator, value)
        except FigureError as error:
            raise forms.ValidationError(str(error)) from error
        return value

    def clean_numerator(self) -> int | None:
        return self.parsed("numerator", whole=True)

    def clean_denominator(self) -> int | None:
        denominator = self.parsed("denominator", whole=True)
        try:
            check_denominator(denominator)
        except FigureError as error:
            raise forms.ValidationError(str(error)) from error
        return denominator

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            check_fraction(
                self.indicator, cleaned.get("value"), cleaned.get("numerator"), cleaned.get("denominator")
            )
        except FigureError as error:
            self.add_error("numerator", str(error))
        self.clean_group(cleaned)
        return cleaned

    def clean_group(self, cleaned: dict[str, Any]) -> None:
        """The group named when the figure is for one; none when it is for the whole cohort."""
        topic = self.indicator.breakdown_topic
        if not topic:
            cleaned["breakdown"] = ""
            return
        group = cleaned.get("breakdown", "").strip()
        if cleaned.get("figure_for") != ONE_GROUP:
            cleaned["breakdown"] = ""
            return
        if not group:
            self.add_error("breakdown", f"Enter the {in_sentence(topic)} this figure is for")
            return
        try:
            check_breakdown(self.indicator, group)
        except FigureError as error:
            self.add_error("breakdown", str(error))
            return
        cleaned["breakdown"] = known_spelling(group, self.known_groups)


def file_field(label: str, help_text: str, accept: str, required: str) -> forms.FileField:
    """A file to upload, with the GOV.UK file upload's error messages."""
    return forms.FileField(
        label=label,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": accept}),
        error_messages={
            "required": required,
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded: try again",
        },
    )


class FileForm(GDSFormMixin, forms.Form):
    """A form of one file, `file`, whose contents' problems are shown on it."""

    def report_problem(self, message: str) -> None:
        """Put a problem with the file's contents on the file field, also when the form is not bound."""
        self.errors.setdefault("file", self.error_class()).append(message)


class UploadForm(FileForm):
    file = file_field(
        "Upload a file",
        "A CSV or Excel .xlsx file, smaller than 1 MB, with the template's columns",
        ".csv,.xlsx",
        "Select a CSV or Excel file to upload",
    )


class QueryForm(GDSFormMixin, forms.Form):
    DECISIONS = [("verify", "Mark as verified"), ("query", "Query it with the organisation")]
    decision = forms.ChoiceField(
        label="What do you want to do?",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to mark the return as verified or query it"},
    )
    reason = long_text(
        "Why are you querying it?",
        "The organisation sees this and answers with a corrected return",
        limit=MAX_NOTE,
        name="The reason for querying it",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The reason is asked for under "Query it", shown only when that is chosen, as GOV.UK's conditional
        # radios do: a reason typed for a return then marked as verified is not silently thrown away.
        self.helper.layout = Layout(
            ConditionalRadios(
                "decision", self.DECISIONS[0][1], ConditionalQuestion(self.DECISIONS[1][1], "reason")
            )
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "query" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter why you are querying this return")
        return cleaned


# The indicator's required choices, each with the GOV.UK message that names what is missing.
REQUIRED_CHOICES = {
    "unit": "Select the unit",
    "better": "Select which direction is better",
    "frequency": "Select how often it is measured",
}


def without_blank_choice(field: forms.Field, required: str) -> None:
    """A required model choice without a default is given Django's blank choice, "---------", which radios show as
    an answer, ticked on a new form; a radio has nothing to show before one is chosen."""
    field.choices = [(value, label) for value, label in field.choices if value != ""]  # type: ignore[attr-defined]
    field.error_messages["required"] = required


def action_label(action: Action) -> str:
    return f"{action.reference}: {action.what_we_want}"


class IndicatorForm(GDSFormMixin, forms.ModelForm):
    visible_to_roles = forms.MultipleChoiceField(
        label="Roles that may see it when restricted",
        choices=[(role.value, role.label) for role in Role if role != Role.ADMIN],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Partnership admins always can; the owning organisation's officers can still submit its returns",
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "description",
            "unit",
            "better",
            "frequency",
            "source_collection",
            "cohort",
            "owner_organisation",
            "numerator",
            "denominator",
            "target_value",
            "target_text",
            "target_source_document",
            "tolerance",
            "breakdown_topic",
            "suppress_small_numbers",
            "restricted",
            "visible_to_roles",
            "recommendations",
            "actions",
            "sef_areas",
        ]
        widgets = {
            "unit": forms.RadioSelect,
            "better": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "recommendations": forms.CheckboxSelectMultiple,
            "actions": forms.CheckboxSelectMultiple,
            "sef_areas": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "cohort": forms.Textarea(attrs={"rows": 3}),
            "numerator": forms.Textarea(attrs={"rows": 2}),
            "denominator": forms.Textarea(attrs={"rows": 2}),
            "target_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        # As for an action's owners: no new indicator for a deactivated organisation, but one it owns keeps it.
        self.fields["owner_organisation"].queryset = partnership.organisations.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk=self.instance.owner_organisation_id)
        ).order_by("name")
        self.fields["owner_organisation"].empty_label = "Choose an organisation"  # type: ignore[attr-defined]
        plan = Plan.objects.filter(partnership=partnership, status=Plan.Status.PUBLISHED).first()
        self.fields["recommendations"].queryset = Recommendation.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["actions"].queryset = Action.objects.filter(recommendation__plan=plan)  # type: ignore[attr-defined]
        # An action's own name is cut at 80 characters, mid-word: beside a checkbox there is room for all of it.
        self.fields["actions"].label_from_instance = action_label  # type: ignore[attr-defined]
        self.fields["actions"].help_text = "Select all that apply"
        # The areas belong to the SEF, a layer above: reached through the link rather than imported.
        areas = self.fields["sef_areas"].queryset  # type: ignore[attr-defined]
        self.fields["sef_areas"].queryset = areas.of_latest_framework()  # type: ignore[attr-defined]
        self.fields[
            "sef_areas"
        ].help_text = "The areas of the inspection framework this indicator is evidence for"
        self.fields["target_value"].help_text = "Only where a document states a numeric target"
        # As the table's check has it, but worded on the field rather than as the database's constraint.
        self.fields["tolerance"].validators.append(MinValueValidator(0))
        # What the slug validator accepts, in the words of its error (core.forms.govuk_error_messages); clean_code
        # then saves the letters as capitals.
        self.fields["code"].help_text = (
            "Letters, numbers, underscores or hyphens, for example EHCP_MAINTAINED. "
            "Letters are saved as capitals"
        )
        for name, message in REQUIRED_CHOICES.items():
            without_blank_choice(self.fields[name], message)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].upper()
        # The partnership is not a field of the form, so Django leaves the unique constraint to the model's own
        # check on saving, whose message names no field; checked here, the error is on the code, in our words.
        taken = Indicator.objects.filter(partnership=self.instance.partnership, code__iexact=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                f"The partnership already has an indicator with the code {code}: choose another code"
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("restricted") is False:
            cleaned["visible_to_roles"] = []
        return cleaned


class ComparatorForm(GDSFormMixin, forms.ModelForm):
    class Meta:
        model = Comparator
        fields = [
            "geography",
            "period_label",
            "reference_date",
            "value",
            "qualifier",
            "note",
            "source_document",
            "source_quote",
        ]
        widgets = {
            "geography": forms.RadioSelect,
            "qualifier": forms.RadioSelect,
            "reference_date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "source_quote": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "period_label": "As the source names it, for example 'January 2024 school census'",
            "value": "Leave empty where the source gives only words; put the words in the note",
            "qualifier": "Where the source gives the figure as approximate, for example 'around 50%'",
            "source_document": "The publication or file the figure comes from",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        without_blank_choice(self.fields["geography"], "Select the geography")


class ReturnPeriodForm(GDSFormMixin, forms.ModelForm):
    frequency = forms.ChoiceField(choices=Frequency.choices, widget=forms.RadioSelect)

    class Meta:
        model = ReturnPeriod
        fields = ["frequency", "label", "start", "end", "deadline"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"start": "First day", "end": "Last day", "deadline": "Returns due by"}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end, deadline = cleaned.get("start"), cleaned.get("end"), cleaned.get("deadline")
        if start and end and end < start:
            self.add_error("end", "The last day must be on or after the first day")
        if end and deadline and deadline < end:
            self.add_error("deadline", "Returns can be due only after the period ends")
        self.refuse_a_second(cleaned.get("label"), cleaned.get("frequency"), start)
        return cleaned

    def refuse_a_second(self, label: str | None, frequency: str | None, start: date | None) -> None:
        """A period with the same name, or of the same rhythm starting on the same day, is refused on its field in
        words; the table's unique constraints would otherwise answer in the model's and fields' own names."""
        others = ReturnPeriod.objects.filter(partnership=self.instance.partnership).exclude(
            pk=self.instance.pk
        )
        if label and others.filter(label=label).exists():
            self.add_error(
                "label", f"There is already a collection period called ‘{label}’: give this one another name"
            )
        if frequency and start and others.filter(frequency=frequency, start=start).exists():
            rhythm = Frequency(frequency).label.lower()
            self.add_error(
                "start", f"There is already a {rhythm} collection period starting on {start:%-d %B %Y}"
            )


class StatisticsFileForm(FileForm):
    file = file_field(
        "Upload a file from Explore Education Statistics",
        "A CSV file exactly as downloaded, for example the timeliness of EHC plans",
        ".csv",
        "Select a CSV file to upload",
    )


class StatisticalNeighboursForm(GDSFormMixin, forms.Form):
    codes = long_text(
        "Statistical neighbours",
        "One local authority code a line, closest first, as in the department's statistical neighbour "
        "benchmarking tool, for example E06000034",
        limit=400,
        name="The statistical neighbours",
    )

    def clean_codes(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["codes"].splitlines() if line.strip()]


class NeighbourFileForm(FileForm):
    file = file_field(
        "Upload the statistical neighbour benchmarking tool",
        "The department's workbook (.xlsx) as downloaded, or its neighbour groupings saved as CSV",
        ".xlsx,.csv",
        "Select the benchmarking tool's file to upload",
    )
