"""Actions counted by how they stand (reports.content.status_counts): what the easy reads and the public home's
headline say, from one count."""

from actions.models import Action, ProgressUpdate, RagLevel
from reports.content import ActionRow, status_counts

ON_TRACK = RagLevel(key="green", meaning="on track", order=3)
AT_RISK = RagLevel(key="amber", meaning="at risk", order=2)
OFF_TRACK = RagLevel(key="red", meaning="off track", order=1)


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
    from reports.drafting import status_sentence

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
