"""The national list of English local authorities that a partnership is created for (people/data/README.md)."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "english_local_authorities.csv"


@dataclass(frozen=True)
class LocalAuthority:
    ons_code: str
    dfe_code: str
    name: str
    region: str


@cache
def local_authorities() -> dict[str, LocalAuthority]:
    """Every English local authority by ONS code, in name order."""
    with DATA.open(newline="", encoding="utf-8") as file:
        return {row["ons_code"]: LocalAuthority(**row) for row in csv.DictReader(file)}
