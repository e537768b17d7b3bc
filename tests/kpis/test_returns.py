from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent, Role
from kpis.models import DataQuality, Return, Unit
from kpis.selectors import current_return_for, returns_due
from kpis.services import Figures, ReturnInput, return_query, return_submit, return_verify, returns_submit_all
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, period_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return OrganisationFactory(name="Council")


def submit(user, indicator, period, value, **figures):
    return return_submit(
        user=user, item=ReturnInput(indicator, period, Figures(value=Decimal(value), **figures))
    )


def test_a_correction_is_a_new_row_and_the_history_stays(council):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council)
    period = period_for(indicator)
    first = submit(officer, indicator, period, "40")
    second = submit(officer, indicator, period, "45", note="Late returns from two schools")
    assert Return.objects.filter(indicator=indicator, period=period).count() == 2
    first.refresh_from_db()
    assert first.value == 40  # never overwritten
    assert second.supersedes == first
    assert current_return_for(indicator, period) == second
    verbs = list(AuditEvent.objects.filter(object_type="kpis.return").values_list("verb", flat=True))
    assert sorted(verbs) == ["corrected", "submitted"]


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        (Unit.PERCENTAGE, "100.1", "between 0 and 100"),
        (Unit.PERCENTAGE, "-1", "0 or more"),
        (Unit.COUNT, "2.5", "whole number"),
    ],
)
def test_values_out_of_range_are_refused_and_nothing_is_saved(council, unit, value, message):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council, unit=unit)
    with pytest.raises(ValidationError, match=message):
        submit(officer, indicator, period_for(indicator), value)
    assert not Return.objects.exists()


def test_the_numerator_may_not_be_above_the_denominator(council):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council)
    with pytest.raises(ValidationError, match="must not be more than the denominator"):
        submit(officer, indicator, period_for(indicator), "50", numerator=11, denominator=10)


def test_a_figure_out_of_none_is_refused_on_the_form_in_an_upload_and_by_the_service(
    council, client, signed_in
):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council, code="KPI_ZERO")
    period = period_for(indicator, label="April 2025")
    refusal = "Denominator must be more than 0: it is how many the figure is out of"
    with pytest.raises(ValidationError, match=refusal):
        submit(officer, indicator, period, "50", numerator=0, denominator=0)
    signed_in(officer)

    typed = client.post(
        reverse("kpis:return_enter", args=[indicator.pk, period.pk]),
        {"value": "50", "numerator": "0", "denominator": "0"},
    )
    uploaded = client.post(
        reverse("kpis:upload"),
        {
            "file": SimpleUploadedFile(
                "returns.csv",
                b"indicator_code,period,value,numerator,denominator,note\nKPI_ZERO,April 2025,50,,0,\n",
            )
        },
    )

    assert typed.status_code == 200 and refusal in typed.content.decode()
    assert refusal in uploaded.content.decode()
    assert not Return.objects.exists()
    assert (
        client.post(
            reverse("kpis:return_enter", args=[indicator.pk, period.pk]),
            {"value": "50", "numerator": "1", "denominator": "2"},
        ).status_code
        == 302
    )  # a figure out of some is taken


def test_a_closed_period_or_one_of_another_frequency_takes_no_returns(council):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council, frequency="monthly")
    with pytest.raises(ValidationError, match="closed"):
        submit(officer, indicator, period_for(indicator, is_open=False), "50")
    with pytest.raises(ValidationError, match="termly period"):
        submit(officer, indicator, period_for(indicator, frequency="termly"), "50")


def test_only_officers_of_the_owning_organisation_may_submit(council):
    indicator = IndicatorFactory(owner_organisation=council)
    trust = OrganisationFactory(partnership=council.partnership)
    for user in (member(Role.OFFICER, trust), member(Role.ADMIN, council), member(Role.LEAD, council)):
        with pytest.raises(PermissionDenied):
            submit(user, indicator, period_for(indicator), "50")


def test_verifying_marks_the_return_verified_and_records_who(council):
    officer, lead = member(Role.OFFICER, council), member(Role.LEAD, council)
    indicator = IndicatorFactory(owner_organisation=council)
    returned = submit(officer, indicator, period_for(indicator), "50")
    assert returned.data_quality == DataQuality.PROVISIONAL
    return_verify(user=lead, returned=returned)
    returned.refresh_from_db()
    assert returned.data_quality == DataQuality.VERIFIED
    assert returned.verified_by == lead
    assert returned.verified_at is not None
    with pytest.raises(ValidationError):
        return_verify(user=lead, returned=returned)


def test_a_query_needs_a_reason_and_shows_in_returns_due_until_corrected(council):
    officer, admin = member(Role.OFFICER, council), member(Role.ADMIN, council)
    indicator = IndicatorFactory(owner_organisation=council)
    period = period_for(indicator)
    returned = submit(officer, indicator, period, "50")
    with pytest.raises(ValidationError):
        return_query(user=admin, returned=returned, reason="  ")
    return_query(user=admin, returned=returned, reason="The March figure was 5, not 50?")
    [due] = returns_due(council.partnership, {council.pk})
    assert due.current.query_reason == "The March figure was 5, not 50?"
    correction = submit(officer, indicator, period, "5")
    [due] = returns_due(council.partnership, {council.pk})
    assert due.current == correction
    assert correction.awaiting_verification


def test_a_query_is_e_mailed_to_whoever_returned_the_figure_with_the_reason_and_where_to_correct_it(
    council, django_capture_on_commit_callbacks
):
    officer, lead = member(Role.OFFICER, council), member(Role.LEAD, council)
    member(Role.OFFICER, council)  # a colleague, who did not return it
    indicator = IndicatorFactory(owner_organisation=council, title="Plans issued within 20 weeks")
    period = period_for(indicator, label="November 2026")
    returned = submit(officer, indicator, period, "50")
    with django_capture_on_commit_callbacks(execute=True):
        return_verify(user=lead, returned=submit(officer, indicator, period_for(indicator), "40"))
    assert mail.outbox == []  # a figure verified needs nothing of them

    with django_capture_on_commit_callbacks(execute=True):
        return_query(user=lead, returned=returned, reason="The March figure was 5, not 50?")

    [sent] = mail.outbox
    assert sent.to == [officer.email]
    assert sent.subject == "Figure queried: Plans issued within 20 weeks, November 2026"
    assert (
        f"{lead} queried the figure Council returned for Plans issued within 20 weeks, November 2026: 50%."
        in (sent.body)
    )
    assert "Reason: The March figure was 5, not 50?" in sent.body
    assert f"Correct it: http://127.0.0.1:8000/kpis/returns/{indicator.pk}/{period.pk}/\n" in sent.body


def test_a_query_of_a_figure_whose_author_has_left_goes_to_the_officers_of_its_organisation(
    council, django_capture_on_commit_callbacks
):
    author, colleague = member(Role.OFFICER, council), member(Role.OFFICER, council)
    member(
        Role.OFFICER, OrganisationFactory(partnership=council.partnership)
    )  # another organisation's officer
    indicator = IndicatorFactory(owner_organisation=council)
    returned = submit(author, indicator, period_for(indicator), "50")
    author.is_active = False
    author.save()

    with django_capture_on_commit_callbacks(execute=True):
        return_query(user=member(Role.LEAD, council), returned=returned, reason="Looks doubled")

    assert [sent.to for sent in mail.outbox] == [[colleague.email]]


def test_a_correction_to_a_queried_figure_is_e_mailed_to_whoever_queried_it_from_the_form_or_an_upload(
    council, django_capture_on_commit_callbacks
):
    officer, lead = member(Role.OFFICER, council), member(Role.LEAD, council)
    indicator = IndicatorFactory(owner_organisation=council, title="Plans issued within 20 weeks")
    november, december = (
        period_for(indicator, label="November 2026"),
        period_for(indicator, label="December 2026"),
    )
    for period in (november, december):
        return_query(user=lead, returned=submit(officer, indicator, period, "50"), reason="Looks doubled")
    submit(officer, indicator, period_for(indicator), "30")  # a first figure answers no query

    with django_capture_on_commit_callbacks(execute=True):
        typed = submit(officer, indicator, november, "25")
        [uploaded] = returns_submit_all(
            user=officer, items=[ReturnInput(indicator, december, Figures(value=Decimal("26")))]
        )

    assert [sent.to for sent in mail.outbox] == [[lead.email], [lead.email]]
    first, second = mail.outbox
    assert first.subject == "Correction to verify: Plans issued within 20 weeks, November 2026"
    assert (
        f"{officer} corrected the figure Council returned for Plans issued within 20 weeks, November 2026: "
        in (first.body)
    )
    assert "it was 50%, and is now 25%." in first.body and "You queried it: Looks doubled" in first.body
    assert f"Verify it or query it again: http://127.0.0.1:8000/kpis/verify/{typed.pk}/\n" in first.body
    assert "December 2026" in second.subject and f"/kpis/verify/{uploaded.pk}/" in second.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(officer, indicator, november, "24")  # corrects a correction no one queried
    assert mail.outbox == []


def test_officers_and_board_members_cannot_verify(council):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council)
    returned = submit(officer, indicator, period_for(indicator), "50")
    for user in (officer, member(Role.BOARD, council)):
        with pytest.raises(PermissionDenied):
            return_verify(user=user, returned=returned)


def test_returns_due_lists_each_open_period_with_the_indicators_of_its_frequency(council):
    monthly = IndicatorFactory(owner_organisation=council, frequency="monthly", code="M")
    termly = IndicatorFactory(owner_organisation=council, frequency="termly", code="T")
    IndicatorFactory(owner_organisation=OrganisationFactory(partnership=council.partnership), code="THEIRS")
    april = period_for(monthly, label="April 2025")
    summer = period_for(termly, label="Summer term 2025")
    period_for(monthly, label="March 2025", is_open=False)
    due = returns_due(council.partnership, {council.pk})
    assert {(d.indicator.code, d.period.label) for d in due} == {("M", april.label), ("T", summer.label)}
