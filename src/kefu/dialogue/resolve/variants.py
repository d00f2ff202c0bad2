"""Which variant of a product the customer wants: option values (loosely spelled, in Chinese or English),
comparatives and superlatives, "same X" (as the item being replaced or as one the customer owns),
exclusions ("instead of Apple HomeKit"), and ordered fallbacks ("X if you have it, otherwise Y",
"prefer battery > USB > AC"). Options the customer does not mention stay as in ``current`` where a
variant allows it. Only available variants are returned; what was asked for but is out of stock is
listed in ``unavailable``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kefu.dialogue.resolve.catalogue import option_values
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.scales import PRICE, ranks
from kefu.dialogue.resolve.types import Resolution
from kefu.dialogue.resolve.wants import Want, read_wants

Record = dict[str, Any]

_ITEM_ID = re.compile(r"(?<!\d)(\d{10})(?!\d)")
_SAME_ITEM = re.compile(
    r"\b(?:the )?(?:exact )?same (?:one|item|thing|model|specs|options|variant)\b|\bidentical\b|"
    r"\ba new one of the same\b|\breplacement of the same\b|一模一样|同款|一样的|相同的"
)


def resolve_variant(
    text: str,
    lang: str,
    product: Mapping[str, Any],
    *,
    current: Mapping[str, Any] | str | None = None,
    owned: Sequence[Mapping[str, Any]] = (),
    glossary: Glossary | None = None,
) -> Resolution[str]:
    """An available item id of ``product`` (τ shape: ``variants`` item_id → {options, available,
    price}). ``current`` is the item being replaced (a record with ``item_id`` and ``options``, or an
    item id); ``owned`` are the customer's other items, for "the same colour as the one I have"."""
    del lang  # both languages are read in every conversation
    glossary = glossary or Glossary.empty()
    variants: dict[str, Record] = {str(k): dict(v) for k, v in (product.get("variants") or {}).items()}
    options = option_values(variants.values())
    cur_id, cur, cur_price = _current(current, variants)
    explicit = [i for i in _ITEM_ID.findall(text) if i in variants and i != cur_id]
    if explicit:
        if variants[explicit[-1]].get("available"):
            return Resolution.found(explicit[-1], note="item_id")
        return Resolution("none", unavailable=(explicit[-1],), note="unavailable")
    others = [o for o in owned if cur_id is None or str(o.get("item_id")) != cur_id]
    wants, excluded = read_wants(text, str(product.get("name", "")), options, cur, others, glossary)
    if all(w.empty() for w in wants) and not excluded:
        if cur_id and _SAME_ITEM.search(text.lower()):
            return _same_item(cur_id, variants)
        return Resolution.nothing("no_preference")
    unavailable: list[str] = []
    for want in wants:
        matching = [
            v
            for k, v in variants.items()
            if k != cur_id and _fits(v, want, excluded, cur, options, cur_price)
        ]
        available = [v for v in matching if v.get("available")]
        if not available:
            unavailable.extend(_closest_ids(matching, cur, want))
            continue
        chosen = _select(available, want, cur, options)
        unavailable.extend(_ideal_out_of_stock(matching, chosen, want, cur))
        if len(chosen) == 1:
            picked = chosen[0]
            changed = [o for o in _free(want, cur) if _opt(picked, o) != str(cur.get(o))]
            note = "also_changes:" + ",".join(changed) if changed else ""
            return Resolution(
                "resolved",
                value=str(picked["item_id"]),
                unavailable=tuple(dict.fromkeys(unavailable)),
                note=note,
            )
        ids = tuple(str(v["item_id"]) for v in chosen)
        differ = tuple(o for o in options if len({_opt(v, o) for v in chosen}) > 1)
        return Resolution(
            "ambiguous", candidates=ids, distinguishing=differ or (PRICE,),
            unavailable=tuple(dict.fromkeys(unavailable)),
        )  # fmt: skip
    if (
        cur_id
        and cur_id in variants
        and all(_fits(variants[cur_id], w, excluded, cur, options, cur_price) for w in wants[:1])
    ):
        return _same_item(cur_id, variants)  # every option named is the current item's own: a new one of it
    return Resolution(
        "none",
        unavailable=tuple(dict.fromkeys(unavailable)),
        note="unavailable" if unavailable else "no_match",
    )


def _same_item(cur_id: str, variants: Mapping[str, Record]) -> Resolution[str]:
    """The same item again (τ allows exchanging an item for a new one of the same variant)."""
    if cur_id in variants and variants[cur_id].get("available"):
        return Resolution.found(cur_id, note="same_item")
    return Resolution("none", unavailable=(cur_id,), note="unavailable")


def _free(want: Want, cur: Record) -> list[str]:
    """Options the customer said nothing about: they should stay as on the current item."""
    if want.release_all:
        return []
    return [o for o in cur if not want.constrains(o) and o not in want.released]


def _current(
    current: Mapping[str, Any] | str | None, variants: dict[str, Record]
) -> tuple[str | None, Record, float | None]:
    """The item being replaced: its id (found by its options when not given), options and price."""
    if current is None:
        return None, {}, None
    if isinstance(current, str):
        found = variants.get(current) or {}
        return current, dict(found.get("options", {})), _price(found)
    options = dict(current.get("options") or {})
    item_id = str(current.get("item_id")) if current.get("item_id") else None
    if item_id is None:
        item_id = next((k for k, v in variants.items() if dict(v.get("options") or {}) == options), None)
    price = _price(current) if current.get("price") is not None else _price(variants.get(item_id or "") or {})
    return item_id, options, price


def _price(record: Mapping[str, Any]) -> float | None:
    value = record.get("price")
    return None if value is None else float(value)


def _opt(variant: Mapping[str, Any], option: str) -> str | None:
    value = (variant.get("options") or {}).get(option)
    return None if value is None else str(value)


def _fits(
    variant: Record,
    want: Want,
    excluded: dict[str, set[str]],
    cur: Record,
    options: dict[str, list[str]],
    cur_price: float | None = None,
) -> bool:
    for option, acceptable in want.values.items():
        if _opt(variant, option) not in acceptable:
            return False
    for keys in want.either:
        if not any(_opt(variant, o) == v for o, v in keys):
            return False
    for option, ruled_out in excluded.items():
        if option in want.values and want.values[option] & ruled_out:
            continue
        if _opt(variant, option) in ruled_out:
            return False
    for relation in want.relations:
        if relation.superlative:
            continue
        if relation.option == PRICE:
            if cur_price is None:
                continue
            price = float(variant.get("price", 0))
            if (price <= cur_price) if relation.direction == "more" else (price >= cur_price):
                return False
            continue
        order = ranks(options[relation.option])
        here, there = _opt(variant, relation.option), cur.get(relation.option)
        if order is None or here is None or there not in order:
            return False
        if (order[here] <= order[there]) if relation.direction == "more" else (order[here] >= order[there]):
            return False
    return True


def _select(available: list[Record], want: Want, cur: Record, options: dict[str, list[str]]) -> list[Record]:
    chosen = list(available)
    for relation in want.relations:
        if relation.option == PRICE:
            if relation.superlative:
                pick = min if relation.direction == "less" else max
                best = pick(float(v.get("price", 0)) for v in chosen)
                chosen = [v for v in chosen if float(v.get("price", 0)) == best]
            continue
        order = ranks(options[relation.option]) or {}
        values = [order[x] for v in chosen if (x := _opt(v, relation.option)) in order]
        if not values:
            continue
        # "biggest" → the top; "bigger" → the nearest step up (and the other way round)
        wanted = max(values) if (relation.direction == "more") == relation.superlative else min(values)
        chosen = [v for v in chosen if order.get(_opt(v, relation.option) or "") == wanted]
    free = _free(want, cur)
    if free and len(chosen) > 1:
        score = {id(v): sum(_opt(v, o) == str(cur[o]) for o in free) for v in chosen}
        top = max(score.values())
        chosen = [v for v in chosen if score[id(v)] == top]
    return chosen


def _closest_ids(matching: list[Record], cur: Record, want: Want) -> list[str]:
    """The out-of-stock variants that were asked for: those closest to the current item."""
    if not matching:
        return []
    free = _free(want, cur)
    score = {id(v): sum(_opt(v, o) == str(cur[o]) for o in free) for v in matching}
    top = max(score.values())
    return [str(v["item_id"]) for v in matching if score[id(v)] == top]


def _ideal_out_of_stock(matching: list[Record], chosen: list[Record], want: Want, cur: Record) -> list[str]:
    """The variant that keeps every unmentioned option as it is, when only that one is out of stock."""
    free = _free(want, cur)
    if not free or any(all(_opt(v, o) == str(cur[o]) for o in free) for v in chosen):
        return []
    return [
        str(v["item_id"])
        for v in matching
        if not v.get("available") and all(_opt(v, o) == str(cur[o]) for o in free)
    ]
