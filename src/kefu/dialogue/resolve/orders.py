"""Which of the customer's own orders they mean: an explicit id ("#W2378156", "W2378156", "2378156"),
its contents ("the one with the hiking boots", "有登山靴的那个"), its status ("the pending one",
"已发货的那单"), its place in the list just shown ("the second one", "第二个", "the last one"), "the other
one" (not ``current``), or "that order" / "it" (``current``, else the newest ``mentioned``).
``resolve_orders`` reads plurals: "both orders", "all my pending orders", "两个订单都".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kefu.dialogue.resolve.catalogue import find_products, find_values, negated, option_values
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.items import price_word as _price_word
from kefu.dialogue.resolve.text import Analysed, analyse
from kefu.dialogue.resolve.types import Resolution
from kefu.nlu import entities

Record = Mapping[str, Any]
Orders = Sequence[Record] | Mapping[str, Record]

_STATUS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(rx), frozenset(statuses))
    for rx, statuses in (
        (r"\b(?:not|never|haven'?t|hasn'?t|didn'?t|have not|has not|did not)\s+(?:been\s+|yet\s+)?"
         r"(?:received|arrived|delivered|got|gotten|come)\b|还没(?:有)?(?:收到|到|送达)|没收到|未收到|未送达",
         {"pending", "processed"}),
        (r"\b(?:not|hasn'?t|haven'?t|has not|have not)\s+(?:been\s+|yet\s+)?(?:shipped|sent|processed)\b|"
         r"\bnot yet shipped\b|还没(?:有)?发货|未发货|没发货|待发货|待处理|还没处理", {"pending"}),
        (r"\bpending\b|\bunshipped\b|\bnot shipped\b|待处理|处理中|未处理", {"pending"}),
        (r"\b(?:processed|shipped|in transit|on (?:the|its) way|out for delivery|dispatched)\b|"
         r"已发货|发货了|运输中|配送中|在路上|派送中|已处理", {"processed"}),
        (r"\b(?:delivered|received|arrived)\b|"
         r"已送达|已收到|收到了|收到的|签收|到了的|已签收|送到了",
         {"delivered"}),
        (r"\b(?:cancelled|canceled)\b|已取消|取消了的|取消掉的", {"cancelled"}),
        (r"\bexchange requested\b|换货中", {"exchange requested"}),
        (r"\breturn requested\b|退货中", {"return requested"}),
    )
)  # fmt: skip
_OTHER = re.compile(
    r"\b(?:the other(?: one| order)?|other one|other order|another one|not (?:that|this) one)\b|"
    r"另一个|另外一个|另一单|另外那个|另外一单|另外的订单|另一笔|不是这个|不是这单|其他订单"
)
_BACK = re.compile(
    r"\b(?:that|this|the same|same)\s+(?:order|one|package|parcel)\b|\bthat one\b|\bit\b|\bthem\b|"
    r"那个订单|这个订单|这单|那单|这笔|那笔|上一个订单|上个订单|上一单|上一笔|前一个订单|之前那单|刚才那个|刚才的订单|"
    r"刚才那单|同一个订单|同一单|这个|那个"
)
_GENERIC = re.compile(r"\b(?:my|the|an|this)\s+(?:order|purchase|package|parcel)\b|订单|包裹|快递")
_PLURAL_ALL = re.compile(
    r"\b(?:all|every|each)\b(?:\s+(?:of\s+)?(?:my|the))?(?:\s+\w+){0,2}\s+(?:orders|ones|of them)\b|"
    r"\ball of (?:them|my orders)\b|所有|全部|每个订单|每一个订单|每一单|订单都|都取消|都退|都要退|都换"
)
_BOTH = re.compile(r"\bboth\b|两个订单|两单|两个都|两笔")
_BARE_ID = re.compile(r"(?<![\d#wW])(\d{7})(?!\d)")


@dataclass(frozen=True)
class _Reading:
    explicit: tuple[str, ...]
    other: bool
    back: bool
    positions: tuple[int, ...]
    statuses: frozenset[str]
    products: tuple[str, ...]
    missing: tuple[str, ...]
    values: tuple[tuple[str, str], ...]


def _orders(orders: Orders) -> list[Record]:
    return list(orders.values()) if isinstance(orders, Mapping) else list(orders)


def _read(text: str, orders: list[Record], glossary: Glossary) -> tuple[_Reading, Analysed]:
    analysed = analyse(text)
    own = {str(o.get("order_id")) for o in orders}
    explicit = [i for i in entities.order_ids(text) if not _negated_id(analysed, i)]
    explicit += ["#W" + m.group(1) for m in _BARE_ID.finditer(analysed.folded) if "#W" + m.group(1) in own]
    statuses: set[str] = set()
    taken: list[tuple[int, int]] = []
    for regex, found in _STATUS:
        for match in regex.finditer(analysed.folded):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append(match.span())
            statuses |= found
    items = [item for o in orders for item in o.get("items", [])]
    names = list(dict.fromkeys(str(i.get("name", "")) for i in items))
    by_span: dict[tuple[int, int], list[str]] = {}
    exact: dict[tuple[int, int], bool] = {}
    for mention in find_products(analysed, [*names, *glossary.product_names()], glossary):
        if negated(analysed, mention.span):
            continue
        by_span.setdefault(mention.span, []).append(mention.key)
        exact[mention.span] = exact.get(mention.span, True) and mention.exact
    products, missing = [], []
    for span, keys in by_span.items():
        mine = [k for k in keys if k in names]
        if mine:
            products.append(mine[0] if len(mine) == 1 else "|".join(mine))
        elif exact[span]:
            missing.extend(keys)
    spoken = {
        o: [v for v in vs if v.lower() not in ("yes", "no", "none")] for o, vs in option_values(items).items()
    }
    values = tuple((m.option, m.value) for m in find_values(analysed, spoken, glossary))
    positions = tuple(entities.ordinals(text)) if not products else ()
    reading = _Reading(
        explicit=tuple(dict.fromkeys(explicit)),
        other=bool(_OTHER.search(analysed.folded)),
        back=bool(_BACK.search(analysed.folded)),
        positions=positions,
        statuses=frozenset(statuses),
        products=tuple(dict.fromkeys(products)),
        missing=tuple(dict.fromkeys(missing)),
        values=values,
    )
    return reading, analysed


def _negated_id(text: Analysed, order_id: str) -> bool:
    at = text.folded.find(order_id[2:])
    return at >= 0 and bool(
        re.search(r"(?:\bnot\b|不是|而不是)\s*#?w?\s*$", text.folded[max(0, at - 12) : at])
    )


def _filtered(orders: list[Record], reading: _Reading) -> list[Record]:
    found = orders
    if reading.statuses:
        found = [o for o in found if str(o.get("status")) in reading.statuses]
    for product in reading.products:
        names = set(product.split("|"))
        found = [o for o in found if names & {str(i.get("name")) for i in o.get("items", [])}]
    if reading.values and found:

        def score(order: Record) -> int:
            options = [i.get("options") or {} for i in order.get("items", [])]
            return sum(any(str(opt.get(o)) == v for opt in options) for o, v in reading.values)

        best = max(score(o) for o in found)
        if best:
            found = [o for o in found if score(o) == best]
    return found


def _by_price(pool: list[Record], reading: _Reading, price: str) -> Resolution[str]:
    """ "The pricier one": by the price of the item named in each order, else by the order's total."""
    names = {n for p in reading.products for n in p.split("|")}

    def cost(order: Record) -> float:
        items = order.get("items", [])
        named = [float(i.get("price") or 0) for i in items if not names or i.get("name") in names]
        return max(named, default=0.0) if names else sum(float(i.get("price") or 0) for i in items)

    best = (max if price == "max" else min)(cost(o) for o in pool)
    top = [o for o in pool if cost(o) == best]
    if len(top) == 1:
        return Resolution.found(str(top[0].get("order_id")), note="by_item_price" if names else "by_total")
    return Resolution.choose(_ids(top), _distinguishing(top))


def _distinguishing(orders: list[Record]) -> tuple[str, ...]:
    out = []
    if len({str(o.get("status")) for o in orders}) > 1:
        out.append("status")
    if len({tuple(sorted(str(i.get("name")) for i in o.get("items", []))) for o in orders}) > 1:
        out.append("items")
    for key in ("created_at", "date"):
        if len({str(o.get(key)) for o in orders if o.get(key)}) > 1:
            out.append("date")
    return tuple(out) or ("order_id",)


def _ids(orders: list[Record]) -> tuple[str, ...]:
    return tuple(str(o.get("order_id")) for o in orders)


def _described(reading: _Reading) -> bool:
    return bool(reading.statuses or reading.products or reading.values)


def resolve_order(
    text: str,
    lang: str,
    orders: Orders,
    *,
    last_listed: Sequence[str] = (),
    current: str | None = None,
    mentioned: Sequence[str] = (),
    glossary: Glossary | None = None,
) -> Resolution[str]:
    """One order id of the customer's ``orders`` (τ shape), or candidates to ask about."""
    del lang
    glossary = glossary or Glossary.empty()
    mine = _orders(orders)
    own = {str(o.get("order_id")): o for o in mine}
    reading, _ = _read(text, mine, glossary)
    if reading.explicit:
        if len(reading.explicit) == 1:
            order_id = reading.explicit[0]
            return Resolution.found(order_id, note="" if order_id in own else "not_customer_order")
        return Resolution.choose(reading.explicit, ("order_id",))
    if reading.missing and not reading.products:
        return Resolution(
            "none", unavailable=reading.missing, note="item_not_in_orders:" + ",".join(reading.missing)
        )
    listed = [own[i] for i in last_listed if i in own]
    if reading.other:
        return _other(mine, listed, reading, current, mentioned, own)
    if reading.positions and listed:
        index = reading.positions[0]
        if -len(listed) <= index < len(listed):
            return Resolution.found(str(listed[index].get("order_id")), note="position")
    price = _price_word(analyse(text).folded)
    if price:
        pool = _filtered(mine, reading) if _described(reading) else listed or mine
        if listed and len(pool) > 1:
            pool = [o for o in pool if o in listed] or pool
        if len(pool) > 1:
            return _by_price(pool, reading, price)
    if _described(reading):
        found = _filtered(mine, reading)
        if listed and len(found) > 1:
            found = [o for o in found if o in listed] or found
        if len(found) == 1:
            return Resolution.found(str(found[0].get("order_id")), note="described")
        if found:
            return Resolution.choose(_ids(found), _distinguishing(found))
        note = "no_order_with:" + ",".join(sorted(reading.statuses) + list(reading.products))
        return Resolution("none", unavailable=reading.missing, note=note)
    if reading.back:
        if current:
            return Resolution.found(current, note="current")
        if mentioned:
            return Resolution.found(mentioned[-1], note="mentioned")
    if len(mine) == 1 and _GENERIC.search(analyse(text).folded):
        return Resolution.found(str(mine[0].get("order_id")), note="only_order")
    return Resolution.nothing()


def _other(
    mine: list[Record],
    listed: list[Record],
    reading: _Reading,
    current: str | None,
    mentioned: Sequence[str],
    own: Mapping[str, Record],
) -> Resolution[str]:
    """ "The other one": an order talked about that is not the current one, else one of the list, else
    of all the customer's orders."""
    others = [i for i in reversed(list(dict.fromkeys(mentioned))) if i != current and i in own]
    for pool in ([own[i] for i in others], [o for o in listed if o.get("order_id") != current],
                 [o for o in mine if o.get("order_id") != current]):  # fmt: skip
        if _described(reading):
            pool = _filtered(pool, reading)
        if len(pool) == 1:
            return Resolution.found(str(pool[0].get("order_id")), note="other")
        if pool:
            return Resolution.choose(_ids(pool), _distinguishing(pool))
    return Resolution.nothing("no_other_order")


def resolve_orders(
    text: str,
    lang: str,
    orders: Orders,
    *,
    last_listed: Sequence[str] = (),
    current: str | None = None,
    mentioned: Sequence[str] = (),
    glossary: Glossary | None = None,
) -> Resolution[tuple[str, ...]]:
    """Several orders: "both orders", "all my pending orders", "the orders with the boots", explicit ids;
    a single reference comes back as a one-element tuple."""
    glossary = glossary or Glossary.empty()
    mine = _orders(orders)
    own = {str(o.get("order_id")): o for o in mine}
    reading, analysed = _read(text, mine, glossary)
    if len(reading.explicit) > 1:
        return Resolution.found(reading.explicit)
    listed = [own[i] for i in last_listed if i in own]
    folded = analysed.folded
    plural = re.search(r"\b(?:all|every|each)\b|所有|全部", folded) is not None and any(
        m.plural
        for m in find_products(analysed, [n for p in reading.products for n in p.split("|")], glossary)
    )  # "all my pending t-shirts": every order that has one
    wants_all = (
        plural or bool(_PLURAL_ALL.search(folded)) or re.search(r"\borders\b|\bones\b", folded) is not None
    )
    if _BOTH.search(folded):
        pool = listed if len(listed) == 2 else _filtered(mine, reading) if _described(reading) else mine
        if len(pool) == 2:
            return Resolution.found(_ids(pool))
        if len(pool) > 2:
            pairs = tuple(itertools.islice(itertools.combinations(_ids(pool), 2), 12))
            return Resolution.choose(pairs, _distinguishing(pool))
    if wants_all and not reading.explicit and (_described(reading) or _PLURAL_ALL.search(folded)):
        pool = _filtered(mine, reading)
        if pool:
            return Resolution.found(_ids(pool), note="all")
        return Resolution.nothing("no_order_with:" + ",".join(sorted(reading.statuses)))
    single = resolve_order(
        text, lang, orders, last_listed=last_listed, current=current, mentioned=mentioned, glossary=glossary
    )
    if single.resolved and single.value is not None:
        return Resolution.found((single.value,), note=single.note)
    if single.outcome == "ambiguous":
        return Resolution.choose(tuple((c,) for c in single.candidates), single.distinguishing)
    return Resolution("none", unavailable=single.unavailable, note=single.note)
