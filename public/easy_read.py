"""The easy read summary: each recommendation in short sentences and plain words, counted from the actions as
the last published Board pack gave them."""

from dataclasses import dataclass

from actions.models import Action
from reports.content import RecommendationPart


@dataclass(frozen=True)
class EasyReadPart:
    number: int
    title: str
    sentences: list[str]


def things(count: int) -> str:
    return f"{count} thing" if count == 1 else f"{count} things"


def sentences_for(part: RecommendationPart) -> list[str]:
    rows = part.rows
    finished = [row for row in rows if row.action.lifecycle != Action.Lifecycle.OPEN]
    still_open = [row for row in rows if row.action.lifecycle == Action.Lifecycle.OPEN]
    sentences = [f"We said we would do {things(len(rows))}."]
    if finished:
        sentences.append(f"{len(finished)} {'is' if len(finished) == 1 else 'are'} finished.")
    levels: dict[str, int] = {}
    no_news = 0
    for row in still_open:
        if row.update is None:
            no_news += 1
        else:
            levels[row.update.rag.meaning] = levels.get(row.update.rag.meaning, 0) + 1
    for meaning, count in levels.items():
        # The scale's own words ("on track", "not started") read as a label, not inside a sentence.
        sentences.append(f"{meaning.capitalize()}: {things(count)}.")
    if no_news:
        sentences.append(f"We have no news yet on {things(no_news)}.")
    return sentences


def summary(parts: list[RecommendationPart]) -> list[EasyReadPart]:
    return [
        EasyReadPart(part.recommendation.number, part.recommendation.short_title, sentences_for(part))
        for part in parts
    ]
