import subprocess
from pathlib import Path

import pytest

from reports.models import Pack
from tests.reports.factories import GovernanceBodyFactory, MeetingFactory, NarrativeFactory


@pytest.fixture
def meeting(world):  # noqa: F811 - the fixture above
    found = MeetingFactory(partnership=world.partnership)
    NarrativeFactory(meeting=found)
    GovernanceBodyFactory(partnership=world.partnership, name="Children's Joint Commissioning Group")
    return found


def pdf_text(pack: Pack, *, layout: bool = False) -> str:
    options = ["-layout"] if layout else []
    return subprocess.run(
        ["pdftotext", *options, pack.pdf.path, "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_info(path: Path | str) -> str:
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
