"""Street addresses. English: a house number, up to four words and a street type ("123 Main St",
"1755 Nelson Mandela Drive, Apt. 4"), or a unit alone ("Suite 246"). Chinese: administrative parts
(省/市/区/县) and a road with a house number ("北京市朝阳区建国路88号3栋2单元501室")."""

from __future__ import annotations

import re

from kefu.guard.pii.types import ADDRESS, PiiSpan

_STREET_TYPES = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|"
    "circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|alley|crescent|cres|close|row|gardens|grove|"
    "hill|park|plaza|quay|walk|wharf|mews|loop|pike|path|run|point|heights|view|expressway|freeway|"
    "strasse|straße|str|straat|gasse|weg|platz|allee|laan|gracht|plein|rue|calle|via|viale|rua|avenida|"
    "ulica|utca|útja|út|katu|gata|gatan|vej|vägen|veien|tie|chemin|route|quai|impasse|allée|cours|carrer|"
    "travessa|largo|praça|piazza|corso|vicolo"
)
# street types written before the name: "31 rue de la Hulotais", "7770 chemin Hudson", "12 Avenue Road"
_PREFIX_TYPES = (
    "rue|avenue|av|boulevard|blvd|calle|carrer|via|viale|rua|avenida|chemin|route|quai|impasse|allée|allee|"
    "cours|travessa|largo|praça|piazza|corso|vicolo|place|plaza|strada|ulica|utca"
)
# types that are no everyday word, so they may follow the number alone: "Grössgstötten 50 street", "130 st."
_PLAIN_TYPES = (
    "street|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|dr|highway|hwy|parkway|pkwy|"
    r"st(?!\.?[ \t]+(?-i:[A-Z]))"
)
# after a type written first, the name: capitalised words and the particles between them
_NAME_AFTER_TYPE = (
    r"(?:[ \t]+(?:(?:de|du|des|la|le|les|del|della|delle|dello|degli|dei|di|da|dal|dalla|do|dos|das|e|y|"
    r"van|von|der)\b"
    r"|(?-i:[A-ZÀ-ÞŁŚŻŹĆŃ][\w'.\-]*))){1,4}"
)
_UNIT = r"(?:apt|apartment|suite|ste|unit|flat|room|rm|floor|fl|bldg|building)\.?\s*#?\s*[A-Za-z0-9\-]{1,6}"
_WORD = r"(?:[^\W\d_][\w'.\-]*|\d{1,3}(?:st|nd|rd|th))"  # a name word, or an ordinal: "49th"
_EN_STREET = re.compile(
    # the house number (not the tail of "(88) 279-120" or "06783 39 77 14"), maybe a second number, then
    # on the same line one to four words and a street type ("Court" alone after "467 3395" is no street),
    # or a street type and one to four words
    rf"(?<![\w\-])(?<!\d\)[ \t])(?<!\d[ \t])\d{{1,6}}[A-Za-z]?(?:[\-/]\d{{1,4}}|[ \t]\d{{1,5}})?,?[ \t]+"
    rf"(?:(?:{_PREFIX_TYPES})\b\.?{_NAME_AFTER_TYPE}"
    rf"|(?:(?:{_WORD}[ \t]+){{1,4}}?(?:{_STREET_TYPES})|(?:{_PLAIN_TYPES}))\b\.?)"
    rf"(?:[ \t]+\d{{1,5}}[A-Za-z]?\b)?(?:,?\s+{_UNIT})?",
    re.IGNORECASE,
)
# "Nassaustraat 123", "Ziegelgasse 26": a compound street name then the number (continental style)
_EN_STREET_AFTER = re.compile(
    r"(?<![\w\-])[^\W\d_]{2,}(?:strasse|straße|straat|gasse|weg|platz|allee|laan|gracht|plein|vej|gatan|vägen|veien)"
    r"\s+\d{1,5}[A-Za-z]?\b",
    re.IGNORECASE,
)
_EN_UNIT = re.compile(r"(?<![\w\-])(?:apt|apartment|suite|unit)\.?\s*#?\s*\d{1,5}[A-Za-z]?\b", re.IGNORECASE)
_EN_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d{1,6}\b", re.IGNORECASE)

_HAN = r"[\u4e00-\u9fff]"
_NUM = r"[0-9０-９一二三四五六七八九十百零〇]+"
_ZH_ADDRESS = re.compile(
    rf"(?:{_HAN}{{2,8}}?(?:省|自治区|特别行政区))?(?:{_HAN}{{2,8}}?市)?(?:{_HAN}{{1,8}}?(?:区|县|旗|镇|乡))?"
    rf"{_HAN}[{_HAN[1:-1]}0-9]{{0,12}}?(?:路|街|大道|大街|巷|弄|胡同|里)(?:{_NUM}(?:段|巷|弄))?{_NUM}(?:号|號)"
    rf"(?:{_HAN}{{0,10}}?(?:小区|大厦|花园|公寓|广场|中心|苑|园|村))?"
    rf"(?:[-—]?[0-9A-Za-z一二三四五六七八九十]+(?:号楼|栋|幢|座|单元|层|楼|室|号|房))*"
)
_ZH_ADMIN_ONLY = re.compile(
    rf"{_HAN}{{2,8}}?(?:省|自治区){_HAN}{{2,8}}?市{_HAN}{{1,8}}?(?:区|县)(?:{_HAN}{{2,10}}?(?:小区|花园|公寓|苑|村))?"
)
_ZH_LEAD = re.compile(
    r".*(?:地址|住址|住在|寄到|送到|发到|改到|改成|换成|换到|位于|寄往|送往|是|在|到|为|：|:)"
)


# What may follow a street address and is still part of it (issue #16: a stored transcript keeps no part
# of an address beyond the city and country). Chinese: a complex or building name and its building,
# unit, floor and room ("SOHO现代城5号楼1203室"). English: a unit, then "City, ST 12345" or a UK/Canadian
# postcode ("London SW1A 2AA").
_ZH_TAIL = re.compile(
    r"[A-Za-z0-9\u4e00-\u9fff·]{0,14}?(?:[-—]?[0-9A-Za-z一二三四五六七八九十]+(?:号楼|栋|幢|座|单元|层|楼|室|房))+"
)
_POSTCODE = (
    r"(?:(?-i:[A-Z]{2})\.?[ \t]+\d{5}(?:-\d{4})?"  # US: OR 97403, CA 94103-1234
    r"|(?-i:[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2})"  # UK: SW1A 2AA
    r"|(?-i:[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)"  # Canada: K1A 0B1
    r"|\d{5}(?:-\d{4})?)"  # a bare ZIP after the city
)
_EN_TAIL = re.compile(
    rf"(?:,?[ \t]+{_UNIT})?"
    rf"(?:,?[ \t]+(?-i:[A-Z][\w'.\-]*)(?:[ \t]+(?-i:[A-Z][\w'.\-]*)){{0,2}})?"  # the city
    rf",?[ \t]+{_POSTCODE}\b",
    re.IGNORECASE,
)


def _with_tail(text: str, span: PiiSpan, chinese: bool) -> PiiSpan:
    tail = (_ZH_TAIL if chinese else _EN_TAIL).match(text, span.end)
    return PiiSpan(span.kind, span.start, tail.end()) if tail else span


_NOT_STREET_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "to",
        "and",
        "or",
        "is",
        "was",
        "for",
        "my",
        "your",
        "this",
        "that",
        "which",
        "by",
        "at",
        "with",
        "it",
        "its",
        "items",
        "pairs",
        "pcs",
        "pieces",
        "days",
        "hours",
        "minutes",
        "weeks",
        "months",
        "years",
        "times",
        "orders",
        "tel",
        "phone",
        "call",
        "fax",
        "mobile",
        "cell",
        "any",
        "every",
        "some",
        "other",
        "same",
        "right",
        "wrong",
        "his",
        "her",
        "their",
        "our",
        "me",
        "you",
    ]
)


def street_addresses(text: str) -> list[PiiSpan]:
    found: list[PiiSpan] = []
    for m in _EN_STREET.finditer(text):
        words = {w.lower() for w in re.findall(r"[^\W\d_]+", m.group())}
        if not words & _NOT_STREET_WORDS:
            found.append(_with_tail(text, PiiSpan(ADDRESS, m.start(), m.end()), chinese=False))
    for pattern in (_EN_STREET_AFTER, _EN_UNIT, _EN_PO_BOX):
        found += [PiiSpan(ADDRESS, m.start(), m.end()) for m in pattern.finditer(text)]
    for pattern in (_ZH_ADDRESS, _ZH_ADMIN_ONLY):
        for m in pattern.finditer(text):
            start = m.start()
            lead = _ZH_LEAD.match(text, start, m.end())
            if lead is not None and lead.end() < m.end() - 3:
                start = lead.end()
            found.append(_with_tail(text, PiiSpan(ADDRESS, start, m.end()), chinese=True))
    return found
