"""The retail policy as code (τ-bench retail wiki and τ² policy). Each check returns ``None`` when the
action is allowed, else a ``Refusal`` whose ``reason`` is a key into the pack's response templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kefu.packs.retail.shop import Record

CANCEL_REASONS = ("no longer needed", "ordered by mistake")
MODIFIED_STATUS = "pending (item modified)"


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


def _is_pending(order: Record) -> bool:
    """τ²'s loose check for the address and payment changes: ``pending (item modified)`` counts."""
    return "pending" in _status(order)


def check_address(address: Record) -> Refusal | None:
    for key in ("address1", "city", "zip"):
        if not str(address.get(key, "")).strip():
            return Refusal("bad_address", {"missing": key})
    return None


def check_modify_address(order: Record, address: Record) -> Refusal | None:
    """A pending order's shipping address; still allowed after its items were modified (as in τ²)."""
    if not _is_pending(order):
        return Refusal("not_pending", {"status": _status(order)})
    return check_address(address)


def check_modify_user_address(user: Record | None, address: Record) -> Refusal | None:
    if user is None:
        return Refusal("not_verified")
    return check_address(address)


def _is_gift_card(method: Record) -> bool:
    return method.get("source") == "gift_card"


def _order_item_ids(order: Record) -> list[str]:
    return [str(item["item_id"]) for item in order.get("items", [])]


def _refund_allowed(order: Record, user: Record, payment_method_id: str) -> Refusal | None:
    methods = user.get("payment_methods", {})
    if payment_method_id not in methods:
        return Refusal("unknown_payment_method", {"payment_method_id": payment_method_id})
    history = order.get("payment_history", [])
    original = str(history[0].get("payment_method_id")) if history else None
    if payment_method_id != original and not _is_gift_card(methods[payment_method_id]):
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


def _check_new_items(
    order: Record,
    products: dict[str, Record],
    item_ids: list[str],
    new_item_ids: list[str],
    allow_same: bool,
) -> Refusal | None:
    """Each old item is in the order (as many times as listed) and its new item is an available variant
    of the same product; another variant unless ``allow_same``."""
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
        if new_id == old_id and not allow_same:
            return Refusal("same_item", {"item_id": new_id})
        if not variant.get("available", False):
            return Refusal("variant_unavailable", {"item_id": new_id})
    return None


def _check_difference_method(user: Record, payment_method_id: str, difference: float) -> Refusal | None:
    """The method exists, and a gift card's balance covers a positive difference."""
    methods = user.get("payment_methods", {})
    if payment_method_id not in methods:
        return Refusal("unknown_payment_method", {"payment_method_id": payment_method_id})
    method = methods[payment_method_id]
    if _is_gift_card(method) and float(method.get("balance", 0)) < difference:
        return Refusal(
            "gift_card_balance", {"balance": method.get("balance", 0), "needed": round(difference, 2)}
        )
    return None


def check_exchange(
    order: Record,
    user: Record,
    products: dict[str, Record],
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> Refusal | None:
    """Delivered items for available variants of the same products. As in τ², the same variant is
    allowed (a replacement of a faulty item)."""
    if _status(order) != "delivered":
        return Refusal("not_delivered", {"status": _status(order)})
    refusal = _check_new_items(order, products, item_ids, new_item_ids, allow_same=True)
    if refusal is not None:
        return refusal
    return _check_difference_method(
        user, payment_method_id, price_difference(order, products, item_ids, new_item_ids)
    )


def check_modify_items(
    order: Record,
    user: Record,
    products: dict[str, Record],
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> Refusal | None:
    """Items of a pending order, once: afterwards the status is ``pending (item modified)``."""
    if _status(order) == MODIFIED_STATUS:
        return Refusal("items_already_modified", {"status": MODIFIED_STATUS})
    if _status(order) != "pending":
        return Refusal("not_pending", {"status": _status(order)})
    refusal = _check_new_items(order, products, item_ids, new_item_ids, allow_same=False)
    if refusal is not None:
        return refusal
    return _check_difference_method(
        user, payment_method_id, item_price_difference(order, products, item_ids, new_item_ids)
    )


def check_modify_payment(order: Record, user: Record, payment_method_id: str) -> Refusal | None:
    """A pending order paid once may move to another method of the customer; a gift card must cover
    the whole amount. After an item change or an earlier payment change there is more than one
    transaction, and τ² refuses."""
    if not _is_pending(order):
        return Refusal("not_pending", {"status": _status(order)})
    methods = user.get("payment_methods", {})
    if payment_method_id not in methods:
        return Refusal("unknown_payment_method", {"payment_method_id": payment_method_id})
    history = order.get("payment_history", [])
    if len(history) != 1 or history[0].get("transaction_type") != "payment":
        return Refusal("payment_not_modifiable", {"transactions": len(history)})
    if history[0].get("payment_method_id") == payment_method_id:
        return Refusal("same_payment_method", {"payment_method_id": payment_method_id})
    amount = float(history[0].get("amount", 0))
    method = methods[payment_method_id]
    if _is_gift_card(method) and float(method.get("balance", 0)) < amount:
        return Refusal("gift_card_balance", {"balance": method.get("balance", 0), "needed": amount})
    return None


def item_price_difference(
    order: Record, products: dict[str, Record], item_ids: list[str], new_item_ids: list[str]
) -> float:
    """The difference summed in τ²'s order, not rounded (τ² stores it so for an item modification)."""
    items = {str(i["item_id"]): i for i in order.get("items", [])}
    total = 0.0
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        old = items[old_id]
        variant = products[str(old["product_id"])]["variants"][new_id]
        total += float(variant["price"]) - float(old["price"])
    return total


def price_difference(
    order: Record, products: dict[str, Record], item_ids: list[str], new_item_ids: list[str]
) -> float:
    """What the customer pays (positive) or gets back (negative) for an exchange."""
    return round(item_price_difference(order, products, item_ids, new_item_ids), 2)


def order_total(order: Record) -> float:
    return round(sum(float(i.get("price", 0)) for i in order.get("items", [])), 2)


def original_payment_method(order: Record) -> str | None:
    for entry in order.get("payment_history", []):
        if entry.get("transaction_type") == "payment":
            return str(entry.get("payment_method_id"))
    return None
