"""The retail policy as code (τ-bench retail wiki and τ² policy). Each check returns ``None`` when the
action is allowed, else a ``Refusal`` whose ``reason`` is a key into the pack's response templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kefu.packs.retail.shop import Record

CANCEL_REASONS = ("no longer needed", "ordered by mistake")


@dataclass(frozen=True)
class Refusal:
    reason: str
    params: dict[str, Any] = field(default_factory=dict)


def _status(order: Record) -> str:
    return str(order.get("status", ""))


def check_cancel(order: Record, reason: str) -> Refusal | None:
    if _status(order) != "pending":
        return Refusal("not_pending", {"status": _status(order)})
    if reason not in CANCEL_REASONS:
        return Refusal("bad_cancel_reason", {"reason": reason})
    return None


def check_modify_address(order: Record, address: Record) -> Refusal | None:
    if _status(order) != "pending":
        return Refusal("not_pending", {"status": _status(order)})
    for key in ("address1", "city", "zip"):
        if not str(address.get(key, "")).strip():
            return Refusal("bad_address", {"missing": key})
    return None


def _order_item_ids(order: Record) -> list[str]:
    return [str(item["item_id"]) for item in order.get("items", [])]


def _refund_allowed(order: Record, user: Record, payment_method_id: str) -> Refusal | None:
    methods = user.get("payment_methods", {})
    if payment_method_id not in methods:
        return Refusal("unknown_payment_method", {"payment_method_id": payment_method_id})
    original = {str(p.get("payment_method_id")) for p in order.get("payment_history", [])}
    if payment_method_id not in original and methods[payment_method_id].get("source") != "gift_card":
        return Refusal("refund_method_not_allowed", {"payment_method_id": payment_method_id})
    return None


def check_return(order: Record, user: Record, item_ids: list[str], payment_method_id: str) -> Refusal | None:
    if _status(order) != "delivered":
        return Refusal("not_delivered", {"status": _status(order)})
    if not item_ids:
        return Refusal("no_items")
    available = _order_item_ids(order)
    for item_id in item_ids:
        if item_ids.count(item_id) > available.count(item_id):
            return Refusal("item_not_in_order", {"item_id": item_id})
    return _refund_allowed(order, user, payment_method_id)


def check_exchange(
    order: Record,
    user: Record,
    products: dict[str, Record],
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> Refusal | None:
    if _status(order) != "delivered":
        return Refusal("not_delivered", {"status": _status(order)})
    if not item_ids or len(item_ids) != len(new_item_ids):
        return Refusal("no_items")
    items = {str(i["item_id"]): i for i in order.get("items", [])}
    available = _order_item_ids(order)
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        if old_id not in items or item_ids.count(old_id) > available.count(old_id):
            return Refusal("item_not_in_order", {"item_id": old_id})
        product = products.get(str(items[old_id]["product_id"]))
        variant = (product or {}).get("variants", {}).get(new_id)
        if variant is None:
            return Refusal("not_same_product", {"item_id": new_id})
        if new_id == old_id:
            return Refusal("same_item", {"item_id": new_id})
        if not variant.get("available", False):
            return Refusal("variant_unavailable", {"item_id": new_id})
    methods = user.get("payment_methods", {})
    if payment_method_id not in methods:
        return Refusal("unknown_payment_method", {"payment_method_id": payment_method_id})
    difference = price_difference(order, products, item_ids, new_item_ids)
    method = methods[payment_method_id]
    if method.get("source") == "gift_card" and difference > float(method.get("balance", 0)):
        return Refusal(
            "gift_card_balance", {"balance": method.get("balance", 0), "needed": round(difference, 2)}
        )
    return None


def price_difference(
    order: Record, products: dict[str, Record], item_ids: list[str], new_item_ids: list[str]
) -> float:
    """What the customer pays (positive) or gets back (negative) for an exchange."""
    items = {str(i["item_id"]): i for i in order.get("items", [])}
    total = 0.0
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        old = items[old_id]
        variant = products[str(old["product_id"])]["variants"][new_id]
        total += float(variant["price"]) - float(old["price"])
    return round(total, 2)


def order_total(order: Record) -> float:
    return round(sum(float(i.get("price", 0)) for i in order.get("items", [])), 2)


def original_payment_method(order: Record) -> str | None:
    for entry in order.get("payment_history", []):
        if entry.get("transaction_type") == "payment":
            return str(entry.get("payment_method_id"))
    return None
