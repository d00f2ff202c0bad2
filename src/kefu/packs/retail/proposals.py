"""The action a filled retail flow proposes: the tool's arguments and what the confirmation shows, or the
business rule that refuses it (``rules.py``, the same checks the tools and the shop make)."""

from __future__ import annotations

from typing import Any

from kefu.engine.responder import Responder
from kefu.packs.retail import render, rules
from kefu.packs.retail.address import format_address
from kefu.packs.retail.shop import Record
from kefu.packs.retail.view import ShopView

Proposal = tuple[dict[str, Any], dict[str, Any]]


def build(
    view: ShopView, flow: str, slots: dict[str, Any], lang: str, say: Responder
) -> Proposal | rules.Refusal:
    user = view.user()
    if flow == "change_user_address":
        address: Record = slots["address"]
        check = getattr(rules, "check_modify_user_address", None)
        refusal = check(user, address) if check else rules.check_address(address)
        return refusal or ({**address}, {"address": format_address(address)})
    order = view.order(slots.get("order"))
    arguments: dict[str, Any] = {"order_id": order["order_id"]}
    fields: dict[str, Any] = {"order_id": order["order_id"]}
    if flow == "cancel_order":
        arguments["reason"] = slots["reason"]
        fields.update(
            items=render.items_text(order["items"], lang),
            reason=say.render(f"reason.{slots['reason']}", lang),
            total=render.money(rules.order_total(order)),
            refund=_cancel_refund(order, user, lang, say),
        )
        return rules.check_cancel(order, slots["reason"]) or (arguments, fields)
    if flow == "change_address":
        arguments.update(slots["address"])
        fields.update(address=format_address(slots["address"]))
        return rules.check_modify_address(order, slots["address"]) or (arguments, fields)
    methods: dict[str, Record] = user.get("payment_methods", {})
    method = render.payment_method_text(methods.get(slots.get("payment", ""), {}), lang)
    if flow == "change_payment":
        arguments["payment_method_id"] = slots["payment"]
        fields.update(method=method, total=render.money(rules.order_total(order)))
        return rules.check_modify_payment(order, user, slots["payment"]) or (arguments, fields)
    arguments.update(item_ids=slots["items"], payment_method_id=slots["payment"])
    chosen = _chosen(order, slots["items"])
    fields.update(items=render.items_text(chosen, lang), method=method)
    if flow == "return_items":
        fields.update(total=render.money(sum(float(i["price"]) for i in chosen)))
        return rules.check_return(order, user, slots["items"], slots["payment"]) or (arguments, fields)
    arguments["new_item_ids"] = slots["new_items"]
    products = {str(i["product_id"]): view.product(str(i["product_id"])) for i in order["items"]}
    check = rules.check_exchange if flow == "exchange_items" else rules.check_modify_items
    refusal = check(order, user, products, slots["items"], slots["new_items"], slots["payment"])
    if refusal is not None:
        return refusal
    new_items = [
        {**products[str(i["product_id"])]["variants"][n], "name": i.get("name"), "name_zh": i.get("name_zh")}
        for i, n in zip(chosen, slots["new_items"], strict=True)
    ]
    difference = rules.price_difference(order, products, slots["items"], slots["new_items"])
    fields.update(new_items=render.items_text(new_items, lang), difference=render.money(difference))
    return arguments, fields


def _chosen(order: Record, item_ids: list[str]) -> list[Record]:
    """The order's items for ``item_ids``, each as many times as listed."""
    left = list(order.get("items", []))
    chosen: list[Record] = []
    for item_id in item_ids:
        match = next((i for i in left if str(i["item_id"]) == item_id), None)
        if match is not None:
            left.remove(match)
            chosen.append(match)
    return chosen


def _cancel_refund(order: Record, user: Record, lang: str, say: Responder) -> str:
    """Where a cancellation's money goes: a gift card is credited at once, other methods in 5-7 days."""
    original = rules.original_payment_method(order) or ""
    method = user.get("payment_methods", {}).get(original, {})
    gift = method.get("source") == "gift_card"
    return say.render("refund.gift_card" if gift else "refund.original", lang)
