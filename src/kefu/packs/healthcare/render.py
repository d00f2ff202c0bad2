"""How the healthcare pack shows departments, doctors, times and appointments in zh / en."""

from __future__ import annotations

from datetime import datetime

from kefu.packs.healthcare.hospital import Record

_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def name(record: Record | None, lang: str) -> str:
    if not record:
        return ""
    return (
        str(record.get("name_zh") or record.get("name", "")) if lang == "zh" else str(record.get("name", ""))
    )


def department_name(record: Record | None, lang: str) -> str:
    text = name(record, lang)
    return text if lang == "zh" else text.title().replace("And ", "and ").replace("Ent", "ENT")


def doctor_name(record: Record | None, lang: str) -> str:
    if not record:
        return ""
    if lang == "zh":
        return f"{record.get('name_zh', '')}{record.get('title_zh', '')}"
    return f"Dr. {record.get('name', '')} ({record.get('title', '')})"


def when(iso: str, lang: str) -> str:
    at = datetime.fromisoformat(iso)
    if lang == "zh":
        return f"{at.month}月{at.day}日（周{_WEEKDAYS_ZH[at.weekday()]}）{at:%H:%M}"
    return f"{_WEEKDAYS_EN[at.weekday()]} {at.day} {_MONTHS_EN[at.month - 1]} {at:%H:%M}"


def day(iso: str, lang: str) -> str:
    at = datetime.fromisoformat(iso)
    if lang == "zh":
        return f"{at.month}月{at.day}日（周{_WEEKDAYS_ZH[at.weekday()]}）"
    return f"{_WEEKDAYS_EN[at.weekday()]} {at.day} {_MONTHS_EN[at.month - 1]}"


def location(record: Record | None, lang: str) -> str:
    if not record:
        return ""
    return (
        str(record.get("location_zh") or record.get("location", ""))
        if lang == "zh"
        else str(record.get("location", ""))
    )


def numbered(lines: list[str]) -> str:
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))
