"""What the public sees is what the last published Board pack showed: never a draft, an update awaiting approval,
anything approved after the pack's cut-off, an unpublished pack or a section the admin has not made public."""

import json
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from core.models import AuditEvent
from kpis.models import Comparator, Geography, Unit
from public import services
from public.models import PublicChoices
from reports.models import Meeting, Pack, PackAttachment
from tests.actions.factories import approved_update, period, rag
from tests.conftest import public_everything
from tests.kpis.factories import IndicatorFactory, ReturnFactory
from tests.public.factories import PDF, at, pack_for

pytestmark = pytest.mark.django_db

CUT_OFF = date(2025, 3, 31)


@pytest.fixture
def published(world):
    """A Board pack published with data to 31 March 2025, and what happened to the plan and figures after it."""
    partnership, action = world.partnership, world.action
    approved_update(
        action,
        date(2025, 2, 1),
        "green",
        commentary="Approved before the cut-off",
        reviewed_at=at(date(2025, 3, 10)),
    )
    approved_update(
        action,
        date(2025, 3, 1),
        "red",
        commentary="Approved after the cut-off",
        reviewed_at=at(date(2025, 4, 2)),
    )
    ProgressUpdate.objects.create(
        action=action,
        period=period(partnership, date(2025, 4, 1)),
        rag=rag(partnership, "amber"),
        commentary="Submitted, not yet approved",
        created_by=world.officer,
        state=ProgressUpdate.State.SUBMITTED,
    )
    ProgressUpdate.objects.create(
        action=world.other_action,
        period=period(partnership, date(2025, 3, 1)),
        rag=rag(partnership, "amber"),
        commentary="A draft nobody submitted",
        created_by=world.officer,
    )
    indicator = IndicatorFactory(owner_organisation=world.council, title="Plans issued within 20 weeks")
    ReturnFactory(
        indicator=indicator,
        value=61,
        reference_date=date(2025, 2, 28),
        period_label="February 2025",
        submitted_by=world.officer,
        submitted_at=at(date(2025, 3, 5)),
    )
    ReturnFactory(
        indicator=indicator,
        value=987,
        reference_date=date(2025, 3, 31),
        period_label="March 2025",
        submitted_by=world.officer,
        submitted_at=at(date(2025, 4, 3)),
    )
    Comparator.objects.create(
        indicator=indicator,
        geography=Geography.ENGLAND,
        period_label="2024",
        reference_date=date(2024, 12, 31),
        value=46,
        source_document="National statistics",
    )
    pack = pack_for(partnership, cut_off=CUT_OFF, meeting_date=date(2025, 4, 20))
    pack_for(
        partnership, cut_off=date(2025, 5, 31), published=False
    )  # built for the next meeting, not published
    public_everything(partnership, indicator)
    return pack


def pages_and_data(code: str) -> str:
    """Everything public about the partnership, as one text: pages, open data and the API."""
    client = Client()
    names = ["home", "plan", "indicators", "easy_read"]
    texts = [client.get(reverse(f"public:{name}", args=[code])).content.decode() for name in names]
    for name in ("actions", "statuses", "indicator-values"):
        texts.append(client.get(reverse("public:dataset_csv", args=[code, name])).content.decode())
        texts.append(client.get(reverse("public:dataset_json", args=[code, name])).content.decode())
    for path in ("actions", "statuses", "indicator-values"):
        texts.append(client.get(f"/api/v1/partnerships/{code}/{path}").content.decode())
    return "\n".join(texts)


def test_no_draft_unapproved_or_later_item_reaches_a_page_an_export_or_the_api(world, published):
    everything = pages_and_data(world.partnership.ons_code)
    assert "Approved before the cut-off" in everything
    assert "It has 2 big aims." in everything  # as the easy-read report calls them
    assert "61%" in everything and '"61"' in everything
    for unpublished in (
        "Approved after the cut-off",
        "Submitted, not yet approved",
        "A draft nobody submitted",
        "987",
    ):
        assert unpublished not in everything


def test_the_plan_page_gives_each_action_the_status_of_the_published_pack(world, published):
    page = Client().get(reverse("public:plan", args=[world.partnership.ons_code])).content.decode()
    assert "Green" in page and "Red" not in page
    assert (
        "in the report to the Health and Wellbeing Board for its meeting on 20 April 2025, with data up to "
        "31 March 2025" in page
    )


def test_without_a_published_pack_no_progress_is_shown(world):
    approved_update(world.action, date(2025, 2, 1), "green", commentary="Approved, never in a published pack")
    pack_for(world.partnership, cut_off=CUT_OFF, published=False)
    public_everything(world.partnership)
    everything = pages_and_data(world.partnership.ons_code)
    assert "Approved, never in a published pack" not in everything
    assert "The first report has not been published yet." in everything
    # Nothing says the plan or the choices are empty: they are not, they wait for the first report.
    assert "0 big aims" not in everything and "We will show how we are doing here" in everything
    assert "has not chosen any indicators" not in everything


def test_indicators_show_their_comparators_and_hide_small_counts(world, published):
    small = IndicatorFactory(
        owner_organisation=world.council,
        title="Children placed out of area",
        unit=Unit.COUNT,
        suppress_small_numbers=True,
    )
    ReturnFactory(
        indicator=small,
        value=3,
        reference_date=date(2025, 1, 31),
        period_label="January 2025 (the report gives the month in the sentence before this figure)",
        submitted_by=world.officer,
        submitted_at=at(date(2025, 2, 2)),
    )
    published.meeting.partnership.public_choices.indicators.add(small)
    code = world.partnership.ons_code
    page = Client().get(reverse("public:indicators", args=[code])).content.decode()
    assert "Plans issued within 20 weeks" in page and "46%" in page
    assert "Children placed out of area" in page and "fewer than 5" in page
    # The period alone: a note that came with it in its document is for the people who keep the figures.
    assert ">January 2025<" in page and "the sentence before this figure" not in page
    rows = json.loads(Client().get(reverse("public:dataset_json", args=[code, "indicator-values"])).content)[
        "rows"
    ]
    hidden = next(row for row in rows if row["indicator_title"] == "Children placed out of area")
    assert hidden["value"] == "" and hidden["suppressed"] == "yes"


def test_each_figure_names_the_document_it_came_from_and_the_region_column_its_region(world, published):
    indicator = IndicatorFactory(
        owner_organisation=world.council, title="EHCNA conversion", unit=Unit.PERCENTAGE
    )
    ReturnFactory(
        indicator=indicator,
        value=88,
        reference_date=date(2023, 8, 31),
        period_label="2022-23",
        source_document="000_d50ea2fd0cf008ce.txt (Appendix 3, SEF introduction)",
        submitted_at=at(date(2024, 1, 2)),
    )
    in_the_portal = IndicatorFactory(
        owner_organisation=world.council, title="Tribunal appeals", unit=Unit.COUNT
    )
    ReturnFactory(
        indicator=in_the_portal,
        value=12,
        source_document="",
        submitted_by=world.officer,
        submitted_at=at(date(2025, 2, 2)),
    )
    published.meeting.partnership.public_choices.indicators.add(in_the_portal)
    world.partnership.region = "East of England"
    world.partnership.save()
    published.meeting.partnership.public_choices.indicators.add(indicator)

    page = " ".join(
        Client().get(reverse("public:indicators", args=[world.partnership.ons_code])).content.decode().split()
    )

    assert "Source: Health and Wellbeing Board pack, 10 December 2024, Appendix 3, SEF introduction" in page
    assert ">East of England</th>" in page and ">Region</th>" not in page
    assert "000_d50ea2fd0cf008ce" not in page
    figure = page.split("EHCNA conversion")[1].split("</tr>")[0]
    assert "Source: Health and Wellbeing Board pack" in figure
    returned = page.split("Tribunal appeals")[1].split("</tr>")[0]
    assert "12" in returned and "Source:" not in returned  # a figure returned in the portal names no document


def test_a_section_the_admin_has_not_made_public_is_not_found(world, published):
    code = world.partnership.ons_code
    PublicChoices.objects.filter(partnership=world.partnership).update(show_plan=False)
    client = Client()
    assert client.get(reverse("public:plan", args=[code])).status_code == 404
    assert client.get(reverse("public:dataset_csv", args=[code, "actions"])).status_code == 404
    assert client.get(f"/api/v1/partnerships/{code}/actions").status_code == 404
    assert client.get(reverse("public:indicators", args=[code])).status_code == 200


def test_a_partnership_that_publishes_nothing_has_no_public_pages(world, published):
    PublicChoices.objects.filter(partnership=world.partnership).update(
        show_plan=False,
        show_summaries=False,
        show_indicators=False,
        show_packs=False,
        show_easy_read=False,
        take_feedback=False,
    )
    assert Client().get(reverse("public:home", args=[world.partnership.ons_code])).status_code == 404
    assert world.partnership.name not in Client().get(reverse("public:index")).content.decode()


def test_only_published_packs_are_listed_and_served(world, published):
    code = world.partnership.ons_code
    draft = published.meeting.partnership.meetings.exclude(pk=published.meeting_id).get().packs.get()
    client = Client()
    page = client.get(reverse("public:packs", args=[code])).content.decode()
    assert reverse("public:pack_pdf", args=[code, published.pk]) in page
    assert reverse("public:pack_pdf", args=[code, draft.pk]) not in page
    assert client.get(reverse("public:pack_pdf", args=[code, draft.pk])).status_code == 404
    assert client.get(reverse("public:pack_pdf", args=[code, published.pk])).status_code == 200


def test_an_exempt_pack_is_never_public_and_a_public_one_only_from_its_issue_date(
    world, published, monkeypatch
):
    code, today = world.partnership.ons_code, timezone.localdate()
    exempt = pack_for(world.partnership, cut_off=date(2025, 6, 30))
    Meeting.objects.filter(pk=exempt.meeting_id).update(classification=Meeting.Classification.PART_2)
    issued_tomorrow = pack_for(world.partnership, cut_off=date(2025, 9, 30))
    Pack.objects.filter(pk=issued_tomorrow.pk).update(issue_date=today + timedelta(days=1))
    client = Client()

    def public(pack: Pack) -> bool:
        listed = (
            reverse("public:pack_pdf", args=[code, pack.pk])
            in client.get(reverse("public:packs", args=[code])).content.decode()
        )
        served = client.get(reverse("public:pack_pdf", args=[code, pack.pk])).status_code == 200
        assert listed == served
        return served

    assert not public(exempt) and not public(issued_tomorrow)
    assert public(published)  # the last public pack is still the one the public pages stand on
    assert "31 March 2025" in client.get(reverse("public:plan", args=[code])).content.decode()
    # The next day, with nothing changed in the portal, the pages are drawn afresh with the pack issued that day.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=1))
    assert public(issued_tomorrow) and not public(exempt)


def test_publishing_says_when_the_public_may_read_the_pack_or_that_an_exempt_one_they_never_may(
    world, signed_in
):
    pack = pack_for(world.partnership, cut_off=date(2025, 3, 31), published=False)
    Pack.objects.filter(pk=pack.pk).update(issue_date=date(2025, 4, 4))
    client = signed_in(world.democratic)
    url = reverse("reports:publish", args=[pack.pk])
    assert (
        "the public can read it on its public pages from its issue date, 4 April 2025"
        in client.get(url).content.decode()
    )
    Meeting.objects.filter(pk=pack.meeting_id).update(classification=Meeting.Classification.PART_2)
    page = client.get(url).content.decode()
    assert (
        "exempt (Part 2) paper, so it is never shown on the public pages" in page and "issue date" not in page
    )


def test_an_admin_chooses_what_is_public_and_the_choice_is_audited(world, published, signed_in):
    indicator = published.meeting.partnership.public_choices.indicators.get()
    form = {"show_indicators": "on", "indicators": [indicator.pk], "retention_days": "90"}
    refused = signed_in(world.lead).post(reverse("public:choices"), form)
    assert refused.status_code == 403
    response = signed_in(world.admin).post(reverse("public:choices"), form)
    assert response.status_code == 302
    choices = PublicChoices.objects.get(partnership=world.partnership)
    assert (choices.show_plan, choices.show_indicators, choices.retention_days) == (False, True, 90)
    event = AuditEvent.objects.get(verb="chose what is public")
    assert (
        event.actor == world.admin and event.before["show_plan"] is True and event.after["show_plan"] is False
    )
    assert Client().get(reverse("public:plan", args=[world.partnership.ons_code])).status_code == 404


def test_a_restricted_indicator_cannot_be_made_public(world, published, signed_in):
    secret = IndicatorFactory(owner_organisation=world.council, restricted=True, visible_to_roles=["lead"])
    data = dict.fromkeys(services.CHOICE_FIELDS, True)
    with pytest.raises(ValidationError, match="Choose only indicators a Board pack may show"):
        services.public_choices_save(
            actor=world.admin,
            partnership=world.partnership,
            data={**data, "retention_days": 90, "indicators": [secret]},
        )
    page = signed_in(world.admin).get(reverse("public:choices")).content.decode()
    assert "Plans issued within 20 weeks" in page and secret.title not in page


def test_a_bad_retention_period_is_refused_and_the_form_keeps_what_was_chosen(world, published, signed_in):
    response = signed_in(world.admin).post(
        reverse("public:choices"), {"show_plan": "on", "retention_days": "3"}
    )
    assert response.status_code == 400
    assert response.content.decode().count("Enter a number of days from 7 to 730") == 2  # summary and field
    form = response.context["form"]
    assert form["show_plan"].value() is True and form["show_packs"].value() is False
    assert PublicChoices.objects.get(partnership=world.partnership).retention_days == 180


def test_public_pages_are_drawn_once_for_anonymous_readers_and_redrawn_after_a_new_choice(
    world, published, django_assert_max_num_queries, signed_in, django_capture_on_commit_callbacks
):
    url = reverse("public:plan", args=[world.partnership.ons_code])
    client = Client()
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=300"
    with django_assert_max_num_queries(2):
        again = client.get(url)
    assert again.content == first.content
    with django_capture_on_commit_callbacks(execute=True):  # the request's transaction commits
        signed_in(world.admin).post(reverse("public:choices"), {"show_plan": "on", "retention_days": "180"})
    world.action.what_we_want = "Reworded since"
    world.action.save()
    assert "Reworded since" in Client().get(url).content.decode()


@pytest.mark.parametrize("name", ["home", "plan", "years", "indicators", "packs", "easy_read", "data"])
def test_each_public_page_reads_in_a_few_queries_however_many_actions(
    world, published, name, django_assert_max_num_queries
):
    from tests.actions.factories import ActionFactory

    url = reverse(f"public:{name}", args=[world.partnership.ons_code])
    with django_assert_max_num_queries(12) as small:
        Client().get(url)
    for number in range(30):
        action = ActionFactory(recommendation=world.recommendation, reference=f"R2.{number + 10}")
        approved_update(action, date(2025, 2, 1), "amber", reviewed_at=at(date(2025, 3, 1)))
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        Client().get(url)


def test_the_published_web_page_links_its_uploaded_appendices_to_their_public_copies(world, published):
    code = world.partnership.ons_code
    members_link = reverse("reports:pack_attachment", args=[published.pk, 1])
    published.html.save("pack.html", ContentFile(f'<a href="{members_link}">Appendix 1</a>'.encode()))
    attachment = PackAttachment(pack=published, number=1, title="Minutes", file_type="application/pdf")
    attachment.file.save("appendix-1.pdf", ContentFile(PDF))
    client = Client()
    page = client.get(reverse("public:pack_html", args=[code, published.pk])).content.decode()
    public_link = reverse("public:pack_attachment", args=[code, published.pk, 1])
    assert f'href="{public_link}"' in page and members_link not in page
    served = client.get(public_link)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF


def test_a_published_pack_and_its_appendices_are_served_from_the_partnership_already_found(
    world, published, django_assert_max_num_queries
):
    code = world.partnership.ons_code
    for number in (1, 2):
        attachment = PackAttachment(
            pack=published, number=number, title="Minutes", file_type="application/pdf"
        )
        attachment.file.save(f"appendix-{number}.pdf", ContentFile(PDF))
    client = Client()
    # The partnership with its choices, the pack, and its appendices: nothing read twice.
    with django_assert_max_num_queries(3):
        assert client.get(reverse("public:pack_html", args=[code, published.pk])).status_code == 200
    with django_assert_max_num_queries(3):
        served = client.get(reverse("public:pack_attachment", args=[code, published.pk, 2]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert client.get(reverse("public:pack_attachment", args=[code, published.pk, 3])).status_code == 404


def summary_rows(page: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<dt class="govuk-summary-list__key">([^<]+)</dt><dd class="govuk-summary-list__value">([^<]+)</dd>',
        page,
    )


def test_the_public_home_heads_with_how_the_plans_actions_stood_in_the_published_pack(world, published):
    actions = Action.objects.filter(recommendation__plan=world.plan).count()
    on_track = rag(world.partnership, "green").meaning

    page = Client().get(reverse("public:home", args=[world.partnership.ons_code])).content.decode()

    # One action was green before the cut-off (and red after it, which the public does not see yet); the others
    # had no approved update by then.
    assert "Where the plan's actions stand" in page
    assert summary_rows(page) == [
        ("Actions in the plan", str(actions)),
        (on_track.capitalize(), "1"),
        ("No news yet", str(actions - 1)),
    ]


def test_the_public_home_gives_no_headline_where_the_plans_progress_is_not_public(world, published):
    PublicChoices.objects.filter(partnership=world.partnership).update(show_plan=False, show_easy_read=False)

    page = Client().get(reverse("public:home", args=[world.partnership.ons_code])).content.decode()

    assert "Where the plan" not in page and summary_rows(page) == []
    assert "Indicators" in page  # the page itself is still there, with the sections that are public


def test_a_parent_finds_the_public_pages_from_the_sign_in_pages_footer(world, published):
    sign_in = Client().get(reverse("login")).content.decode()
    assert f'href="{reverse("public:index")}">Progress published for the public</a>' in sign_in
    index = Client().get(reverse("public:index")).content.decode()
    assert reverse("public:home", args=[world.partnership.ons_code]) in index
