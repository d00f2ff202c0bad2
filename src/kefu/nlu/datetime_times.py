"""Clock times, parts of the day and relative instants ("in 2 hours", "半小时后"), Chinese and English.

Clock rules (applied in ``kefu.nlu.datetimes`` when the atoms are resolved):

* "15:00", "09:30", "0点" are 24-hour times; "3pm", "3:30 pm", "下午3点", "晚上8点" follow the am/pm or part
  of the day (上午/早上 morning, 中午 noon: "中午1点" 13:00, 下午/傍晚 afternoon, 晚上 evening: "晚上12点"
  is midnight, "晚上1点" is 01:00 the next day, 凌晨/半夜 small hours: "凌晨2点" 02:00).
* An hour with no am/pm and no part of the day ("3点", "at 9", "10:30") is read in business hours:
  1-6 → afternoon (13:00-18:00), 7-11 → morning, 12 → noon.
* "三点一刻" 3:15, "三刻" :45, "10点半" :30.
* "三点" in Chinese numerals alone may mean "three points": it counts only with minutes, 钟/整, a part of the
  day or a date, or when followed by 前/之前/以前/左右/后/见/到 ("三点前"). Arabic "3点" always counts.
* "noon" / "正午" is 12:00, "midnight" / "午夜" the 00:00 that ends the day.
* Relative times count from the reference, truncated to the minute: "in 2 hours", "两个小时后", "半小时后",
  "一个半小时后", "in 90 minutes", "30 minutes ago", "十分钟前".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from kefu.nlu.datetime_atoms import Atom, ClockAtom, InstantAtom, Part, PartAtom, small_int
from kefu.nlu.numbers import EN_NUMBER

_ZH_NUM = "〇零一二两三四五六七八九十"
_ZH_H = rf"(?:[0-2]?\d|[{_ZH_NUM}]{{1,3}})"
_ZH_M = rf"(?:[0-5]?\d|[{_ZH_NUM}]{{1,3}})"
_ZH_CLOCK = re.compile(
    rf"(?<![\d:.{_ZH_NUM}第几])(?P<h>{_ZH_H})\s?(?P<sep>点钟|点|时)"
    rf"(?:(?P<half>半)|(?P<q>[一三13])刻|(?P<m>{_ZH_M})(?:分钟|分)?(?![\d{_ZH_NUM}]))?(?P<tail>钟|整)?"
    r"(?![万千百亿元块倍个件%.])",
    re.ASCII,
)
_ZH_STRONG_AFTER = ("前", "之前", "以前", "左右", "后", "见", "到")
_AMPM = r"(?P<ap>a\.?m\b\.?|p\.?m\b\.?)"
_COLON = re.compile(
    rf"(?<![\d:.\-/])(?:\bat\s+)?(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?::[0-5]\d)?(?![\d:])(?:\s?{_AMPM})?",
    re.ASCII,
)
_EN_AMPM = re.compile(rf"(?<![\d:.$€£¥])(?:\bat\s+)?(?P<h>1[0-2]|0?[1-9])\s?{_AMPM}(?![a-z])", re.ASCII)
_EN_NOT_TIME_AFTER = (
    r"\s*(?:%|percent|items?|pieces?|pcs|dollars?|bucks|euros?|pounds?|kg|lbs?|units?|boxes|each|per|"
    r"people|persons?|days?|weeks?|months?|years?|hours?|minutes?|mins?|[$€£¥]|[.,:/]\d)"
)
_EN_AT = re.compile(rf"\bat\s+(?P<h>1\d|2[0-3]|0?\d)\b(?!{_EN_NOT_TIME_AFTER})", re.ASCII)
_EN_OCLOCK = re.compile(rf"(?:\bat\s+)?\b(?P<h>1[0-2]|0?[1-9]|{EN_NUMBER})\s?o'?clock\b", re.ASCII)
_NOON = re.compile(r"(?:\bat\s+)?\b(?P<w>noon|midday|midnight)\b|(?P<zh>正午|午夜)", re.ASCII)

_ZH_PARTS: dict[str, tuple[Part, int | None]] = {
    "今晚": ("night", 0),
    "今夜": ("night", 0),
    "今早": ("morning", 0),
    "今晨": ("morning", 0),
    "明早": ("morning", 1),
    "明晨": ("morning", 1),
    "明晚": ("night", 1),
    "昨晚": ("night", -1),
    "昨夜": ("night", -1),
    "凌晨": ("dawn", None),
    "半夜": ("dawn", None),
    "清晨": ("morning", None),
    "早上": ("morning", None),
    "早晨": ("morning", None),
    "上午": ("morning", None),
    "中午": ("noon", None),
    "下午": ("afternoon", None),
    "午后": ("afternoon", None),
    "傍晚": ("dusk", None),
    "晚上": ("night", None),
    "晚间": ("night", None),
    "夜里": ("night", None),
    "夜间": ("night", None),
}
_ZH_PART = re.compile("|".join(_ZH_PARTS), re.ASCII)
_EN_PART_NAMES: dict[str, Part] = {"morning": "morning", "afternoon": "afternoon", "evening": "night"}
_EN_PART = re.compile(
    r"\b(?:(?P<this>this)\s+(?P<tp>morning|afternoon|evening)|(?P<tonight>tonight|tonite)|(?P<last>last)\s+night"
    r"|(?:in\s+the\s+)?(?P<p>morning|afternoon|evening)|(?:at\s+)?(?P<n>night))\b",
    re.ASCII,
)

_ZH_INSTANT = re.compile(
    rf"(?<![\d{_ZH_NUM}])(?P<pre>再?过\s?)?(?P<n>[0-9]{{1,3}}|[{_ZH_NUM}]{{1,3}}|半)\s?(?P<ge>个半|个)?\s?"
    r"(?P<u>小时|钟头|分钟)\s?(?P<dir>以后|之后|后|以前|之前|前)?",
    re.ASCII,
)
_EN_COUNT = rf"(?:\d+(?:\.\d+)?|a couple of|an?|{EN_NUMBER})"
_EN_INSTANT = re.compile(
    rf"\bin\s+(?:(?P<half>half\s+an?)|(?P<n>{_EN_COUNT}))\s+(?P<u>hours?|hrs?|minutes?|mins?)\b"
    rf"(?P<and_half>\s+and\s+a\s+half)?"
    rf"|\b(?:(?P<half2>half\s+an?)|(?P<n2>{_EN_COUNT}))\s+(?P<u2>hours?|hrs?|minutes?|mins?)"
    rf"\s+(?P<dir>from now|later|ago)\b",
    re.ASCII,
)


def find_times(text: str, reference: datetime) -> list[Atom]:
    """Clock, part-of-day and relative-instant atoms in ``text`` (folded and lower-cased).

    ``reference`` is already in the target time zone.
    """
    today = reference.date()
    found: list[Atom] = []
    for match in _ZH_CLOCK.finditer(text):
        atom = _zh_clock(match, text)
        if atom is not None:
            found.append(atom)
    for match in _COLON.finditer(text):
        hour, minute = int(match["h"]), int(match["m"])
        exact = hour == 0 or hour > 12 or match["h"].startswith("0")
        meridiem = _meridiem(match["ap"])
        if meridiem is None or hour <= 12:
            found.append(
                ClockAtom(
                    match.start(), match.end(), hour, minute, meridiem, exact and meridiem is None, True
                )
            )
    for match in _EN_AMPM.finditer(text):
        found.append(ClockAtom(match.start(), match.end(), int(match["h"]), 0, _meridiem(match["ap"])))
    for match in _EN_AT.finditer(text):
        hour = int(match["h"])
        found.append(ClockAtom(match.start(), match.end(), hour, 0, None, exact=hour == 0 or hour > 12))
    for match in _EN_OCLOCK.finditer(text):
        hour_or_none = small_int(match["h"])
        if hour_or_none is not None and 1 <= hour_or_none <= 12:
            found.append(ClockAtom(match.start(), match.end(), hour_or_none))
    for match in _NOON.finditer(text):
        word = match["w"] or match["zh"]
        if word in ("midnight", "午夜"):
            found.append(ClockAtom(match.start(), match.end(), 0, exact=True, midnight=True))
        else:
            found.append(ClockAtom(match.start(), match.end(), 12, exact=True))
    for match in _ZH_PART.finditer(text):
        part, offset = _ZH_PARTS[match[0]]
        day = None if offset is None else today + timedelta(days=offset)
        found.append(PartAtom(match.start(), match.end(), part, day))
    for match in _EN_PART.finditer(text):
        found.append(_en_part(match, today))
    for match in _ZH_INSTANT.finditer(text):
        if match["pre"] or match["dir"]:
            instant = _instant(match, reference, match["n"], match["u"], match["ge"] == "个半", match["dir"])
            if instant is not None:
                found.append(instant)
    for match in _EN_INSTANT.finditer(text):
        count = "半" if (match["half"] or match["half2"]) else (match["n"] or match["n2"])
        unit = match["u"] or match["u2"]
        instant = _instant(match, reference, count, unit, bool(match["and_half"]), match["dir"])
        if instant is not None:
            found.append(instant)
    return found


def _zh_clock(match: re.Match[str], text: str) -> ClockAtom | None:
    hour = small_int(match["h"])
    if hour is None or hour > 24:
        return None
    minute = 0
    has_minutes = bool(match["half"] or match["q"] or match["m"])
    if match["half"]:
        minute = 30
    elif match["q"]:
        minute = 45 if match["q"] in ("三", "3") else 15
    elif match["m"]:
        parsed = small_int(match["m"])
        if parsed is None or parsed > 59:
            return None
        minute = parsed
    if hour == 24:
        return ClockAtom(
            match.start(), match.end(), 0, minute, exact=True, has_minutes=has_minutes, midnight=True
        )
    weak = (
        not match["h"][0].isdigit()
        and not has_minutes
        and not match["tail"]
        and match["sep"] != "点钟"
        and not text.startswith(_ZH_STRONG_AFTER, match.end())
    )
    exact = hour == 0 or hour > 12
    return ClockAtom(match.start(), match.end(), hour, minute, None, exact, has_minutes, weak=weak)


def _meridiem(text: str | None) -> Literal["am", "pm"] | None:
    if not text:
        return None
    return "am" if text.startswith("a") else "pm"


def _en_part(match: re.Match[str], today: date) -> PartAtom:
    if match["this"]:
        return PartAtom(match.start(), match.end(), _EN_PART_NAMES[match["tp"]], today)
    if match["tonight"]:
        return PartAtom(match.start(), match.end(), "night", today)
    if match["last"]:
        return PartAtom(match.start(), match.end(), "night", today - timedelta(days=1))
    if match["p"]:
        return PartAtom(match.start(), match.end(), _EN_PART_NAMES[match["p"]])
    return PartAtom(match.start(), match.end(), "night")


def _instant(
    match: re.Match[str], reference: datetime, count: str, unit: str, and_half: bool, direction: str | None
) -> InstantAtom | None:
    if count == "半":
        amount = 0.5
    elif count == "a couple of":
        amount = 2.0
    else:
        whole = small_int(count)
        if whole is None:
            try:
                amount = float(count)
            except ValueError:
                return None
        else:
            amount = float(whole)
    amount += 0.5 if and_half else 0.0
    minutes = amount * 60 if unit.startswith(("h", "小", "钟")) else amount
    if minutes != int(minutes):
        return None
    sign = -1 if direction in ("ago", "以前", "之前", "前") else 1
    base = reference.replace(second=0, microsecond=0)
    value = (base.astimezone(UTC) + timedelta(minutes=sign * int(minutes))).astimezone(reference.tzinfo)
    grain: Literal["hour", "minute"] = "hour" if minutes % 60 == 0 else "minute"
    return InstantAtom(match.start(), match.end(), value, grain)
