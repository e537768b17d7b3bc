"""The indicator form as the partnership admin meets it: its errors on the field at fault, in GOV.UK's words."""

import pytest
from django import forms
from django.urls import reverse

from core.models import Role
from kpis.forms import ComparatorForm, IndicatorForm
from kpis.models import Indicator
from tests.actions.factories import ActionFactory, RecommendationFactory
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, indicator_form_data

pytestmark = pytest.mark.django_db

DUPLICATE = "The partnership already has an indicator with the code EHCP_MAINTAINED: choose another code"


@pytest.fixture
def council():
    return OrganisationFactory(name="Council")


def test_a_code_already_used_is_one_error_on_the_code_field_keeping_what_was_typed(
    client, signed_in, council
):
    IndicatorFactory(owner_organisation=council, code="EHCP_MAINTAINED")
    signed_in(member(Role.ADMIN, council))
    response = client.post(
        reverse("kpis:indicator_create"), indicator_form_data(council, code="ehcp_maintained")
    )
    form = response.context["form"]
    assert form.errors == {"code": [DUPLICATE]}
    assert not form.non_field_errors()
    page = response.content.decode()
    assert page.count(DUPLICATE) == 2  # once in the summary, once above the box
    assert "already exists" not in page
    assert 'value="ehcp_maintained"' in page
    assert Indicator.objects.count() == 1


def test_a_negative_tolerance_is_one_error_on_its_field_never_the_databases_constraint(
    client, signed_in, council
):
    signed_in(member(Role.ADMIN, council))

    response = client.post(reverse("kpis:indicator_create"), indicator_form_data(council, tolerance="-5"))

    form = response.context["form"]
    assert form.errors == {"tolerance": ["The tolerance must be 0 or more"]}
    page = response.content.decode()
    assert page.count("The tolerance must be 0 or more") == 2  # once in the summary, once above the box
    assert "Constraint" not in page and "alert-danger" not in page
    assert not Indicator.objects.exists()
    client.post(reverse("kpis:indicator_create"), indicator_form_data(council, tolerance="0"))
    assert Indicator.objects.get().tolerance == 0


def test_an_indicator_keeps_its_own_code_and_may_share_one_with_another_partnership(council):
    indicator = IndicatorFactory(owner_organisation=council, code="EHCP_MAINTAINED")
    IndicatorFactory(code="KPI_ELSEWHERE")
    partnership = council.partnership
    edited = IndicatorForm(
        indicator_form_data(council, code="EHCP_MAINTAINED"), instance=indicator, partnership=partnership
    )
    assert edited.is_valid(), edited.errors
    elsewhere = IndicatorForm(indicator_form_data(council, code="KPI_ELSEWHERE"), partnership=partnership)
    assert elsewhere.is_valid(), elsewhere.errors


@pytest.mark.parametrize("code", ["ANNUAL_REVIEWS_12_MONTHS_PCT", "ehcp-new-2025", "Ehcp_Maintained"])
def test_a_code_of_letters_numbers_underscores_or_hyphens_is_saved_in_capitals(council, code):
    form = IndicatorForm(indicator_form_data(council, code=code), partnership=council.partnership)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == code.upper()


@pytest.mark.parametrize("code", ["EHCP MAINTAINED", "EHCP.MAINTAINED", "EHCP_£"])
def test_the_code_hint_and_error_name_what_is_accepted(council, code):
    form = IndicatorForm(indicator_form_data(council, code=code), partnership=council.partnership)
    assert form.errors == {"code": ["The code must contain only letters, numbers, underscores or hyphens"]}
    assert form.fields["code"].help_text.startswith("Letters, numbers, underscores or hyphens")


def test_the_required_choices_have_no_blank_answer_and_say_what_to_select(client, signed_in, council):
    signed_in(member(Role.ADMIN, council))
    page = client.get(reverse("kpis:indicator_create")).content.decode()
    assert "---------" not in page
    assert "checked" not in page
    response = client.post(
        reverse("kpis:indicator_create"), indicator_form_data(council, unit="", better="", frequency="")
    )
    assert response.context["form"].errors == {
        "unit": ["Select the unit"],
        "better": ["Select which direction is better"],
        "frequency": ["Select how often it is measured"],
    }


def test_a_comparator_has_no_blank_geography():
    form = ComparatorForm({})
    assert "" not in dict(form.fields["geography"].choices)
    assert form.errors["geography"] == ["Select the geography"]


def test_actions_are_checkboxes_named_in_full_which_fit_a_phone(council):
    # A multiple select is as wide as its longest action, wider than a phone, and needs Ctrl to choose more than one.
    action = ActionFactory(
        recommendation=RecommendationFactory(plan__partnership=council.partnership),
        reference="R1.1",
        what_we_want="The partnership provides effective strategic and operational accountability for SEND",
    )
    field = IndicatorForm(partnership=council.partnership).fields["actions"]
    assert isinstance(field.widget, forms.CheckboxSelectMultiple)
    assert field.help_text == "Select all that apply"
    assert list(field.choices)[0][1] == f"R1.1: {action.what_we_want}"


def test_a_deactivated_organisation_is_not_offered_for_a_new_indicator_but_keeps_the_one_it_owns(council):
    closed = OrganisationFactory(partnership=council.partnership, name="Closed trust", is_active=False)
    owned = IndicatorFactory(owner_organisation=closed)

    new = IndicatorForm(partnership=council.partnership).fields["owner_organisation"].queryset
    edited = (
        IndicatorForm(instance=owned, partnership=council.partnership).fields["owner_organisation"].queryset
    )

    assert council in new and closed not in new
    assert closed in edited and council in edited
