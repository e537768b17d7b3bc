"""Writes the area SEND inspection framework from its JSON; used by the migration and by the Southend loader.

Takes an app registry so the migration can pass its historical models.
"""

import json
from pathlib import Path
from typing import Any

FRAMEWORK_FILE = Path(__file__).resolve().parent / "inspection_framework.json"


def write_framework(apps: Any) -> Any:
    InspectionFramework = apps.get_model("sef", "InspectionFramework")
    FrameworkStrand = apps.get_model("sef", "FrameworkStrand")
    EvaluationArea = apps.get_model("sef", "EvaluationArea")
    InspectionOutcome = apps.get_model("sef", "InspectionOutcome")
    data = json.loads(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    framework, _ = InspectionFramework.objects.update_or_create(
        name=data["name"], version=data["version"], defaults={"source_document": data["source"]}
    )
    titles = {area["number"]: area["title"] for area in data["areas"]}
    for order, strand_data in enumerate(data["strands"], start=1):
        strand, _ = FrameworkStrand.objects.update_or_create(
            framework=framework,
            key=strand_data["key"],
            defaults={"title": strand_data["title"], "order": order},
        )
        for number in strand_data["areas"]:
            EvaluationArea.objects.update_or_create(
                framework=framework, number=number, defaults={"strand": strand, "title": titles[number]}
            )
    for outcome in data["outcomes"]:
        InspectionOutcome.objects.update_or_create(
            framework=framework,
            number=outcome["number"],
            defaults={"text": outcome["text"], "follow_up": outcome["follow_up"]},
        )
    return framework
