"""Which address the customer gives: a whole new one (either language's format, in either conversation
language), an edit of ``current`` ("only the apartment number changes to 5B", "same street, zip
10001"), or one the shop already knows (``known`` (label, record) pairs: "my default address" →
``default``, "the address on my other order" → ``order:#W…``).

The record is ``{address1, address2, city, state, country, zip}``. An address missing a required field
is not returned: the result is ``none`` with ``note="missing:city,zip"`` so the bot can ask for exactly
those fields. ``note`` otherwise says where the record came from: ``parsed``, ``edited:zip,address2``,
or ``known:<label>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kefu.dialogue.resolve.address_text import FIELDS, REQUIRED, field_edits, parse
from kefu.dialogue.resolve.types import Resolution
from kefu.nlu import entities
from kefu.nlu.numbers import fold

Record = dict[str, Any]

_DEFAULT = re.compile(
    r"\b(?:default|usual|normal|regular|primary|profile|account|home)\s+(?:shipping\s+)?address\b|"
    r"\baddress (?:on|in) (?:file|my (?:account|profile))\b|\bmy (?:own|saved) address\b|"
    r"默认地址|默认的地址|账户地址|账户上的地址|账号地址|账号上的地址|常用地址|家庭地址|家里的地址|个人资料里的地址"
)
_ORDER_ADDRESS = re.compile(
    r"\b(?:other|another|previous|last|earlier|first|second)\s+order\b|\border\s*#?\s*w?\d{7}\b|"
    r"\bsame address as\b|另一个订单|另外一个订单|另一单|上一个订单|之前的订单|其他订单|"
    r"那个订单的地址|订单#?w?\d{7}"
)
_SAME_AS_CURRENT = re.compile(r"\b(?:same|keep|current|existing|old)\s+(?:street|address|city)\b|原来的|不变")


def resolve_address(
    text: str,
    lang: str,
    *,
    current: Mapping[str, Any] | None = None,
    known: Sequence[tuple[str, Mapping[str, Any]]] = (),
) -> Resolution[Record]:
    """A complete address record, or what is missing from it."""
    del lang
    folded = fold(text).lower()
    parsed = parse(text)
    if parsed is None or not parsed.fields.get("address1"):  # "change my default address to …" gives one
        reused = _known(folded, text, known)
        if reused is not None:
            return reused
    if parsed is not None and _looks_whole(parsed.fields):
        if parsed.missing:
            return Resolution.nothing("missing:" + ",".join(parsed.missing))
        inferred = ":state_from_zip" if parsed.fields.get("\0state_from_zip") else ""
        return Resolution.found(_record(parsed.fields), note="parsed" + inferred)
    edits = field_edits(text, str((current or {}).get("address2", "")))
    if edits:
        if current is None:
            return Resolution.nothing("no_current:" + ",".join(edits))
        record = _record({**{k: str(current.get(k, "")) for k in FIELDS}, **edits})
        missing = [f for f in REQUIRED if not record.get(f)]
        if missing:
            return Resolution.nothing("missing:" + ",".join(missing))
        return Resolution.found(record, note="edited:" + ",".join(f for f in FIELDS if f in edits))
    if parsed is not None and parsed.fields.get("address1") and parsed.missing:
        return Resolution.nothing("missing:" + ",".join(parsed.missing))
    return Resolution.nothing()


def _looks_whole(fields: Mapping[str, str]) -> bool:
    """A street with a city or a zip: more than a lone field edit."""
    return bool(fields.get("address1")) and bool(fields.get("city") or fields.get("zip"))


def _record(fields: Mapping[str, str]) -> Record:
    return {f: str(fields.get(f, "") or "").strip() for f in FIELDS}


def _known(
    folded: str, text: str, known: Sequence[tuple[str, Mapping[str, Any]]]
) -> Resolution[Record] | None:
    if not known:
        return None
    labels = {label: dict(record) for label, record in known}
    if _DEFAULT.search(folded) and "default" in labels:
        return Resolution.found(_record(labels["default"]), note="known:default")
    if _ORDER_ADDRESS.search(folded):
        ids = entities.order_ids(text)
        for order_id in ids:
            if f"order:{order_id}" in labels:
                return Resolution.found(_record(labels[f"order:{order_id}"]), note=f"known:order:{order_id}")
        pool = [(label, rec) for label, rec in labels.items() if label.startswith("order:")]
        distinct: dict[tuple[str, ...], tuple[str, Record]] = {}
        for label, rec in pool:
            distinct.setdefault(tuple(str(rec.get(f, "")) for f in FIELDS), (label, rec))
        if len(distinct) == 1:
            label, rec = next(iter(distinct.values()))
            return Resolution.found(_record(rec), note=f"known:{label}")
        if len(distinct) > 1:
            candidates = tuple(_record(rec) for _, rec in distinct.values())
            return Resolution.choose(candidates, ("address",))
    for label, record in labels.items():
        if (
            label not in ("default",)
            and not label.startswith("order:")
            and re.search(rf"\b{re.escape(label.lower())}\b", folded)
        ):
            return Resolution.found(_record(record), note=f"known:{label}")
    return None
