"""What each retail action does to the business records, with τ²-bench's state semantics: the fields
written, the status names, the payment history entries and the gift-card balances.

Every function checks the rule first (``ToolError`` whose ``user_message`` is the refusal reason) and
then changes the given records in place. Shops (SQL, in memory) own loading, locking and idempotency;
they call these so that every shop leaves the same state.

Two deliberate differences from τ²'s code, both where τ² corrupts its own data:
- an item modification writes each item's own new variant (price, options); τ² writes the last
  listed variant into every modified item (tau2-bench issues #317/#318);
- a cancellation refunds what each method paid net of earlier refunds; τ² refunds every history
  entry, so after a payment change it refunds a refund. For an order paid once (every order τ²
  can cancel without a payment change first) both are the same.
"""

from __future__ import annotations

from kefu.domain.errors import ToolError
from kefu.packs.retail import rules
from kefu.packs.retail.shop import Record

ADDRESS_FIELDS = ("address1", "address2", "city", "country", "state", "zip")


def _refuse(refusal: rules.Refusal | None, what: str) -> None:
    if refusal is not None:
        raise ToolError(refusal.reason, f"{what}: {refusal.params}")


def _gift_card(user: Record, payment_method_id: str) -> Record | None:
    method = user.get("payment_methods", {}).get(payment_method_id)
    return method if isinstance(method, dict) and method.get("source") == "gift_card" else None


def _credit(user: Record, payment_method_id: str, amount: float) -> None:
    """Add ``amount`` (negative: take it) to a gift card's balance, rounded to cents as τ² does."""
    card = _gift_card(user, payment_method_id)
    if card is not None:
        card["balance"] = round(float(card.get("balance", 0)) + amount, 2)


def _transaction(kind: str, amount: float, payment_method_id: str) -> Record:
    return {"transaction_type": kind, "amount": amount, "payment_method_id": payment_method_id}


def address_record(address: Record) -> Record:
    """The six address fields as strings, in τ²'s field order."""
    return {key: str(address.get(key, "") or "") for key in ADDRESS_FIELDS}


def net_payments(order: Record) -> list[tuple[str, float]]:
    """What each method has paid net of refunds, in the order the methods first appear."""
    totals: dict[str, float] = {}
    for entry in order.get("payment_history", []):
        method = str(entry.get("payment_method_id"))
        sign = 1.0 if entry.get("transaction_type") == "payment" else -1.0
        totals[method] = totals.get(method, 0.0) + sign * float(entry.get("amount", 0))
    return [(method, round(total, 2)) for method, total in totals.items() if round(total, 2) > 0]


def cancel(order: Record, user: Record, reason: str) -> None:
    """Status ``cancelled``, the reason, one refund per method; a gift card is credited at once."""
    _refuse(rules.check_cancel(order, reason), f"cancel {order.get('order_id')}")
    paid = net_payments(order)
    history = order.setdefault("payment_history", [])
    if len(history) == 1:
        paid = [(str(history[0]["payment_method_id"]), history[0]["amount"])]  # τ² copies the amount
    for method, amount in paid:
        history.append(_transaction("refund", amount, method))
        _credit(user, method, float(amount))
    order["status"] = "cancelled"
    order["cancel_reason"] = reason


def modify_address(order: Record, address: Record) -> None:
    _refuse(rules.check_modify_address(order, address), f"modify address {order.get('order_id')}")
    order["address"] = address_record(address)


def modify_user_address(user: Record, address: Record) -> None:
    _refuse(rules.check_modify_user_address(user, address), f"modify address of {user.get('user_id')}")
    user["address"] = address_record(address)


def modify_items(
    order: Record,
    user: Record,
    products: dict[str, Record],
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> None:
    """New variants of the same products in a pending order, once. The difference is one transaction
    on the given method (``payment`` when positive, else ``refund``, τ²'s unrounded amount), taken
    from or credited to a gift card at once; the status becomes ``pending (item modified)``."""
    refusal = rules.check_modify_items(order, user, products, item_ids, new_item_ids, payment_method_id)
    _refuse(refusal, f"modify items {order.get('order_id')}")
    difference = rules.item_price_difference(order, products, item_ids, new_item_ids)
    kind = "payment" if difference > 0 else "refund"
    order.setdefault("payment_history", []).append(_transaction(kind, abs(difference), payment_method_id))
    _credit(user, payment_method_id, -difference)
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        item = next(i for i in order["items"] if i["item_id"] == old_id)
        variant = products[str(item["product_id"])]["variants"][new_id]
        item["item_id"] = new_id
        item["price"] = variant["price"]
        item["options"] = dict(variant["options"])
    order["status"] = rules.MODIFIED_STATUS


def modify_payment(order: Record, user: Record, payment_method_id: str) -> None:
    """The single payment moves to another method: a payment on the new one and a refund on the old
    one (in that order, as τ² writes them), each settled on a gift card at once. Status unchanged."""
    refusal = rules.check_modify_payment(order, user, payment_method_id)
    _refuse(refusal, f"modify payment {order.get('order_id')}")
    history = order["payment_history"]
    amount, old_method = history[0]["amount"], str(history[0]["payment_method_id"])
    history.append(_transaction("payment", amount, payment_method_id))
    history.append(_transaction("refund", amount, old_method))
    _credit(user, payment_method_id, -float(amount))
    _credit(user, old_method, float(amount))


def return_items(order: Record, user: Record, item_ids: list[str], payment_method_id: str) -> None:
    """Status ``return requested``; the refund is paid when the items come back, not now."""
    _refuse(rules.check_return(order, user, item_ids, payment_method_id), f"return {order.get('order_id')}")
    order["status"] = "return requested"
    order["return_items"] = sorted(item_ids)
    order["return_payment_method_id"] = payment_method_id


def exchange_items(
    order: Record,
    user: Record,
    products: dict[str, Record],
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> None:
    """Status ``exchange requested``; the difference (rounded) is settled later, nothing is paid now."""
    refusal = rules.check_exchange(order, user, products, item_ids, new_item_ids, payment_method_id)
    _refuse(refusal, f"exchange {order.get('order_id')}")
    order["status"] = "exchange requested"
    order["exchange_items"] = sorted(item_ids)
    order["exchange_new_items"] = sorted(new_item_ids)
    order["exchange_payment_method_id"] = payment_method_id
    order["exchange_price_difference"] = rules.price_difference(order, products, item_ids, new_item_ids)
