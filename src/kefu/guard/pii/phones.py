"""Telephone numbers: the strict parser of ``kefu.nlu.phones`` (CN mobiles and landlines, NANP, +CC) and,
for the many national formats it does not know ("(07) 5331 0577", "027 896 92 86", "986.291.2294x751",
"(114)534-8050x1265", "84 23 30"), a grouped-digits recognizer with guards against dates, amounts, ranges,
years, postcodes, house numbers and tracking numbers.

A grouped candidate is 2+ digit groups on one line joined by spaces, hyphens, dots or parentheses, 7-15
digits in all (an extension "x123" may follow); a run that fails as a whole is tried again without a date,
year, age, SSN or IP address written next to it. A solid run of 7-15 digits counts right after a phone
word, after a "+", or when it is a valid 10-digit US or trunk-prefixed number ("5125550199") with no
order, product or tracking word before it. The caller (``detect.find_pii``) blanks the other kinds first,
so an address or an SSN beside a number is never read as part of it.
"""

from __future__ import annotations

import re

from kefu.guard.pii.types import PHONE, PiiSpan
from kefu.nlu.phones import phone_numbers

# A separator glued to the number ("Tel.467 3395", "Smith,738 3565", "Ph#9577 9424") is fine after a word;
# after a digit it means the run is the tail of something else (1,234,567; 12.345 678; 10-20; 3/4).
_GROUPED = re.compile(
    r"(?<![A-Za-z0-9$€£¥@+])(?<!\d[#/.,\-_])(?<![A-Za-z0-9]_)(?<!\d:)"
    r"(?:(?:\+|00)[ \t]?\d{1,7}|(?:(?:\+|00)[ \t]?)?(?:\(\+?\d{1,5}\)|0\d{5}(?=[ \t]\d)|\d{1,5}))"
    # one line only, and " - " between spaces parts two things ("…GREAT LANGTON, 67027 - 078 8098 1119");
    # nothing needed after a closing parenthesis: "(114)534-8050x1265", "(07700)722602"
    r"(?:(?:[\-./][ \t]?|[ \t][./][ \t]?|[ \t]-(?![ \t])|[ \t]|[ \t]?\(|\)[ \t]?|-\(|(?<=\)))"
    r"\(?\d{1,11}\)?){1,6}"
    r"(?:[ \t]?(?:x|ext\.?|ext|#)[ \t]?\d{1,6})?"
    r"(?![A-Za-z0-9]|/(?!\s|$)|[.,:\-]\d)",  # "/" only at the end of a word: "84 23 30/ fax"
    re.IGNORECASE,
)
# two numbers of one person written "home/work": 9577 9424/(07) 4550 6193
_SLASHED = re.compile(r"(?<=\d)\s?/\s?(?=[(+]?\d)")
_SOLID = re.compile(
    r"(?<![A-Za-z0-9$€£¥@+])(?<!\d[#/.,\-_])(?<![A-Za-z0-9]_)(?<!\d:)\+?\d{7,15}"
    r"(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,6})?(?![A-Za-z0-9/]|[.,:\-]\d)",
    re.IGNORECASE,
)
_PHONE_WORDS = re.compile(
    r"(?:phone|call|tel|cell|mobile|fax|whatsapp|text me|dial|ring|landline|(?:direct|help|hot) ?line|"
    r"reach (?:me|him|her|us|them)|reach out|reached (?:at|on|via)|contact\b|"
    r"(?<![a-z])(?:m|t|mob|ph)\.?\s?:|(?<![a-z])(?:ph|tel)\s?#|"
    r"(?:my|your|his|her|our|contact|callback) number|"
    r"电话|手机|联系|致电|号码|座机|传真)"
    r"[^\n\d]{0,25}$",
    re.IGNORECASE,
)
_NOT_PHONE_BEFORE = re.compile(
    r"(?:licen[cs]e|passport|\bzip\b|postal|postcode|\bsizes?\b|(?-i:\bSIN\b|\bNINO?\b)|insurance number|"
    r"national id|驾驶证|驾照|护照|身份证|邮编)[^\n\d]{0,20}\Z|"
    # whole words only: "prefer", "border", "refund" and "Europe" say nothing about the number
    r"(?:\b(?:order|tracking|waybill|package|parcel|shipment|invoice|sku|item|product|account|ref|"
    r"rmb|usd|cny|eur)(?:s|es)?\b|订单|单号|快递|运单|物流|发票|编号|货号)[^\n]{0,6}\Z|"
    # a currency sign right before: "$ 1234 5678" (but "$64.48 (62) 9976-7986" is a price, then a phone)
    r"[$€£¥￥][ \t]?\Z",
    re.IGNORECASE,
)
_NOT_PHONE_AFTER = re.compile(
    r"\s?(?:元|块|美元|刀|件|个|次|%|pcs|usd|rmb|dollars?|yuan|kg|g\b|km|m\b)", re.IGNORECASE
)
# the phone word after the number: "0588762328 is my cell", "23/286-0129 (mobile)"
_PHONE_WORDS_AFTER = re.compile(
    r"[ \t]*(?:\(|,|-)?[ \t]*(?:is|was)?[ \t]*(?:my|his|her|our|their|the)?[ \t]*"
    r"(?:cell|mobile|phone|tel\b|landline|fax|number|whatsapp)",
    re.IGNORECASE,
)
# a national number with its trunk prefix, written solid: "0430830401", "07966697251"
_TRUNK = re.compile(r"0[1-9]\d{7,10}")
_NANP = re.compile(r"[2-9]\d{2}[2-9]\d{6}")
# a UK National Insurance number, "ZT 01 87 75 A" (its prefix letters are never D, F, I, Q, U or V)
_NINO = re.compile(r"(?<![A-Za-z])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ \t]?\Z")
_LABEL_COLON = re.compile(r"(?<=\D):")  # "手机:138…", "Tel:+1 …" (a colon after a digit is a time)
_EXTENSION = re.compile(r"\s?(?:x|ext\.?|#)\s?\d{1,6}$", re.IGNORECASE)


def phones(text: str) -> list[PiiSpan]:
    found = [
        PiiSpan(PHONE, p.start, p.end)
        for p in phone_numbers(_LABEL_COLON.sub(" ", text))
        if _PHONE_WORDS.search(text, max(0, p.start - 30), p.start)
        or not _NOT_PHONE_BEFORE.search(text, max(0, p.start - 24), p.start)
    ]
    unslashed = _split_slashed_pairs(text)
    for m in _GROUPED.finditer(unslashed):
        if _grouped_phone(text, m.start(), m.group()):
            found.append(PiiSpan(PHONE, m.start(), m.end()))
        elif (trimmed := _trimmed_phone(text, m.start(), m.group())) is not None:
            found.append(trimmed)
    for m in _SOLID.finditer(unslashed):
        before = text[max(0, m.start() - 30) : m.start()]
        if _PHONE_WORDS.search(before):
            found.append(PiiSpan(PHONE, m.start(), m.end()))
        elif m.group().startswith("+") and len(m.group()) >= 9:
            found.append(PiiSpan(PHONE, m.start(), m.end()))  # +12310535166: international, solid
        elif _PHONE_WORDS_AFTER.match(text, m.end()):
            found.append(PiiSpan(PHONE, m.start(), m.end()))  # 0588762328 is my cell
        elif (
            (_NANP.fullmatch(number := _EXTENSION.sub("", m.group())) or _TRUNK.fullmatch(number))
            and not _NOT_PHONE_BEFORE.search(before)
            and not before.endswith("#")  # "#3518262791": a ticket or an order
        ):
            found.append(PiiSpan(PHONE, m.start(), m.end()))  # 5125550199, 0430830401: written solid
    return found


def _split_slashed_pairs(text: str) -> str:
    """Turn the "/" between two runs of 7+ digits each into ";" (same length, so offsets hold); a date,
    a fraction or "24/7" keep theirs."""
    if "/" not in text:
        return text
    chars = list(text)
    for m in _SLASHED.finditer(text):
        left = re.search(r"[\dx()+\-. ]*$", text[: m.start()])
        right = re.match(r"[\dx()+\-. ]*", text[m.end() :])
        digits_left = sum(c.isdigit() for c in left.group()) if left else 0
        digits_right = sum(c.isdigit() for c in right.group()) if right else 0
        if digits_left >= 7 and digits_right >= 7:
            chars[m.start() : m.end()] = text[m.start() : m.end()].replace("/", ";")
    return "".join(chars)


# what may stand right beside a phone number, one space apart, and be swallowed by the grouped pattern: a
# date, an SSN, an IP address ("5/5/1937", "351-45-2006", "73.56.54.165"), a year, an age, a lone "/"
_BESIDE = re.compile(r"\d{1,3}|(?:19|20)\d\d|/|\d+(?:[/.\-:]\d+)+")


def _trimmed_phone(text: str, start: int, run: str) -> PiiSpan | None:
    """A run that is no phone number as a whole may be one once a date, an age, a year or an id written
    next to it is cut off: "3/2/1954 67 788 02 83", "0489 33 97 26 351-45-2006", "2013 / 077 5138 5842"."""
    if _NOT_PHONE_BEFORE.search(text, max(0, start - 24), start) and not _PHONE_WORDS.search(
        text, max(0, start - 30), start
    ):
        return None  # "order 12 3456 7890", "NINO 12 34 56 78": what the run is, it is as a whole
    tokens = list(re.finditer(r"\S+", run))
    options = [(lead, trail) for lead in range(3) for trail in range(3) if 0 < lead + trail < len(tokens)]
    for lead, trail in sorted(options, key=sum):
        dropped = tokens[:lead] + tokens[len(tokens) - trail :]
        if not all(_BESIDE.fullmatch(t.group()) for t in dropped):
            continue
        first, last = tokens[lead], tokens[len(tokens) - 1 - trail]
        if first.group() == "/" or last.group() == "/":
            continue
        if _grouped_phone(text, start + first.start(), run[first.start() : last.end()]):
            return PiiSpan(PHONE, start + first.start(), start + last.end())
    return None


def _grouped_phone(text: str, start: int, run: str) -> bool:
    body = _EXTENSION.sub("", run)
    groups = re.findall(r"\d+", body)
    sizes = [len(g) for g in groups]
    digits = "".join(groups)
    context = (
        _PHONE_WORDS.search(text, max(0, start - 30), start) is not None
        or _PHONE_WORDS_AFTER.match(text, start + len(run)) is not None
    )
    # 01 23 45 67 89, and after a country code and a "(0)": +46 (0)95 69 91 03
    core = [g for g in groups[1 if body.startswith(("+", "00")) else 0 :] if not (g == "0" and "(0)" in body)]
    pairs = len(core) >= 4 and {len(g) for g in core} == {2} and len("".join(core)) in (8, 10)
    if (
        sizes == [2, 2, 2]
        and (context or _six_digit_subscriber(body, groups))
        and not _NINO.search(text, 0, start)
    ):
        pairs = True  # Greenland, the Faroes: "84 23 30"
    singles_allowed = 1 + ("(0)" in body)  # "+33 (0)1 23 45 67 89"
    if len(groups) < 2 or not (7 if sizes != [2, 2, 2] else 6) <= len(digits) <= 15:
        return False
    if (max(sizes) < 3 and not pairs) or sizes.count(1) > singles_allowed:
        return False
    if not context and (
        _NOT_PHONE_BEFORE.search(text, max(0, start - 24), start) or text[start - 1 : start] == "#"
    ):
        return False
    if not context and len(groups) == 2 and "+" not in body and "(" not in body:
        if sizes[1] < sizes[0]:
            return False  # a house number then a street number ("13851 4304 chemin Hudson"), "5000-047"
        if sizes == [2, 5]:
            return False  # a numeric state and a postcode: "Zouarine, 33 13127"
        if re.sub(r"[\d\s]", "", body) == "/":
            return False  # a ratio or a numbered document: 1920/1080, 2023/004512
    if _NOT_PHONE_AFTER.match(text, start + len(run)):
        return False
    separators = re.sub(r"[\d\s()+]", "", body)
    if separators and set(separators) == {"."} and len(groups) < 3 and not context:
        return False  # 12345.67 (but "phone 6320.7898")
    if "." in separators and len(groups) == 4 and max(sizes) <= 3 and "+" not in body:
        return False  # an invalid IPv4 address, a version number
    if _date_like(groups, sizes):
        return False
    if len(groups) == 2 and sizes in ([5, 4], [5, 3]) and "-" in body:
        return False  # ZIP+4, a Brazilian CEP
    if len(groups) == 2 and all(g.endswith("00") for g in groups) and re.fullmatch(r"\d+\s?-\s?\d+", body):
        return False  # a range: 1000-2000
    if sizes.count(4) >= 3 and not context and "+" not in body:
        return False  # 1234 5678 9012: card-like or a tracking number
    if sizes == [3, 2, 4] and "(" not in body:
        return False  # shaped like an SSN (an invalid one, or it would have been found as one)
    return not (all(s == 4 and g[:2] in ("19", "20") for g, s in zip(groups, sizes, strict=True)))


def _six_digit_subscriber(body: str, groups: list[str]) -> bool:
    """Three pairs of digits with no phone word near: a phone only if they can't be a date or a time
    and are written with one kind of separator ("84 23 30", "84-23-30")."""
    separators = set(re.sub(r"\d", "", body))
    if separators not in ({" "}, {"-"}):
        return False
    first, second, third = (int(g) for g in groups)
    could_be_date = (first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 and second <= 31)
    could_be_time = first <= 23 and second <= 59 and third <= 59
    return not (could_be_date or could_be_time)


def _date_like(groups: list[str], sizes: list[int]) -> bool:
    if len(groups) != 3:
        return False
    numbers = [int(g) for g in groups]
    if sizes[0] == 4 and sizes[1] <= 2 and sizes[2] <= 2:
        return 1 <= numbers[1] <= 12 and 1 <= numbers[2] <= 31
    if sizes[2] == 4 and sizes[0] <= 2 and sizes[1] <= 2:
        return (1 <= numbers[0] <= 31 and 1 <= numbers[1] <= 12) or (
            1 <= numbers[0] <= 12 and 1 <= numbers[1] <= 31
        )
    return False
