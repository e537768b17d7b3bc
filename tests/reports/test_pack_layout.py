"""The pack reads in print: long commentary keeps its width and its headers, SEF text keeps its structure."""

from datetime import date

import pytest

from core.text import text_blocks
from reports import services
from reports.models import Pack
from tests.actions.factories import approved_update
from tests.reports.conftest import pdf_text
from tests.sef.factories import self_evaluation

pytestmark = pytest.mark.django_db

LONG_SENTENCE = (
    "The assessment team cleared another tranche of the backlog with weekly panels and agency educational "
    "psychologists, and wrote to every family at each stage."
)


def build(meeting) -> Pack:
    pack = services.pack_request(actor=None, meeting=meeting)
    assert services.pack_queue(pack)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    return pack


def test_a_long_commentary_runs_on_under_the_table_headers_in_a_wide_column(world, meeting):
    approved_update(world.action, date(2025, 3, 1), "amber", commentary="\n".join([LONG_SENTENCE] * 40))
    pages = pdf_text(build(meeting)).split("\f")
    with_commentary = [page for page in pages if "cleared another tranche" in page]
    assert 2 <= len(with_commentary) <= 3  # about 40 lines a page in a column that is most of the width
    for page in with_commentary:
        assert "Commentary" in page  # the header row is repeated on every page the table runs on to


def test_sef_text_prints_lists_and_tables_as_lists_and_tables_and_says_what_is_not_reproduced(world, meeting):
    evaluation = self_evaluation(world.partnership)
    section = evaluation.sections.get()
    section.narrative = (
        "Demand grew. The graph below shows the growth.\n\n"
        "[The graph in the original document is not reproduced here.]\n\n"
        "Additionally:\n\n- Pupils eligible for free school meals: 43.2%\n- Boys: 61.9%\n\n"
        "Classification | With SEN Support | With an EHCP\nChild in Need | 2.2% | 5.3%\nYouth Justice |  | 0.5%"
    )
    section.save()
    pack = build(meeting)
    html = pack.html.read().decode()
    assert (
        '<p class="editorial-note">[The graph in the original document is not reproduced here.]</p>' in html
    )
    assert "<li>Pupils eligible for free school meals: 43.2%</li>" in html
    assert '<th scope="col">With an EHCP</th>' in html
    assert '<th scope="row">Child in Need</th><td>2.2%</td><td>5.3%</td>' in html
    text = pdf_text(pack)
    assert "|" not in text
    assert "- Boys" not in text


def test_text_blocks_tell_tables_bullets_and_notes_apart():
    found = text_blocks("Intro:\n- one\n- two\n\nA | B\nx | 1 |\n\n[Not reproduced.]\n\nPlain | text")
    assert (found[0].text, found[0].bullets) == ("Intro:", ["one", "two"])
    assert found[1].header == ["A", "B"] and found[1].body == [["x", "1"]]
    assert found[2].is_note and not found[0].is_note
    assert found[3].rows == [] and found[3].text == "Plain | text"  # one line with a bar is prose
