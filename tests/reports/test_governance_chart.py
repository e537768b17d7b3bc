"""Who reports and is accountable to whom, kept as relations between governance bodies, chosen on the governance
form and drawn as the packs' governance chart; governance documents readable word for word."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from reports.governance_chart import governance_chart_svg, rows_of
from reports.models import GovernanceBody, GovernanceDocument, GovernanceRelation
from tests.factories import PartnershipFactory
from tests.reports.factories import GovernanceBodyFactory

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Children's Joint Commissioning Group",
    "purpose": "",
    "reports_to": "",
    "meets": "",
    "membership": "",
}


def test_relations_chosen_on_the_form_are_kept_audited_and_drawn(world, client, signed_in):
    board = GovernanceBodyFactory(
        partnership=world.partnership, order=1, name="SEND Strategic Partnership Board"
    )
    growing = GovernanceBodyFactory(partnership=world.partnership, order=2, name="Growing Well Board")
    group = GovernanceBodyFactory(partnership=world.partnership, order=3, name=BODY["name"])
    signed_in(world.democratic)

    response = client.post(
        reverse("reports:governance_edit", args=[group.pk]),
        {
            **BODY,
            "order": "3",
            "reports_to_bodies": [board.pk],
            "accountable_to_bodies": [board.pk, growing.pk],
        },
    )

    assert response.status_code == 302
    kept = {(r.kind, r.to.name) for r in GovernanceRelation.objects.filter(body=group)}
    assert kept == {
        ("reports_to", "SEND Strategic Partnership Board"),
        ("accountable_to", "SEND Strategic Partnership Board"),
        ("accountable_to", "Growing Well Board"),
    }
    event = AuditEvent.objects.get(verb="changed relations")
    assert event.before == {"relations": []}
    assert (
        "Children's Joint Commissioning Group accountable to Growing Well Board" in event.after["relations"]
    )
    page = client.get(reverse("reports:governance")).content.decode()
    assert "SEND Strategic Partnership Board, Growing Well Board</dd>" in page
    relations = list(GovernanceRelation.objects.select_related("body", "to"))
    bodies = list(GovernanceBody.objects.order_by("order"))
    svg = governance_chart_svg(bodies, relations, title="Governance chart", chart_id="c")
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg
    assert "Children&#x27;s Joint Commissioning Group reports to SEND Strategic Partnership Board." in svg
    assert svg.count("<polyline") == 3 and svg.count('stroke-dasharray="7 4"') == 3  # 2 lines + the legend's
    # Saving again without a change records nothing new; clearing the choices removes the lines.
    client.post(reverse("reports:governance_edit", args=[group.pk]), {**BODY, "order": "3"})
    assert not GovernanceRelation.objects.filter(body=group).exists()
    assert AuditEvent.objects.filter(verb="changed relations").count() == 2


def test_a_body_of_another_partnership_cannot_be_chosen(world, client, signed_in):
    group = GovernanceBodyFactory(partnership=world.partnership, name=BODY["name"])
    GovernanceBodyFactory(partnership=world.partnership, name="Ours")
    theirs = GovernanceBodyFactory(partnership=PartnershipFactory(), name="Theirs")
    signed_in(world.democratic)
    response = client.post(
        reverse("reports:governance_edit", args=[group.pk]),
        {**BODY, "order": "", "reports_to_bodies": [theirs.pk]},
    )
    assert response.status_code == 400
    assert ">Select one of the choices given</a>" in response.content.decode()
    assert not GovernanceRelation.objects.exists()


def test_rows_put_bodies_below_those_they_answer_to_and_survive_a_cycle(world):
    top = GovernanceBodyFactory(partnership=world.partnership, order=1, name="Health and Wellbeing Board")
    middle = GovernanceBodyFactory(partnership=world.partnership, order=2, name="SEND Board")
    low = GovernanceBodyFactory(partnership=world.partnership, order=3, name="Operations Group")
    GovernanceBodyFactory(partnership=world.partnership, order=4, name="Forum")
    relations = [
        GovernanceRelation(body=middle, to=top, kind="reports_to"),
        GovernanceRelation(body=low, to=middle, kind="reports_to"),
        GovernanceRelation(body=low, to=top, kind="accountable_to"),
    ]
    bodies = list(GovernanceBody.objects.order_by("order"))
    assert [[b.name for b in row] for row in rows_of(bodies, relations)] == [
        ["Health and Wellbeing Board", "Forum"],
        ["SEND Board"],
        ["Operations Group"],
    ]
    cycle = [*relations, GovernanceRelation(body=top, to=low, kind="reports_to")]
    assert sum(len(row) for row in rows_of(bodies, cycle)) == 4


def test_a_governance_document_reads_word_for_word_for_board_members(world, client, signed_in):
    body = GovernanceBodyFactory(
        partnership=world.partnership, name="Children's Joint Commissioning Group (CJCG)"
    )
    document = GovernanceDocument.objects.create(
        body=body,
        title="Terms of Reference",
        content=[
            {
                "heading": "7 Membership",
                "blocks": [
                    {
                        "number": "7.1",
                        "text": "Membership of the group:",
                        "list": ["Lead Commissioner"],
                        "members": "core",
                    }
                ],
            }
        ],
    )
    signed_in(world.board)
    page = client.get(reverse("reports:governance_document", args=[document.pk])).content.decode()
    assert "<strong>7.1</strong> Membership of the group:" in page
    assert "<li>Lead Commissioner</li>" in page
    assert "Left blank in the document" in page
    assert document.members("core") == ["Lead Commissioner"]
    signed_in(world.stranger)
    assert client.get(reverse("reports:governance_document", args=[document.pk])).status_code == 404


def test_a_body_whose_document_is_an_appendix_cannot_be_removed_until_the_appendix_is(
    world, meeting, client, signed_in
):
    body = GovernanceBody.objects.get(
        partnership=world.partnership, name="Children's Joint Commissioning Group"
    )
    document = GovernanceDocument.objects.create(body=body, title="Terms of Reference", content=[])
    signed_in(world.democratic)
    client.post(reverse("reports:appendix_add", args=[meeting.pk]), {"choice": f"document-{document.pk}"})
    appendix = meeting.appendices.get(document=document)
    assert appendix.title == "Children's Joint Commissioning Group draft terms of reference"

    refused = client.post(reverse("reports:governance_remove", args=[body.pk]))

    assert refused.status_code == 400
    assert (
        "cannot be removed while “Children&#x27;s Joint Commissioning Group draft terms of reference” is an"
        in (refused.content.decode())
    )
    assert GovernanceDocument.objects.filter(pk=document.pk).exists()
    client.post(reverse("reports:appendix_remove", args=[appendix.pk]))
    assert client.post(reverse("reports:governance_remove", args=[body.pk])).status_code == 302
    assert not GovernanceDocument.objects.exists()


def polylines(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(float(n) for n in point.split(",")) for point in line.split('"')[0].split()]
        for line in svg.split('<polyline points="')[1:]
    ]


def test_lines_leaving_one_body_keep_apart_from_its_edge_through_a_shared_gap_to_each_board(world):
    """Southend's chart: the commissioning group answers to three boards, two of them past the partnership board."""
    names = [
        "Health and Wellbeing Board",
        "Growing Well Board",
        "Transforming Care Board",
        "SEND Strategic Partnership Board",
        "Operations Group",
        "Children's Joint Commissioning Group",
    ]
    bodies = {
        name: GovernanceBodyFactory(partnership=world.partnership, order=order, name=name)
        for order, name in enumerate(names, start=1)
    }
    relations = [
        GovernanceRelation(body=bodies[low], to=bodies[high], kind=kind)
        for low, high, kind in [
            ("SEND Strategic Partnership Board", "Health and Wellbeing Board", "reports_to"),
            ("Operations Group", "SEND Strategic Partnership Board", "reports_to"),
            ("Children's Joint Commissioning Group", "SEND Strategic Partnership Board", "accountable_to"),
            ("Children's Joint Commissioning Group", "Growing Well Board", "accountable_to"),
            ("Children's Joint Commissioning Group", "Transforming Care Board", "accountable_to"),
        ]
    ]
    svg = governance_chart_svg(list(bodies.values()), relations, title="Chart", chart_id="c")
    lines = polylines(svg)
    group_lines = lines[2:]
    starts = sorted(line[0][0] for line in group_lines)
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) > 40
    # to the partnership board directly; past it, side by side through one gap, to the two boards above
    assert [len(line) for line in group_lines] == [2, 4, 4]
    (_, to_growing, *_), (_, to_care, *_) = group_lines[1], group_lines[2]
    assert abs(to_growing[0] - to_care[0]) == 16 and to_growing[1] == to_care[1]
    # the partnership board's two arrivals meet its edge apart
    assert abs(lines[1][-1][0] - lines[2][-1][0]) > 40
