"""Reading slot values out of a customer message, given what the conversation already knows."""

from __future__ import annotations

import re
from typing import Any

from kefu.nlu import entities
from kefu.packs.retail.shop import Record

_BACK_REF_EN = re.compile(
    r"\b(that|this|the same|previous|last|my last|latest|most recent)\s+(order|one|package|parcel)\b|"
    r"\bthat one\b|\b(it|same one)\b",
    re.IGNORECASE,
)
_BACK_REF_ZH = re.compile(
    r"(上一个|上个|刚才|刚刚|那个|这个|那一|这一|同一个?)(订单|单|包裹|快递)?|这单|那单"
)
_OTHER = re.compile(
    r"\b(the other|other one|other order|another one|not that one)\b|"
    r"另一个|另外一个|另一单|另外那个|不是这个",
    re.IGNORECASE,
)
_ALL = re.compile(
    r"\b(all|everything|both|whole order|entire order)\b|全部|都|所有|整单|两件|全都", re.IGNORECASE
)
_MISTAKE = re.compile(r"mistake|wrong|accident|by error|错|误|不小心|拍错|下错|买错", re.IGNORECASE)
_NOT_NEEDED = re.compile(
    r"no longer|don't need|do not need|not need|dont need|changed my mind|don't want|dont want|not needed|"
    r"不需要|不想要|不要了|用不上|不用了|不想买|改主意",
    re.IGNORECASE,
)
_GIFT_CARD = re.compile(r"gift\s*card|礼品卡|购物卡", re.IGNORECASE)
_ORIGINAL = re.compile(r"original|same (card|method|payment)|原路|原支付|原来的", re.IGNORECASE)

COLOR_ZH = {
    "红": "red",
    "蓝": "blue",
    "黑": "black",
    "白": "white",
    "绿": "green",
    "灰": "gray",
    "黄": "yellow",
    "紫": "purple",
    "粉": "pink",
    "橙": "orange",
    "棕": "brown",
    "银": "silver",
    "金": "gold",
    "米": "beige",
}


def refers_back(text: str) -> bool:
    return bool(_BACK_REF_EN.search(text) or _BACK_REF_ZH.search(text))


def refers_to_other(text: str) -> bool:
    return bool(_OTHER.search(text))


def order_reference(text: str, state_memory: dict[str, Any], current: str | None) -> str | None:
    """An order id the message points at: explicit id, "the other one", an ordinal of the offered list,
    or "that order" / "上一个订单" (the last order mentioned)."""
    explicit = entities.order_ids(text)
    if explicit:
        return explicit[-1]
    mentioned: list[str] = list(state_memory.get("orders", []))
    if refers_to_other(text):
        others = [o for o in reversed(mentioned) if o != current]
        offered = [o for o in state_memory.get("offered", []) if o != current]
        if others:
            return others[0]
        if len(offered) == 1:
            return str(offered[0])
    index = entities.ordinal(text)
    offered_list: list[str] = list(state_memory.get("offered", []))
    if index is not None and offered_list and -len(offered_list) <= index < len(offered_list):
        return str(offered_list[index])
    if current is None and mentioned and refers_back(text):
        return mentioned[-1]
    return None


def cancel_reason(text: str) -> str | None:
    if _MISTAKE.search(text):
        return "ordered by mistake"
    if _NOT_NEEDED.search(text):
        return "no longer needed"
    return None


def chosen_items(text: str, order: Record) -> list[str] | None:
    """Item ids of the order the message names: "all", ordinals ("1 and 3", "第二个"), or product names."""
    items = order.get("items", [])
    if len(items) == 1:
        return [str(items[0]["item_id"])]
    if _ALL.search(text):
        return [str(i["item_id"]) for i in items]
    picked = named_items(text, items)
    if picked:
        return picked
    lowered = entities.fold(text).lower()
    numbers = [int(n) for n in re.findall(r"(?<![\d#Ww])([1-9])(?!\d)", lowered)]
    numbers.extend(n + 1 if n >= 0 else len(items) for n in entities.ordinals(text))
    chosen = [str(items[n - 1]["item_id"]) for n in dict.fromkeys(numbers) if 1 <= n <= len(items)]
    return chosen or None


def _name_words(name: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", name.lower())}


def named_items(text: str, items: list[Record]) -> list[str]:
    """Item ids the message names among ``items``: by full name (English or Chinese), else by a word of
    the name that no other product among them has ("keyboard", not "smart" when a smart watch and a
    smart thermostat are both there); a shared word alone names every item that has it."""
    lowered = entities.fold(text).lower()
    words = {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", lowered)}
    names = {str(i.get("name", "")).lower() for i in items}
    share: dict[str, int] = {}
    for name in names:
        for word in _name_words(name):
            share[word] = share.get(word, 0) + 1
    full = [
        str(i["item_id"])
        for i in items
        if (str(i.get("name", "")).lower() and str(i.get("name", "")).lower() in lowered)
        or (i.get("name_zh") and str(i["name_zh"]).lower() in lowered)
    ]
    distinct = [
        str(i["item_id"])
        for i in items
        if any(share.get(w) == 1 and w in words for w in _name_words(str(i.get("name", ""))))
    ]
    found = list(dict.fromkeys(full + distinct))
    if found:
        return [str(i["item_id"]) for i in items if str(i["item_id"]) in found]
    return [
        str(i["item_id"])
        for i in items
        if any(len(w) >= 4 and w in words for w in _name_words(str(i.get("name", ""))))
    ]


def names_item(lowered_text: str, item: Record) -> bool:
    """Does the message name this item: its full name, a distinctive word of it ("earbuds"), or its
    Chinese name?"""
    name_zh = str(item.get("name_zh", "")).lower()
    if name_zh and name_zh in lowered_text:
        return True
    return names_product(lowered_text, str(item.get("name", "")))


def names_product(lowered_text: str, product_name: str) -> bool:
    """The full name, or a word of it of 4+ letters (plural or singular), is in the (lower-cased) text."""
    name = product_name.lower()
    if name and name in lowered_text:
        return True
    words = set(re.findall(r"[a-z]{2,}", lowered_text))
    singular = {w[:-1] for w in words if w.endswith("s")}
    return any(len(w) >= 4 and (w in words or w in singular or w.rstrip("s") in words) for w in name.split())


def wanted_values(text: str) -> set[str]:
    """Option values a customer asks for: words plus Chinese colour names mapped to English."""
    folded = entities.fold(text).lower()
    words = re.sub(r"(?<=[a-z])['’](?:m|s|d|ll|re|ve|t)\b", "", folded)  # "I'm" is not size M
    values = set(re.findall(r"[a-z0-9][a-z0-9.\-]*", words))
    for zh, en in COLOR_ZH.items():
        if re.search(zh + "(色|的|款)", folded):  # "红色", "要白的"; not "明白", "金额", "红包"
            values.add(en)
    return values


def best_variant(product: Record, current: Record, text: str) -> Record | None:
    """The available variant of ``product`` closest to ``current`` that has every option value the
    customer named (and differs from the current item)."""
    wanted = wanted_values(text)
    variants = list(product.get("variants", {}).values())

    def mentioned(value: str) -> bool:
        return value in wanted or value.split()[0] in wanted

    every_value = {str(v).lower() for variant in variants for v in variant.get("options", {}).values()}
    named = {v for v in every_value if mentioned(v)}
    if not named:
        return None
    current_options = {k: str(v).lower() for k, v in (current.get("options") or {}).items()}
    best: tuple[int, Record] | None = None
    for variant in variants:
        if not variant.get("available") or variant["item_id"] == current.get("item_id"):
            continue
        options = {k: str(v).lower() for k, v in variant.get("options", {}).items()}
        if not named <= set(options.values()):
            continue
        unexplained = sum(1 for k, v in options.items() if current_options.get(k) != v and v not in named)
        if best is None or unexplained < best[0]:
            best = (unexplained, variant)
    return best[1] if best else None


def refund_method(text: str, user: Record, order: Record, original: str | None) -> str | None:
    methods: dict[str, Record] = user.get("payment_methods", {})
    if _GIFT_CARD.search(text):
        gift = [m for m, v in methods.items() if v.get("source") == "gift_card"]
        return gift[0] if gift else None
    if _ORIGINAL.search(text) or original in methods:
        return original
    return None
