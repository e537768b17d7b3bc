import time
from typing import Any, cast

from django import forms
from django.core import signing

from core.forms import GDSFormMixin, long_text
from public import selectors
from public.models import ApiToken, Feedback, PublicChoices

MESSAGE_LIMIT = 2000
# The time trap: a person takes longer than this to write a message; a script that posts at once does not.
FASTEST_HUMAN_SECONDS = 3
FORM_LIFETIME_SECONDS = 24 * 60 * 60
TIME_TRAP_SALT = "public.feedback.started"
HONEYPOT = "website"


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    """Indicators by their titles: readers never see an indicator's code."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class PublicChoicesForm(GDSFormMixin, forms.ModelForm):
    indicators = IndicatorChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Indicators to publish",
        help_text="Restricted indicators cannot be published. Counts from 1 to 4 are shown as 'fewer than 5'.",
    )

    class Meta:
        model = PublicChoices
        fields = [
            "show_plan",
            "show_summaries",
            "show_indicators",
            "show_packs",
            "show_easy_read",
            "take_feedback",
            "indicators",
            "retention_days",
        ]
        labels = {
            "show_plan": "The recommendations and their actions, with each status as the last published Board pack gave it",
            "show_summaries": "What we wanted, what we did and the difference it made, year by year",
            "show_indicators": "The indicators you choose below, with their comparators",
            "show_packs": "The published Board packs, as a web page and a PDF",
            "show_easy_read": "The easy read summary",
            "take_feedback": "The feedback form for families, and the 'You said, we did' page",
            "retention_days": "How many days to keep a person's name, contact details and message",
        }
        help_texts = {
            "retention_days": "From 7 to 730 days. After this the portal erases them; a published entry keeps only your summary and response.",
        }
        error_messages = {
            "retention_days": {
                "required": "Enter how many days to keep personal data",
                "invalid": "Enter the number of days as a whole number, for example 180",
                "min_value": "Keep personal data for at least 7 days, so that you can reply",
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(IndicatorChoiceField, self.fields["indicators"]).queryset = selectors.publishable_indicators(
            self.instance.partnership
        )
        self.fields["retention_days"].widget.attrs.update(
            {"inputmode": "numeric", "class": "govuk-input--width-4"}
        )

    def clean_retention_days(self) -> int:
        days = self.cleaned_data["retention_days"]
        if not 7 <= days <= 730:
            raise forms.ValidationError("Enter a number of days from 7 to 730")
        return days


def time_trap_token(now: float | None = None) -> str:
    return signing.dumps(now or time.time(), salt=TIME_TRAP_SALT)


class FeedbackForm(GDSFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What would you like to send?",
        choices=Feedback.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you are sending a question, a suggestion or feedback"},
    )
    message = long_text("Your message", limit=MESSAGE_LIMIT, required=True)
    name = forms.CharField(
        label="Your name (optional)",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": "Your name must be 150 characters or fewer"},
    )
    contact = forms.EmailField(
        label="Your e-mail address (optional)",
        required=False,
        help_text="Only if you would like a reply",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an e-mail address in the correct format, like name@example.com"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].error_messages["required"] = "Enter your message"

    @property
    def is_from_a_script(self) -> bool:
        """The honeypot: a field people never see or reach, which form-filling scripts fill in."""
        return bool(self.data.get(HONEYPOT))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            started = signing.loads(
                str(self.data.get("started", "")), salt=TIME_TRAP_SALT, max_age=FORM_LIFETIME_SECONDS
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "This page was open for more than a day. Check your message, then send it again"
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                "Your message could not be sent. Check it, then send it again"
            ) from None
        if time.time() - float(started) < FASTEST_HUMAN_SECONDS:
            raise forms.ValidationError("Your message was sent too quickly. Check it, then send it again")
        return cleaned


class ReplyForm(GDSFormMixin, forms.Form):
    reply = long_text(
        "Your reply", "It is e-mailed to the person who wrote, signed by the partnership", required=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply"].error_messages["required"] = "Enter your reply"


class PublishForm(GDSFormMixin, forms.Form):
    you_said = long_text(
        "You said",
        "Sum up what the person said in your own words. Leave out anything that could identify them or a child.",
        required=True,
        limit=1000,
    )
    we_did = long_text(
        "We did", "What the partnership did, or will do, in response", required=True, limit=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["you_said"].error_messages["required"] = "Enter a summary of what the person said"
        self.fields["we_did"].error_messages["required"] = "Enter what the partnership did"


class ApiTokenForm(GDSFormMixin, forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example 'Monthly report spreadsheet'",
        max_length=100,
        error_messages={
            "required": "Enter what the token is for",
            "max_length": "What the token is for must be 100 characters or fewer",
        },
    )
    scopes = forms.MultipleChoiceField(
        label="What may it read?",
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="It reads only what your role lets you see on the pages",
        error_messages={"required": "Select what the token may read"},
    )
