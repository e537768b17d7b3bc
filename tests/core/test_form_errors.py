"""Day, month and year fields and the names of fields in errors (core.forms): GOV.UK's messages, each naming what it is about."""

import re
from datetime import date

import pytest
from django import forms
from django.template import Context, Template

from core.forms import (
    DATE_PARTS,
    GDSFormMixin,
    OptionalDateField,
    RealDateField,
    label_in_sentence,
    next_year,
)


def refusal(field: forms.Field, entered: list[str]) -> str:
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(entered)
    (message,) = refused.value.messages
    return message


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        (["", "", ""], "Enter the review date"),
        (["12", "", ""], "The review date must include a month and year"),
        (["", "3", "2027"], "The review date must include a day"),
        (["1", "March", "2027"], "The review date must be a real date, in numbers, for example 28 2 {year}"),
        (
            ["1", "3", "27"],
            "The review date must be a real date: the year must have 4 numbers, for example 28 2 {year}",
        ),
        (
            ["31", "2", "2027"],
            "The review date must be a real date: the day must exist in that month, for example",
        ),
        (["1", "13", "2027"], "The review date must be a real date: the month must be a number from 1 to 12"),
    ],
)
def test_a_date_that_is_not_one_is_refused_in_govuk_words_naming_the_field(entered, message):
    field = RealDateField(label="Review date")

    assert refusal(field, entered).startswith(message.format(year=next_year()))
    assert field.clean(["1", "3", "2027"]) == date(2027, 3, 1)


def test_a_field_named_apart_from_its_label_is_named_so_in_its_errors():
    field = OptionalDateField(label="Date the pack is issued (optional)", name="the date the pack is issued")

    assert field.clean(["", "", ""]) is None
    assert refusal(field, ["1", "6", ""]) == (
        "The date the pack is issued must include a day, month and year, or be left empty"
    )
    assert refusal(field, ["1", "6", "26"]).startswith("The date the pack is issued must be a real date")


@pytest.mark.parametrize(
    ("label", "in_a_sentence"),
    [
        ("Cause", "the cause"),
        ("E-mail address", "the e-mail address"),
        ("Your name (optional)", "your name"),
        ("RAG status", "the RAG status"),
        ("The reason", "the reason"),
    ],
)
def test_a_label_reads_as_a_name_within_an_error(label, in_a_sentence):
    assert label_in_sentence(label) == in_a_sentence


class AskingForm(GDSFormMixin, forms.Form):
    cause = forms.CharField(label="Cause", max_length=10)
    summary = forms.CharField(label="1. Executive summary")
    agreed_by = forms.CharField(label="Which body is asked to agree it")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=forms.RadioSelect)
    owner = forms.CharField(label="Owner", error_messages={"required": "Select the risk's owner"})


def test_every_error_is_in_govuk_words_naming_the_field_unless_the_form_worded_its_own():
    empty = AskingForm(data={})
    wrong = AskingForm(data={"cause": "x" * 11, "summary": "s", "agreed_by": "b", "kind": "z", "owner": "o"})

    assert not empty.is_valid() and not wrong.is_valid()
    assert empty.errors == {
        "cause": ["Enter the cause"],
        "summary": ["Enter the executive summary"],
        "agreed_by": ["Enter an answer"],  # a question names no thing: its error sits beside it
        "kind": ["Select the kind"],
        "owner": ["Select the risk's owner"],
    }
    assert wrong.errors == {
        "cause": ["The cause must be 10 characters or fewer"],
        "kind": ["Select one of the choices given for the kind"],
    }


class DueForm(GDSFormMixin, forms.Form):
    due = RealDateField(label="Due date")


def boxes_outlined_and_summary_links(entered: list[str]) -> tuple[list[str], list[str]]:
    form = DueForm(data={f"due_{n}": part for n, part in enumerate(entered)})
    assert not form.is_valid()
    page = Template(
        "{% load crispy_forms_tags %}{% include 'gds/layout/error_summary.html' %}{% crispy form %}"
    ).render(Context({"form": form}))
    boxes = re.findall(r'<input[^>]*class="([^"]*)"[^>]*id="id_due_(\d)"', page)
    outlined = [DATE_PARTS[int(n)] for classes, n in boxes if "govuk-input--error" in classes]
    return outlined, re.findall(r'<li><a href="#([^"]+)">', page)


@pytest.mark.parametrize(
    ("entered", "outlined", "link"),
    [
        (["12", "", ""], ["month", "year"], "id_due_1"),
        (["", "3", "2027"], ["day"], "id_due_0"),
        (["1", "March", "2027"], ["month"], "id_due_1"),
        (["1", "3", "27"], ["year"], "id_due_2"),
        (["31", "2", "2027"], ["day", "month", "year"], "id_due_0"),  # not a real date: the whole of it
        (["", "", ""], ["day", "month", "year"], "id_due_0"),
    ],
)
def test_a_date_outlines_only_the_boxes_at_fault_and_its_one_error_leads_to_the_first(
    entered, outlined, link
):
    assert boxes_outlined_and_summary_links(entered) == (outlined, [link])
