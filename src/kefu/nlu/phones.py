"""Telephone numbers: Chinese mobiles and landlines, US (NANP) numbers and international +CC numbers.

A candidate is a maximal run of digits joined by single separators (space, hyphen, dot, parentheses), not
touching letters, ``#``, currency signs or other digits. The whole run must read as one number; when it does
not, its whitespace-separated chunks are tried left to right ("13812345678 13987654321" gives two numbers).

Rules:

* CN mobile: 11 digits ``1[3-9]…``, any grouping, or with +86 / 0086. Number: ``+8613812345678``.
* CN landline: trunk 0 + area code (010, 02x, or 4-digit 0xxx) + a 7-8 digit local number not starting with
  0. The area code must be set apart ("010-12345678", "(0755) 1234 5678", "021 87654321"), except that the
  11-digit 010/02x form may be written solid ("02187654321"); a solid 12-digit run is a tracking number,
  not a phone. Number: ``+861012345678``. Hotlines "400-xxx-xxxx" are ``cn_landline`` too, as plain digits
  ("4008001234") because they cannot be dialled from abroad.
* US: 10 digits with valid NANP area code and exchange ([2-9]xx [2-9]xx), grouped 3-3-4 or "(512) 555-0199",
  optionally after 1 / +1. A solid 10-digit run counts only right after a phone word (phone, call, tel,
  cell, mobile, 电话, 手机, 联系). "800-…" numbers are US toll-free. Number: ``+15125550199``.
* International: "+CC …" or "00CC …" with 8-15 digits in all: ``intl``, number in E.164. "(0)" after the
  country code ("+44 (0)20 …") is dropped.
* Never: order ids (#W2611340), 12-digit tracking numbers, card numbers (13-19 digits), dates
  (2026-12-03, 12/03/2026, 2026.12.03), times, money, decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kefu.nlu.numbers import fold

PhoneKind = Literal["cn_mobile", "cn_landline", "us", "intl"]


@dataclass(frozen=True)
class Phone:
    number: str  # E.164 ("+8613812345678") where dialable from abroad, else plain digits ("4008001234")
    kind: PhoneKind
    start: int
    end: int

    @property
    def number_e164_or_digits(self) -> str:
        return self.number


_RUN = re.compile(
    r"(?<![a-z0-9#+/.,\-_@$€£¥:])"
    r"(?:\+\s?)?(?:\(\d{1,4}\)\s?)?\d+(?:(?:\s?[\-.]\s?|\s|\s?\(\d{1,4}\)\s?)\d+)*",
    re.ASCII,
)
_BAD_AFTER = re.compile(r"[a-z0-9%]|[/:.,\-]\d|\.\d", re.ASCII)
_PHONE_WORDS = re.compile(
    r"(?:phone|call|tel|cell|mobile|text me|reach me|电话|手机|联系|致电)\D{0,15}$", re.ASCII
)
_TWO_DIGIT_CC = frozenset(
    [
        "20",
        "27",
        "30",
        "31",
        "32",
        "33",
        "34",
        "36",
        "39",
        "40",
        "41",
        "43",
        "44",
        "45",
        "46",
        "47",
        "48",
        "49",
        "51",
        "52",
        "53",
        "54",
        "55",
        "56",
        "57",
        "58",
        "60",
        "61",
        "62",
        "63",
        "64",
        "65",
        "66",
        "81",
        "82",
        "84",
        "86",
        "90",
        "91",
        "92",
        "93",
        "94",
        "95",
        "98",
    ]
)
_US = re.compile(r"[2-9]\d{2}[2-9]\d{6}", re.ASCII)
_CN_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)


_MAX_CHUNKS = 8


def phone_numbers(text: str) -> list[Phone]:
    """Every telephone number in reading order (see the module docstring for what counts)."""
    folded = fold(text, lower=True)
    found: list[Phone] = []
    for match in _RUN.finditer(folded):
        bad_after = _BAD_AFTER.match(folded, match.end()) is not None
        context = _PHONE_WORDS.search(folded, 0, match.start()) is not None
        chunks = [(m.start() + match.start(), m.end() + match.start()) for m in re.finditer(r"\S+", match[0])]
        i = 0
        while i < len(chunks):
            # no telephone number is written in more than _MAX_CHUNKS pieces: a long run stays linear
            for j in range(min(len(chunks), i + _MAX_CHUNKS), i, -1):
                start, end = chunks[i][0], chunks[j - 1][1]
                if j == len(chunks) and bad_after:
                    continue
                phone = _classify(folded[start:end], context and i == 0)
                if phone is not None:
                    found.append(Phone(phone[0], phone[1], start, end))
                    i = j
                    break
            else:
                i += 1
    return found


def _classify(run: str, after_phone_word: bool) -> tuple[str, PhoneKind] | None:
    if run.startswith("(") and not re.match(r"\(\d+\)", run):
        return None
    if run.startswith("+") or run.startswith("00"):
        return _international(run)
    groups = re.findall(r"\d+", run)
    digits = "".join(groups)
    sizes = [len(g) for g in groups]
    if len(digits) == 11 and groups[0] == "1" and len(groups) > 1 and _US.fullmatch(digits[1:]):
        return "+" + digits, "us"  # 1-800-555-0199, 1 (512) 555-0199
    if len(digits) == 11 and _CN_MOBILE.fullmatch(digits):
        return "+86" + digits, "cn_mobile"
    if digits.startswith("0"):
        return _cn_landline(digits, groups[0] if len(groups) > 1 else None)
    if len(digits) == 10 and digits.startswith("400") and sizes in ([10], [3, 3, 4], [3, 4, 3]):
        return digits, "cn_landline"
    us_grouping = sizes == [3, 3, 4] or (sizes == [10] and after_phone_word)
    if len(digits) == 10 and _US.fullmatch(digits) and us_grouping:
        return "+1" + digits, "us"
    return None


def _cn_landline(digits: str, first_group: str | None) -> tuple[str, PhoneKind] | None:
    """``first_group``: the digits before the first separator, None when written solid."""
    if digits.startswith("010") or digits[1:2] == "2":
        area = digits[:3]
    elif digits[1:2] in set("3456789"):
        area = digits[:4]
    else:
        return None
    local = digits[len(area) :]
    if not 7 <= len(local) <= 8 or local[0] == "0":
        return None
    if first_group != area and not (first_group is None and len(area) == 3 and len(local) == 8):
        return None
    return "+86" + digits[1:], "cn_landline"


def _international(run: str) -> tuple[str, PhoneKind] | None:
    body = run.replace("(0)", " ") if run.startswith("+") else run[2:]
    groups = re.findall(r"\d+", body)
    digits = "".join(groups)
    if not 8 <= len(digits) <= 15:
        return None
    if len(groups) > 1 and (groups[0] in {"1", "7"} or groups[0] in _TWO_DIGIT_CC or len(groups[0]) == 3):
        code = groups[0]
    elif digits[0] in "17":
        code = digits[0]
    elif digits[:2] in _TWO_DIGIT_CC:
        code = digits[:2]
    else:
        code = digits[:3]
    national = digits[len(code) :]
    if code == "86":
        national = national.removeprefix("0")
        if _CN_MOBILE.fullmatch(national):
            return "+86" + national, "cn_mobile"
        return _cn_landline("0" + national, "0" + national[: 2 if national[:1] in ("1", "2") else 3])
    if code == "1":
        return ("+1" + national, "us") if _US.fullmatch(national) else None
    if len(national) < 6:
        return None
    return "+" + code + national, "intl"
