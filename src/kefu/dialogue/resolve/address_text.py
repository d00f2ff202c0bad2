"""Reading a postal address out of a message: US-style ("12 Oak Road, Apt 5, Austin, TX 78701") or
Chinese-style ("上海市浦东新区世纪大道100号 200120"), whatever the conversation's language, with the
words around it ("It's …", "my new address is …", "改成…", "thanks") left out.

``parse`` returns the fields it found and the required fields it did not find; ``field_edits`` reads
one or a few fields named on their own ("zip 10001", "the apartment number changes to 5B", "邮编改成
100001") for editing a known address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kefu.nlu.numbers import fold

FIELDS = ("address1", "address2", "city", "state", "country", "zip")
REQUIRED = ("address1", "city", "state", "country", "zip")

_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
    "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
    "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC",
    "加州": "CA", "加利福尼亚州": "CA", "纽约州": "NY", "德州": "TX", "德克萨斯州": "TX", "佛罗里达州": "FL",
    "华盛顿州": "WA", "伊利诺伊州": "IL", "宾夕法尼亚州": "PA", "俄亥俄州": "OH", "马萨诸塞州": "MA",
}  # fmt: skip
_CODES = frozenset(_STATES.values())
_COUNTRIES = {
    "usa": "USA", "us": "USA", "u.s.": "USA", "u.s.a.": "USA", "united states": "USA",
    "united states of america": "USA", "america": "USA", "美国": "USA",
    "china": "China", "prc": "China", "中国": "China", "中华人民共和国": "China",
}  # fmt: skip
_STATE_ALT = "|".join(sorted((re.escape(s) for s in _STATES if s.isascii()), key=len, reverse=True))
_US_TAIL = re.compile(
    rf"(?P<state>\b[A-Za-z]{{2}}\b|{_STATE_ALT})\.?\s*,?\s*(?P<zip>\d{{5}})(?:-\d{{4}})?"
    r"(?:\s*,?\s*(?P<country>usa|u\.s\.a\.|u\.s\.|us|united states(?: of america)?|america|美国)\b)?"
    r"(?![\w-])",
    re.IGNORECASE,
)
_STREET_START = re.compile(r"(?<![A-Za-z0-9#-])\d+[A-Za-z]?(?:-\d+)?\s+(?=[A-Za-z])")
_UNIT = re.compile(
    r"\s*,?\s*\b((?:apartment|apt|suite|ste|unit|room|rm|flat|floor|fl)\.?\s*#?\s*[A-Za-z0-9-]+|#\s*[A-Za-z0-9-]+)\s*$",
    re.IGNORECASE,
)
_TRAILER = re.compile(
    r"[\s,.;!。！]*(?:\b(?:thanks|thank you|thx|please|pls|cheers)\b[\s,.!]*)*[\s,.;!。！]*$|"
    r"[，,。\s]*(?:谢谢|谢啦|麻烦了|好吗|吧)[！!。]*$",
    re.IGNORECASE,
)
_SUFFIXES = (
    r"road|rd|street|st|avenue|ave|drive|dr|lane|ln|boulevard|blvd|way|court|ct|place|pl|circle|cir|terrace|"
    r"parkway|pkwy|highway|hwy|trail|trl|square|sq|loop|alley|row"
)
_NO_COMMA = re.compile(
    rf"^(?P<street>\d+[A-Za-z]?\s+.+?\b(?:{_SUFFIXES})\b\.?)(?P<unit>\s+(?:apartment|apt|suite|ste|unit|#)\.?\s*#?"
    rf"\s*[A-Za-z0-9-]+)?\s+(?P<city>[A-Za-z][A-Za-z .'-]*?)\s*$",
    re.IGNORECASE,
)

_CN_ZIP = re.compile(r"(?<!\d)(\d{6})(?!\d)")
_CN_REGION = re.compile(
    r"^(?P<state>(?:[\u4e00-\u9fff]{2,3}(?:省|自治区))|北京|上海|天津|重庆)?(?:市)?"
    r"(?P<city>[\u4e00-\u9fff]{2,4}?(?:市|自治州|地区|盟))?"
)
_CN_STREET = r"\d+\s*号|路|街|大道|巷|弄|胡同|小区|村|镇"
_CN_LEAD = re.compile(
    r"^.*?(?:地址(?:是|为|改成|改为|换成)?|改成|改为|换成|寄到|送到|发到|邮寄到)[:：\s]*(?=[\u4e00-\u9fff])"
)


@dataclass(frozen=True)
class Parsed:
    fields: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()


def _clean(text: str) -> str:
    return _TRAILER.sub("", fold(text).strip()).strip(" ,，。.")


def parse(text: str) -> Parsed | None:
    """A whole address, or ``None`` when the message holds no address at all."""
    text = fold(text).strip()
    han = re.search(r"[\u4e00-\u9fff]", text)
    street = _STREET_START.search(text)
    if street:
        body = _clean(text[street.start() :])
        cut = re.search(r"[\u4e00-\u9fff]", body)
        if cut is None or (cut.start() > 0 and _US_TAIL.search(body[: cut.start()])):
            return _parse_us(_clean(body[: cut.start()] if cut else body))  # "…TX 76165。麻烦改一下"
    if han:
        return _parse_cn(text)
    return None


# first three digits of a US ZIP code → state (USPS prefix ranges)
_ZIP_PREFIXES = (
    (5, 5, "NY"), (10, 27, "MA"), (28, 29, "RI"), (30, 38, "NH"), (39, 49, "ME"),
    (50, 59, "VT"), (60, 69, "CT"), (70, 89, "NJ"), (100, 149, "NY"), (150, 196, "PA"),
    (197, 199, "DE"), (200, 205, "DC"), (206, 219, "MD"), (220, 246, "VA"), (247, 268, "WV"),
    (270, 289, "NC"), (290, 299, "SC"), (300, 319, "GA"), (320, 349, "FL"), (350, 369, "AL"),
    (370, 385, "TN"), (386, 397, "MS"), (398, 399, "GA"), (400, 427, "KY"), (430, 459, "OH"),
    (460, 479, "IN"), (480, 499, "MI"), (500, 528, "IA"), (530, 549, "WI"), (550, 567, "MN"),
    (569, 569, "DC"), (570, 577, "SD"), (580, 588, "ND"), (590, 599, "MT"), (600, 629, "IL"),
    (630, 658, "MO"), (660, 679, "KS"), (680, 693, "NE"), (700, 715, "LA"), (716, 729, "AR"),
    (730, 749, "OK"), (750, 799, "TX"), (800, 816, "CO"), (820, 831, "WY"), (832, 838, "ID"),
    (840, 847, "UT"), (850, 865, "AZ"), (870, 884, "NM"), (885, 885, "TX"), (889, 898, "NV"),
    (900, 961, "CA"), (967, 968, "HI"), (970, 979, "OR"), (980, 994, "WA"), (995, 999, "AK"),
)  # fmt: skip


def state_of_zip(zip_code: str) -> str | None:
    """The US state a 5-digit ZIP code belongs to ("10001" → "NY")."""
    if not re.fullmatch(r"\d{5}", zip_code):
        return None
    prefix = int(zip_code[:3])
    return next((state for low, high, state in _ZIP_PREFIXES if low <= prefix <= high), None)


def _code(state: str) -> str | None:
    code = _STATES.get(state.lower(), state.upper())
    return code if code in _CODES else None


def _parse_us(body: str) -> Parsed:
    fields: dict[str, str] = {}
    tail = next((t for t in _US_TAIL.finditer(body) if t.start() > 0 and _code(t.group("state"))), None)
    head = body
    if tail:  # what follows "TX 78701" is chatter ("- for my profile too")
        fields["state"], fields["zip"] = _code(tail.group("state")) or "", tail.group("zip")
        head = body[: tail.start()].rstrip(" ,")
    else:
        zip_only = re.search(r"[,\s](\d{5})(?:-\d{4})?(?![\w-])", body)
        state_only = re.search(rf"[,\s]\s*(\b[A-Za-z]{{2}}\b|{_STATE_ALT})\.?\s*$", body, re.IGNORECASE)
        if zip_only:
            fields["zip"] = zip_only.group(1)
            head = body[: zip_only.start()].rstrip(" ,")
        elif state_only and _code(state_only.group(1)):
            fields["state"] = _code(state_only.group(1)) or ""
            head = body[: state_only.start()].rstrip(" ,")
    parts = [p.strip() for p in re.split(r"[,\n;，]", head) if p.strip()]
    if tail and len(parts) == 1 and len(tail.group("state")) > 2:
        # "101 Highway, New York, 10001": the name is the city; the ZIP code says the state
        parts.append(tail.group("state").strip())
        fields["state"] = state_of_zip(fields["zip"]) or fields["state"]
    if len(parts) >= 2:
        fields["city"] = parts[-1]
        street_parts = parts[:-1]
    elif parts and (match := _NO_COMMA.match(parts[0])):
        fields["city"] = match.group("city").strip()
        street_parts = [match.group("street").strip()] + (
            [match.group("unit").strip()] if match.group("unit") else []
        )
    else:
        street_parts = parts
    if street_parts:
        first = street_parts[0]
        unit = _UNIT.search(first)
        if unit and len(street_parts) == 1 and unit.start() > 0:
            street_parts = [first[: unit.start()].strip(" ,"), unit.group(1)]
        fields["address1"] = street_parts[0]
        fields["address2"] = ", ".join(street_parts[1:])
    fields.setdefault("address2", "")
    fields.setdefault("country", "USA")  # a Latin-script address without a country: the shop's US default
    if not fields.get("state") and fields.get("zip") and fields["country"] == "USA":
        state = state_of_zip(fields["zip"])
        if state:
            fields["state"] = state
            fields["\0state_from_zip"] = "1"
    return Parsed(fields, tuple(f for f in REQUIRED if not fields.get(f)))


def _parse_cn(text: str) -> Parsed | None:
    body = _CN_LEAD.sub("", text, count=1)
    start = re.search(r"[\u4e00-\u9fff]", body)
    zip_match = _CN_ZIP.search(body)
    fields: dict[str, str] = {"country": "China"}
    if zip_match:
        fields["zip"] = zip_match.group(1)
        body = body[: zip_match.start()] + body[zip_match.end() :]
    body = _clean(re.sub(r"邮编|邮政编码|[:：]", " ", body[start.start() if start else 0 :]))
    body = re.sub(r"^(?:中国|中华人民共和国)", "", body).strip(" ，,")
    region = _CN_REGION.match(body)
    if not zip_match and not (region and region.group("city")) and not re.search(_CN_STREET, body):
        return None
    state = region.group("state") if region else None
    city = region.group("city") if region else None
    if state in ("北京", "上海", "天津", "重庆"):
        city = city or state + "市"
        state = state + "市"
    rest = body[region.end() :].strip(" ，,") if region else body
    if city:
        fields["city"] = city
        fields["state"] = state or city
    if len(rest) >= 3:
        unit = re.search(r"(\d+(?:栋|幢|号楼|座)(?:\d+单元)?\d*(?:室|号房)?|\d+单元\d+室?|\d+室)$", rest)
        if unit and unit.start() > 2:
            fields["address1"], fields["address2"] = rest[: unit.start()].strip(" ，,"), unit.group(1)
        else:
            fields["address1"] = rest
    fields.setdefault("address2", "")
    return Parsed(fields, tuple(f for f in REQUIRED if not fields.get(f)))


_TO = r"(?:\s+(?:is|are|to|should be|will be|becomes|changes? to|changed to|now|=)|\s*[:：])*\s*"
_EDITS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx, re.IGNORECASE))
    for name, rx in (
        ("zip", rf"\b(?:zip(?:\s*code)?|postal\s*code|post\s*code)\b{_TO}(\d{{5}}|\d{{6}})\b"),
        ("zip", r"(?:邮编|邮政编码)(?:是|改成|改为|换成|为)?[:：\s]*(\d{5,6})"),
        ("address2", r"\b((?:apartment|apt|suite|ste|unit|room|flat)\.?)(?:\s+(?:number|no\.?|#))?"
                     rf"{_TO}#?\s*([A-Za-z0-9][A-Za-z0-9-]*)\b"),
        ("address2", rf"\b(?:address\s*line\s*2|address2|second line){_TO}([^,;.]+)"),
        ("address2", r"(?:门牌号?|房间号|房号|单元号?|地址第二行)(?:是|改成|改为|换成|为)?[:：\s]*([\w-]+)"),
        ("address1", rf"\b(?:street(?:\s*address)?|address\s*line\s*1|address1|first line){_TO}(\d+[^,;.]*)"),
        ("address1", r"(?:街道地址|街道|地址第一行)(?:是|改成|改为|换成|为)?[:：\s]*([^，,。；]+)"),
        ("city", rf"\bcity{_TO}([A-Za-z][A-Za-z .'-]*?)(?=\s*(?:,|;|\.|$|\band\b|\bstate\b|\bzip\b))"),
        ("city", r"城市(?:是|改成|改为|换成|为)?[:：\s]*([\u4e00-\u9fff]{2,6}?市?)(?=[，,。；\s]|$)"),
        ("state", rf"\bstate{_TO}({_STATE_ALT}|[A-Za-z]{{2}})\b"),
        ("state", r"(?:省份|省|州)(?:是|改成|改为|换成|为)[:：\s]*([\u4e00-\u9fff]{2,6})"),
        ("country", rf"\bcountry{_TO}([A-Za-z][A-Za-z .]*?)(?=\s*(?:,|;|\.|$))"),
    )
)  # fmt: skip
_UNIT_WORDS = {
    "apartment": "Apt", "apt": "Apt", "suite": "Suite", "ste": "Suite", "unit": "Unit", "room": "Room",
    "flat": "Flat",
}  # fmt: skip


def field_edits(text: str, current_address2: str = "") -> dict[str, str]:
    """Fields named one by one in ``text``."""
    text = fold(text)
    edits: dict[str, str] = {}
    for name, regex in _EDITS:
        if name in edits:
            continue
        match = regex.search(text)
        if not match:
            continue
        if name == "address2" and match.lastindex == 2:
            word = _UNIT_WORDS.get(match.group(1).lower().rstrip("."), match.group(1))
            edits[name] = f"{word} {match.group(2)}"
        elif name == "state":
            value = match.group(1)
            code = _STATES.get(value.lower(), value.upper() if len(value) == 2 else value)
            if len(value) == 2 and code not in _CODES:
                continue
            edits[name] = code
        elif name == "country":
            edits[name] = _COUNTRIES.get(match.group(1).strip().lower(), match.group(1).strip())
        else:
            edits[name] = _clean(match.group(match.lastindex or 1))
    named_field = re.search(
        r"\b(?:apartment|apt|suite|unit|room)\.?\s+(?:number|no\.?|#)", text, re.IGNORECASE
    )
    if "address2" in edits and named_field and re.fullmatch(r"[A-Za-z]+ [\w-]+", current_address2):
        # "the apartment number changes to 5B" keeps the current line's word ("Suite 991" → "Suite 5B")
        edits["address2"] = f"{current_address2.split()[0]} {edits['address2'].split()[-1]}"
    return edits
