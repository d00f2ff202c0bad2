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
from dataclasses import dataclass, field
from typing import Any

from kefu.dialogue.resolve.catalogue import (
    Mention,
    find_options,
    find_products,
    find_values,
    negated,
    option_values,
)
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.scales import PRICE, Relation, ranks, relations
from kefu.dialogue.resolve.text import Analysed, Span, analyse
from kefu.dialogue.resolve.types import Resolution

Record = dict[str, Any]

_NEW_ALTERNATIVE = re.compile(
    r"\b(?:otherwise|or else|else|if not|failing that|second choice|next best|if there isn'?t (?:one|any)|"
    r"if (?:it'?s|that'?s|they'?re|it is|that is) (?:not available|unavailable|out of stock|sold out)|"
    r"if (?:not |un)available|if (?:you )?(?:don'?t|do not|can'?t) have (?:it|that|one|them|any))\b|>|"
    r"否则|不然|没有的话|没货的话|如果没有的话|没有就|实在不行|其次|再不行|不行的话|或者"
)
_SOFT = re.compile(r"\b(?:prefer|preferably|preferred|ideally|if possible|if you can)\b|最好|尽量|优先")
_SENTENCE_END = re.compile(r"[.;!?。；！？\n]")
_KEEP_BEFORE = re.compile(
    r"(?:\b(?:same|keep|keeping|identical|unchanged)(?: the)?\s*$)|(?:同样的?|一样的?|相同的?|保持)$"
)
_KEEP_AFTER = re.compile(
    r"^\s*(?:stays?\b|unchanged|the same|as (?:before|is|it is)|不变|一样|相同|保持不变)"
)
_OWNED = re.compile(
    r"\bas (?:the one|the ones|what|mine|my|the)\b[^.;,]*?\b(?:have|own|bought|got|already)\b|\bas mine\b|"
    r"\bas my\b|(?:和|跟|与)我(?:已经|之前|以前)?(?:有|买|买过|用)的"
)
_UNSPOKEN = frozenset({"yes", "no", "none"})  # never read from the bare word ("no, I want …")
_NONE_VALUES = ("none", "no", "not resistant")


@dataclass
class _Want:
    values: dict[str, set[str]] = field(default_factory=dict)  # option → acceptable values
    either: list[set[tuple[str, str]]] = field(default_factory=list)  # one span, several options
    relations: list[Relation] = field(default_factory=list)
    soft: set[str] = field(default_factory=set)
    said: list[str] = field(default_factory=list)

    def copy(self) -> _Want:
        return _Want(
            {k: set(v) for k, v in self.values.items()},
            list(self.either),
            list(self.relations),
            set(self.soft),
            list(self.said),
        )

    def empty(self) -> bool:
        return not (self.values or self.either or self.relations)


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
    cur_id, cur = _current(current, variants)
    analysed = analyse(text)
    wants, excluded = _wants(analysed, options, cur, owned, glossary)
    if all(w.empty() for w in wants) and not excluded:
        return Resolution.nothing("no_preference")
    unavailable: list[str] = []
    for want in wants:
        matching = [v for k, v in variants.items() if k != cur_id and _fits(v, want, excluded, cur, options)]
        available = [v for v in matching if v.get("available")]
        if not available:
            unavailable.extend(_closest_ids(matching, cur, want))
            continue
        chosen = _select(available, want, cur, options)
        unavailable.extend(_ideal_out_of_stock(matching, chosen, want, cur))
        if len(chosen) == 1:
            picked = chosen[0]
            changed = [o for o in options if cur and o not in want.values and _opt(picked, o) != cur.get(o)]
            changed = [o for o in changed if not any(r.option == o for r in want.relations)]
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
    return Resolution(
        "none",
        unavailable=tuple(dict.fromkeys(unavailable)),
        note="unavailable" if unavailable else "no_match",
    )


def _current(
    current: Mapping[str, Any] | str | None, variants: dict[str, Record]
) -> tuple[str | None, Record]:
    if current is None:
        return None, {}
    if isinstance(current, str):
        found = variants.get(current)
        return current, dict(found.get("options", {})) if found else {}
    return (str(current.get("item_id")) if current.get("item_id") else None), dict(
        current.get("options") or {}
    )


def _opt(variant: Mapping[str, Any], option: str) -> str | None:
    value = (variant.get("options") or {}).get(option)
    return None if value is None else str(value)


def _wants(
    text: Analysed,
    options: dict[str, list[str]],
    cur: Record,
    owned: Sequence[Mapping[str, Any]],
    glossary: Glossary,
) -> tuple[list[_Want], dict[str, set[str]]]:
    """The customer's alternatives in order of preference, and the values they ruled out."""
    spoken = {o: [v for v in vals if v.lower() not in _UNSPOKEN] for o, vals in options.items()}
    values = find_values(text, spoken, glossary)
    names = find_options(text, options, glossary)
    events: list[tuple[Span, str, Any]] = []
    excluded: dict[str, set[str]] = {}
    by_span: dict[Span, list[Mention]] = {}
    for mention in values:
        by_span.setdefault(mention.span, []).append(mention)
    value_spans = list(by_span)
    for span, group in by_span.items():
        if negated(text, span):
            for m in group:
                excluded.setdefault(m.option, set()).add(m.value)
        else:
            events.append((span, "value", group))
    for mention in names:
        if any(s <= mention.span[0] and mention.span[1] <= e for s, e in value_spans):
            continue
        kept = _kept(text, mention, cur, owned, options, glossary)
        if kept:
            events.append((mention.span, "keep", (mention.key, kept)))
        elif negated(text, mention.span):
            none = next((v for v in options[mention.key] if v.lower() in _NONE_VALUES), None)
            if none:
                events.append(
                    (mention.span, "value", [Mention(mention.span, f"{mention.key}\0{none}", True)])
                )
        elif {v.lower() for v in options[mention.key]} == {"yes", "no"}:
            yes = next(v for v in options[mention.key] if v.lower() == "yes")
            events.append((mention.span, "value", [Mention(mention.span, f"{mention.key}\0{yes}", True)]))
    events.extend((r.span, "relation", r) for r in relations(text, options, glossary))
    events.sort(key=lambda e: e[0])
    return _alternatives(text, events), excluded


def _kept(
    text: Analysed,
    mention: Mention,
    cur: Record,
    owned: Sequence[Mapping[str, Any]],
    options: dict[str, list[str]],
    glossary: Glossary,
) -> set[str]:
    before = text.folded[max(0, mention.span[0] - 16) : mention.span[0]]
    after = text.folded[mention.span[1] : mention.span[1] + 60]
    if not (_KEEP_BEFORE.search(before) or _KEEP_AFTER.search(after)):
        return set()
    option = mention.key
    if _OWNED.search(after) or _OWNED.search(text.folded[max(0, mention.span[0] - 20) : mention.span[0]]):
        items = [o for o in owned if option in (o.get("options") or {})]
        named = find_products(analyse(after), [str(o.get("name", "")) for o in items], glossary)
        if named:
            items = [o for o in items if o.get("name") in {m.key for m in named}]
        found = {str(o["options"][option]) for o in items} & set(options[option])
        if found:
            return found
    return {str(cur[option])} if option in cur else set()


def _alternatives(text: Analysed, events: list[tuple[Span, str, Any]]) -> list[_Want]:
    markers = [m.start() for m in _NEW_ALTERNATIVE.finditer(text.folded)]
    soft_from = [m.start() for m in _SOFT.finditer(text.folded)]
    ends = [m.start() for m in _SENTENCE_END.finditer(text.folded)] + [len(text.folded)]
    wants = [_Want()]
    last = -1
    for span, kind, payload in events:
        want = wants[-1]
        if any(last < p <= span[0] for p in markers) and not want.empty():
            want = want.copy()
            wants.append(want)
        last = span[1]
        soft = any(s <= span[0] < min(e for e in ends if e > s) for s in soft_from)
        if kind == "relation":
            want.relations = [r for r in want.relations if r.option != payload.option] + [payload]
            continue
        if kind == "keep":
            option, kept = payload
            want.values[option] = set(kept)
            continue
        group: list[Mention] = payload
        keys = {(m.option, m.value) for m in group}
        if len({o for o, _ in keys}) > 1:
            want.either.append(keys)
            continue
        option = group[0].option
        value = {m.value for m in group}
        if (
            option in want.said
            and want.values.get(option) not in (None, value)
            and not want.values[option] >= value
        ):
            want = want.copy()
            wants.append(want)
        want.values[option] = value
        want.said.append(option)
        if soft:
            want.soft.add(option)
    if wants[-1].soft:
        relaxed = wants[-1].copy()
        for option in relaxed.soft:
            relaxed.values.pop(option, None)
        relaxed.soft.clear()
        wants.append(relaxed)
    return wants


def _fits(
    variant: Record, want: _Want, excluded: dict[str, set[str]], cur: Record, options: dict[str, list[str]]
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
            if "price" not in cur:
                continue
            price = float(variant.get("price", 0))
            if (
                (price <= float(cur["price"]))
                if relation.direction == "more"
                else (price >= float(cur["price"]))
            ):
                return False
            continue
        order = ranks(options[relation.option])
        here, there = _opt(variant, relation.option), cur.get(relation.option)
        if order is None or here is None or there not in order:
            return False
        if (order[here] <= order[there]) if relation.direction == "more" else (order[here] >= order[there]):
            return False
    return True


def _select(available: list[Record], want: _Want, cur: Record, options: dict[str, list[str]]) -> list[Record]:
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
    if cur and len(chosen) > 1:
        free = [o for o in options if o not in want.values and o in cur]
        score = {id(v): sum(_opt(v, o) == str(cur[o]) for o in free) for v in chosen}
        top = max(score.values())
        chosen = [v for v in chosen if score[id(v)] == top]
    return chosen


def _closest_ids(matching: list[Record], cur: Record, want: _Want) -> list[str]:
    """The out-of-stock variants that were asked for: those closest to the current item."""
    if not matching:
        return []
    free = [o for o in cur if o not in want.values]
    score = {id(v): sum(_opt(v, o) == str(cur[o]) for o in free) for v in matching}
    top = max(score.values())
    return [str(v["item_id"]) for v in matching if score[id(v)] == top]


def _ideal_out_of_stock(matching: list[Record], chosen: list[Record], want: _Want, cur: Record) -> list[str]:
    """The variant that keeps every unmentioned option as it is, when only that one is out of stock."""
    free = [o for o in cur if o not in want.values and not any(r.option == o for r in want.relations)]
    if not cur or not free or any(all(_opt(v, o) == str(cur[o]) for o in free) for v in chosen):
        return []
    return [
        str(v["item_id"])
        for v in matching
        if not v.get("available") and all(_opt(v, o) == str(cur[o]) for o in free)
    ]
