"""PII detection with checksums where the format has one, and masking by type."""

from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_CN_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s\-]?)?1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}(?!\d)")
_INTL_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}[\s\-]?\(?\d{1,4}\)?(?:[\s\-]?\d{2,4}){2,4}(?!\d)")
_US_PHONE = re.compile(r"(?<!\d)\(?\d{3}\)?[\s\-.]\d{3}[\s\-.]\d{4}(?!\d)")
_CARD = re.compile(r"(?<!\d)(?:\d[ \-]?){12,18}\d(?!\d)")
_CN_ID = re.compile(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class PiiSpan:
    kind: str
    start: int
    end: int


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def cn_id_valid(number: str) -> bool:
    body, check = number[:17], number[17].upper()
    return _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11] == check


def find_pii(text: str) -> list[PiiSpan]:
    spans: list[PiiSpan] = []

    def add(kind: str, match: re.Match[str]) -> None:
        if not any(s.start < match.end() and match.start() < s.end for s in spans):
            spans.append(PiiSpan(kind, match.start(), match.end()))

    for m in _EMAIL.finditer(text):
        add("EMAIL", m)
    for m in _CN_ID.finditer(text):
        if cn_id_valid(m.group(0)):
            add("CN_ID", m)
    for pattern in (_CN_MOBILE, _INTL_PHONE, _US_PHONE):
        for m in pattern.finditer(text):
            add("PHONE", m)
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            add("CARD", m)
    return sorted(spans, key=lambda s: s.start)


def mask(text: str, kinds: frozenset[str] | None = None) -> tuple[str, list[PiiSpan]]:
    """Replace each PII span by ``[KIND]``; returns the masked text and the spans found."""
    spans = [s for s in find_pii(text) if kinds is None or s.kind in kinds]
    out, last = [], 0
    for span in spans:
        out.append(text[last : span.start])
        out.append(f"[{span.kind}]")
        last = span.end
    out.append(text[last:])
    return "".join(out), spans
