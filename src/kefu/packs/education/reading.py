"""Reading a student's words: identity facts (student number, date of birth, a guardian's phone),
course names in either language, stated interests, distress."""

from __future__ import annotations

import re
from typing import Any

_STUDENT = re.compile(r"\b[Ss](\d{4,6})\b|(?<![A-Za-z0-9])[Ss](\d{4,6})")
_DATE = re.compile(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)|(\+1[\s-]*\d{3}[\s-]*\d{3}[\s-]*\d{4})")
_DISTRESS = re.compile(
    r"压力(?:好|太|很)?大|想哭|崩溃|受不了了|不想(?:学|上学|活)|好累|焦虑|撑不下去|没用|绝望|失眠"
    r"|\bstress(?:ed)?\b|overwhelm|can'?t cope|give up|hopeless|anxious|depressed|crying|worthless"
    r"|burn(?:ed|t)? out",
    re.IGNORECASE,
)
_INTERESTS = {
    "data": ("data", "数据"), "programming": ("programming", "coding", "python", "编程", "代码"),
    "web": ("web", "website", "网页", "网站"), "math": ("math", "maths", "数学"),
    "english": ("english", "英语", "ielts", "雅思"), "art": ("art", "drawing", "画画", "美术", "绘画"),
    "algorithms": ("algorithm", "算法", "competition", "竞赛"),
    "japanese": ("japanese", "日语", "anime", "动漫"),
    "ai": ("machine learning", " ai", "人工智能", "机器学习"),
}  # fmt: skip
_ALIASES = {
    "PY1": ("python 1", "python入门", "python 入门", "python one", "intro python"),
    "PY2": ("python 2", "python进阶", "python 进阶", "python two", "advanced python"),
    "DS": ("data structures", "data structure", "数据结构"),
    "ALG": ("algorithms", "algorithm", "算法设计", "算法课"),
    "DA": ("data analysis", "数据分析"),
    "ML": ("machine learning", "机器学习"),
    "WEB1": ("web basics", "网页基础"),
    "WEB2": ("javascript", "js应用", "javascript 应用开发"),
    "CALC": ("calculus", "微积分"),
    "LA": ("linear algebra", "线性代数"),
    "PROB": ("probability", "statistics", "概率统计", "概率"),
    "EN1": ("english speaking 1", "英语口语 1", "英语口语1", "口语一"),
    "EN2": ("english speaking 2", "英语口语 2", "英语口语2", "口语二"),
    "IELTS": ("ielts", "雅思"),
    "JP1": ("japanese", "日语"),
    "ART": ("digital drawing", "数字绘画", "drawing class", "画画课"),
}


def identity_facts(text: str) -> dict[str, str]:
    facts: dict[str, str] = {}
    m = _STUDENT.search(text)
    if m:
        facts["student_id"] = "S" + (m.group(1) or m.group(2))
    d = _DATE.search(text)
    if d:
        facts["birth_date"] = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
    p = _PHONE.search(text)
    if p:
        facts["guardian_phone"] = p.group(1) or re.sub(r"[\s-]", " ", p.group(2))
    return facts


def courses_in(text: str, courses: list[dict[str, Any]]) -> list[str]:
    """Course ids named in ``text`` (title in either language, or a known alias), in text order."""
    lowered = text.lower()
    found: list[tuple[int, str]] = []
    for c in courses:
        names = {c["title"].lower(), str(c.get("title_zh", "")).lower(), *(_ALIASES.get(c["id"], ()))}
        positions = [lowered.find(n) for n in names if n and n in lowered]
        if positions:
            found.append((min(positions), c["id"]))
    longest = sorted(found)
    out: list[str] = []
    for _, cid in longest:
        if cid not in out:
            out.append(cid)
    if "DS" in out and "DA" in out and "数据结构" in lowered and "数据分析" not in lowered:
        out.remove("DA")
    return out


def interests_in(text: str, lang: str) -> list[str]:
    lowered = f" {text.lower()}"
    out = []
    for key, words in _INTERESTS.items():
        if any(w in lowered for w in words):
            zh = {"data": "数据", "programming": "编程", "web": "网页", "math": "数学", "english": "英语",
                  "art": "画画", "algorithms": "算法", "japanese": "日语", "ai": "人工智能"}  # fmt: skip
            out.append(zh[key] if lang == "zh" else key)
    return out


def distressed(text: str) -> bool:
    return bool(_DISTRESS.search(text))


def pick(text: str, n: int) -> int | None:
    m = re.search(r"(?<!\d)([1-9])(?!\d)|第([一二三四五])", text)
    if not m:
        return None
    index = int(m.group(1)) if m.group(1) else "一二三四五".index(m.group(2)) + 1
    return index - 1 if index <= n else None
