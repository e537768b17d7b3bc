"""Actions counted by how they stand (reports.content.status_counts): what the easy reads and the public home's
headline say, from one count."""

from actions.models import Action, ProgressUpdate, RagLevel
from reports.content import ActionRow, status_counts
from reports.drafting import status_sentence

ON_TRACK = RagLevel(pk=3, key="green", meaning="on track", order=3)
AT_RISK = RagLevel(pk=2, key="amber", meaning="at risk", order=2)
OFF_TRACK = RagLevel(pk=1, key="red", meaning="off track", order=1)


def row(lifecycle: str = Action.Lifecycle.OPEN, rag: RagLevel | None = None) -> ActionRow:
    return ActionRow(Action(lifecycle=lifecycle), ProgressUpdate(rag=rag) if rag else None)


def test_actions_are_counted_by_how_they_ended_by_the_scale_in_its_order_and_without_news():
    rows = [
        row(rag=ON_TRACK),
        row(rag=OFF_TRACK),
        row(rag=ON_TRACK),
        row(),
        row(Action.Lifecycle.CLOSED),
        row(Action.Lifecycle.COMPLETE, rag=OFF_TRACK),  # ended: its last status no longer counts
        row(Action.Lifecycle.COMPLETE),
    ]

    counts = status_counts(rows)

    assert counts.actions == 7
    assert counts.ended == [("Complete", 2), ("Closed", 1)]
    assert counts.finished == 3
    assert [(level.meaning, count) for level, count in counts.levels] == [("off track", 1), ("on track", 2)]
    assert counts.no_news == 1


def test_nothing_to_count_gives_empty_counts():
    counts = status_counts([])

    assert (counts.actions, counts.ended, counts.levels, counts.no_news, counts.finished) == (0, [], [], 0, 0)


def test_the_drafted_progress_lists_statuses_red_amber_green_then_ended_then_without_an_update():
    red, amber, green = (
        RagLevel(pk=n, label=label, meaning=meaning, order=n)
        for n, label, meaning in ((1, "Red", "off track"), (2, "Amber", "at risk"), (3, "Green", "on track"))
    )
    rows = [row(rag=rag) for rag in (green, amber, red, green, amber)]
    rows += [row(), row(Action.Lifecycle.COMPLETE)]

    assert status_sentence(status_counts(rows)) == (
        "Of the 7 actions for this recommendation: 1 Red (off track), 2 Amber (at risk), 2 Green (on track), "
        "1 Complete, 1 with no approved update."
    )
    assert (
        status_sentence(status_counts(rows[:1]))
        == "Of the 1 action for this recommendation: 1 Green (on track)."
    )


def test_a_recommendation_without_actions_is_said_to_have_none_in_its_drafted_progress():
    assert status_sentence(status_counts([])) == "No actions are recorded for this recommendation."


def test_two_levels_placed_alike_in_the_scale_are_counted_apart():
    blue = RagLevel(pk=4, key="blue", label="Blue", meaning="complete", order=3)

    counts = status_counts([row(rag=ON_TRACK), row(rag=blue), row(rag=blue)])

    assert [(level.meaning, count) for level, count in counts.levels] == [("on track", 1), ("complete", 2)]
