"""What changed between two packs, read from the snapshots each pack keeps of what it said."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kpis.figures import period_dated

COMPLETE = "complete"


def long_date(iso: str | None) -> str:
    return f"{date.fromisoformat(iso):%-d %B %Y}" if iso else "no date"


# An action's status before its first approved update. Its first status is news, not a move from this one: "No
# approved update to Green (on track)", under the Green it now has, read as a contradiction.
NO_APPROVED_UPDATE = "No approved update"


def action_change(before: dict[str, Any] | None, after: dict[str, Any]) -> str:
    """One line for the action table: how the action moved since the previous pack."""
    if before is None:
        return "New since the last pack"
    changes = []
    if after["lifecycle"] == COMPLETE and before["lifecycle"] != COMPLETE:
        changes.append("Completed")
    elif before["rag"] == NO_APPROVED_UPDATE != after["rag"]:
        changes.append("First approved update since the last pack")
    elif before["rag"] != after["rag"]:
        changes.append(f"{before['rag']} to {after['rag']}")
    if before["due"] != after["due"]:
        changes.append(f"Due date moved from {long_date(before['due'])} to {long_date(after['due'])}")
    return "; ".join(changes) or "No change"


@dataclass
class Changes:
    rag_moves: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    slipped: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    indicators_moved: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(items)
            for items in (self.rag_moves, self.completed, self.slipped, self.added, self.indicators_moved)
        )

    def headings(self) -> list[tuple[str, list[str]]]:
        return [
            (heading, items)
            for heading, items in (
                ("Actions completed", self.completed),
                ("RAG status changes", self.rag_moves),
                ("Due dates moved", self.slipped),
                ("Actions added", self.added),
                ("Indicators with a new figure", self.indicators_moved),
            )
            if items
        ]


def compare(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    changes = Changes()
    old_actions = before.get("actions", {})
    for reference, now in after.get("actions", {}).items():
        then = old_actions.get(reference)
        if then is None:
            changes.added.append(reference)
            continue
        if now["lifecycle"] == COMPLETE and then["lifecycle"] != COMPLETE:
            changes.completed.append(reference)
        elif then["rag"] == NO_APPROVED_UPDATE != now["rag"]:
            changes.rag_moves.append(f"{reference}: first approved update, {now['rag']}")
        elif then["rag"] != now["rag"]:
            changes.rag_moves.append(f"{reference}: {then['rag']} to {now['rag']}")
        if then["due"] != now["due"] and now["due"] and (not then["due"] or now["due"] > then["due"]):
            changes.slipped.append(f"{reference}: from {long_date(then['due'])} to {long_date(now['due'])}")
    old_indicators = before.get("indicators", {})
    for code, now in after.get("indicators", {}).items():
        then = old_indicators.get(code)
        if then and (then["value"], then["period"]) != (now["value"], now["period"]):
            changes.indicators_moved.append(
                f"{now['title']}: {then['value']} ({period_dated(then['period']) or 'no period'}) "
                f"to {now['value']} ({period_dated(now['period']) or 'no period'})"
            )
    return changes
