"""Dates and times on the portal's pages as GOV.UK writes them."""

from datetime import UTC, datetime

import pytest

from core.templatetags.portal import moment


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (datetime(2026, 12, 2, 17, 0, tzinfo=UTC), "2 December 2026, 5pm"),
        (datetime(2026, 12, 2, 17, 30, tzinfo=UTC), "2 December 2026, 5:30pm"),
        (datetime(2026, 12, 2, 0, 32, tzinfo=UTC), "2 December 2026, 12:32am"),
        (datetime(2026, 12, 2, 12, 0, tzinfo=UTC), "2 December 2026, midday"),
        (datetime(2026, 12, 2, 0, 0, tzinfo=UTC), "2 December 2026, midnight"),
        # In summer the portal's clock is an hour ahead of UTC, and so is what people read.
        (datetime(2026, 7, 1, 16, 5, tzinfo=UTC), "1 July 2026, 5:05pm"),
        (datetime(2026, 7, 1, 23, 0, tzinfo=UTC), "2 July 2026, midnight"),
    ],
)
def test_a_moment_reads_as_gov_uk_writes_it_in_the_portals_time_zone(at, words):
    assert moment(at) == words


def test_a_moment_not_recorded_says_so():
    assert moment(None) == "Not recorded"
