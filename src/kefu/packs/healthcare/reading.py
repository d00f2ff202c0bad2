"""Reading a patient's words: identity facts (mobile number, date of birth), the department or doctor
named, the time window asked for ("下周三上午", "next Tuesday afternoon"), and a pick among offered
options (a number, an ordinal, or a time). Pure functions over text; grounding is against the records
the caller passes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kefu.nlu.datetimes import TimeExpression, resolve_datetimes
from kefu.packs.healthcare.hospital import Record

_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_DATE_NUMERIC = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
_DATE_MDY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "last": -1,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "最后": -1,
}
_PICK = re.compile(
    r"^\s*(?:no\.?\s*|number\s*|#|选|第)?\s*(\d{1,2})\s*(?:个|号|项)?\s*(?:吧|就行|可以)?\s*[.!。！]?\s*$"
    r"|第\s*([一二两三四五六])\s*(?:个|项)|最后一个"
    r"|\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|last)\b(?:\s+one)?",
    re.IGNORECASE,
)
PARTS = {
    "morning": (8, 12),
    "afternoon": (12, 18),
    "evening": (18, 22),
    "上午": (8, 12),
    "早上": (8, 12),
    "下午": (12, 18),
    "中午": (11, 14),
    "晚上": (18, 22),
}
_PART = re.compile(r"\b(morning|afternoon|evening)\b|(上午|早上|下午|中午|晚上)", re.IGNORECASE)
_DOCTOR_TITLE = re.compile(
    r"\b(?:dr\.?|doctor)\s+([a-z]+)(?:\s+([a-z]+))?|([\u4e00-\u9fff]{1,3}?)(?:医生|大夫|主任|教授)",
    re.IGNORECASE,
)


_CLOCK = re.compile(r"\d|[点時时]|o'?clock|noon", re.IGNORECASE)


def identity_facts(text: str) -> tuple[dict[str, str], str]:
    """Phone and birth date found in ``text``, and the text with them taken out."""
    facts: dict[str, str] = {}
    rest = text
    if m := _PHONE.search(rest):
        facts["phone"] = "".join(m.groups())
        rest = rest[: m.start()] + " " + rest[m.end() :]
    if m := _DATE_NUMERIC.search(rest):
        facts["birth_date"] = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        rest = rest[: m.start()] + " " + rest[m.end() :]
    elif m := _DATE_DMY.search(rest):
        month = _MONTHS.index(m.group(2).lower()[:3]) + 1
        facts["birth_date"] = f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
        rest = rest[: m.start()] + " " + rest[m.end() :]
    elif m := _DATE_MDY.search(rest):
        month = _MONTHS.index(m.group(1).lower()[:3]) + 1
        facts["birth_date"] = f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}"
        rest = rest[: m.start()] + " " + rest[m.end() :]
    return facts, rest


@dataclass(frozen=True)
class Window:
    """A time window asked for: [start, end) in ISO 8601; ``exact`` when a clock time was said."""

    start: str
    end: str
    exact: bool = False
    said: str = ""


def windows(text: str, now: datetime, tz: str) -> list[Window]:
    """Every time window in ``text``, in order. A day with a part of the day ("上午", "afternoon") is
    that part's hours; a day alone, the whole day; a week, the week; a clock time, that minute."""
    found: list[Window] = []
    for expr in resolve_datetimes(text, now, tz):
        found.append(_window(expr, text))
    return found


def _window(expr: TimeExpression, text: str) -> Window:
    start = expr.start
    if expr.grain in ("day", "week", "month"):
        assert expr.end is not None
        return Window(start.isoformat(), expr.end.isoformat(), said=expr.text)
    part = _PART.search(expr.text)
    if expr.grain == "hour" and part:
        low, high = PARTS[(part.group(1) or part.group(2)).lower()]
        base = start.replace(hour=0, minute=0, second=0, microsecond=0)
        return Window(
            (base + timedelta(hours=low)).isoformat(),
            (base + timedelta(hours=high)).isoformat(),
            said=expr.text,
        )
    return Window(start.isoformat(), (start + timedelta(minutes=1)).isoformat(), exact=True, said=expr.text)


def department_in(text: str, departments: Sequence[Record]) -> str | None:
    """The department named in ``text`` (its Chinese or English name, or a common short form)."""
    folded = text.lower()
    best: tuple[int, str] | None = None
    for dept in departments:
        if not dept.get("bookable", True):
            continue
        for alias in _aliases(dept):
            if _mentions(folded, alias) and (best is None or len(alias) > best[0]):
                best = (len(alias), str(dept["id"]))
    return best[1] if best else None


_SHORT = {
    "cardiology": ("心内科", "心脏科", "心血管", "cardio", "heart clinic"),
    "gastroenterology": ("消化科", "胃肠科", "gastro"),
    "hepatology": ("肝科", "liver clinic"),
    "neurology": ("神经科", "neurologist"),
    "endocrinology": ("内分泌", "diabetes clinic", "endocrinologist"),
    "respiratory": ("呼吸科", "lung clinic", "respiratory"),
    "nephrology": ("肾科", "kidney clinic", "nephrology"),
    "infectious_diseases": ("传染科",),
    "haematology": ("血液内科", "hematology"),
    "general_medicine": ("内科", "普内科", "全科", "general medicine", "internal medicine", "gp"),
    "rheumatology": ("风湿科", "免疫科", "rheumatology"),
    "paediatrics": ("小儿科", "pediatrics", "paediatrics", "children's clinic", "pediatrician"),
    "gynaecology": ("妇产科", "gynecology", "gynaecology", "gynaecologist"),
    "orthopaedics": ("骨科", "orthopedics", "orthopaedics"),
    "ent": ("耳鼻喉", "ent"),
    "ophthalmology": ("眼科", "eye clinic", "eye doctor", "ophthalmology"),
    "psychiatry": ("心理科", "精神科", "psychiatry", "psychiatrist"),
}


def _aliases(dept: Record) -> list[str]:
    aliases = [
        str(dept.get("name", "")).lower(),
        str(dept.get("name_zh", "")),
        str(dept["id"]).replace("_", " "),
    ]
    return [a for a in aliases + list(_SHORT.get(str(dept["id"]), ())) if len(a) >= 2]


def _mentions(folded: str, alias: str) -> bool:
    if alias.isascii():
        return re.search(rf"\b{re.escape(alias)}\b", folded) is not None
    return alias in folded


def doctors_in(text: str, doctors: Sequence[Record]) -> list[Record]:
    """Doctors named in ``text``: a full name first ("李伟", "Li Wei"), else a surname with a title
    ("李医生", "Dr. Li")."""
    folded = text.lower()
    full = [
        d
        for d in doctors
        if str(d["name_zh"]) in text or re.search(rf"\b{re.escape(str(d['name']).lower())}\b", folded)
    ]
    if full:
        return full
    found: list[Record] = []
    for m in _DOCTOR_TITLE.finditer(text):
        if m.group(3):
            surname = m.group(3)[-1] if len(m.group(3)) == 1 else m.group(3)
            found += [d for d in doctors if str(d["name_zh"]).startswith(surname) and d not in found]
        elif m.group(1):
            surname = m.group(1).lower()
            found += [d for d in doctors if str(d["name"]).lower().split()[0] == surname and d not in found]
    return found


def pick(text: str, count: int) -> int | None:
    """The 0-based index the patient picked among ``count`` options, by number or ordinal."""
    m = _PICK.search(text.strip())
    if m is None:
        return None
    if "最后" in m.group(0):
        index = count
    elif m.group(1):
        index = int(m.group(1))
    else:
        index = _ORDINALS[(m.group(2) or m.group(3)).lower()]
        index = count if index == -1 else index
    return index - 1 if 1 <= index <= count else None


def pick_by_time(text: str, starts: Sequence[str], now: datetime, tz: str) -> int | None:
    """The option whose start matches a clock time said in ``text`` (with its date when one was said)."""
    for expr in resolve_datetimes(text, now, tz):
        if expr.grain not in ("hour", "minute") or not _CLOCK.search(expr.text):
            continue  # "下周三上午" is a window, not a pick
        dated = any(ch.isdigit() for ch in expr.text) and expr.grain in ("hour", "minute")
        for i, start in enumerate(starts):
            at = datetime.fromisoformat(start)
            same_clock = (at.hour, at.minute) == (expr.start.hour, expr.start.minute)
            if same_clock and (
                not dated or at.date() == expr.start.date() or len({s[:10] for s in starts}) == 1
            ):
                return i
        for i, start in enumerate(starts):
            at = datetime.fromisoformat(start)
            if (at.hour, at.minute) == (expr.start.hour, expr.start.minute):
                return i
    return None
