"""Pattern recognizers with validation: email, resident ID, cards (+ CVV/expiry), IBAN, SSN, IP, passport.

Each takes the width-folded text (same length as the original, so offsets hold) and returns spans.
Telephone numbers are in ``phones.py``, names and addresses in ``names.py`` and ``addresses.py``.
"""

from __future__ import annotations

import ipaddress
import re

from kefu.guard.pii.checksums import card_brand, cn_id_valid, iban_valid, luhn_valid, ssn_valid
from kefu.guard.pii.types import CARD, CARD_SECRET, CN_ID, EMAIL, IBAN, IP, PASSPORT, US_SSN, PiiSpan

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
    r"(?![A-Za-z0-9])"
)
_CN_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})[ ]?(\d{8})[ ]?(\d{3}[\dXx])(?![0-9A-Za-z])")
# digit runs joined by single spaces or hyphens: card candidates
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z\-.,/])\d+(?:[ \-]\d+)*(?![0-9A-Za-z]|[.,]\d)")
_CARD_WORDS = re.compile(
    r"(?:card|visa|master|amex|american express|discover|jcb|unionpay|credit|debit|卡|银联|账号|帐号)",
    re.IGNORECASE,
)
_NOT_CARD_WORDS = re.compile(
    r"(?:order|tracking|waybill|shipment|parcel|package|invoice|订单|单号|快递|运单|物流|发票|编号|sku|item|product)"
    r"[^\n]{0,12}$",
    re.IGNORECASE,
)
_SECRET_WORD = (
    r"(?:cvv2?|cvc2?|cid|csc|security\s+code|card\s+code|安全码|验证码|校验码|背面(?:的)?(?:三位数?|后三位)|"
    r"卡背(?:面)?(?:三位数?|后三位)?)"
)
_EXPIRY_WORD = (
    r"(?:exp(?:iry|iration|ires)?(?:\s+date)?|valid\s+(?:thru|through|until)|good\s+thru|"
    r"有效期(?:至|到)?|到期(?:日|时间)?|过期(?:时间)?)"
)
_SEP = r"\s*(?:is|was|:|：|=|是|为)?\s*"
_EXPIRY_VALUE = (
    r"(?:(?:0?[1-9]|1[0-2])\s?[/\-]\s?(?:20)?\d{2}|20\d{2}\s?[/\-年]\s?(?:0?[1-9]|1[0-2])月?|"
    r"\d{2}年\d{1,2}月)"
)
_SECRET = re.compile(rf"{_SECRET_WORD}{_SEP}\d{{3,4}}(?!\d)", re.IGNORECASE)
_EXPIRY = re.compile(rf"{_EXPIRY_WORD}\.?{_SEP}{_EXPIRY_VALUE}(?!\d)", re.IGNORECASE)
# a bare CVV or expiry on the card's line, not the first group of a number that goes on ("… 082 490 1693")
_BARE_AFTER_CARD = re.compile(rf"[ \t,，;；、]*(?:{_EXPIRY_VALUE}|\d{{3,4}})(?![\d/]|[ \t.\-]\d)")
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,4})?(?![A-Za-z0-9])"
)
_SSN = re.compile(r"(?<![\d\-])(\d{3})([\- ])(\d{2})\2(\d{4})(?![\d\-])")
_SSN_SOLID = re.compile(
    r"(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?|社会安全号|社保号)\D{0,12}?(?<!\d)(\d{9})(?!\d)",
    re.IGNORECASE,
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![\w.])(?:{_OCTET}\.){{3}}{_OCTET}(?!\d|\.\d|\w)")
_VERSION = re.compile(r"(?:version|ver\.?|v|版本号?)\s*[:：]?\s*$", re.IGNORECASE)
_IPV6 = re.compile(
    r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![0-9A-Za-z:])"
)
_CN_PASSPORT = re.compile(r"(?<![A-Za-z0-9])(?:[EeGg]\d{8}|[Ee][A-HJ-NP-Za-hj-np-z]\d{7})(?![A-Za-z0-9])")
_PASSPORT_CONTEXT = re.compile(
    r"(?:passport|护照)(?:\s*(?:no\.?|number|num|#|号码|号))?\s*(?:is|[:：是为])?\s*([A-Za-z0-9]{6,9})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def emails(text: str) -> list[PiiSpan]:
    return [PiiSpan(EMAIL, m.start(), m.end()) for m in _EMAIL.finditer(text)]


def cn_ids(text: str) -> list[PiiSpan]:
    return [
        PiiSpan(CN_ID, m.start(), m.end()) for m in _CN_ID.finditer(text) if cn_id_valid("".join(m.groups()))
    ]


def cards(text: str) -> list[PiiSpan]:
    """Luhn-valid 12-19 digit numbers on a known BIN range, solid or grouped by spaces or hyphens.
    A long run is tried group by group ("card 4111 1111 1111 1111 12 26" finds the card). Numbers right
    after an order or tracking word are not cards unless a card word is nearer."""
    found: list[PiiSpan] = []
    for run in _DIGIT_RUN.finditer(text):
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\d+", run.group())]
        i = 0
        while i < len(groups):
            # a card has at most 19 digits: only the spans that short are tried (a long run stays linear)
            longest, total = i + 1, groups[i][1] - groups[i][0]
            while longest < len(groups) and total + groups[longest][1] - groups[longest][0] <= 19:
                total += groups[longest][1] - groups[longest][0]
                longest += 1
            for j in range(longest, i, -1):
                sizes = [e - s for s, e in groups[i:j]]
                if not 12 <= sum(sizes) <= 19 or not _card_grouping(sizes):
                    continue
                start, end = groups[i][0], groups[j - 1][1]
                digits = re.sub(r"\D", "", text[start:end])
                # "1234 [5678 9012 3456]": not a card cut out of a longer grouped number
                # nor the tail of a hyphenated one: "403-[608-2814 9332 3911]" is a phone, then a house number
                inside = i > 0 and (
                    (groups[i - 1][1] - groups[i - 1][0] == 4 and j - i > 1) or text[start - 1] == "-"
                )
                if inside or not luhn_valid(digits) or card_brand(digits) is None:
                    continue
                phone = len(digits) <= 15 and _phone_context(text, start)  # E.164: at most 15 digits
                if not _order_context(text, start) and not phone:
                    found.append(PiiSpan(CARD, start, end))
                    i = j
                    break
            else:
                i += 1
    return found


def _card_grouping(sizes: list[int]) -> bool:
    """How cards are written: solid, in fours ("4111 1111 1111 1111", "6222 0212 3456 7890 123") or
    4-6-5 / 4-6-4 (Amex, Diners). A phone number then a house number ("40738 0319 3144400") is not."""
    if len(sizes) == 1:
        return True
    if sizes[:2] == [4, 6] and len(sizes) == 3:
        return sizes[2] in (4, 5)
    return all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4


# "+57 300 542 93 82", "my phone number is 5760 3202 4589": a dialling prefix or a phone word, with no
# card word nearer, makes a Luhn-valid digit run a phone number rather than a card
_DIAL_PREFIX = re.compile(r"(?:\+|00)\s?$")
_PHONE_CUE = re.compile(
    r"(?:phone|call|tel\b|mobile|cell|whatsapp|reach|reached|contact|电话|手机|致电|联系)[^\n\d]{0,15}$",
    re.IGNORECASE,
)


def _phone_context(text: str, start: int) -> bool:
    before = text[max(0, start - 30) : start]
    if _DIAL_PREFIX.search(before):
        return True
    cue = _PHONE_CUE.search(before)
    if cue is None:
        return False
    cards = [m.start() for m in _CARD_WORDS.finditer(before)]
    return not cards or cards[-1] < cue.start()


def _order_context(text: str, start: int) -> bool:
    before = text[max(0, start - 24) : start]
    order = _NOT_CARD_WORDS.search(before)
    if order is None:
        return False
    cards = [m.start() for m in _CARD_WORDS.finditer(before)]
    return not cards or cards[-1] < order.start()


def card_secrets(text: str, card_spans: list[PiiSpan]) -> list[PiiSpan]:
    """CVV/CVC and expiry dates: dropped, never kept. A CVV after its keyword is dropped even without a
    card in the message; an expiry only when a card is; a bare MM/YY or 3-4 digits right after a card too."""
    found = [PiiSpan(CARD_SECRET, m.start(), m.end()) for m in _SECRET.finditer(text)]
    if card_spans:
        found += [PiiSpan(CARD_SECRET, m.start(), m.end()) for m in _EXPIRY.finditer(text)]
        for card in card_spans:
            position = card.end
            for _ in range(2):  # expiry, then CVV
                bare = _BARE_AFTER_CARD.match(text, position)
                if bare is None:
                    break
                found.append(PiiSpan(CARD_SECRET, position, bare.end()))
                position = bare.end()
    return found


def ibans(text: str) -> list[PiiSpan]:
    found = []
    for m in _IBAN.finditer(text):
        candidate = m.group()
        while True:
            if iban_valid(candidate.replace(" ", "").upper()):
                found.append(PiiSpan(IBAN, m.start(), m.start() + len(candidate)))
                break
            if " " not in candidate:
                break
            candidate = candidate.rsplit(" ", 1)[0]
    return found


def ssns(text: str) -> list[PiiSpan]:
    found = [
        PiiSpan(US_SSN, m.start(), m.end())
        for m in _SSN.finditer(text)
        if ssn_valid(m.group(1), m.group(3), m.group(4))
    ]
    for m in _SSN_SOLID.finditer(text):
        digits = m.group(1)
        if ssn_valid(digits[:3], digits[3:5], digits[5:]):
            found.append(PiiSpan(US_SSN, m.start(1), m.end(1)))
    return found


def ip_addresses(text: str) -> list[PiiSpan]:
    found = [
        PiiSpan(IP, m.start(), m.end())
        for m in _IPV4.finditer(text)
        if not _VERSION.search(text, max(0, m.start() - 12), m.start())
    ]
    for m in _IPV6.finditer(text):
        candidate = m.group()
        if sum(c.isalnum() for c in candidate) < 3:
            continue
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        found.append(PiiSpan(IP, m.start(), m.end()))
    return found


def passports(text: str) -> list[PiiSpan]:
    found = [PiiSpan(PASSPORT, m.start(), m.end()) for m in _CN_PASSPORT.finditer(text)]
    for m in _PASSPORT_CONTEXT.finditer(text):
        if sum(c.isdigit() for c in m.group(1)) >= 5:
            found.append(PiiSpan(PASSPORT, m.start(1), m.end(1)))
    return found
