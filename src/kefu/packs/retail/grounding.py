"""Grounded slot reading for the retail flows: what the message says, resolved against *this* customer's
orders, items, payment methods and the catalogue, as ``SetSlot`` / ``Clarify`` commands. Ambiguity is
asked about, never guessed; a slot the message does not speak of is never filled."""

from __future__ import annotations

import re
from typing import Any

from kefu.dialogue.commands import Clarify, Command, SetSlot
from kefu.dialogue.flows import FlowSpec
from kefu.engine.context import TurnContext
from kefu.nlu import entities
from kefu.packs.retail import rules, slots
from kefu.packs.retail.address import parse_address
from kefu.packs.retail.shop import Record
from kefu.packs.retail.view import ShopView, view_of
from kefu.tools.registry import ToolRegistry

_STATUS_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "pending",
        re.compile(
            r"\b(pending|not (yet )?(shipped|arrived|received)|hasn'?t shipped)\b|待发货|未发货|还没发"
        ),
    ),
    ("delivered", re.compile(r"\b(delivered|received|arrived|got)\b|已签收|收到|到货|签收")),
    ("processed", re.compile(r"\b(shipped|processed|on (its|the) way|in transit)\b|已发货|运输中")),
    ("cancelled", re.compile(r"\b(cancell?ed)\b|已取消")),
)
_EDIT_ITEMS = re.compile(
    r"\b(only|just|not the|except|instead|without|also)\b|只|除了|不要|也", re.IGNORECASE
)
_PAYPAL = re.compile(r"pay\s*pal|贝宝", re.IGNORECASE)
_CARD = re.compile(
    r"credit|debit|\bcard\b|visa|master\s*card|amex|american express|discover|信用卡|银行卡|卡", re.IGNORECASE
)
_GIFT = re.compile(r"gift\s*card|礼品卡|购物卡", re.IGNORECASE)
_ORIGINAL = re.compile(
    r"original|same (card|method|payment|one|way)|(card|method) i (used|paid)|paid (with|for)"
    r"|原路|原支付|原来的|原付款",
    re.IGNORECASE,
)
_DEFAULT_ADDRESS = re.compile(
    r"\b(default|my (home )?address|address on (file|my account)|profile)\b|默认地址|账户地址", re.IGNORECASE
)


def allowed_methods(view: ShopView, flow: str, order: Record) -> list[str]:
    """The payment methods an action may use: a refund goes to the original method or a gift card; a
    new payment to any other method; a price difference to any method of the customer."""
    methods: dict[str, Record] = view.user().get("payment_methods", {})
    original = rules.original_payment_method(order)
    if flow == "return_items":
        return [m for m, v in methods.items() if m == original or v.get("source") == "gift_card"]
    if flow == "change_payment":
        return [m for m in methods if m != original]
    return list(methods)


class Grounding:
    def __init__(self, tools: ToolRegistry) -> None:
        self.tools = tools

    def view(self, ctx: TurnContext) -> ShopView:
        return view_of(self.tools, ctx)

    def slots(
        self, ctx: TurnContext, text: str, flow: FlowSpec, asked: str | None, editing: bool = False
    ) -> list[Command]:
        state = ctx.state
        filled = state.slots
        view = self.view(ctx)
        out: list[Command] = []
        names = flow.slot_names
        order_id: str | None = filled.get("order")
        if "order" in names:
            found = self._order(ctx, text, flow, order_id, asked, editing)
            if isinstance(found, Clarify):
                return [found]
            if found and found != order_id:
                out.append(SetSlot("order", found, correction=order_id is not None))
                order_id = found
        order = view.order(order_id)
        if "reason" in names and (reason := slots.cancel_reason(text)):
            out.append(SetSlot("reason", reason))
        if "address" in names and (address := self._address(ctx, text)):
            out.append(SetSlot("address", address))
        items: list[str] | None = filled.get("items") if order_id == filled.get("order") else None
        if "items" in names and order:
            picked = self._items(text, order, asked == "items", editing)
            if picked and picked != items:
                out.append(SetSlot("items", picked, correction=items is not None))
                items = picked
        if "new_items" in names and order and items:
            new_items = self._variants(view, text, order, items)
            if new_items:
                out.append(SetSlot("new_items", new_items))
        if "payment" in names and order_id:
            method = self._payment(ctx, text, flow.name, order, asked == "payment")
            if method:
                out.append(SetSlot("payment", method))
        return out

    # -- orders ---------------------------------------------------------------------------------
    def orders_named(self, ctx: TurnContext, text: str) -> list[str]:
        """Orders whose items the message names ("the one with the hiking boots")."""
        folded = entities.fold(text).lower()
        return [
            str(o["order_id"])
            for o in self.view(ctx).orders()
            if any(slots.names_item(folded, i) for i in o.get("items", []))
        ]

    def _order(
        self,
        ctx: TurnContext,
        text: str,
        flow: FlowSpec,
        current: str | None,
        asked: str | None,
        editing: bool,
    ) -> str | Clarify | None:
        memory = ctx.state.memory
        explicit = slots.order_reference(text, memory, current)
        if explicit is not None:
            if slots.refers_to_other(text) and explicit == current:
                return None
            return explicit
        if current is not None and asked != "order" and not editing:
            return None
        if editing:
            return None
        orders = self.view(ctx).orders()
        candidates = orders
        for status, pattern in _STATUS_WORDS:
            if pattern.search(text.lower()):
                with_status = [o for o in candidates if str(o.get("status", "")).startswith(status)]
                if with_status:
                    candidates = with_status
                break
        named = set(self.orders_named(ctx, text))
        if named:
            candidates = [o for o in candidates if str(o["order_id"]) in named] or candidates
        if candidates is orders:
            return None
        ids = [str(o["order_id"]) for o in candidates]
        if len(ids) == 1:
            return ids[0]
        offered = [o for o in memory.get("offered", []) if o in ids]
        if len(offered) == 1:
            return str(offered[0])
        if asked == "order" or current is None:
            return Clarify("order", tuple(ids[:8]))
        return None

    # -- items and variants ---------------------------------------------------------------------
    def _items(self, text: str, order: Record, asked: bool, editing: bool) -> list[str] | None:
        if editing and not _EDIT_ITEMS.search(text):
            return None
        lowered = entities.fold(text).lower()
        named = [str(i["item_id"]) for i in order.get("items", []) if slots.names_item(lowered, i)]
        if named and not asked and not editing:
            return named
        if asked:
            return slots.chosen_items(text, order)
        return named or None

    def _variants(self, view: ShopView, text: str, order: Record, item_ids: list[str]) -> list[str] | None:
        chosen: list[str] = []
        for item in order.get("items", []):
            if str(item["item_id"]) not in item_ids:
                continue
            product = view.product(str(item["product_id"]))
            variant = slots.best_variant(product, item, text)
            if variant is None:
                return None
            chosen.append(str(variant["item_id"]))
        return chosen

    # -- payment and addresses ------------------------------------------------------------------
    def _payment(self, ctx: TurnContext, text: str, flow: str, order: Record, asked: bool) -> str | None:
        view = self.view(ctx)
        methods: dict[str, Record] = view.user().get("payment_methods", {})
        allowed = allowed_methods(view, flow, order)
        original = rules.original_payment_method(order)
        picks: list[str] = []
        if _GIFT.search(text):
            picks = [m for m, v in methods.items() if v.get("source") == "gift_card"]
        elif _PAYPAL.search(text):
            picks = [m for m, v in methods.items() if v.get("source") == "paypal"]
        elif _ORIGINAL.search(text) and original in methods:
            picks = [str(original)]
        elif _CARD.search(text):
            picks = [m for m, v in methods.items() if v.get("source") == "credit_card"]
            digits = re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
            if digits:
                picks = [m for m in picks if str(methods[m].get("last_four")) in digits] or picks
        elif asked and (index := entities.ordinal(text)) is not None:
            offered = list(ctx.state.memory.get("offered_methods", []))
            if -len(offered) <= index < len(offered):
                picks = [str(offered[index])]
        preferred = [m for m in picks if m in allowed] or picks
        return preferred[0] if len(preferred) == 1 else None

    def _address(self, ctx: TurnContext, text: str) -> Record | None:
        parsed = parse_address(text)
        if parsed is not None:
            return parsed
        if _DEFAULT_ADDRESS.search(text) and ctx.state.flow != "change_user_address":
            address: Any = self.view(ctx).user().get("address")
            if isinstance(address, dict) and address.get("address1"):
                return {
                    k: str(address.get(k, ""))
                    for k in ("address1", "address2", "city", "state", "country", "zip")
                }
        return None
