from typing import Any, cast

from django import forms

from core.forms import GDSFormMixin, long_text
from reports.models import Meeting, Narrative


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
    recommendations = forms.CharField(
        label="2. Recommendations",
        help_text="What the Board is asked to do, one recommendation per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
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
        for number in numbers:
            self.fields[f"wording_{number}"] = forms.CharField(
                label=f"3.4 Recommendation {number} as this report words it (optional)",
                help_text="Leave empty to print the recommendation as the plan words it.",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        order = [
            "executive_summary",
            "recommendations",
            "background",
            *[f"wording_{n}" for n in numbers],
            "progress_intro",
            *[f"progress_{n}" for n in numbers],
        ]
        self.order_fields(order)

    @staticmethod
    def initial_for(narrative: Narrative) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "executive_summary": narrative.executive_summary,
            "recommendations": narrative.recommendations,
            "background": narrative.background,
            "progress_intro": narrative.progress.get("intro", ""),
            "impact": narrative.impact,
            "priorities_heading": narrative.priorities_heading,
            "priorities": narrative.priorities,
        }
        for key, text in narrative.progress.items():
            initial[f"progress_{key}"] = text
        for key, text in narrative.recommendation_wording.items():
            initial[f"wording_{key}"] = text
        return initial

    def narrative_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "executive_summary": data["executive_summary"],
            "recommendations": data["recommendations"],
            "background": data["background"],
            "recommendation_wording": {
                str(n): data[f"wording_{n}"].strip() for n in self.numbers if data[f"wording_{n}"].strip()
            },
            "progress": {
                "intro": data["progress_intro"],
                **{str(n): data[f"progress_{n}"] for n in self.numbers},
            },
            "impact": data["impact"],
            "priorities_heading": data["priorities_heading"],
            "priorities": data["priorities"],
        }


class GovernanceBodyForm(GDSFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the name"})
    purpose = long_text("Purpose", "Optional.")
    reports_to = long_text("Reports to", "Optional. Who it is accountable to, as its terms of reference say.")
    meets = forms.CharField(
        label="Meets", max_length=100, required=False, help_text="Optional. For example, bi-monthly."
    )
    membership = long_text("Membership", "Optional. One member or role per line.")
    order = forms.IntegerField(
        label="Position in the list",
        min_value=1,
        max_value=999,
        required=False,
        help_text="Optional. Bodies are listed in this order in the pack's Appendix 2; leave empty to put it last.",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": "Enter the position as a whole number",
            "min_value": "Enter a position of 1 or more",
            "max_value": "Enter a position of 999 or less",
        },
    )


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
