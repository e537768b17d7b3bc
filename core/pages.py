from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from core.http import PortalRequest


def listed(items: list[str]) -> str:
    """Items as a sentence lists them: "1, 2 and 3"."""
    return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else "".join(items)


def form_page(
    request: PortalRequest,
    form: Any,
    *,
    heading: str,
    caption: str,
    back: tuple[str, str],
    submit_label: str = "Save",
    intro: str = "",
    links: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """A page with one form, its error summary, a heading, what the form does (`intro`, when the heading alone does not
    say), where to go instead (`links`, (address, words) pairs, when an error says the form is not the way) and a back
    link; 400 when the form has errors."""
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "heading": heading,
            "caption": caption,
            "back_url": back[0],
            "back_label": back[1],
            "submit_label": submit_label,
            "intro": intro,
            "links": links,
        },
        status=400 if form.errors else 200,
    )


def confirm_page(
    request: PortalRequest,
    *,
    heading: str,
    caption: str,
    text: str,
    button: str,
    back: tuple[str, str],
    error: str = "",
    removes: bool = True,
    links: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """Asks before something is removed, or done for good (`removes=False`: the button is not a warning); with the
    reason it cannot be, when it was refused (400). Without a `button`, the page only tells (why it cannot be done),
    with `links`, (address, words) pairs, to where that can be put right."""
    return render(
        request,
        "core/confirm_page.html",
        {
            "heading": heading,
            "caption": caption,
            "text": text,
            "button": button,
            "back_url": back[0],
            "back_label": back[1],
            "error": error,
            "removes": removes,
            "links": links,
        },
        status=400 if error else 200,
    )


def apply_errors(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
