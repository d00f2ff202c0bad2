"""Dates and times in Chinese and English, resolved against a reference date-time in a time zone.

``resolve_datetimes("明天下午三点", ref)`` → one ``TimeExpression`` starting tomorrow at 15:00. Dates,
parts of the day and clock times that stand next to each other (optionally joined by 的, ",", "at", "on",
"around") make one expression: "明天下午三点", "下周三上午10点", "next Friday at 3pm", "3pm tomorrow",
"tomorrow morning".

Result shape:

* ``grain`` "day" / "week" / "month": ``start`` is midnight of the first day, ``end`` the exclusive end
  (next day / next Monday / the 1st of next month).
* ``grain`` "hour" / "minute": a point in time, ``end`` is None. "hour" when no minutes were said ("3pm",
  "tomorrow morning"), "minute" when they were ("15:00", "3点15分", "半小时后").
* Every datetime is aware, in ``tz``; the reference is converted to ``tz`` first.

Rules for ambiguous expressions are in the docstrings of ``kefu.nlu.datetime_dates`` (dates, weekdays, weeks)
and ``kefu.nlu.datetime_times`` (clock hours, parts of the day). Here:

* A clock time with no date ("3pm", "下午三点", "at 9", "15:00") is today if it is still ahead of the
  reference, else tomorrow. With a date — "today"/"今天" included — it stays on that date.
* A part of the day alone ("tomorrow morning", "今晚", "this afternoon") is its usual hour: morning 09:00,
  noon 12:00, afternoon 15:00, dusk (傍晚) 18:00, evening/night (晚上, tonight) 20:00,
  small hours (凌晨) 02:00.
  A part with neither a day nor a clock time ("good morning", "晚上好") is not an expression.
* "midnight" after a date is the midnight that ends that date; alone, the next midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kefu.nlu.datetime_atoms import (
    PART_DEFAULT_HOUR,
    Atom,
    ClockAtom,
    DateAtom,
    Grain,
    InstantAtom,
    PartAtom,
    month_start,
    without_overlaps,
)
from kefu.nlu.datetime_dates import find_dates
from kefu.nlu.datetime_times import find_times
from kefu.nlu.numbers import fold


@dataclass(frozen=True)
class TimeExpression:
    start: datetime
    end: datetime | None
    grain: Grain
    text: str
    span: tuple[int, int]


_JOINER = re.compile(r"\s*(?:的|at|on|around|about|@|,|，)?\s*", re.ASCII)


def resolve_datetimes(text: str, reference: datetime, tz: str = "Asia/Shanghai") -> list[TimeExpression]:
    """Every date/time expression in ``text``, in reading order, resolved against ``reference``."""
    if reference.tzinfo is None:
        raise ValueError("reference must be timezone-aware")
    zone = ZoneInfo(tz)
    now = reference.astimezone(zone)
    folded = fold(text, lower=True)
    atoms = without_overlaps([*find_dates(folded, now.date()), *find_times(folded, now)])
    results: list[TimeExpression] = []
    for group in _groups(atoms, folded):
        resolved = _resolve(group, now, zone)
        if resolved is not None:
            start, end, grain = resolved
            span = (group[0].start, group[-1].end)
            results.append(TimeExpression(start, end, grain, text[span[0] : span[1]], span))
    return results


def _groups(atoms: list[Atom], text: str) -> list[list[Atom]]:
    """Runs of adjacent atoms that make one expression: at most one date, one part and one clock time."""
    groups: list[list[Atom]] = []
    for atom in atoms:
        current = groups[-1] if groups else None
        if current is not None and _joins(current, atom, text):
            current.append(atom)
        else:
            groups.append([atom])
    return groups


def _joins(group: list[Atom], atom: Atom, text: str) -> bool:
    gap = text[group[-1].end : atom.start]
    if not _JOINER.fullmatch(gap):
        return False
    if ("," in gap or "，" in gap) and (isinstance(atom, PartAtom) or isinstance(group[-1], PartAtom)):
        return False
    if isinstance(atom, InstantAtom) or any(isinstance(a, InstantAtom) for a in group):
        return False
    if type(atom) in {type(a) for a in group}:
        return False  # at most one date, one part of the day and one clock time
    dates = [a for a in [*group, atom] if isinstance(a, DateAtom)]
    has_time = any(isinstance(a, ClockAtom | PartAtom) for a in [*group, atom])
    if dates and dates[0].grain != "day" and has_time:
        return False
    day_carrying_parts = [a for a in [*group, atom] if isinstance(a, PartAtom) and a.day is not None]
    return not (dates and day_carrying_parts)


def _resolve(
    group: list[Atom], now: datetime, zone: ZoneInfo
) -> tuple[datetime, datetime | None, Grain] | None:
    date_atom = next((a for a in group if isinstance(a, DateAtom)), None)
    part = next((a for a in group if isinstance(a, PartAtom)), None)
    clock = next((a for a in group if isinstance(a, ClockAtom)), None)
    instant = next((a for a in group if isinstance(a, InstantAtom)), None)
    if instant is not None:
        return instant.value, None, instant.grain
    day: date | None = date_atom.day if date_atom is not None else (part.day if part is not None else None)
    if clock is None and part is None:
        if date_atom is None:
            return None
        return _span(date_atom, zone)
    if clock is None:
        assert part is not None
        if part.day is None and date_atom is None:
            return None  # "good morning", "晚上好"
        hour, offset = PART_DEFAULT_HOUR[part.part], 0
        minute, grain = 0, "hour"
    else:
        if clock.weak and part is None and date_atom is None:
            return None
        hour, offset = _hour(clock, part.part if part is not None else None)
        minute = clock.minute
        grain = "minute" if clock.has_minutes else "hour"
    rolls = day is None
    base = day if day is not None else now.date()
    start = datetime.combine(base + timedelta(days=offset), time(hour, minute), tzinfo=zone)
    if rolls and start < now:
        start = datetime.combine(base + timedelta(days=offset + 1), time(hour, minute), tzinfo=zone)
    return start, None, "minute" if grain == "minute" else "hour"


def _span(atom: DateAtom, zone: ZoneInfo) -> tuple[datetime, datetime | None, Grain]:
    start = datetime.combine(atom.day, time(0), tzinfo=zone)
    if atom.grain == "week":
        last = atom.day + timedelta(weeks=1)
    elif atom.grain == "month":
        last = month_start(atom.day, 1)
    else:
        last = atom.day + timedelta(days=1)
    return start, datetime.combine(last, time(0), tzinfo=zone), atom.grain


def _hour(clock: ClockAtom, part: str | None) -> tuple[int, int]:
    """(hour, days to add) for a clock time, given the part of the day said with it."""
    hour = clock.hour
    if clock.midnight:
        return 0, 1
    if clock.meridiem == "am":
        return (0 if hour == 12 else hour), 0
    if clock.meridiem == "pm":
        return (hour if hour == 12 else hour + 12), 0
    if clock.exact or hour > 12:
        return hour, 0
    if part == "dawn":
        return (0 if hour == 12 else hour), 0
    if part == "morning":
        return hour, 0
    if part == "noon":
        return (hour + 12 if hour <= 5 else hour), 0
    if part in ("afternoon", "dusk"):
        return (hour if hour == 12 else hour + 12), 0
    if part == "night":
        if hour == 12:
            return 0, 1
        return (hour, 1) if hour <= 4 else (hour + 12, 0)
    return (hour + 12 if 1 <= hour <= 6 else hour), 0  # business hours: 3点 → 15:00, 9点 → 09:00
