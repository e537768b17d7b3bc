"""Hostile input at every form in the portal (TARGETS S8): never a 500, nothing half-saved, nothing run.

The forms are found from the URLconf (the permission matrix) and their fields from the rendered page, so a
new form is covered without a change here.
"""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.models import User
from tests.conftest import sign_in
from tests.test_permission_matrix import MATRIX, PUBLIC, first_allowed, stored_rows

pytestmark = pytest.mark.django_db

HOSTILE = {
    "empty": "",
    "nul": "before\x00after",
    "over-long": "x" * 100_001,
    "script": "<script>alert('hostile')</script>",
    "formula": "=cmd|' /C calc'!A0",
    "unknown id": "999999999",
    "negative": "-1",
    "wrong type": "not a number or a date",
}
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\sname="([^"]+)"')
IGNORED_FIELDS = {"csrfmiddlewaretoken"}
# Every page that shows a form and takes it back, the public's included (sign-in, joining, families' feedback).
FORMS = sorted(name for name, rule in MATRIX.items() if None not in (rule.get, rule.post))


ERROR_LINK = re.compile(r'<li><a href="#([^"]+)">')
ELEMENT_ID = re.compile(r'\sid="([^"]+)"')
# Django's own words, which the portal replaces with GOV.UK's ("Enter the cause", naming the field).
DJANGOS_OWN = (
    "This field is required.",
    "Enter a valid",
    "Ensure this value",
    "Ensure that there are no more than",
    "Select a valid choice",
    "is not a valid value",
)


def error_summary(page: str) -> str:
    return (
        page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
        if "govuk-error-summary" in page
        else ""
    )


def form_fields(page: str) -> list[str]:
    main = page.split('id="main-content"', 1)[-1]  # not the sign-out form in the header
    return sorted(set(FIELD.findall(main)) - IGNORED_FIELDS)


def new_password_form_url(client: Client, user: User) -> str:
    """Where a valid reset link leads (Django keeps its token in the session and moves it out of the address): the
    matrix's link carries a token that is not valid, which shows only that the link has expired."""
    # As stored: an earlier sign-in in this module moved the shared object's last_login, which the token is made from.
    user = User.objects.get(pk=user.pk)
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    landed = client.get(link, follow=True)
    assert landed.redirect_chain, "a valid reset link moves its token into the session"
    return str(landed.redirect_chain[-1][0])


@pytest.mark.parametrize("name", FORMS)
def test_every_form_refuses_hostile_input_cleanly(module_site, name):
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(module_site) if rule.kwargs else None)
    client = (
        Client() if rule.post == PUBLIC else sign_in(Client(), getattr(module_site, first_allowed(rule.post)))
    )
    if name == "password_reset_confirm":
        url = new_password_form_url(client, module_site.officer)
    shown = client.get(url)
    fields = form_fields(shown.content.decode())
    if rule.post == PUBLIC:  # shown to anyone: the sweep must find a form to try
        assert shown.status_code == 200 and fields, f"{url}: no form to try"
    for label, value in HOSTILE.items():
        with transaction.atomic():
            before = stored_rows()
            response = client.post(url, dict.fromkeys(fields, value), follow=True)
            page = response.content.decode()
            assert response.status_code < 500, f"{url} {label}"
            assert "<script>alert('hostile')</script>" not in page, f"{url} {label}: shown unescaped"
            if response.redirect_chain == [] and response.status_code in (200, 400):
                assert "govuk-error-summary" in page or stored_rows() == before, (
                    f"{url} {label}: no error shown"
                )
            summary = error_summary(page)
            # Each error links to a box on the page that takes the focus, in the portal's words.
            missing = set(ERROR_LINK.findall(summary)) - set(ELEMENT_ID.findall(page))
            assert not missing, f"{url} {label}: the error summary links to nothing: {missing}"
            assert not [words for words in DJANGOS_OWN if words in summary], f"{url} {label}: {summary}"
            transaction.set_rollback(True)
