"""Working days in England, for the date a Board pack is issued: the agenda of a council meeting must be
published at least five clear working days before it (Local Government Act 1972, section 100B).

Bank holidays are worked out from the rules of the Banking and Financial Dealings Act 1971 and the
proclamations that moved or added days, so that nothing needs to be fetched from the internet.
"""

from datetime import date, timedelta
from functools import cache

CLEAR_WORKING_DAYS = 5

# Days added or moved by proclamation, beyond the usual rules.
PROCLAIMED: dict[int, tuple[set[date], set[date]]] = {
    # year: (days added, usual days that were not bank holidays that year)
    2011: ({date(2011, 4, 29)}, set()),
    2012: ({date(2012, 6, 4), date(2012, 6, 5)}, {date(2012, 5, 28)}),
    2020: ({date(2020, 5, 8)}, {date(2020, 5, 4)}),
    2022: ({date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)}, {date(2022, 5, 30)}),
    2023: ({date(2023, 5, 8)}, set()),
}


def easter_sunday(year: int) -> date:
    """The anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lucky = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lucky) // 451
    month, day = divmod(h + lucky - 7 * m + 114, 31)
    return date(year, month, day + 1)


def first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def last_monday(year: int, month: int) -> date:
    after = date(year + month // 12, month % 12 + 1, 1)
    day = after - timedelta(days=1)
    return day - timedelta(days=day.weekday())


def new_year_holiday(year: int) -> date:
    day = date(year, 1, 1)
    return day + timedelta(days={5: 2, 6: 1}.get(day.weekday(), 0))


def christmas_holidays(year: int) -> set[date]:
    """Christmas Day and Boxing Day, each moved to the next free weekday when it falls at a weekend."""
    taken: set[date] = set()
    for day in (date(year, 12, 25), date(year, 12, 26)):
        while day.weekday() >= 5 or day in taken:
            day += timedelta(days=1)
        taken.add(day)
    return taken


@cache
def bank_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    usual = {
        new_year_holiday(year),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        first_monday(year, 5),
        last_monday(year, 5),
        last_monday(year, 8),
        *christmas_holidays(year),
    }
    added, removed = PROCLAIMED.get(year, (set(), set()))
    return frozenset((usual - removed) | added)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def publication_date_for(meeting_date: date) -> date:
    """The last day the agenda can be issued: five clear working days before the meeting.

    Clear days leave out both the day of issue and the day of the meeting, so for a Tuesday meeting with no
    bank holiday near it the pack is issued on the Monday of the week before.
    """
    day = meeting_date
    clear = 0
    while clear < CLEAR_WORKING_DAYS:
        day -= timedelta(days=1)
        clear += is_working_day(day)
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
