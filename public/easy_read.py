"""The easy read summary: each recommendation in short sentences and plain words, counted from the actions as
the last published Board pack gave them; and the same count for the whole plan, the public home's headline."""

from dataclasses import dataclass

from reports.content import RecommendationPart, StatusCounts, status_counts


@dataclass(frozen=True)
class EasyReadPart:
    number: int
    title: str
    sentences: list[str]


def things(count: int) -> str:
    return f"{count} thing" if count == 1 else f"{count} things"


def sentences_for(part: RecommendationPart) -> list[str]:
    counts = status_counts(part.rows)
    sentences = [f"We said we would do {things(counts.actions)}."]
    if counts.finished:
        sentences.append(f"{counts.finished} {'is' if counts.finished == 1 else 'are'} finished.")
    for level, count in counts.levels:
        # The scale's own words ("on track", "not started") read as a label, not inside a sentence.
        sentences.append(f"{level.meaning.capitalize()}: {things(count)}.")
    if counts.no_news:
        sentences.append(f"We have no news yet on {things(counts.no_news)}.")
    return sentences


def headline(parts: list[RecommendationPart]) -> StatusCounts:
    """The whole plan's actions counted as the easy read counts each recommendation's: the public home's summary."""
    return status_counts([row for part in parts for row in part.rows])


def summary(parts: list[RecommendationPart]) -> list[EasyReadPart]:
    return [
        EasyReadPart(part.recommendation.number, part.recommendation.short_title, sentences_for(part))
        for part in parts
    ]
