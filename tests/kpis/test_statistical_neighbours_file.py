"""Statistical neighbours from the department's children's services statistical neighbour benchmarking tool."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Role
from kpis.national import LocalAuthority
from kpis.national_services import national_statistics_import, statistical_neighbours_import
from kpis.uploads import FileProblem
from tests.conftest import sign_in
from tests.factories import member
from tests.kpis.statistics_files import (
    NEIGHBOURS_LINES,
    SOUTHEND_NEIGHBOURS,
    neighbours_csv,
    neighbours_workbook,
    timeliness_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def statistics():
    """The statistics give each local authority's DfE number: Southend 882, Thurrock 883, Luton 821."""
    national_statistics_import(user=None, partnership=None, file_name="t.csv", stream=timeliness_file())


def known_neighbours() -> None:
    LocalAuthority.objects.bulk_create(
        LocalAuthority(
            code=code, old_code=number, name=name, region_code="E12000000", region_name="Elsewhere"
        )
        for number, code, name in SOUTHEND_NEIGHBOURS
    )


def neighbours_of(partnership) -> list[str]:
    return list(partnership.statistical_neighbours.values_list("code", flat=True))


@pytest.mark.parametrize(
    ("name", "content"), [("groupings.csv", neighbours_csv), ("tool.xlsx", neighbours_workbook)]
)
def test_the_benchmarking_tool_gives_the_partnership_its_ten_neighbours_closest_first(
    southend, name, content
):
    partnership, admin = southend
    known_neighbours()

    count = statistical_neighbours_import(
        user=admin, partnership=partnership, file_name=name, content=content()
    )

    assert count == 10
    assert neighbours_of(partnership) == [code for _, code, _ in SOUTHEND_NEIGHBOURS]


def test_neighbours_the_statistics_do_not_know_are_named_and_nothing_changes(southend):
    partnership, admin = southend
    partnership.statistical_neighbours.create(code="E06000034", position=1)

    with pytest.raises(ValidationError) as error:
        statistical_neighbours_import(
            user=admin, partnership=partnership, file_name="groupings.csv", content=neighbours_csv()
        )

    assert "not local authorities in the imported statistics: 839, 866, 887" in error.value.messages[0]
    assert neighbours_of(partnership) == ["E06000034"]


def test_a_changed_layout_names_the_missing_and_unexpected_columns(southend):
    partnership, admin = southend
    known_neighbours()
    header = NEIGHBOURS_LINES[0].replace("GOReg,", "Region,")
    content = "\n".join([header, *NEIGHBOURS_LINES[1:]]).encode()

    with pytest.raises(FileProblem) as problem:
        statistical_neighbours_import(user=admin, partnership=partnership, file_name="g.csv", content=content)

    assert "missing: GOReg" in str(problem.value) and "not expected: Region" in str(problem.value)
    assert neighbours_of(partnership) == []


def test_a_file_without_the_groupings_or_without_the_partnerships_row_is_refused(southend):
    partnership, admin = southend
    known_neighbours()
    without_southend = "\n".join(line for line in NEIGHBOURS_LINES if "Southend" not in line).encode()

    with pytest.raises(FileProblem, match="no statistical neighbour groupings"):
        statistical_neighbours_import(
            user=admin, partnership=partnership, file_name="g.csv", content=b"time_period,la_name\n"
        )
    with pytest.raises(ValidationError, match=r"no statistical neighbours for Southend-on-Sea \(882\)"):
        statistical_neighbours_import(
            user=admin, partnership=partnership, file_name="g.csv", content=without_southend
        )


def test_only_an_admin_imports_neighbours_and_an_admin_may(southend):
    partnership, admin = southend
    known_neighbours()
    officer = member(Role.OFFICER, partnership.organisations.get())

    with pytest.raises(PermissionDenied):
        statistical_neighbours_import(
            user=officer, partnership=partnership, file_name="g.csv", content=neighbours_csv()
        )
    statistical_neighbours_import(
        user=admin, partnership=partnership, file_name="g.csv", content=neighbours_csv()
    )

    assert len(neighbours_of(partnership)) == 10


def test_the_neighbours_page_offers_the_import_and_keeps_the_hand_entry(client, southend):
    partnership, admin = southend
    known_neighbours()
    sign_in(client, admin)
    page = reverse("kpis:statistical_neighbours")

    upload = SimpleUploadedFile("tool.xlsx", neighbours_workbook())
    imported = client.post(reverse("kpis:statistical_neighbours_import"), {"file": upload}, follow=True)

    text = imported.content.decode()
    assert "10 statistical neighbours imported" in text
    assert "Bournemouth, Christchurch and Poole" in text and "Import the neighbours" in text
    refused = client.post(
        reverse("kpis:statistical_neighbours_import"),
        {"file": SimpleUploadedFile("notes.txt", b"hello")},
    )
    assert "must be the benchmarking tool" in refused.content.decode()
    by_hand = client.post(page, {"codes": "E06000034"}, follow=True)
    assert "Statistical neighbours saved" in by_hand.content.decode()
    assert neighbours_of(partnership) == ["E06000034"]
