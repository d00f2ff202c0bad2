"""The pieces ``kefu.nlu.datetimes`` assembles: dates, parts of the day, clock times and resolved instants.

Finders in ``datetime_dates`` and ``datetime_times`` turn text into these atoms; ``datetimes`` joins adjacent
atoms ("明天" + "下午" + "三点") into one expression and resolves it. Calendar helpers live here too.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from kefu.nlu.numbers import parse_chinese_number, parse_english_number

Grain = Literal["day", "hour", "minute", "week", "month"]
Part = Literal["dawn", "morning", "noon", "afternoon", "dusk", "night"]

#: The hour a part of the day means when no clock time is given ("tomorrow morning" → 09:00).
PART_DEFAULT_HOUR: dict[str, int] = {
    "dawn": 2,
    "morning": 9,
    "noon": 12,
    "afternoon": 15,
    "dusk": 18,
    "night": 20,
}


@dataclass(frozen=True)
class DateAtom:
    start: int
    end: int
    day: date  # for week / month grain: the first day (Monday / the 1st)
    grain: Literal["day", "week", "month"]
    today: bool = False  # literally "today"/"今天": a clock time on it never rolls over to tomorrow


@dataclass(frozen=True)
class PartAtom:
    start: int
    end: int
    part: Part
    day: date | None = None  # 今晚 / tonight / this morning carry their day


@dataclass(frozen=True)
class ClockAtom:
    start: int
    end: int
    hour: int
    minute: int = 0
    meridiem: Literal["am", "pm"] | None = None
    exact: bool = False  # 24-hour reading is certain: "15:00", "09:30", "0点", "noon"
    has_minutes: bool = False
    midnight: bool = False
    weak: bool = False  # "三点" alone may be "three points": needs a date or a part of the day to count


@dataclass(frozen=True)
class InstantAtom:
    start: int
    end: int
    value: datetime
    grain: Grain


Atom = DateAtom | PartAtom | ClockAtom | InstantAtom


def small_int(text: str) -> int | None:
    """A small whole number in digits, Chinese or English: "12", "十二", "twelve"."""
    value = parse_chinese_number(text)
    if value is None:
        value = parse_english_number(text)
    if value is None or value != int(value):
        return None
    return int(value)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def add_months(day: date, months: int) -> date:
    """Calendar month arithmetic, clamping the day: Jan 31 + 1 month → Feb 28/29."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_start(day: date, months: int = 0) -> date:
    return add_months(day.replace(day=1), months)


def week_start(day: date, weeks: int = 0) -> date:
    """Monday of the week ``weeks`` after the one containing ``day`` (weeks start on Monday)."""
    return day - timedelta(days=day.weekday()) + timedelta(weeks=weeks)


def nearest(candidates: list[date | None], today: date) -> date | None:
    """The candidate closest to today; a tie goes to the future one."""
    valid = [c for c in candidates if c is not None]
    if not valid:
        return None
    return min(valid, key=lambda c: (abs((c - today).days), c < today))


def nearest_month_day(month: int, day: int, today: date) -> date | None:
    """A month/day without a year: the nearest such date (last year, this year or next year)."""
    return nearest([safe_date(today.year + k, month, day) for k in (-1, 0, 1)], today)


def nearest_day_of_month(day: int, today: date) -> date | None:
    """ "3号" alone: the 3rd of last, this or next month, whichever is nearest."""
    candidates: list[date | None] = []
    for k in (-1, 0, 1):
        first = month_start(today, k)
        candidates.append(safe_date(first.year, first.month, day))
    return nearest(candidates, today)


def upcoming_weekday(weekday: int, today: date, include_today: bool = True) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


def previous_weekday(weekday: int, today: date) -> date:
    """The most recent ``weekday`` strictly before today."""
    back = (today.weekday() - weekday) % 7 or 7
    return today - timedelta(days=back)


def without_overlaps(atoms: list[Atom]) -> list[Atom]:
    """Keep the longest atom where atoms overlap (the earlier one on a tie), in reading order."""
    kept: list[Atom] = []
    for atom in sorted(atoms, key=lambda a: (a.start - a.end, a.start)):
        if all(atom.end <= k.start or atom.start >= k.end for k in kept):
            kept.append(atom)
    return sorted(kept, key=lambda a: a.start)
