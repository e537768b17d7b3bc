from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class GDSFormMixin:
    """Renders a form with GOV.UK Frontend markup; the template supplies the <form> and the buttons."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


LONG_TEXT = 5000


def long_text(label: str, help_text: str = "", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"{label} must be {LONG_TEXT:,} characters or fewer"},
    )


class SignInForm(GDSFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password",
        "inactive": "This account has been deactivated",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].lower()


class TwoFactorCodeForm(GDSFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code"},
    )

    def __init__(self, *args: Any, label: str = "Code", help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = label
        self.fields["code"].help_text = help_text


class OptionalDateField(DateInputField):
    """A GOV.UK day, month and year field that may be left empty, but not half filled."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def clean(self, value: Any) -> Any:
        parts = [part for part in (value or []) if part not in self.empty_values]
        if parts and len(parts) < 3:
            raise forms.ValidationError("Enter a complete date with a day, month and year, or leave it empty")
        return super().clean(value)
