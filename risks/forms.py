from datetime import date
from typing import Any, cast

from crispy_forms_gds.choices import Choice
from django import forms
from django.utils import timezone

from actions.models import Action
from core.forms import GDSFormMixin, RealDateField, long_text, next_year_example
from core.models import User
from risks.models import SCALE, Risk, RiskMatrix

SCORE_QUESTIONS = {
    "inherent_likelihood": ("Likelihood before controls", "likelihood"),
    "inherent_impact": ("Impact before controls", "impact"),
    "residual_likelihood": ("Likelihood with the controls in place", "likelihood"),
    "residual_impact": ("Impact with the controls in place", "impact"),
}


def score_choices(matrix: RiskMatrix, kind: str) -> list[Choice]:
    words = matrix.likelihood if kind == "likelihood" else matrix.impact
    return [Choice(str(value), f"{value} – {words(value)}") for value in SCALE]


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.reference}: {obj.what_we_want}"


class ScoresMixin:
    """The four scores, each a choice of five steps worded by the partnership's matrix."""

    fields: dict[str, forms.Field]

    def add_scores(self, matrix: RiskMatrix) -> None:
        for name, (label, kind) in SCORE_QUESTIONS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=score_choices(matrix, kind),
                widget=forms.RadioSelect,
                error_messages={"required": f"Select the {label[0].lower()}{label[1:]}"},
            )

    def clean(self) -> dict[str, Any]:
        """Controls lower a risk: a score with them above the score without is the two sets chosen the wrong way
        round, and would put the risk at the top of the board's heat map."""
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        scores: list[int] = [cleaned[name] for name in SCORE_QUESTIONS if cleaned.get(name) is not None]
        if len(scores) == len(SCORE_QUESTIONS):
            before, after = scores[0] * scores[1], scores[2] * scores[3]
            if after > before:
                self.add_error(  # type: ignore[attr-defined]
                    "residual_likelihood",
                    f"The score with the controls in place (likelihood {scores[2]} × impact {scores[3]} = {after}) "
                    f"must not be higher than the score before controls (likelihood {scores[0]} × impact "
                    f"{scores[1]} = {before}): check the two have not been chosen the wrong way round",
                )
        return cleaned


class RiskForm(ScoresMixin, GDSFormMixin, forms.Form):
    """A risk's details; when it is raised, its first scores as well."""

    title = forms.CharField(
        label="Risk", max_length=200, error_messages={"required": "Enter the risk in a few words"}
    )
    cause = long_text("Cause", "What could make it happen", required=True)
    effect = long_text("Effect", "What would happen if it did", required=True)
    owner = forms.TypedChoiceField(
        label="Owner",
        help_text="The person who manages the risk and keeps it up to date",
        coerce=int,
        error_messages={"required": "Select the risk's owner"},
    )
    controls = long_text("Controls (optional)", "What is already in place: one control per line")
    actions = ActionChoiceField(
        label="Mitigating actions (optional)",
        help_text="Actions of the plan that reduce the risk",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_date = RealDateField(
        label="Review date",
        help_text=next_year_example("When the owner next reviews it."),
    )

    def __init__(
        self,
        *args: Any,
        owners: list[User],
        actions: Any,
        matrix: RiskMatrix | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {user.pk: user for user in owners}
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "Select a person")] + [
            (user.pk, user.get_full_name() or user.email) for user in owners
        ]
        cast(ActionChoiceField, self.fields["actions"]).queryset = actions
        if matrix is not None:
            self.add_scores(matrix)

    def clean_owner(self) -> User:
        owner = self.owners.get(self.cleaned_data["owner"])
        if owner is None:
            raise forms.ValidationError("Select someone with a role in this partnership")
        return owner

    def clean_review_date(self) -> date:
        """A review date set in the past would put the risk on the board's list as overdue the moment it is saved. An
        overdue risk's other details can still be corrected without moving it."""
        review: date = self.cleaned_data["review_date"]
        if review < timezone.localdate() and review != self.initial.get("review_date"):
            raise forms.ValidationError("The review date must be today or in the future")
        return review

    @staticmethod
    def initial_for(risk: Risk) -> dict[str, Any]:
        return {
            "title": risk.title,
            "cause": risk.cause,
            "effect": risk.effect,
            "owner": risk.owner_id,
            "controls": risk.controls,
            "actions": list(risk.actions.all()),
            "review_date": risk.review_date,
        }

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ["title", "cause", "effect", "owner", "controls", "review_date"]}

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in SCORE_QUESTIONS}


class RescoreForm(ScoresMixin, GDSFormMixin, forms.Form):
    reason = long_text("Why the scores changed", required=True, name="The reason")

    def __init__(self, *args: Any, matrix: RiskMatrix, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields.pop("reason")
        self.add_scores(matrix)
        self.fields["reason"] = reason  # asked last, once the new scores are chosen
        self.fields["reason"].error_messages["required"] = "Enter why the scores changed"

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in SCORE_QUESTIONS}


class ReasonForm(GDSFormMixin, forms.Form):
    reason = long_text("Reason", required=True)

    def __init__(self, *args: Any, label: str, missing: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = missing


class MatrixForm(GDSFormMixin, forms.Form):
    held_by = forms.CharField(
        label="Group that keeps the log", max_length=200, error_messages={"required": "Enter the group"}
    )
    escalates_to = forms.CharField(
        label="Board that risks are escalated to",
        max_length=200,
        error_messages={"required": "Enter the board"},
    )
    medium_from = forms.IntegerField(
        label="Medium from a score of",
        min_value=2,
        max_value=25,
        error_messages={"required": "Enter a score"},
    )
    high_from = forms.IntegerField(
        label="High from a score of", min_value=2, max_value=25, error_messages={"required": "Enter a score"}
    )
    very_high_from = forms.IntegerField(
        label="Very high from a score of",
        min_value=2,
        max_value=25,
        error_messages={"required": "Enter a score"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in ("likelihood", "impact"):
            for value in SCALE:
                self.fields[f"{kind}_{value}"] = forms.CharField(
                    label=f"{kind.capitalize()} {value}",
                    max_length=40,
                    error_messages={"required": f"Enter the word for {kind} {value}"},
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        bands = [cleaned.get(name) for name in ("medium_from", "high_from", "very_high_from")]
        if None not in bands and not bands[0] < bands[1] < bands[2]:  # type: ignore[operator]
            self.add_error("high_from", "Each band must start at a higher score than the one before")
        return cleaned

    @staticmethod
    def initial_for(matrix: RiskMatrix) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(matrix, name)
            for name in ("held_by", "escalates_to", "medium_from", "high_from", "very_high_from")
        }
        for value in SCALE:
            initial[f"likelihood_{value}"] = matrix.likelihood(value)
            initial[f"impact_{value}"] = matrix.impact(value)
        return initial

    def matrix_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "likelihood_labels": [data[f"likelihood_{value}"] for value in SCALE],
            "impact_labels": [data[f"impact_{value}"] for value in SCALE],
            **{
                name: data[name]
                for name in ("held_by", "escalates_to", "medium_from", "high_from", "very_high_from")
            },
        }
