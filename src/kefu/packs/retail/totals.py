"""Money totals the customer asks about: what this conversation's cancellations and returns refund ("what's
the total I'll get back?") and what an order costs ("how much did I pay for the rest of that order?")."""

from __future__ import annotations

import re
from typing import Any

from kefu.engine.context import TurnContext
from kefu.nlu import entities
from kefu.packs.retail import render, rules
from kefu.packs.retail.shop import Record
from kefu.packs.retail.view import ShopView

REFUNDING_TOOLS = frozenset({"cancel_pending_order", "return_delivered_order_items"})

_REFUND_TOTAL = re.compile(
    r"\b(total|altogether|in all|overall|sum)\b.{0,40}\b(refund\w*|back)\b"
    r"|\b(refund\w*|get back)\b.{0,30}\b(total|altogether|in all|overall|sum)\b"
    r"|\bhow much\b.{0,40}\b(refund\w*|get back|be back|back in total)\b"
    r"|(一共|总共|总计|合计|共).{0,8}(退|返还)|(退|返还).{0,6}(多少|几多)钱?|退款.{0,4}(总额|一共|总共)",
    re.IGNORECASE,
)
_ORDER_TOTAL = re.compile(
    r"\bhow much\b.{0,30}\b(pay|paid|cost|spend|spent)\b"
    r"|\b(total|full)\s+(price|cost|amount)\b.{0,30}\border\b|\border\b.{0,20}\btotal\b"
    r"|\bwhat did i pay\b|(付|花)了多少|总价|订单.{0,10}多少钱|一共.{0,4}多少钱",
    re.IGNORECASE,
)
_REST = re.compile(r"\b(rest|remaining|left|other items|kept|keep)\b|剩下|其余|其他|留下", re.IGNORECASE)
_QUESTION = re.compile(r"[?？]|吗|多少|\b(what|how|tell me)\b", re.IGNORECASE)


def asks_total(text: str) -> str | None:
    """ "refunds", "order" or None."""
    if not _QUESTION.search(text):
        return None
    return about_total(text)


def about_total(text: str) -> str | None:
    """The words are about a money total (a part of a message, its question mark split off)."""
    if _REFUND_TOTAL.search(text):
        return "refunds"
    if _ORDER_TOTAL.search(text):
        return "order"
    return None


def refund_of(view: ShopView, tool: str, arguments: dict[str, Any]) -> float:
    """What a confirmed cancellation or return gives back (read before the action runs)."""
    order = view.order(str(arguments.get("order_id", "")))
    if tool == "cancel_pending_order":
        return round(rules.order_total(order), 2)
    if tool == "return_delivered_order_items":
        left = list(order.get("items", []))
        total = 0.0
        for item_id in arguments.get("item_ids", []):
            match = next((i for i in left if str(i["item_id"]) == str(item_id)), None)
            if match is not None:
                left.remove(match)
                total += float(match["price"])
        return round(total, 2)
    return 0.0


def record_refund(ctx: TurnContext, order_id: str, amount: float) -> None:
    refunds = [*ctx.state.memory.get("refunds", []), [order_id, amount]]
    ctx.state.memory["refunds"] = refunds[-20:]


def answerable(ctx: TurnContext, kind: str) -> bool:
    if kind == "refunds":
        return bool(ctx.state.memory.get("refunds"))
    return bool(ctx.state.verified_customer)


def _order_asked(ctx: TurnContext, view: ShopView) -> Record:
    ids = entities.order_ids(ctx.text)
    handled = ctx.state.memory.get("handled") or []
    for order_id in (*ids, ctx.state.slots.get("order"), *(reversed(handled))):
        order = view.order(str(order_id)) if order_id else {}
        if order:
            return order
    orders = view.orders()
    return orders[0] if len(orders) == 1 else {}


def answer(ctx: TurnContext, view: ShopView, kind: str) -> tuple[str, dict[str, Any]] | None:
    """The template key and its fields, or None when there is nothing to total."""
    if kind == "refunds":
        refunds = [(str(o), float(a)) for o, a in ctx.state.memory.get("refunds", [])]
        if not refunds:
            return None
        lines = "\n".join(f"#{o.lstrip('#')}: {render.money(a)}" for o, a in refunds)
        return "totals.refunds", {"lines": lines, "total": render.money(sum(a for _, a in refunds))}
    order = _order_asked(ctx, view)
    if not order:
        return None
    items: list[Record] = list(order.get("items", []))
    key = "totals.order"
    if _REST.search(ctx.text) and order.get("return_items"):
        returned = [str(i) for i in order.get("return_items", [])]
        kept: list[Record] = []
        for item in items:
            if str(item["item_id"]) in returned:
                returned.remove(str(item["item_id"]))
            else:
                kept.append(item)
        items, key = kept, "totals.kept"
    total = round(sum(float(i["price"]) for i in items), 2)
    return key, {
        "order_id": order["order_id"],
        "items": render.items_text(items, ctx.lang),
        "total": render.money(total),
    }
