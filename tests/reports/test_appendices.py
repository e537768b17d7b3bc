"""A meeting's appendices: the 10 December 2024 pack's four in the real order, the CJCG terms of reference word
for word, the governance chart drawn from the relations, and uploaded PDFs merged with continuous page numbers."""

import io
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from core.models import AuditEvent, Partnership
from reports import services
from reports.appendices import name_appendix, unknown_references, with_appendix_numbers
from reports.models import Appendix, GovernanceDocument, GovernanceRelation, Meeting, Pack, PackAttachment
from tests.reports.conftest import pdf_info, pdf_text

pytestmark = pytest.mark.django_db

SOUTHEND_SEED = Path(__file__).resolve().parents[2] / "reports" / "seed" / "southend_hwbb_2024.json"
REAL_PACK = Path("/work/shared/seeds/000_d50ea2fd0cf008ce.txt")


def build(meeting: Meeting, actor=None) -> Pack:
    pack = services.pack_request(actor=actor, meeting=meeting)
    assert services.pack_queue(pack)  # eager in tests: the task has run when this returns
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    return pack


def flat(text: str) -> str:
    return " ".join(text.split())


def blank_pdf(pages: int, *, tagged: bool = False, size: tuple[float, float] = (612, 792)) -> bytes:
    """A PDF of blank US Letter pages: a size other than the pack's A4, so merging has to fit it."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*size)
    if tagged:
        from pypdf.generic import BooleanObject, DictionaryObject, NameObject

        root = writer._root_object
        root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
        root[NameObject("/StructTreeRoot")] = writer._add_object(
            DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    """A real PDF with words on each page (one page per line), made by WeasyPrint, which tags what it writes."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">{line}</p>' for line in lines)
    return HTML(string=f"<html lang='en'><title>Upload</title><body>{body}</body></html>").write_pdf(
        pdf_variant="pdf/ua-1"
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def structure_figures(pack: Pack) -> list[tuple[int, str]]:
    """The page index and alternative text of each Figure of the pack's structure tree, in reading order."""
    reader = PdfReader(pack.pdf.path)
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    found = []

    def walk(element) -> None:
        element = element.get_object()
        if element.get("/S") == "/Figure" and "/Alt" in element:
            found.append((pages[element.raw_get("/Pg").idnum], str(element["/Alt"])))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if not isinstance(kid.get_object(), int):
                walk(kid)

    walk(reader.root_object["/StructTreeRoot"])
    return found


def contents_pages(pack: Pack, titles: list[str]) -> list[int]:
    """The page the contents give for each title (the contents line ends with the page number)."""
    lines = pdf_text(pack, layout=True).splitlines()
    found = []
    for title in titles:
        line = next(line for line in lines if line.strip().startswith(title) and line.strip()[-1].isdigit())
        found.append(int(line.split()[-1]))
    return found


@pytest.fixture
def southend_meeting() -> Meeting:
    call_command("load_southend", verbosity=0)
    return Meeting.objects.get(date="2024-12-10")


def test_the_december_2024_pack_has_the_real_four_appendices_in_order_with_the_terms_of_reference_verbatim(
    southend_meeting,
):
    started = time.monotonic()
    pack = build(southend_meeting)
    seconds = time.monotonic() - started
    text = flat(pdf_text(pack))
    titles = [
        "Appendix 1: Strategic Action plan annual update report",
        "Appendix 2: Southend Area Partnership Governance Chart",
        "Appendix 3: Area Self Evaluation Framework (SEF)",
        "Appendix 4: Children's Joint Commissioning Group draft Terms of Reference",
    ]
    starts = contents_pages(pack, titles)
    assert starts == sorted(starts) and len(set(starts)) == 4, starts
    pages = pdf_text(pack).split("\f")
    for title, start in zip(titles, starts, strict=True):
        assert title in flat(pages[start - 1]), title
    assert "Appendix 5" not in text and "Key performance indicators" not in text
    # Every clause, list item and member of the terms of reference, as the real pack prints them.
    terms = flat(" ".join(pages[starts[3] - 1 :]))
    real = flat(
        REAL_PACK.read_text(encoding="utf-8").split("# Terms of Reference", 1)[1].split("**Meeting:**")[0]
    )
    for clause in [
        "1.2. To deliver the above purpose, the Children's Joint Commissioning Group will:",
        "Co produce a joint action plan every two years",
        "2.2. The Children's Joint Commissioning Group is not a separate legal entity",
        "3.4. To plan, deliver and report on collaborative commissioning activity",
        "4.1.1. Sharing and maintaining an up to date log and pipeline of commissioning activity",
        "4.4.6 Overseeing the development of a Joint Commissioning Framework",
        "5.1 The Children's Joint Commissioning Group is accountable to the SEND Area Strategic Partnership, "
        "Transforming Care and Growing Well Boards.",
        "6.4 The Children's Joint Commissioning Group will be quorate if three of its members are present",
        "6.9 Children's Joint Commissioning Group meetings will not be open to the public or providers.",
        "Deputy Director BCYP – Mid & South Essex ICB",
        "Representative - Southend SEND Independent Forum",
        "Other members/attendees will be co-opted as necessary.",
        "Lead Commissioner for CAMHS",
        "Subject experts as required",
        "7.2 Where a member cannot attend a meeting, the member should nominate a named deputy to attend.",
        "8.1 These terms of reference will be formally reviewed six months after initial adoption and annually "
        "thereafter.",
        "Date of issue: Date of review:",
        "DRAFT",
    ]:
        assert clause in terms, clause
        assert clause.split(" ", 1)[-1][:40] in real, clause  # and the real pack says it
    # Section 4.2 names the appendices from the list, as the real pack words it.
    assert "draft terms of reference are included at appendix 4." in text
    assert "New governance arrangements are set out in appendix 2." in text
    assert "included as appendix 1." in text
    # The governance chart is drawn, with its relations in words beside it.
    assert "Children's Joint Commissioning Group (CJCG) accountable to Transforming Care Board" in text
    assert "SENDAP Operations Group reports to SEND Strategic Partnership Board" in text
    assert "Tagged: yes" in flat(pdf_info(pack.pdf.path))
    print(f"\nDecember 2024 pack: {pack.page_count} pages, built in {seconds:.1f} s")


def test_the_seed_holds_the_terms_of_reference_as_a_versioned_draft_linked_to_the_cjcg(southend_meeting):
    document = GovernanceDocument.objects.get()
    assert document.body.name == "Children's Joint Commissioning Group (CJCG)"
    assert (document.version, document.status, document.date_of_issue, document.date_of_review) == (
        1,
        GovernanceDocument.Status.DRAFT,
        None,
        None,
    )
    assert len(document.members("core")) == 12
    assert document.members("co-opted") == [
        "Finance Business Partner - Children's Services",
        "Director of Commissioning Finance - Mid & South Essex ICB",
        "Strategic Commissioners - Children's Services",
        "Commissioning Managers - Mid & South Essex ICB",
        "Lead Commissioner for CAMHS",
        "Subject experts as required",
    ]
    numbers = [b.get("number") for s in document.content for b in s["blocks"] if b.get("number")]
    assert len(numbers) == 42  # 1.1 to 8.1, with 4.1.1 twice as the document has it
    assert {
        (r.body.name, r.kind, r.to.name) for r in GovernanceRelation.objects.filter(body=document.body)
    } == {
        (document.body.name, "accountable_to", "SEND Strategic Partnership Board"),
        (document.body.name, "accountable_to", "Transforming Care Board"),
        (document.body.name, "accountable_to", "Growing Well Board"),
    }
    call_command("load_southend", verbosity=0)  # again: nothing doubles, the appendices stay as they are
    assert GovernanceDocument.objects.count() == 1
    assert southend_meeting.appendices.count() == 4


def test_moving_an_appendix_renumbers_it_and_the_narrative_that_names_it(world, meeting, client, signed_in):
    signed_in(world.democratic)
    chart = meeting.appendices.get(kind=Appendix.Kind.GOVERNANCE_CHART)
    narrative = meeting.narrative
    narrative.impact = "See [appendix: governance chart] for the boards.\n[Appendix: SEF] is for agreement."
    narrative.save()

    response = client.post(reverse("reports:appendix_move", args=[chart.pk]), {"direction": "up"})

    assert response.status_code == 302
    titles = [a.title for a in meeting.appendices.order_by("order")]
    assert titles[:3] == [
        "Strategic Action Plan annual update",
        "Governance chart",
        "Strategic Action Plan action status table",
    ]
    event = AuditEvent.objects.get(verb="reordered appendices")
    assert event.before["appendices"][1] == "Strategic Action Plan action status table"
    assert event.after["appendices"][1] == "Governance chart"
    text = flat(pdf_text(build(meeting)))
    assert "5.1 See appendix 2 for the boards." in text
    assert "5.2 Appendix 4 is for agreement." in text
    assert text.rfind("Appendix 2: Governance chart") < text.rfind(
        "Appendix 3: Strategic Action Plan action status"
    )
    # The first cannot move up: nothing changes and the person is told.
    first = meeting.appendices.get(order=1)
    response = client.post(
        reverse("reports:appendix_move", args=[first.pk]), {"direction": "up"}, follow=True
    )
    assert "That appendix cannot move further" in response.content.decode()


def test_a_cross_reference_to_an_appendix_the_pack_lacks_says_so():
    appendices = [
        Appendix(kind=Appendix.Kind.ANNUAL_UPDATE, title="Annual update"),
        Appendix(kind="sef", title="SEF"),
    ]
    assert name_appendix(appendices, "SEF") == "appendix 2"
    assert with_appendix_numbers("In [appendix: annual update].", appendices) == "In appendix 1."
    assert with_appendix_numbers("[appendix: governance chart]", appendices) == (
        "the governance chart (not attached to this pack)"
    )
    assert unknown_references("[appendix: SEF] and [appendix: budget]", appendices) == ["budget"]


def test_an_uploaded_pdf_is_merged_with_continuous_page_numbers_and_its_contents_entry(world, meeting):
    without = build(meeting)
    appendix = services.appendix_upload(
        actor=world.democratic,
        meeting=meeting,
        title="Local Offer annual report",
        upload=upload("offer.pdf", text_pdf(["Local Offer page one words", "Local Offer page two words"])),
    )
    assert (appendix.order, appendix.file_pages, appendix.file_tagged) == (5, 2, True)

    pack = build(meeting)

    # A page for the appendix's heading, then the two uploaded pages, numbered on with the rest.
    assert without.page_count is not None
    assert pack.page_count == without.page_count + 4  # and the closing line moves to a page of its own
    pages = [flat(page) for page in pdf_text(pack).split("\f")]
    heading = next(
        i for i, page in enumerate(pages) if "Local Offer annual report follows on the next 2 pages" in page
    )
    assert "Appendix 5: Local Offer annual report" in pages[heading]
    assert "Local Offer page one words" in pages[heading + 1]
    assert f"Page {heading + 2} of {pack.page_count}" in pages[heading + 1]
    assert "Local Offer page two words" in pages[heading + 2]
    assert f"Page {heading + 3} of {pack.page_count}" in pages[heading + 2]
    contents = [
        line
        for line in pdf_text(pack, layout=True).splitlines()
        if "Appendix 5: Local Offer annual report" in line
    ][0]
    assert contents.rstrip().endswith(f" {heading + 1}")
    assert len(PdfReader(pack.pdf.path).pages) == pack.page_count
    assert "Tagged: yes" in flat(pdf_info(pack.pdf.path))
    # Each uploaded page is a figure of the pack's structure, in reading order after the appendix's heading.
    figures = [(page, alt) for page, alt in structure_figures(pack) if "Local Offer" in alt]
    assert figures == [
        (
            heading + 1,
            "Page 1 of 2 of “Local Offer annual report”, as it was supplied. The accessible web page "
            "of this pack links the document.",
        ),
        (
            heading + 2,
            "Page 2 of 2 of “Local Offer annual report”, as it was supplied. The accessible web page "
            "of this pack links the document.",
        ),
    ]
    # The HTML twin links the pack's own copy of the file, with its title.
    attachment = PackAttachment.objects.get(pack=pack)
    html = pack.html.read().decode()
    link = reverse("reports:pack_attachment", args=[pack.pk, 5])
    assert f'<a href="{link}">Local Offer annual report (PDF, 2 pages)</a>' in html
    assert attachment.file.read().startswith(b"%PDF")


def test_a_letter_sized_untagged_pdf_is_fitted_onto_a4_and_flagged_to_the_uploader(
    world, meeting, client, signed_in
):
    signed_in(world.democratic)
    response = client.post(
        reverse("reports:appendix_upload", args=[meeting.pk]),
        {"title": "Scanned minutes", "file": upload("minutes.pdf", blank_pdf(3)), "description": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "“Scanned minutes” uploaded as the last appendix" in page
    assert "is a PDF without tags, so screen readers cannot read its pages" in page
    assert "Not tagged" in page
    appendix = meeting.appendices.get(title="Scanned minutes")
    assert (appendix.file_pages, appendix.file_tagged) == (3, False)
    assert (
        AuditEvent.objects.get(object_type="reports.appendix", verb="created").after["title"]
        == "Scanned minutes"
    )
    pack = build(meeting)
    reader = PdfReader(pack.pdf.path)
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {
        (595, 842)
    }
    twin = pack.html.read().decode()
    assert "This document was supplied without tags for screen readers." in twin
    # A tagged one is not flagged.
    response = client.post(
        reverse("reports:appendix_upload", args=[meeting.pk]),
        {"title": "Tagged report", "file": upload("tagged.pdf", blank_pdf(1, tagged=True))},
        follow=True,
    )
    assert "“Tagged report” is a PDF without tags" not in response.content.decode()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("report.pdf", encrypted_pdf(), "The selected PDF is protected with a password"),
        ("report.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50, "The selected file could not be read as a PDF"),
        ("report.docx", b"PK\x03\x04" + b"\x00" * 40, "The selected file must be a"),
        ("report.pdf", b"", "The selected file is empty"),
        (
            "report.pdf",
            b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1),
            "The selected file must be smaller than 10 MB",
        ),
        ("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "The selected image could not be read"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_error_and_nothing_is_kept(
    world, meeting, client, signed_in, name, content, error
):
    signed_in(world.democratic)
    before = meeting.appendices.count()
    response = client.post(
        reverse("reports:appendix_upload", args=[meeting.pk]),
        {"title": "My appendix", "file": upload(name, content)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in page
    assert error in page
    assert 'href="#id_file"' in page  # the error summary links the field
    assert 'value="My appendix"' in page  # and what was typed is kept
    assert meeting.appendices.count() == before


def test_a_chart_image_replaces_the_drawn_chart_in_both_formats(world, meeting, client, signed_in):
    from PIL import Image

    signed_in(world.democratic)
    image = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(image, "PNG")
    chart = meeting.appendices.get(kind=Appendix.Kind.GOVERNANCE_CHART)
    response = client.post(
        reverse("reports:appendix_replace", args=[chart.pk]),
        {"file": upload("chart.png", image.getvalue()), "description": "The boards and how they report."},
    )
    assert response.status_code == 302
    pack = build(meeting)
    twin = pack.html.read().decode()
    link = reverse("reports:pack_attachment", args=[pack.pk, chart.order])
    assert f'<img src="{link}" alt="The boards and how they report.">' in twin
    # On the web page the image also opens alone at full size, where a phone can zoom in on its text.
    assert f'<a href="{link}">Open {chart.title} at full size</a>' in twin
    assert "at full size" not in pdf_text(pack)
    assert "<svg" not in twin.split('id="appendix-3"')[1].split("</section>")[0]
    images = subprocess.run(["pdfimages", "-list", pack.pdf.path], capture_output=True, text=True, check=True)
    assert " 400   200 " in images.stdout  # the uploaded image is in the PDF
    served = client.get(link)
    assert served["Content-Type"] == "image/png"


def test_a_document_or_generated_appendix_is_added_once_and_only_by_democratic_services(
    world, meeting, client, signed_in
):
    call_command("load_southend", verbosity=0)
    ours = Partnership.objects.get(pk=world.partnership.pk)
    document = GovernanceDocument.objects.filter(body__partnership=ours).first()
    assert document is None  # the Southend terms of reference belong to the Southend partnership
    other = GovernanceDocument.objects.get()
    signed_in(world.democratic)
    refused = client.post(
        reverse("reports:appendix_add", args=[meeting.pk]), {"choice": f"document-{other.pk}"}
    )
    assert refused.status_code == 400  # not offered: another partnership's document
    added = client.post(reverse("reports:appendix_add", args=[meeting.pk]), {"choice": "kpis", "title": ""})
    assert added.status_code == 302
    assert meeting.appendices.order_by("order").last().title == "Key performance indicators"
    again = client.post(reverse("reports:appendix_add", args=[meeting.pk]), {"choice": "kpis"})
    assert "This pack already has that appendix" in again.content.decode()
    signed_in(world.board)
    assert (
        client.post(reverse("reports:appendix_add", args=[meeting.pk]), {"choice": "kpis"}).status_code == 403
    )


def test_renaming_and_removing_an_appendix_are_audited_and_later_ones_move_up(
    world, meeting, client, signed_in
):
    signed_in(world.democratic)
    first, second = meeting.appendices.order_by("order")[:2]
    client.post(reverse("reports:appendix_rename", args=[second.pk]), {"title": "Where every action stands"})
    second.refresh_from_db()
    assert second.title == "Where every action stands"
    event = AuditEvent.objects.get(verb="renamed")
    assert (event.before["title"], event.after["title"]) == (
        "Strategic Action Plan action status table",
        "Where every action stands",
    )
    response = client.post(reverse("reports:appendix_remove", args=[first.pk]))
    assert response.status_code == 302
    assert [(a.order, a.title) for a in meeting.appendices.order_by("order")][0] == (
        1,
        "Where every action stands",
    )
    assert AuditEvent.objects.get(verb="removed", object_type="reports.appendix").before["title"] == (
        "Strategic Action Plan annual update"
    )


def test_the_appendices_page_warns_of_a_narrative_reference_to_an_appendix_the_pack_lacks(
    world, meeting, client, signed_in
):
    signed_in(world.democratic)
    narrative = meeting.narrative
    narrative.background = "The board agreed [appendix: terms of reference] and [appendix: SEF]."
    narrative.save()
    page = client.get(reverse("reports:appendices", args=[meeting.pk])).content.decode()
    assert (
        "The narrative refers to “[appendix: terms of reference]”, which is not among these appendices."
        in page
    )
    narrative.background = "The board agreed [appendix: SEF]."
    narrative.save()
    assert (
        "The narrative refers to"
        not in client.get(reverse("reports:appendices", args=[meeting.pk])).content.decode()
    )
