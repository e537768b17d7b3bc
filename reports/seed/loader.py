"""Loads the 10 December 2024 Health and Wellbeing Board meeting, its SEND report's narrative and the
governance bodies the documents describe in text, verbatim from the JSON beside this file.

The JSON was taken word for word from the pack (000_d50ea2fd0cf008ce.txt): the front sheet (the council's
address, telephone and website, the issue date and the pack's other items, without their page numbers, which
belong to the council's combined pack), the metadata block, sections 1 to 6
of the cover report, the Board's membership and function from the SEF introduction and the CJCG's draft terms
of reference, every clause of which is kept as the CJCG's governance document. The governance chart in the
pack is an image with no text, so the relations it is drawn from are taken from the documents' words: the
CJCG's terms of reference (5.1), the SEF (Part B) and the action plan ("About this plan"). The narrative names
its appendices by what they are ("[appendix: terms of reference]"), so the pack prints their numbers from the
meeting's list of four appendices, in the real pack's order. Running the loader again finds what it loaded
before and duplicates nothing; a meeting's appendices, once loaded, are left as democratic services keep them.
"""

import json
from datetime import date, time
from pathlib import Path
from typing import Any

from django.db import transaction

from core.models import Partnership
from reports.models import (
    Appendix,
    FrontSheet,
    GovernanceBody,
    GovernanceDocument,
    GovernanceRelation,
    Meeting,
    Narrative,
)
from sef.models import SelfEvaluation

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
    bodies = {}
    for order, body in enumerate(data["governance"], start=1):
        bodies[body["name"]], _ = GovernanceBody.objects.update_or_create(
            partnership=partnership, name=body["name"], defaults={**body, "order": order}
        )
    for relation in data["relations"]:
        GovernanceRelation.objects.update_or_create(
            body=bodies[relation["body"]],
            to=bodies[relation["to"]],
            kind=relation["kind"],
            defaults={"source_document": relation["source_document"]},
        )
    documents = {}
    for document in data["documents"]:
        fields = {key: value for key, value in document.items() if key not in {"body", "kind", "version"}}
        documents[document["body"]], _ = GovernanceDocument.objects.update_or_create(
            body=bodies[document["body"]], kind=document["kind"], version=document["version"], defaults=fields
        )
    if not meeting.appendices.exists():
        load_appendices(partnership, meeting, data["appendices"], documents)
    return meeting


def load_appendices(
    partnership: Partnership,
    meeting: Meeting,
    appendices: list[dict[str, Any]],
    documents: dict[str, GovernanceDocument],
) -> None:
    for order, appendix in enumerate(appendices, start=1):
        evaluation = (
            SelfEvaluation.objects.get(
                partnership=partnership, dated=date.fromisoformat(appendix["sef_dated"])
            )
            if "sef_dated" in appendix
            else None
        )
        Appendix.objects.create(
            meeting=meeting,
            order=order,
            kind=appendix["kind"],
            title=appendix["title"],
            evaluation=evaluation,
            document=documents.get(appendix.get("document", "")),
        )
