"""Entities the retail and other packs need now: order ids, emails, zip codes, names, ordinals."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ORDER_ID = re.compile(r"(?<![A-Za-z0-9])#?\s?([Ww]\d{7})(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
ZIP = re.compile(r"(?<!\d)(\d{6}|\d{5})(?!\d)")
_CN_NAME = re.compile(
    r"(?:我叫|我是|名字是|姓名是?|姓名[:：])\s*([\u4e00-\u9fff]{2,4}|[A-Za-z]+\s+[A-Za-z]+)"
)
_EN_NAME = re.compile(
    r"\b(?:my name is|my name's|i am|i'm|im|this is|name[:：]?)\s+"
    r"([A-Za-z][A-Za-z'\-]+)\s+([A-Za-z][A-Za-z'\-]+)",
    re.IGNORECASE,
)
_NOT_NAMES = {
    "looking",
    "trying",
    "going",
    "not",
    "here",
    "a",
    "the",
    "very",
    "so",
    "just",
    "calling",
    "writing",
}


@dataclass(frozen=True)
class PersonName:
    first: str
    last: str


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def order_ids(text: str) -> list[str]:
    """Order ids like ``#W2611340`` (the ``#`` and case are optional), normalised to ``#W2611340``."""
    without_emails = EMAIL.sub(" ", fold(text))  # "w2611340@example.com" is an address, not an order
    return ["#W" + m.group(1)[1:] for m in ORDER_ID.finditer(without_emails)]


def emails(text: str) -> list[str]:
    return [m.group(0).lower().rstrip(".") for m in EMAIL.finditer(fold(text))]


def zip_codes(text: str) -> list[str]:
    without_ids = ORDER_ID.sub(" ", EMAIL.sub(" ", fold(text)))
    return [m.group(1) for m in ZIP.finditer(without_ids)]


def person_names(text: str, expecting_name: bool = False) -> list[PersonName]:
    """Candidate (first, last) names. Chinese names give both orders a chance: 王伟 → (伟, 王)."""
    text = fold(text)
    found: list[PersonName] = []
    for match in _CN_NAME.finditer(text):
        found.extend(_split_name(match.group(1)))
    for match in _EN_NAME.finditer(text):
        first, last = match.group(1), match.group(2)
        if first.lower() not in _NOT_NAMES and last.lower() not in _NOT_NAMES:
            found.append(PersonName(first, last))
    if not found and expecting_name:
        bare = ZIP.sub(" ", EMAIL.sub(" ", text))
        bare = re.sub(
            r"[,，。.;；:：!！?？]|zip( code)?|邮编|postcode|and|和", " ", bare, flags=re.IGNORECASE
        ).strip()
        han = re.fullmatch(r"[\u4e00-\u9fff]{2,4}", bare.replace(" ", ""))
        if han:
            found.extend(_split_name(han.group(0)))
        else:
            words = [w for w in bare.split() if re.fullmatch(r"[A-Za-z][A-Za-z'\-]*", w)]
            if len(words) == 2:
                found.append(PersonName(words[0], words[1]))
    return found


def _split_name(name: str) -> list[PersonName]:
    name = name.strip()
    if " " in name:
        first, last = name.split(None, 1)
        return [PersonName(first, last)]
    candidates = [PersonName(name[1:], name[:1])]
    if len(name) == 4:
        candidates.append(PersonName(name[2:], name[:2]))
    return candidates


_ORDINALS_EN = {
    "first": 0,
    "1st": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "fourth": 3,
    "4th": 3,
    "last": -1,
}
_ORDINALS_ZH = {"第一": 0, "第二": 1, "第三": 2, "第四": 3, "最后": -1}


def ordinals(text: str) -> list[int]:
    """Every ordinal in reading order: '第二个和第四个' → [1, 3]; 'the first and the last' → [0, -1]."""
    lowered = fold(text).lower()
    found: list[tuple[int, int]] = []
    for word, index in _ORDINALS_ZH.items():
        found.extend((m.start(), index) for m in re.finditer(word, lowered))
    for word, index in _ORDINALS_EN.items():
        found.extend((m.start(), index) for m in re.finditer(rf"\b{word}\b", lowered))
    return [index for _, index in sorted(found)]


def ordinal(text: str) -> int | None:
    """The first ordinal: 'the second one' / '第二个' → 1; 'last' / '最后一个' → -1."""
    found = ordinals(text)
    return found[0] if found else None
