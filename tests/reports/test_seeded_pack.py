"""The rebuilt 10 December 2024 pack reads as the real one: the cover report's own words, and no internal name."""

import os
import re
import shutil
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from core.models import Role
from kpis.models import Indicator
from reports import services
from reports.models import Appendix, Meeting, Pack
from tests.factories import member
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

COVER_REPORT_RECOMMENDATION_1 = (
    "The local area partnership and stakeholders, including the council, the Integrated Care Board and wider "
    "partnership, should ensure that leaders in education, health and social care are empowered to drive forward "
    "improvements at pace"
)


def build_seeded_pack() -> Pack:
    """The 10 December 2024 pack, with a KPI annex added after its four appendices: every figure in it names its
    source, and one build serves every check (loading Southend and laying out its pages is the slow part)."""
    call_command("load_southend", stdout=StringIO())
    meeting = Meeting.objects.get(date=date(2024, 12, 10))
    services.appendix_add(
        actor=member(Role.DEMOCRATIC, meeting.partnership.organisations.first()),
        meeting=meeting,
        kind=Appendix.Kind.KPIS,
        title="Key performance indicators",
    )
    pack = services.pack_request(actor=None, meeting=meeting)
    assert services.pack_queue(pack)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    keep = os.environ.get("KEEP_SEEDED_PACK")  # a path, to look at the pages by eye
    if keep:
        shutil.copy(pack.pdf.path, keep)
    return pack


def test_the_rebuilt_10_december_2024_pack_has_the_cover_reports_words_and_no_internal_name():
    pack = build_seeded_pack()
    text = pdf_text(pack)

    # 3.4 in the cover report's own words; the plan's wording is held but not printed there
    cover_report = " ".join(text.split("4. Strategic Action Plan progress")[1].split())  # after the contents
    section_3_4 = cover_report.split("as follows:")[1].split("Progress towards recommendation 1")[0]
    assert (
        "1. The local area partnership and stakeholders, including the council, the Integrated Care Board"
        in (section_3_4)
    )
    assert "1. Leaders in education" not in section_3_4
    html = pack.html.read().decode()
    assert f"<li>{COVER_REPORT_RECOMMENDATION_1}" in html.replace("&#x27;", "'")
    assert "2.3 To agree the Self Evaluation Framework (SEF)" in cover_report
    # Appendix 1 opens as the leaflet does: its title, its date and its introduction, before the summaries.
    flat_text = " ".join(text.split())
    assert (
        "Appendix 1: Strategic Action plan annual update report Update on Key Strategy Activity and Next Steps "
        "October 2024 In March 2023 the Southend-on-Sea Local Area Partnership was subject to a focussed Area SEND "
        "inspection"
    ) in flat_text
    assert "www.southend.gov.uk/SENDStrategy On this page you can also provide your feedback" in flat_text
    assert '<a href="http://www.southend.gov.uk/SENDStrategy"' in html
    # The SEF appendix's line about its agreement ends its sentence, with no space before the full stop.
    assert "Submitted for agreement at the Health and Wellbeing Board of 10 December 2024." in " ".join(
        text.split()
    )

    # Part A of the SEF reads as the document: each key issue where the document puts it, worded as it is.
    assert (
        "An analysis of all Ofsted inspections undertaken in Southend during 2023 suggests SEND provision"
    ) in flat_text.split("Key issue: The lack of inclusivity in mainstream settings")[0]
    assert (
        flat_text.split("Key issue: The lack of inclusivity in mainstream settings")[1]
        .split("and results in poor outcomes. ")[1]
        .startswith("After consultation with parents/carers, schools, health and social care services")
    )
    assert not re.search(r"Key issue \d", flat_text)

    # Each page's header is one line: an appendix heading too long for it is cut at a word, ending "…".
    pages = [page for page in pdf_text(pack, layout=True).split("\f")[1:] if page.strip()]
    headers = [page.strip("\n").splitlines()[0].split("agenda item 7") for page in pages]
    assert all(left == "Health and Wellbeing Board, 10 December 2024, " for left, _ in headers)
    repeated = {right.strip() for _, right in headers}
    assert {
        "Appendix 3: Area Self Evaluation Framework (SEF)",
        "Appendix 4: Children's Joint Commissioning Group…",
        "Appendix 5: Key performance indicators",
    } <= repeated
    assert not [page for page in pages if page.strip("\n").splitlines()[1].strip() == "Reference"]

    # no file name and no indicator code anywhere in its text; documents by title and date instead
    assert "000_" not in text
    assert ".txt" not in text
    codes = list(Indicator.objects.values_list("code", flat=True))
    assert len(codes) > 40
    assert [code for code in codes if re.search(rf"\b{code}\b", text)] == []

    # In the KPI annex, every figure names its source document by title, keeping its qualifier.
    assert "Health and Wellbeing Board pack, 10 December 2024" in flat_text
    assert "around 5% (As of June 2024)" in flat_text
    assert "over 2,000" in flat_text
