"""A form field in GOV.UK Design System markup, drawn in Python: `{% gov_field form.name %}`.

Used by the officer's update form, the page drawn most on deadline day. Through crispy-forms each of its fields
went through about seven template includes, half of the page's CPU (docs/adr/0013-serving-deadline-day.md);
here the form group, label, hint and error are built as strings and only the control itself is drawn by its
widget (the character count's textarea, the GOV.UK date input), so those keep one definition. Radios and
checkboxes are drawn here too: a radio's hint (crispy_forms_gds.choices.Choice) has no place in Django's markup.
"""

from django import template
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# What each kind of control needs on its input for GOV.UK Frontend to style it, by BoundField.widget_type.
INPUT_CLASSES = {
    "text": "govuk-input",
    "url": "govuk-input",
    "email": "govuk-input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}

# The GOV.UK component and input type of each kind of choice.
CHOICE_COMPONENTS = {"radioselect": ("radios", "radio"), "checkboxselectmultiple": ("checkboxes", "checkbox")}


@register.simple_tag
def gov_field(field: BoundField) -> SafeString:
    kind = field.widget_type
    if kind in CHOICE_COMPONENTS:
        return choices_group(field, *CHOICE_COMPONENTS[kind])
    if kind == "dateinput":
        return date_group(field)
    if kind == "checkbox":
        return confirmation_group(field)
    return control_group(field, kind)


def hint_id(field: BoundField) -> str:
    return f"{field.auto_id}_hint"


def error_id(field: BoundField) -> str:
    return f"{field.auto_id}_error"


def described_by(field: BoundField) -> str:
    """The ids of the hint and the error, which a screen reader reads after the label."""
    ids = [hint_id(field)] if field.help_text else []
    if field.errors:
        ids.append(error_id(field))
    return " ".join(ids)


def hint(field: BoundField) -> SafeString:
    if not field.help_text:
        return SafeString()
    return format_html('<div id="{}" class="govuk-hint">{}</div>', hint_id(field), field.help_text)


def error_message(field: BoundField) -> SafeString:
    if not field.errors:
        return SafeString()
    return format_html(
        '<p id="{}" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {}</p>',
        error_id(field),
        " ".join(str(message) for message in field.errors),
    )


def form_group(field: BoundField, content: SafeString) -> SafeString:
    error_class = " govuk-form-group--error" if field.errors else ""
    return format_html(
        '<div id="div_{}" class="govuk-form-group{}">{}</div>', field.auto_id, error_class, content
    )


def fieldset(field: BoundField, content: SafeString) -> SafeString:
    described = described_by(field)
    return form_group(
        field,
        format_html(
            '<fieldset class="govuk-fieldset"{}><legend class="govuk-fieldset__legend">{}</legend>{}{}{}'
            "</fieldset>",
            format_html(' aria-describedby="{}"', described) if described else "",
            field.label,
            hint(field),
            error_message(field),
            content,
        ),
    )


def control_group(field: BoundField, kind: str) -> SafeString:
    """A label, hint and error above one control: a text, web address or file input, or a textarea."""
    attrs: dict[str, str | bool] = {}
    if kind in INPUT_CLASSES:
        style = INPUT_CLASSES[kind]
        attrs["class"] = f"{style} {style}--error" if field.errors else style
    if described := described_by(field):
        attrs["aria-describedby"] = described
    return form_group(
        field,
        format_html(
            '<label for="{}" class="govuk-label">{}</label>{}{}{}',
            field.id_for_label,
            field.label,
            hint(field),
            error_message(field),
            field.as_widget(attrs=attrs),
        ),
    )


def date_group(field: BoundField) -> SafeString:
    """The GOV.UK date input: day, month and year, the boxes at fault marked wrong."""
    if field.errors:
        # Each form has its own copy of its fields' widgets, so this marks this form's inputs only.
        boxes = field.field.widget.widgets
        for number in boxes_at_fault(field):
            boxes[number].attrs["class"] += " govuk-input--error"
    return fieldset(field, field.as_widget())


def boxes_at_fault(field: BoundField) -> list[int]:
    """The boxes of a field drawn as several that its error is about (core.forms.RealDateField marks them), or all of
    them where none is marked: GOV.UK outlines the whole date where it is not a real one."""
    parts = field.field.fields  # type: ignore[attr-defined]
    marked = [number for number, part in enumerate(parts) if getattr(part.widget, "errors", None)]
    return marked or list(range(len(parts)))


def choices_group(field: BoundField, component: str, input_type: str) -> SafeString:
    """GOV.UK radios or checkboxes, each option with its hint when the choice has one."""
    values = field.value() if input_type == "checkbox" else [field.value()]
    # Initial values may be model instances (an update's milestones); posted ones are their keys as text.
    chosen = {str(getattr(value, "pk", value)) for value in values or []}
    options = []
    for number, choice in enumerate(field.field.choices, start=1):  # type: ignore[attr-defined]
        value, label = choice
        option_id = f"{field.auto_id}_{number}"
        option_hint = getattr(choice, "hint", "")
        options.append(
            format_html(
                '<div class="govuk-{component}__item"><input type="{input_type}" name="{name}" '
                'class="govuk-{component}__input" id="{id}" value="{value}"{checked}{described}>'
                '<label class="govuk-label govuk-{component}__label" for="{id}">{label}</label>{hint}</div>',
                component=component,
                input_type=input_type,
                name=field.html_name,
                id=option_id,
                value=value,
                checked=" checked" if str(value) in chosen else "",
                described=format_html(' aria-describedby="{}_hint"', option_id) if option_hint else "",
                label=label,
                hint=format_html(
                    '<div id="{}_hint" class="govuk-hint govuk-{}__hint">{}</div>',
                    option_id,
                    component,
                    option_hint,
                )
                if option_hint
                else "",
            )
        )
    return fieldset(
        field,
        format_html(
            '<div class="govuk-{}" data-module="govuk-{}">{}</div>',
            component,
            component,
            SafeString("".join(options)),
        ),
    )


def confirmation_group(field: BoundField) -> SafeString:
    """One checkbox that confirms something, in GOV.UK's small group of checkboxes."""
    return form_group(
        field,
        format_html(
            '{}<div class="govuk-checkboxes" data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">'
            '<input type="checkbox" name="{}" class="govuk-checkboxes__input" id="{}"{}{}>'
            '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label></div></div>',
            error_message(field),
            field.html_name,
            field.auto_id,
            " checked" if field.value() else "",
            format_html(' aria-describedby="{}"', error_id(field)) if field.errors else "",
            field.auto_id,
            field.label,
        ),
    )


@register.filter
def first_box_id(field: BoundField) -> str:
    """The id of the box an error on the whole field leads to: the field's own id names no element that takes the
    focus where it is drawn as several. A date's first box at fault, or its day (_0) where the whole date is; the
    first of a set of radios or checkboxes, as these fields and crispy-forms-gds number them, its _1."""
    if getattr(field.field, "fields", None):
        return f"{field.auto_id}_{boxes_at_fault(field)[0]}"
    if field.widget_type in CHOICE_COMPONENTS:
        return f"{field.auto_id}_1"
    return str(field.auto_id)
