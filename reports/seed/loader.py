"""Loads the 10 December 2024 Health and Wellbeing Board meeting, its SEND report's narrative and the
governance bodies the documents describe in text, verbatim from the JSON beside this file.

The JSON was taken word for word from the pack (000_d50ea2fd0cf008ce.txt): the front sheet (the council's
address, telephone and website, the issue date and the pack's other items, without their page numbers, which
belong to the council's combined pack), the metadata block, sections 1 to 6
of the cover report, the Board's membership and function from the SEF introduction and the CJCG's draft terms
of reference. The governance chart in the pack is an image with no text, so nothing is taken from it.
Running the loader again finds what it loaded before and duplicates nothing.
"""

import json
from datetime import date, time
from pathlib import Path
from typing import Any

from django.db import transaction

from core.models import Partnership
from reports.models import FrontSheet, GovernanceBody, Meeting, Narrative

SEED_FILE = Path(__file__).resolve().parent / "southend_hwbb_2024.json"


def read() -> dict[str, Any]:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def load_southend_meetings(partnership: Partnership) -> Meeting:
    data = read()
    fields = dict(data["meeting"])
    meeting_date = date.fromisoformat(fields.pop("date"))
    fields["item_time"] = time.fromisoformat(fields["item_time"])
    fields["issue_date"] = date.fromisoformat(fields["issue_date"])
    meeting, _ = Meeting.objects.update_or_create(
        partnership=partnership,
        body=fields.pop("body"),
        date=meeting_date,
        agenda_item=fields.pop("agenda_item"),
        defaults={**fields, "source_document": data["source"]},
    )
    Narrative.objects.update_or_create(meeting=meeting, defaults=data["narrative"])
    FrontSheet.objects.update_or_create(
        partnership=partnership, defaults={**data["front_sheet"], "source_document": data["source"]}
    )
    for order, body in enumerate(data["governance"], start=1):
        GovernanceBody.objects.update_or_create(
            partnership=partnership, name=body["name"], defaults={**body, "order": order}
        )
    return meeting
