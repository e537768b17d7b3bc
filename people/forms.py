from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from core.forms import GDSFormMixin
from core.models import Organisation, Partnership, Role, User
from people import selectors
from people.local_authorities import local_authorities
from people.services import organisation_name_free

ROLE_HINTS = {
    Role.OFFICER: "Updates the actions they own and enters KPI returns for their organisation",
    Role.LEAD: "Reviews and approves progress updates for a recommendation",
    Role.BOARD: "Reads the partnership's progress and board packs",
    Role.DEMOCRATIC: "Sets Health and Wellbeing Board meetings and produces the report pack",
    Role.ADMIN: "Runs the partnership's people, organisations, plan, indicators and self-evaluation",
}


def email_field(label: str = "E-mail address", **kwargs: Any) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter an e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
        **kwargs,
    )


def name_field(label: str = "Full name", required_error: str = "Enter their full name") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": required_error,
            "max_length": "Full name must be 150 characters or fewer",
        },
    )


class RolesChoiceMixin(GDSFormMixin):
    """An organisation of the partnership and one or more roles, as an invitation and a person's page ask."""

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = forms.ModelChoiceField(
            label="Organisation",
            help_text="The organisation they work for in the partnership",
            queryset=selectors.active_organisations(partnership),
            empty_label="Choose an organisation",
            error_messages={"required": "Choose an organisation", "invalid_choice": "Choose an organisation"},
        )
        self.fields["roles"] = forms.MultipleChoiceField(
            label="Roles",
            help_text="Select all that apply",
            choices=[(role.value, role.label) for role in Role],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Choose at least one role",
                "invalid_choice": "Choose at least one role",
            },
        )


class InviteForm(RolesChoiceMixin, forms.Form):
    full_name = name_field()
    email = email_field(help_text="Their work address: the invitation is sent here")
    field_order = ["full_name", "email", "organisation", "roles"]


class RolesForm(RolesChoiceMixin, forms.Form):
    pass


class OrganisationForm(GDSFormMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Enter the organisation's name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=Organisation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of organisation"},
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def clean_name(self) -> str:
        """A name already taken is named with any other error, not after it is put right (the service checks it
        again as it saves)."""
        try:
            return organisation_name_free(self.partnership, self.cleaned_data["name"])
        except ValidationError as taken:
            raise forms.ValidationError(taken.message_dict["name"]) from taken


class RenameForm(GDSFormMixin, forms.Form):
    name = OrganisationForm.base_fields["name"]


class JoinForm(GDSFormMixin, forms.Form):
    """A new account for an invited person: their name as they want it shown, and a password."""

    full_name = name_field(required_error="Enter your full name")
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters; not a common password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again"},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match: enter the same password twice")
        elif password1:
            try:
                validate_password(password1, User(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PartnershipForm(GDSFormMixin, forms.Form):
    local_authority = forms.ChoiceField(
        label="Local authority",
        help_text="The English local authority whose area the partnership covers",
        error_messages={"required": "Choose a local authority", "invalid_choice": "Choose a local authority"},
    )
    name = forms.CharField(
        label="Partnership name",
        max_length=150,
        help_text="As the partnership calls itself, for example Southend SEND Area Partnership",
        error_messages={
            "required": "Enter the partnership's name",
            "max_length": "Name must be 150 characters or fewer",
        },
    )
    organisation_name = forms.CharField(
        label="The council's name",
        max_length=200,
        help_text="The first organisation of the partnership, for example Southend-on-Sea City Council",
        error_messages={
            "required": "Enter the council's name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    admin_name = name_field(label="First admin's full name")
    admin_email = email_field(
        label="First admin's e-mail address",
        help_text="They are invited by e-mail and then invite everyone else",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].choices = [("", "Choose a local authority")] + [  # type: ignore[attr-defined]
            (authority.ons_code, authority.name) for authority in local_authorities().values()
        ]


class PasswordResetRequestForm(GDSFormMixin, forms.Form):
    email = email_field(help_text="The address you sign in with")


class NewPasswordForm(GDSFormMixin, SetPasswordForm):
    """Django's form for a new password, with GOV.UK labels and our words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 12 characters; not a common password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm your new password"
        self.fields["new_password2"].error_messages["required"] = "Enter your new password again"
        self.error_messages["password_mismatch"] = "The passwords do not match: enter the same password twice"
