"""The Southend risk log as the documents describe it: its route from the operations group to the board, and no
risks, because the documents name none."""

from pathlib import Path

import pytest
from django.core.management import call_command

from core.models import Partnership
from risks.models import Risk, RiskMatrix

pytestmark = pytest.mark.django_db
SEEDS = Path("/work/shared/seeds")


def test_the_southend_log_escalates_from_the_sendap_operations_group_to_the_board_and_holds_no_risk():
    call_command("load_southend", verbosity=0)
    call_command("load_southend", verbosity=0)  # again: nothing duplicated
    partnership = Partnership.objects.get()
    matrix = RiskMatrix.objects.get(partnership=partnership)
    assert (matrix.held_by, matrix.escalates_to) == (
        "SENDAP Operations Group",
        "SEND Strategic Partnership Board",
    )
    assert not Risk.objects.exists()


@pytest.mark.skipif(not SEEDS.exists(), reason="the source documents are not beside the project")
def test_the_documents_name_the_risk_log_and_its_route_but_no_risk():
    scrutiny = (SEEDS / "003_2bc801761036d050.txt").read_text()
    hwbb = (SEEDS / "000_d50ea2fd0cf008ce.txt").read_text()
    assert "oversight resting with the SEND Strategic Partnership Board" in scrutiny
    assert "through SENDAP Operation Group with escalations to Board" in hwbb
