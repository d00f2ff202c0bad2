"""Calendar dates, weeks and months in Chinese and English, resolved against today's date.

Rules for ambiguous dates (weeks start on Monday):

* A year-less date ("12月3日", "Dec 3", "3 Dec") or month ("3月", "in March") is the nearest one to today,
  last year, this year or next year ("3月5日" said on 2026-11-25 is 2027-03-05; "11月20日" is 2026-11-20).
  A bare day of the month ("3号", "on the 3rd") is likewise the nearest of last, this or next month's.
* "12/03/2026" is month/day/year (US order), unless the first number exceeds 12 ("25/12/2026").
* Bare weekdays ("周三", "星期三", "Wednesday", "this Wednesday") are the next such day, today included.
* "这周五" / "本周五" is Friday of this calendar week, even if that Friday is past.
* "下周三" / "下星期三" / "next Wednesday" is Wednesday of the next calendar week (said on Monday 2026-11-23,
  "next Wednesday" is 2026-12-02, not 2026-11-25); "下下周三" the week after. "coming Wednesday" is the next
  one after today.
* "上周一" is Monday of the previous calendar week; "last Monday" is the most recent Monday before today
  (said on Wednesday 2026-11-25: 上周一 is 2026-11-16, "last Monday" is 2026-11-23).
* "下周" / "next week" / "this week" have week grain; "下个月" / "next month" month grain;
  "两周后" / "in two weeks" is the day 14 days on (day grain), "三个月后" the same day three months on.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from kefu.nlu.datetime_atoms import (
    Atom,
    DateAtom,
    add_months,
    month_start,
    nearest,
    nearest_day_of_month,
    nearest_month_day,
    previous_weekday,
    safe_date,
    small_int,
    upcoming_weekday,
    week_start,
)
from kefu.nlu.numbers import EN_NUMBER

_ZH_N = r"(?:\d{1,2}|[〇零一二两三四五六七八九十廿卅]{1,3})"
_ZH_NUM_CHARS = "〇零一二两三四五六七八九十廿卅"
_ZH_YMD = re.compile(
    rf"(?<![\d{_ZH_NUM_CHARS}个几第])"
    rf"(?:(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})年|(?P<ry>今年|明年|去年|后年|前年))?"
    rf"(?P<m>{_ZH_N})月份?(?:(?P<d>{_ZH_N})(?:日|号)?)?(?![\d{_ZH_NUM_CHARS}])",
    re.ASCII,
)
_ZH_MONTH_REL = re.compile(rf"(?P<rel>下下|上上|下|上|这|本)个?月(?:(?P<d>{_ZH_N})(?:日|号))?", re.ASCII)
_ZH_DAY_OF_MONTH = re.compile(
    rf"(?<![路街道巷弄村区栋座室楼\d{_ZH_NUM_CHARS}月第])(?P<d>{_ZH_N})(?:号|日)"
    r"(?![楼线门店房机柜窗台位码床元内之以后前左游])",
    re.ASCII,
)
_ISO = re.compile(
    r"(?<![\d.\-/])(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d.\-/])", re.ASCII
)
_SLASH = re.compile(r"(?<![\d.\-/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\d/])", re.ASCII)
_ZH_REL_DAYS: dict[str, int] = {
    "大前天": -3,
    "前天": -2,
    "昨天": -1,
    "昨日": -1,
    "明天": 1,
    "明日": 1,
    "明儿": 1,
    "后天": 2,
    "大后天": 3,
}
_ZH_REL_DAY = re.compile(
    "(?<![然之以最午提目眼从])(" + "|".join(sorted(_ZH_REL_DAYS, key=len, reverse=True)) + ")", re.ASCII
)
_ZH_OFFSET = re.compile(
    rf"(?<![\d{_ZH_NUM_CHARS}])(?:再?过\s?(?P<n1>{_ZH_N})\s?(?P<u1>天|日|个?星期|个?礼拜|周|个月)"
    rf"|(?P<n>{_ZH_N})\s?(?P<u>天|日|个?星期|个?礼拜|周|个月)\s?(?P<dir>以后|之后|后|以前|之前|前))",
    re.ASCII,
)
_ZH_WEEK = re.compile(
    r"(?P<rel>下下|上上|下|上|这|本)\s?个?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])?"
    r"|(?<![每下上这本])(?:周|星期|礼拜)(?P<wd2>[一二三四五六日天1-7])",
    re.ASCII,
)
_ZH_WEEKDAYS = (
    {c: i for i, c in enumerate("一二三四五六")}
    | {"日": 6, "天": 6, "7": 6}
    | {str(i + 1): i for i in range(6)}
)
_ZH_STEPS = {"下下": 2, "下": 1, "这": 0, "本": 0, "上": -1, "上上": -2}

_EN_REL_DAYS: dict[str, int] = {
    "the day after tomorrow": 2,
    "day after tomorrow": 2,
    "the day before yesterday": -2,
    "day before yesterday": -2,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "yesterday": -1,
}
_TODAY = re.compile(r"今天|今日|今儿|\btoday\b", re.ASCII)
_EN_REL_DAY = re.compile(r"\b(" + "|".join(sorted(_EN_REL_DAYS, key=len, reverse=True)) + r")\b", re.ASCII)
_EN_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_EN_WEEKDAY = re.compile(
    r"\b(?:(?P<rel>this coming|the coming|coming|this|next|last)\s+)?"
    r"(?P<wd>" + "|".join(_EN_WEEKDAYS) + r")\b",
    re.ASCII,
)
_EN_WEEK_MONTH = re.compile(r"\b(?P<rel>this|next|last|the following)\s+(?P<u>week|month)\b", re.ASCII)
_MONTHS: dict[str, int] = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MON = f"(?P<mon>{_MONTH_NAMES})"
_YEAR_TAIL = r"(?:,?\s+(?P<y>\d{4})\b)?"
_EN_MD = re.compile(
    rf"\b{_MON}\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:){_YEAR_TAIL}", re.ASCII
)
_EN_DM = re.compile(
    rf"\b(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}\b\.?{_YEAR_TAIL}", re.ASCII
)
_EN_MONTH_ONLY = re.compile(
    rf"\b(?:in|by|during|until|till|before|after|since|early|late|mid|end of|of)\s+{_MON}\b"
    rf"(?:\s+(?P<y>\d{{4}}))?|\b(?P<mon2>{_MONTH_NAMES})\s+(?P<y2>\d{{4}})\b",
    re.ASCII,
)
_EN_ON_THE = re.compile(r"\bon\s+the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b", re.ASCII)
_EN_COUNT = rf"(?:\d+|a couple of|an?|{EN_NUMBER})"
_EN_OFFSET = re.compile(
    rf"\bin\s+(?P<n>{_EN_COUNT})\s+(?P<u>days?|weeks?|months?)\b"
    rf"|\b(?P<n2>{_EN_COUNT})\s+(?P<u2>days?|weeks?|months?)\s+"
    rf"(?P<dir>from now|from today|later|ago|hence)\b",
    re.ASCII,
)


class _Collector:
    def __init__(self) -> None:
        self.atoms: list[Atom] = []

    def add(
        self, match: re.Match[str], day: date | None, grain: str = "day", start: int | None = None
    ) -> None:
        if day is None:
            return
        begin = match.start() if start is None else start
        if grain == "week":
            self.atoms.append(DateAtom(begin, match.end(), day, "week"))
        elif grain == "month":
            self.atoms.append(DateAtom(begin, match.end(), day, "month"))
        else:
            self.atoms.append(DateAtom(begin, match.end(), day, "day"))


def find_dates(text: str, today: date) -> list[Atom]:
    """Date, week and month atoms in ``text`` (already folded and lower-cased)."""
    out = _Collector()
    add = out.add
    for match in _ISO.finditer(text):
        add(match, safe_date(int(match["y"]), int(match["m"]), int(match["d"])))
    for match in _SLASH.finditer(text):
        a, b = int(match["a"]), int(match["b"])
        month, day = (b, a) if a > 12 else (a, b)
        add(match, safe_date(int(match["y"]), month, day))
    for match in _ZH_YMD.finditer(text):
        _zh_ymd(match, today, out)
    for match in _ZH_MONTH_REL.finditer(text):
        first = month_start(today, _ZH_STEPS[match["rel"]])
        if match["d"]:
            d = small_int(match["d"])
            add(match, None if d is None else safe_date(first.year, first.month, d))
        else:
            add(match, first, "month")
    for match in _ZH_DAY_OF_MONTH.finditer(text):
        d = small_int(match["d"])
        add(match, None if d is None else nearest_day_of_month(d, today))
    for match in _ZH_REL_DAY.finditer(text):
        add(match, today + timedelta(days=_ZH_REL_DAYS[match[1]]))
    for match in _ZH_OFFSET.finditer(text):
        count = small_int(match["n"] or match["n1"])
        sign = -1 if match["dir"] and match["dir"].endswith("前") else 1
        if count is not None:
            add(match, _shift(today, sign * count, match["u"] or match["u1"]))
    for match in _ZH_WEEK.finditer(text):
        wd_char = match["wd"] or match["wd2"]
        if match["rel"] is None:
            add(match, upcoming_weekday(_ZH_WEEKDAYS[wd_char], today))
        elif wd_char is None:
            add(match, week_start(today, _ZH_STEPS[match["rel"]]), "week")
        else:
            add(match, week_start(today, _ZH_STEPS[match["rel"]]) + timedelta(days=_ZH_WEEKDAYS[wd_char]))
    _find_english(text, today, out)
    for match in _TODAY.finditer(text):
        out.atoms.append(DateAtom(match.start(), match.end(), today, "day", today=True))
    return out.atoms


def _zh_ymd(match: re.Match[str], today: date, out: _Collector) -> None:
    add = out.add
    month = small_int(match["m"])
    day = small_int(match["d"]) if match["d"] else None
    if month is None or not 1 <= month <= 12 or (match["d"] and day is None):
        return
    year: int | None = None
    if match["y"]:
        year = small_int(match["y"])
    elif match["ry"]:
        year = today.year + {"前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2}[match["ry"]]
    if day is None:
        if year is not None:
            add(match, date(year, month, 1), "month")
        else:
            add(match, nearest([date(today.year + k, month, 1) for k in (-1, 0, 1)], today), "month")
    elif year is not None:
        add(match, safe_date(year, month, day))
    else:
        add(match, nearest_month_day(month, day, today))


def _find_english(text: str, today: date, out: _Collector) -> None:
    add = out.add
    for match in _EN_REL_DAY.finditer(text):
        add(match, today + timedelta(days=_EN_REL_DAYS[match[1]]))
    for match in _EN_WEEKDAY.finditer(text):
        weekday = _EN_WEEKDAYS.index(match["wd"])
        rel = match["rel"] or "this"
        if rel == "next":
            add(match, week_start(today, 1) + timedelta(days=weekday))
        elif rel == "last":
            add(match, previous_weekday(weekday, today))
        else:
            add(match, upcoming_weekday(weekday, today, include_today=(rel == "this")))
    for match in _EN_WEEK_MONTH.finditer(text):
        step = {"this": 0, "next": 1, "the following": 1, "last": -1}[match["rel"]]
        if match["u"] == "week":
            add(match, week_start(today, step), "week")
        else:
            add(match, month_start(today, step), "month")
    for match in [*_EN_MD.finditer(text), *_EN_DM.finditer(text)]:
        month, day = _MONTHS[match["mon"]], int(match["d"])
        if match["y"]:
            add(match, safe_date(int(match["y"]), month, day))
        else:
            add(match, nearest_month_day(month, day, today))
    for match in _EN_MONTH_ONLY.finditer(text):
        month = _MONTHS[match["mon"] or match["mon2"]]
        start = match.start("mon") if match["mon"] else match.start()
        year_text = match["y"] or match["y2"]
        if year_text:
            add(match, date(int(year_text), month, 1), "month", start=start)
        else:
            first = nearest([date(today.year + k, month, 1) for k in (-1, 0, 1)], today)
            add(match, first, "month", start=start)
    for match in _EN_ON_THE.finditer(text):
        add(match, nearest_day_of_month(int(match["d"]), today))
    for match in _EN_OFFSET.finditer(text):
        count = small_int(_count_text(match["n"] or match["n2"]))
        sign = -1 if match["dir"] == "ago" else 1
        if count is not None:
            add(match, _shift(today, sign * count, match["u"] or match["u2"]))


def _count_text(text: str) -> str:
    return "2" if text == "a couple of" else text


def _shift(today: date, count: int, unit: str) -> date:
    if unit.endswith("月") or unit.startswith("month"):
        return add_months(today, count)
    if unit.startswith(("week", "周", "星期", "礼拜", "个")):
        return today + timedelta(weeks=count)
    return today + timedelta(days=count)
