"""Parse a shipping address typed in one message, in English or Chinese."""

from __future__ import annotations

import re

from kefu.packs.retail.shop import Record

_US_TAIL = re.compile(r"(?P<state>[A-Za-z]{2})\s+(?P<zip>\d{5})(?:-\d{4})?$")
_CN_ZIP = re.compile(r"(?<!\d)(\d{6})(?!\d)")
_CN_CITY = re.compile(r"^(?P<state>[\u4e00-\u9fff]{2,3}(?:省|自治区))?(?P<city>[\u4e00-\u9fff]{2,4}?市)")
_PREFIX = re.compile(
    r"^(?:(?:please\s+)?(?:change|update|ship|send)\b.*?\bto\b|new address\s*(?:is)?[:：]?|"
    r"address\s*(?:is)?[:：]|(?:新)?地址(?:是|改成|改为)?[:：]?|改成|改为)\s*",
    re.IGNORECASE,
)


def parse_address(text: str) -> Record | None:
    """``{"address1", "address2", "city", "state", "country", "zip"}`` or ``None`` when incomplete.

    English: ``"123 Main St, Apt 4, Austin, TX 78701"``. Chinese: ``"上海市浦东新区世纪大道100号 200120"``.
    """
    text = _PREFIX.sub("", text.strip()).strip(" 。.")
    if re.search(r"[\u4e00-\u9fff]", text):
        return _parse_chinese(text)
    parts = [p.strip() for p in re.split(r"[,\n]", text) if p.strip()]
    if len(parts) < 3:
        return None
    tail = _US_TAIL.search(parts[-1])
    country = "USA"
    if tail is None and len(parts) >= 4:
        country = parts[-1]
        parts = parts[:-1]
        tail = _US_TAIL.search(parts[-1])
    if tail is None:
        return None
    city = parts[-2]
    street = parts[:-2]
    if not street or not re.search(r"\d", street[0]):
        return None
    return {
        "address1": street[0],
        "address2": ", ".join(street[1:]),
        "city": city,
        "state": tail.group("state").upper(),
        "country": country,
        "zip": tail.group("zip"),
    }


def _parse_chinese(text: str) -> Record | None:
    zip_match = _CN_ZIP.search(text)
    if zip_match is None:
        return None
    rest = (text[: zip_match.start()] + text[zip_match.end() :]).replace("邮编", "").strip(" ，,。:：")
    city_match = _CN_CITY.match(rest)
    if city_match is None:
        return None
    street = rest[city_match.end() :].strip(" ，,")
    if len(street) < 4:
        return None
    city = city_match.group("city")
    return {
        "address1": street,
        "address2": "",
        "city": city,
        "state": city_match.group("state") or city,
        "country": "China",
        "zip": zip_match.group(1),
    }


def format_address(address: Record) -> str:
    if address.get("country") == "China":
        state, city = str(address.get("state", "")), str(address.get("city", ""))
        region = state if city in ("", state) else f"{state}{city}"
        street = f"{address.get('address1', '')}{address.get('address2', '')}"
        return f"{region}{street} {address.get('zip', '')}".strip()
    parts = [address.get("address1"), address.get("address2"), address.get("city")]
    head = ", ".join(str(p) for p in parts if p)
    return f"{head}, {address.get('state', '')} {address.get('zip', '')}".strip()
