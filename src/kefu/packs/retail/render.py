"""Orders, items and products as text, in zh or en."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kefu.dialogue.resolve.glossary import Glossary
from kefu.packs.retail.shop import Record

GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.yaml"


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    """The pack's product, option and value names in both languages."""
    return Glossary.load(GLOSSARY_FILE)


def shown(word: str, lang: str, option: str | None = None) -> str:
    """A catalogue word in the customer's language, where the glossary has a translation (as
    ``option``'s value when given: "low" ventilation is 低通风, "low" brightness 低亮度)."""
    return glossary().display(word, lang, option=option) if lang == "zh" else word


STATUS_ZH = {
    "pending": "待发货",
    "processed": "已发货（运输中）",
    "delivered": "已签收",
    "cancelled": "已取消",
    "return requested": "已申请退货",
    "exchange requested": "已申请换货",
    "pending (item modified)": "待发货（商品已修改）",
}
STATUS_EN = {"processed": "processed (shipped, in transit)"}


def status_text(status: str, lang: str) -> str:
    if lang == "zh":
        return STATUS_ZH.get(status, status)
    return STATUS_EN.get(status, status)


def item_name(item: Record, lang: str) -> str:
    name = str(
        item.get("name_zh")
        if lang == "zh" and item.get("name_zh")
        else shown(str(item.get("name", "")), lang)
    )
    options = item.get("options") or {}
    if options:
        words = [shown(str(v), lang, str(k)) for k, v in options.items()]
        joined = ("，" if lang == "zh" else ", ").join(words)
        name += f"（{joined}）" if lang == "zh" else f" ({joined})"
    return name


def money(amount: float) -> str:
    return f"${amount:,.2f}"


def items_text(items: list[Record], lang: str, numbered: bool = False) -> str:
    sep = "；" if lang == "zh" else "; "
    parts = []
    for index, item in enumerate(items, start=1):
        line = f"{item_name(item, lang)} {money(float(item.get('price', 0)))}"
        parts.append(f"{index}. {line}" if numbered else line)
    return ("\n" if numbered else sep).join(parts)


def tracking_ids(order: Record) -> list[str]:
    ids: list[str] = []
    for fulfilment in order.get("fulfillments", []) or []:
        ids.extend(str(t) for t in fulfilment.get("tracking_id", []) or [])
    return ids


def order_line(order: Record, lang: str) -> str:
    """``#W1 (delivered: Garden Hose, Wireless Earbuds)``: enough to tell orders apart."""
    status = status_text(str(order.get("status", "")), lang)
    names = [
        str(i.get("name_zh") if lang == "zh" and i.get("name_zh") else shown(str(i.get("name", "")), lang))
        for i in order.get("items", [])
    ]
    if lang == "zh":
        return f"{order['order_id']}（{status}：{'、'.join(names)}）"
    return f"{order['order_id']} ({status}: {', '.join(names)})"


def payment_method_text(method: Record, lang: str) -> str:
    source = str(method.get("source", ""))
    if source == "credit_card":
        brand = str(method.get("brand", "card"))
        return (
            f"{brand} 尾号 {method.get('last_four', '')}"
            if lang == "zh"
            else f"{brand} card ending {method.get('last_four', '')}"
        )
    if source == "gift_card":
        balance = money(float(method.get("balance", 0)))
        return f"礼品卡（余额 {balance}）" if lang == "zh" else f"gift card (balance {balance})"
    if source == "paypal":
        return "PayPal"
    return str(method.get("id", source))


def person_name(user: Record) -> str:
    """How to address a customer: "王伟" for Chinese names, else the first name ("James")."""
    name = user.get("name", {})
    first, last = str(name.get("first_name", "")), str(name.get("last_name", ""))
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return last + first
    return first


def product_name(product: Record, lang: str) -> str:
    if lang == "zh" and product.get("name_zh"):
        return str(product["name_zh"])
    return shown(str(product.get("name", "")), lang)
