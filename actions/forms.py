from datetime import date
from typing import Any, cast

from crispy_forms_gds.choices import Choice
from django import forms
from django.core.validators import URLValidator
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from actions.evidence import ALLOWED_LIST, HeldEvidence, evidence_content_type
from actions.models import Action, Milestone, RagLevel
from actions.services import replan_date_error
from core.forms import GDSFormMixin, OptionalDateField, RealDateField, long_text, next_year_example
from core.models import Membership, Organisation, User
from core.privacy import personal_data_warnings


class WebAddressField(forms.URLField):
    """A link people can open in a browser: http or https only, checked by one validator so one error shows."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class ProgressUpdateForm(GDSFormMixin, forms.Form):
    rag = forms.ChoiceField(
        label="How is the action going?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the action is going",
            "invalid_choice": "Select how the action is going",
        },
    )
    commentary = long_text(
        "Commentary",
        "Why the action has this status. Required when the status changes, and for Red or Amber.",
    )
    next_steps = long_text("Next steps (optional)")
    risks_and_issues = long_text("Risks and issues (optional)")
    completed_milestones = forms.ModelMultipleChoiceField(
        queryset=Milestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Milestones completed",
        help_text="Select any milestones this update completes.",
    )
    proposed_due_date = OptionalDateField(
        label="New due date (optional)",
        help_text=next_year_example("Only if the action cannot finish by its due date."),
    )
    proposed_due_reason = long_text("Reason for the new due date")
    evidence_file = forms.FileField(
        label="Upload evidence (optional)",
        required=False,
        help_text=f"A {ALLOWED_LIST} file, smaller than 10 MB.",
        error_messages={"empty": "The selected file is empty"},
    )
    evidence_link = WebAddressField(
        label="Link to evidence (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address in the correct format, like https://www.example.org/report"
        },
    )
    evidence_link_title = forms.CharField(
        label="Title of the linked evidence (optional)", required=False, max_length=200
    )
    no_personal_data = forms.BooleanField(
        required=False,
        label="I confirm this update identifies no individual child or young person",
    )
    lock_version = forms.CharField(widget=forms.HiddenInput, required=False)
    held_evidence = forms.CharField(widget=forms.HiddenInput, required=False)

    TEXT_FIELDS = ("commentary", "next_steps", "risks_and_issues")

    def __init__(
        self,
        *args: Any,
        action: Action,
        rag_levels: list[RagLevel],
        held: HeldEvidence | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.held = held  # the file kept from the last try that the form's note points to, if still kept
        self.rag_levels = {str(level.pk): level for level in rag_levels}
        cast(forms.ChoiceField, self.fields["rag"]).choices = [
            Choice(str(level.pk), f"{level.label} – {level.meaning}", hint=level.definition)
            for level in rag_levels
        ]
        if not self.is_bound:
            del self.fields["no_personal_data"]
        # The model's order within one action, without joining the action and its recommendation to sort.
        open_milestones = Milestone.objects.filter(action=action, completed_on__isnull=True).order_by(
            "due_date", "pk"
        )
        cast(forms.ModelMultipleChoiceField, self.fields["completed_milestones"]).queryset = open_milestones
        if action.due_date is None:  # the date it is given is its first, not a slip: asked as such
            self.fields["proposed_due_date"].label = "When the action will finish (optional)"
            self.fields["proposed_due_date"].help_text = next_year_example(
                "The action has no due date yet: the date you give becomes its due date once the lead approves."
            )
        if not open_milestones.exists():
            del self.fields["completed_milestones"]

    def clean(self) -> dict[str, Any]:
        """Warn, before saving, about text that looks like an NHS number, a UPN or a date of birth."""
        cleaned = super().clean() or {}
        for name in self.TEXT_FIELDS:
            found = personal_data_warnings(cleaned.get(name, ""))
            if found and not cleaned.get("no_personal_data"):
                self.add_error(
                    name,
                    f"{str(self.fields[name].label).removesuffix(' (optional)')} may contain {' and '.join(found)}. The portal holds "
                    "aggregate information only: remove personal details, or tick the box below to "
                    "confirm there are none",
                )
                self.show_privacy_confirmation = True
        if (
            cleaned.get("evidence_link_title")
            and not cleaned.get("evidence_link")
            and "evidence_link" not in self.errors
        ):
            self.add_error("evidence_link", "Enter the link to the evidence, or delete its title")
        if self.data.get("held_evidence") and self.held is None and not self.files.get("evidence_file"):
            # The page said a file was kept, but it no longer is (over a day old): say so rather than save without it.
            self.add_error("evidence_file", "Select the file again: the one you chose before was not kept")
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        # The confirmation box appears only once the text has set off the warning (or was already ticked).
        if not (getattr(self, "show_privacy_confirmation", False) or self.data.get("no_personal_data")):
            self.fields.pop("no_personal_data", None)

    def clean_lock_version(self) -> int | None:
        value = self.cleaned_data.get("lock_version") or ""
        if value and not value.isdigit():
            # A hidden field: its error goes to the top of the form, where people can see it.
            self.add_error(
                None, "This form is out of date or was changed. Open the action again to update it"
            )
            return None
        return int(value) if value else None

    def clean_rag(self) -> RagLevel:
        return self.rag_levels[self.cleaned_data["rag"]]

    def keep_evidence(self, held: HeldEvidence) -> None:
        """Shown again with an error: the file chosen before is kept, named beside the file box, and goes with the
        next Continue unless another is chosen."""
        data = cast(QueryDict, self.data).copy()  # the request's own QueryDict cannot be changed; a copy can
        data["held_evidence"] = held.token
        self.data = data
        # The field drawn is the form's bound field, which took its hint when the form was checked. A file chosen
        # this time and refused is named, so that its error is not read as being about the file still kept.
        refused = self.files.get("evidence_file") if "evidence_file" in self.errors else None
        kept = (
            f"{refused.name} was not added. {held.name}, chosen before, will be saved with this update unless you "
            "choose a different file."
            if refused
            else f"You chose {held.name}. It will be saved with this update unless you choose a different file."
        )
        self["evidence_file"].help_text = f"{kept} {self.fields['evidence_file'].help_text}"

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if upload:
            evidence_content_type(upload)
        return upload

    def clean_proposed_due_date(self) -> date | None:
        proposed: date | None = self.cleaned_data.get("proposed_due_date") or None
        if proposed is not None and proposed < timezone.localdate():
            raise forms.ValidationError("The new due date must be today or in the future")
        return proposed


class ReturnForm(GDSFormMixin, forms.Form):
    reason = long_text(
        "Why are you returning this update?",
        "The officer sees this and can change the update.",
        required=True,
        name="The reason for returning it",
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter the reason you are returning the update"


class ActionDetailsForm(GDSFormMixin, forms.Form):
    lead_officer = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Lead officer", empty_label="Not assigned"
    )
    owner_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Owning organisations",
    )
    start_date = OptionalDateField(label="Start date")
    original_due_date = OptionalDateField(
        label="Original due date",
        help_text=next_year_example(
            "It must not be in the past. You can correct it until an update on the action is approved or the "
            "action is re-planned; after that, to move the due date later, re-plan the action with a reason."
        ),
    )
    lifecycle = forms.ChoiceField(
        choices=Action.Lifecycle.choices, widget=forms.RadioSelect, label="Lifecycle"
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["lead_officer"]).queryset = (
            User.objects.filter(memberships__partnership_id=partnership_id, is_active=True)
            .distinct()
            .order_by("full_name", "email")
        )
        # A deactivated organisation takes on no new work, but one that already owns the action stays ticked: left
        # out of the choices, it would be dropped from the action at the next save without anyone choosing that.
        owners = [o.pk for o in self.initial.get("owner_organisations", [])]
        cast(
            forms.ModelMultipleChoiceField, self.fields["owner_organisations"]
        ).queryset = Organisation.objects.filter(partnership_id=partnership_id).filter(
            Q(is_active=True) | Q(pk__in=owners)
        )


class ReplanForm(GDSFormMixin, forms.Form):
    new_due_date = RealDateField(label="New due date")
    reason = long_text("Reason for the change", required=True)

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        current_due_date = action.due_date
        self.fields["reason"].error_messages["required"] = "Enter the reason the due date changed"
        # The rule the service applies (services.replan_errors), said before anyone falls foul of it.
        rule = (
            f"It must be later than the current due date, {current_due_date:%-d %B %Y}, and not in the past."
            if current_due_date
            else "It must not be in the past."
        )
        self.fields["new_due_date"].help_text = next_year_example(rule)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new_due_date = cleaned.get("new_due_date")
        if new_due_date and (error := replan_date_error(self.action, new_due_date)):
            self.add_error("new_due_date", error)
        return cleaned


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.get_full_name()} ({obj.organisation})"


class RecommendationLeadForm(GDSFormMixin, forms.Form):
    lead = MembershipChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Not assigned",
        label="Recommendation lead",
    )

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["lead"]).queryset = Membership.objects.filter(
            partnership_id=partnership_id, role="lead"
        ).select_related("user", "organisation")


class MilestoneForm(GDSFormMixin, forms.Form):
    title = forms.CharField(label="Milestone", max_length=300)
    due_date = RealDateField(label="Due date", help_text=next_year_example("It must not be in the past."))


class MilestoneChangeForm(MilestoneForm):
    """The milestone's title and due date, put right: a due date already past may stay (services.milestone_errors)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_date"].help_text = next_year_example(
            "A new date must not be in the past. A date already past can stay as it is."
        )


class NewActionForm(GDSFormMixin, forms.Form):
    what_we_want = long_text("What we want", required=True)
    what_we_will_do = long_text("What we will do", required=True)
    where_are_we_now = long_text(
        "Where are we now", "The baseline today: progress updates never change it.", required=True
    )
    what_we_will_see = long_text("What we will see", required=True)
    difference_this_will_make = long_text("The difference this will make", required=True)
    reason = long_text(
        "Why the plan is changing",
        "Kept with the earlier version, which stays readable as it was published.",
        required=True,
    )

    # The plan's headings are questions and phrases, not names: each error says what to write under its heading.
    REQUIRED = {
        "what_we_want": "Enter what this action wants to achieve",
        "what_we_will_do": "Enter what the partnership will do",
        "where_are_we_now": "Enter where things stand now, the action's baseline",
        "what_we_will_see": "Enter what we will see when it is done",
        "difference_this_will_make": "Enter the difference this action will make",
        "reason": "Enter why the plan is changing",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED.items():
            self.fields[name].error_messages["required"] = message


TAG_COLOURS = [
    ("govuk-tag--red", "Red"),
    ("govuk-tag--orange", "Orange"),
    ("govuk-tag--yellow", "Yellow"),
    ("govuk-tag--green", "Green"),
    ("govuk-tag--turquoise", "Turquoise"),
    ("govuk-tag--blue", "Blue"),
    ("govuk-tag--light-blue", "Light blue"),
    ("govuk-tag--purple", "Purple"),
    ("govuk-tag--pink", "Pink"),
    ("govuk-tag--grey", "Grey"),
]


class RagLevelForm(GDSFormMixin, forms.Form):
    label = forms.CharField(label="Label", max_length=30)
    meaning = forms.CharField(
        label="Meaning in a few words", max_length=60, help_text="For example, off track"
    )
    definition = long_text("Definition shown to people choosing this level", required=True)
    tag_class = forms.ChoiceField(
        label="Tag colour",
        choices=TAG_COLOURS,
        widget=forms.RadioSelect,
        help_text="The label is always shown in words; the colour only helps.",
    )
    colour = forms.RegexField(
        label="Chart colour",
        regex=r"^#[0-9a-fA-F]{6}$",
        max_length=7,
        help_text="A web colour code: # and then 6 characters, each 0 to 9 or a to f. For example, #d4351c is red.",
        error_messages={
            "invalid": "Enter the chart colour as # and then 6 characters, each 0 to 9 or a to f, like #d4351c"
        },
    )
    needs_commentary = forms.BooleanField(label="Commentary is required at this level", required=False)
