import re
from functools import cache
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst


class GDSFormMixin:
    """Renders a form with GOV.UK Frontend markup; the template supplies the <form> and the buttons. Its errors are
    GOV.UK's, naming the field, wherever the form has not worded its own (`govuk_error_messages`)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The template's <form> carries the CSRF token when it posts: crispy's would be a second copy, and in a form
        # that gets, such as the choice of SEF versions to compare, it would put the token in the page's address.
        self.helper.disable_csrf = True

    def full_clean(self) -> None:
        # Here rather than in __init__: many forms add or relabel fields after this mixin's __init__.
        govuk_error_messages(self.fields)
        super().full_clean()  # type: ignore[misc]

    def __getitem__(self, name: str) -> forms.BoundField:
        # A browser cuts text typed or pasted past a box's maxlength without a word; without it, the server refuses
        # the text with an error that names the limit and keeps what was typed.
        self.fields[name].widget.attrs.pop("maxlength", None)
        return super().__getitem__(name)  # type: ignore[misc]


CHOOSING_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select, forms.SelectMultiple)


@cache
def django_default_messages(field_class: type[forms.Field]) -> dict[str, Any]:
    """The messages Django gives a field of this class, before any the form chose: read once a class, as every form
    checked asks again (the officer's save among them)."""
    messages: dict[str, Any] = {}
    for cls in reversed(field_class.__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


QUESTION_WORDS = ("which ", "what ", "who ", "when ", "where ", "why ", "how ", "is ", "are ", "do ", "does ")


def is_a_name(label: str) -> bool:
    """Whether a label names its answer ("Cause", "Review date") rather than asks for it ("Which body is asked to
    agree it", "Why the scores changed") or leads into it ("Medium from a score of")."""
    lowered = label.lower()
    return bool(label) and not (
        lowered.endswith(("?", " of", " to", " by", " from", " with")) or lowered.startswith(QUESTION_WORDS)
    )


def label_in_sentence(label: str) -> str:
    """A label as a name within a sentence: "Cause" is "the cause", "Your name" "your name", "1. Executive summary"
    "the executive summary"; an acronym keeps its capitals ("the RAG status")."""
    label = re.sub(r"^\d+(\.\d+)*\.?\s+", "", label.removesuffix(" (optional)").strip())
    first_word = label.split(" ", 1)[0]
    if not (len(first_word) > 1 and first_word.isupper()):
        label = label[:1].lower() + label[1:]
    return label if label.startswith(("the ", "your ", "a ", "an ")) else f"the {label}"


def govuk_error_messages(fields: dict[str, forms.Field]) -> None:
    """Replaces Django's own error messages ("This field is required.", "Ensure this value has at most 200
    characters") with GOV.UK's, naming the field: "Enter the cause", "The title must be 200 characters or fewer".
    A field whose label asks a question is answered: "Select an answer", "The answer must be ...". A message the
    form worded itself is kept."""
    for field in fields.values():
        label = str(field.label or "").removesuffix(" (optional)").strip()
        named = is_a_name(label)
        what = label_in_sentence(label) if named else "an answer"
        starting = capfirst(what) if named else "The answer"
        choosing = isinstance(field.widget, CHOOSING_WIDGETS) or isinstance(field, forms.FileField)
        choose_again = "Select one of the choices given" + (f" for {what}" if named else "")
        ours = {
            "required": f"Select {what}" if choosing else f"Enter {what}",
            "invalid_choice": choose_again,
            "invalid_list": choose_again,
            "invalid_pk_value": choose_again,
            "min_value": f"{starting} must be %(limit_value)s or more",
            "max_value": f"{starting} must be %(limit_value)s or less",
        }
        if isinstance(field, forms.CharField):  # a file's own length message takes other values
            ours["max_length"] = f"{starting} must be %(limit_value)s characters or fewer"
        if isinstance(field, forms.EmailField):
            ours["invalid"] = "Enter an e-mail address in the correct format, like name@example.org"
        elif isinstance(field, forms.URLField):
            ours["invalid"] = "Enter a web address in the correct format, like https://www.example.org"
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            ours["invalid"] = f"{starting} must be a number"
            ours["max_digits"] = f"{starting} must have no more than %(max)s digits"
            ours["max_decimal_places"] = f"{starting} must have no more than %(max)s decimal places"
            ours["max_whole_digits"] = (
                f"{starting} must have no more than %(max)s digits before the decimal point"
            )
        elif isinstance(field, forms.DateField):
            ours["invalid"] = f"{starting} must be a real date"
        elif isinstance(field, forms.SlugField):
            ours["invalid"] = f"{starting} must contain only letters, numbers, underscores or hyphens"
        # A class is hashable; the stubs read Field's own __hash__.
        defaults = django_default_messages(type(field))  # type: ignore[arg-type]
        for code, message in ours.items():
            if field.error_messages.get(code) == defaults.get(code):  # not worded by the form
                field.error_messages[code] = message


LONG_TEXT = 5000


class CharacterCountTextarea(forms.Textarea):
    """A textarea with the GOV.UK character count, and no maxlength attribute.

    A browser silently cuts pasted text at maxlength, so a long paste would be saved ending mid-word. Without it
    the person sees how far over the limit they are, and the server refuses the text with an error that keeps it.
    """

    template_name = "core/widgets/character_count_textarea.html"

    def __init__(self, limit: int, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.limit = limit

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.pop("maxlength", None)
        # crispy-forms-gds styles a widget by its class name; this one must look like any GOV.UK textarea.
        classes = ["govuk-textarea", "govuk-js-character-count"]
        invalid = widget_attrs.get("aria-invalid") == "true"
        if invalid:
            classes.append("govuk-textarea--error")
        widget_attrs["class"] = " ".join(classes)
        info = f"{widget_attrs.get('id', name)}-info"
        widget_attrs["aria-describedby"] = f"{widget_attrs.get('aria-describedby', '')} {info}".strip()
        context["widget"].update(limit=self.limit, limit_shown=f"{self.limit:,}", invalid=invalid)
        return context


def characters_counted(text: str) -> int:
    """The text's length as GOV.UK's character count shows it below the box, so that the box and the error agree:
    a line break is one character (a browser sends it as two, CR LF), and an emoji or any character beyond the
    Basic Multilingual Plane is two (the script counts the box's UTF-16 length)."""
    return len(text.replace("\r\n", "\n").encode("utf-16-le")) // 2


class MaxCharacters(MaxLengthValidator):
    """Django's length check, counted as the character count below the box counts, with the counts written as
    people write numbers: 5,001, not 5001."""

    def __call__(self, value: str) -> None:
        count = characters_counted(value)
        if count > self.limit_value:
            params = {"limit_value": f"{self.limit_value:,}", "show_value": f"{count:,}", "value": value}
            raise ValidationError(self.message, code=self.code, params=params)


class LongTextField(forms.CharField):
    """Text whose length is checked as typed, spaces at either end included, so that the error agrees with the count
    below the box, and which is then kept without them (a box of spaces alone is left empty)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strip=False, **kwargs)

    def clean(self, value: Any) -> str:
        typed = self.to_python(value) or ""
        self.run_validators(typed)
        text = typed.strip()
        self.validate(text)
        return text


def long_text(
    label: str, help_text: str = "", required: bool = False, limit: int = LONG_TEXT, name: str = ""
) -> forms.CharField:
    """A textarea of at most `limit` characters; `name` words the error where the label is a question."""
    what = name or label.removesuffix(" (optional)")
    return LongTextField(
        label=label,
        help_text=help_text,
        required=required,
        validators=[MaxCharacters(limit)],
        widget=CharacterCountTextarea(limit, attrs={"rows": 5}),
        error_messages={
            "max_length": f"{what} must be {limit:,} characters or fewer: you entered %(show_value)s characters",
        },
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


DATE_PARTS = ("day", "month", "year")


class RealDateField(DateInputField):
    """A GOV.UK day, month and year field whose every error is GOV.UK's and names the date it is about ("Enter the due
    date", "The due date must include a month", "The due date must be a real date: ..."), never the library's or
    Python's words.

    `name` is the date's name within a sentence ("the date the pack is issued"); by default, the label's.
    """

    def __init__(self, *, name: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        label = str(kwargs.get("label") or "date")
        self.name_in_sentence = name or label_in_sentence(label)

    @property
    def name_in_errors(self) -> str:
        return str(capfirst(self.name_in_sentence))

    def clean(self, value: Any) -> Any:
        entered = value if isinstance(value, list | tuple) else []
        parts = ["" if part in self.empty_values else str(part).strip() for part in entered]
        parts += [""] * (len(DATE_PARTS) - len(parts))
        self.mark_boxes_at_fault([])
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=False) if not part]
        if len(missing) == len(DATE_PARTS):
            if self.required:
                raise forms.ValidationError(f"Enter {self.name_in_sentence}", code="required")
            return None
        if missing:
            # A date that may be left empty is asked for whole or not at all; one that must be given, for what it lacks.
            lacking = (
                "a day, month and year, or be left empty"
                if not self.required
                else f"a {' and '.join(missing)}"
            )
            raise self.error_in(missing, f"{self.name_in_errors} must include {lacking}", code="incomplete")
        example = real_date_example()
        # isascii: str.isdigit() also takes other scripts' digits ("١٢", "１２"), which no date is written in here.
        not_numbers = [
            name
            for name, part in zip(DATE_PARTS, parts, strict=False)
            if not (part.isascii() and part.isdigit())
        ]
        if not_numbers:
            raise self.error_in(
                not_numbers,
                f"{self.name_in_errors} must be a real date, in numbers, {example}",
                code="invalid",
            )
        if len(parts[2]) != 4:
            raise self.error_in(
                ["year"],
                f"{self.name_in_errors} must be a real date: the year must have 4 numbers, {example}",
                code="invalid",
            )
        if not 1 <= int(parts[1]) <= 12:
            raise self.error_in(
                ["month"],
                f"{self.name_in_errors} must be a real date: the month must be a number from 1 to 12, {example}",
                code="invalid",
            )
        return super().clean(value)

    def compress(self, data_list: Any) -> Any:
        try:
            return super().compress(data_list)
        except forms.ValidationError as error:
            raise self.error_in(
                list(DATE_PARTS),
                f"{self.name_in_errors} must be a real date: the day must exist in that month, {real_date_example()}",
                code="invalid",
            ) from error

    def error_in(self, boxes: list[str], message: str, code: str) -> forms.ValidationError:
        """The error, with only the boxes at fault outlined in red (GOV.UK: the whole date where it is not a real one)."""
        self.mark_boxes_at_fault(boxes, message)
        return forms.ValidationError(message, code=code)

    def mark_boxes_at_fault(self, boxes: list[str], message: str = "") -> None:
        # crispy-forms-gds outlines the boxes whose widget carries errors, or every box where none does.
        for name, part in zip(DATE_PARTS, self.fields, strict=True):
            part.widget.errors = [message] if name in boxes else []


class OptionalDateField(RealDateField):
    """A GOV.UK day, month and year field that may be left empty, but not half filled."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)


def next_year() -> int:
    """The year of a date examples give: always in the future, as the dates people are asked for must be."""
    return timezone.localdate().year + 1


def real_date_example() -> str:
    return f"for example 28 2 {next_year()}"


def _next_year_example(text: str) -> str:
    return f"{text} For example, 31 3 {next_year()}"


# A date field's hint whose example is always in the future (a date in the past would be refused), read when drawn.
next_year_example = lazy(_next_year_example, str)
