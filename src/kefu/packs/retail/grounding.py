"""Grounded slot reading for the retail flows: what the message says, resolved against *this* customer's
orders, items, payment methods and the catalogue, as ``SetSlot`` / ``Clarify`` commands. Ambiguity is
asked about, never guessed; a slot the message does not speak of is never filled."""

from __future__ import annotations

import re

from kefu.dialogue.commands import Clarify, Command, SetSlot, StartFlow
from kefu.dialogue.flows import FlowSpec
from kefu.dialogue.resolve.addresses import resolve_address
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.items import resolve_items
from kefu.dialogue.resolve.orders import resolve_order, resolve_orders
from kefu.dialogue.resolve.payment import resolve_payment_method
from kefu.dialogue.resolve.variants import resolve_variant
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
_CHANGE_DEFAULT = re.compile(
    r"(change|update|modify)\b.{0,40}\bdefault address|default address (too|as well)|and my default"
    r"|把默认地址改|默认地址(也|一起)?(要)?改|改一下默认地址",
    re.IGNORECASE,
)  # the default address is what changes, not the new value
_NOT_ORIGINAL = re.compile(
    r"\b(other|another|different|not the (one|card)|new)\b|另一|其他|别的|不是.{0,6}(原|那)", re.IGNORECASE
)
_PLURAL = re.compile(
    r"\b(orders|both|all|each|every|ones)\b|两|所有|全部|每个|都", re.IGNORECASE
)  # words that can make an order reference plural
_ALL_ITEMS = re.compile(
    r"\b(all|every|each|both)\b.{0,20}\b(items?|things|products|of them|everything)\b"
    r"|\bevery ?thing\b|\bboth\b|全部|所有|都要|整单|两件都",
    re.IGNORECASE,
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


def _eligible(flow: FlowSpec, order: Record) -> bool:
    rule = (flow.slot("order") or flow.slots[0]).validate or ""
    status = str(order.get("status", ""))
    if "pending" in rule:
        return "pending" in status
    if "delivered" in rule:
        return status == "delivered"
    if "changeable" in rule:
        return status in ("pending", "delivered")
    return True


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
    def __init__(self, tools: ToolRegistry, glossary: Glossary | None = None) -> None:
        self.tools = tools
        self.glossary = glossary or Glossary.empty()

    def view(self, ctx: TurnContext) -> ShopView:
        return view_of(self.tools, ctx)

    def slots(
        self, ctx: TurnContext, text: str, flow: FlowSpec, asked: str | None, editing: bool = False
    ) -> list[Command]:
        """The slot commands ``text`` gives for ``flow`` (worked out once per turn and state)."""
        memo = self.view(ctx).memo
        key = (
            "slots",
            text,
            flow.name,
            asked,
            editing,
            ctx.state.verified_customer,
            repr(sorted(ctx.state.slots.items())),
        )
        if key not in memo:
            memo[key] = self._slots(ctx, text, flow, asked, editing)
        found: list[Command] = memo[key]
        return list(found)

    def _slots(
        self, ctx: TurnContext, text: str, flow: FlowSpec, asked: str | None, editing: bool
    ) -> list[Command]:
        state = ctx.state
        filled = state.slots
        view = self.view(ctx)
        out: list[Command] = []
        names = flow.slot_names
        order_id: str | None = filled.get("order")
        if "order" in names:
            several = self._several_orders(ctx, text, flow, order_id, editing)
            found = None if several else self._order(ctx, text, flow, order_id, asked, editing)
            if isinstance(found, Clarify):
                own = {str(o["order_id"]): o for o in view.orders()}
                several = self._spread(ctx, text, [own[str(c)] for c in found.candidates if str(c) in own])
                if not several:
                    return [found]
                found = None
            if several:
                out.append(SetSlot("order", several[0], correction=order_id is not None))
                out.extend(StartFlow(flow.name, f"{other} {text}", queued=True) for other in several[1:])
                order_id = several[0]
            if found and found != order_id:
                out.append(SetSlot("order", found, correction=order_id is not None))
                order_id = found
        order = view.order(order_id)
        if "reason" in names and (reason := slots.cancel_reason(text)):
            out.append(SetSlot("reason", reason))
        if "address" in names and (address := self._address(ctx, text, flow, order)):
            out.append(SetSlot("address", address))
        items: list[str] | None = filled.get("items") if order_id == filled.get("order") else None
        kept: dict[str, str] | None = None
        if "items" in names and order and (items is None or asked == "items" or editing):
            picked = self._items(ctx, text, order, asked == "items", editing)
            if isinstance(picked, Clarify):
                return [*out, picked]
            if picked and picked != items:
                out.append(SetSlot("items", picked, correction=items is not None))
                previous: dict[str, str] = dict(filled.get("variants") or {}) if items else {}
                kept = {k: v for k, v in previous.items() if k in picked}
                items = picked
        if "new_items" in names and order and items:
            out.extend(self._variants(ctx, text, order, items, kept))
        if "payment" in names and order_id:
            method = self._payment(ctx, text, flow.name, order, asked == "payment")
            if method:
                out.append(SetSlot("payment", method))
        return out

    def about(self, ctx: TurnContext) -> str:
        """What the active request is about, as words a new request can be read from: the order id
        and the names of the chosen items."""
        filled = ctx.state.slots
        order = self.view(ctx).order(filled.get("order"))
        if not order:
            return ""
        chosen = _chosen_items(order, list(filled.get("items") or []))
        return " ".join([str(order["order_id"]), *(str(i.get("name", "")) for i in chosen)])

    # -- orders ---------------------------------------------------------------------------------
    def orders_named(self, ctx: TurnContext, text: str) -> list[str]:
        """Orders the message describes ("the one with the hiking boots")."""
        found = resolve_order(text, ctx.lang, self.view(ctx).orders(), glossary=self.glossary)
        if found.resolved and found.value:
            return [found.value]
        return [str(c) for c in found.candidates]

    def _several_orders(
        self, ctx: TurnContext, text: str, flow: FlowSpec, current: str | None, editing: bool
    ) -> list[str]:
        """ "Both orders", "all my pending orders", or several ids: the same action on each, in turn."""
        if editing or current is not None:
            return []
        ids = entities.order_ids(text)
        if len(set(ids)) > 1:
            return list(dict.fromkeys(ids))
        if ids or not _PLURAL.search(text):
            return []
        orders = self.view(ctx).orders()
        found = resolve_orders(
            text, ctx.lang, orders, last_listed=ctx.state.memory.get("offered", ()), glossary=self.glossary
        )
        chosen = list(found.value or ()) if found.resolved else []
        own = {str(o["order_id"]): o for o in orders}
        eligible = [o for o in chosen if o in own and _eligible(flow, own[o])]
        return eligible if len(eligible) > 1 else []

    def _names_items_of(self, ctx: TurnContext, text: str, order: Record) -> list[str]:
        """Item ids of ``order`` the message names (some of several products named)."""
        items = order.get("items", [])
        found = resolve_items(text, ctx.lang, items, glossary=self.glossary)
        if found.resolved and found.value:
            return list(found.value)
        return slots.named_items(self.glossary.canonical(text), items)

    def _spread(self, ctx: TurnContext, text: str, candidates: list[Record]) -> list[str]:
        """ "The keyboard and the mouse" when they are in different orders: each of those orders."""
        if len(candidates) < 2:
            return []
        named: dict[str, set[str]] = {}
        for order in candidates:
            picked = self._names_items_of(ctx, text, order)
            if picked:
                names = {str(i.get("name")) for i in order.get("items", []) if str(i["item_id"]) in picked}
                named[str(order["order_id"])] = names
        if len(named) < 2:
            return []
        every = [names for names in named.values()]
        if any(all(names <= other for other in every if other is not names) for names in every):
            return []  # the same product in each: a choice to ask about, not several orders
        return list(named)

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
        if editing or (current is not None and asked != "order"):
            return None
        orders = self.view(ctx).orders()
        found = resolve_order(
            text,
            ctx.lang,
            orders,
            last_listed=memory.get("offered", ()),
            current=current,
            mentioned=memory.get("orders", ()),
            glossary=self.glossary,
        )
        if found.resolved:
            return found.value
        own = {str(o["order_id"]): o for o in orders}
        if found.outcome == "none" and found.note.startswith("no_order_with:"):
            # the products named are not all in one order: the orders that have some of them
            ids = [str(o["order_id"]) for o in orders if self._names_items_of(ctx, text, o)]
            if len(ids) == 1:
                return ids[0]
            return Clarify("order", tuple(ids[:8])) if ids else None
        if found.outcome != "ambiguous":
            return None
        ids = [str(c) for c in found.candidates if str(c) in own]
        fitting = [i for i in ids if _eligible(flow, own[i])] or ids
        if len(fitting) == 1:
            return fitting[0]
        if asked == "order" or current is None:
            return Clarify("order", tuple(fitting[:8]))
        return None

    # -- items and variants ---------------------------------------------------------------------
    def _items(
        self, ctx: TurnContext, text: str, order: Record, asked: bool, editing: bool
    ) -> list[str] | Clarify | None:
        if editing and not _EDIT_ITEMS.search(text):
            return None
        items = order.get("items", [])
        found = resolve_items(text, ctx.lang, items, glossary=self.glossary)
        choices: list[list[str]] = ctx.state.memory.get("item_choices") or [] if asked else []
        if choices and found.resolved and found.value:
            # "the robotic one" after "which of these": the offered selection that has it
            fitting = [c for c in choices if set(found.value) <= set(c)]
            if len(fitting) == 1:
                return list(fitting[0])
        if found.resolved and found.value:
            return list(found.value)
        if found.outcome == "ambiguous" and (asked or not editing):
            return Clarify("items", tuple(found.candidates))
        if asked and not found.unavailable:
            return slots.chosen_items(text, order)
        return None

    def _variants(
        self, ctx: TurnContext, text: str, order: Record, item_ids: list[str], kept: dict[str, str] | None
    ) -> list[Command]:
        """New variants for the chosen items; those already picked for them are ``kept`` (after the
        customer changed the items) or the picks so far. When several variants fit, they become the
        choices the next answer is read against ("black" → which water resistance? → "IPX4")."""
        view = self.view(ctx)
        filled = ctx.state.slots
        picked: dict[str, str] = dict(filled.get("variants") or {}) if kept is None else dict(kept)
        choices: dict[str, list[str]] = {} if kept is not None else dict(filled.get("variant_choices") or {})
        owned = [i for o in view.orders() for i in o.get("items", [])]
        for item in _chosen_items(order, item_ids):
            key = str(item["item_id"])
            product = view.product(str(item["product_id"]))
            found = None
            if key in choices:
                among = {k: v for k, v in product.get("variants", {}).items() if k in choices[key]}
                found = resolve_variant(
                    text, ctx.lang, {**product, "variants": among}, current=item, glossary=self.glossary
                )
            if found is None or found.outcome == "none":
                found = resolve_variant(
                    text, ctx.lang, product, current=item, owned=owned, glossary=self.glossary
                )
            if found.resolved and found.value:
                picked[key] = found.value
                choices.pop(key, None)
            elif found.outcome == "ambiguous":
                choices[key] = [str(c) for c in found.candidates]
        out: list[Command] = []
        if choices != (filled.get("variant_choices") or {}):
            out.append(SetSlot("variant_choices", choices))
        if picked != (filled.get("variants") or {}):
            out.append(SetSlot("variants", picked))
        if all(str(i) in picked for i in item_ids):
            out.append(SetSlot("new_items", [picked[str(i)] for i in item_ids]))
        return out

    # -- payment and addresses ------------------------------------------------------------------
    def _payment(self, ctx: TurnContext, text: str, flow: str, order: Record, asked: bool) -> str | None:
        view = self.view(ctx)
        methods: dict[str, Record] = view.user().get("payment_methods", {})
        allowed = allowed_methods(view, flow, order)
        original = rules.original_payment_method(order)
        found = resolve_payment_method(text, ctx.lang, methods, original=original)
        picks: list[str] = []
        if found.resolved and found.value:
            picks = [found.value]
        elif found.outcome == "ambiguous":
            picks = [str(c) for c in found.candidates]
        elif asked and (index := entities.ordinal(text)) is not None:
            offered = list(ctx.state.memory.get("offered_methods", []))
            if -len(offered) <= index < len(offered):
                picks = [str(offered[index])]
        if len(picks) > 1 and original in picks and _NOT_ORIGINAL.search(text):
            picks = [m for m in picks if m != original]  # "my other card, not the one I paid with"
        preferred = [m for m in picks if m in allowed] or picks
        return preferred[0] if len(preferred) == 1 else None

    def _address(self, ctx: TurnContext, text: str, flow: FlowSpec, order: Record) -> Record | None:
        view = self.view(ctx)
        user = view.user()
        default = user.get("address") if isinstance(user.get("address"), dict) else None
        known: list[tuple[str, Record]] = []
        if default and flow.name != "change_user_address" and not _CHANGE_DEFAULT.search(text):
            known.append(("default", default))
        known.extend(
            (f"order:{o['order_id']}", o["address"])
            for o in view.orders()
            if isinstance(o.get("address"), dict) and o.get("order_id") != order.get("order_id")
        )
        current = order.get("address") if flow.name != "change_user_address" else default
        found = resolve_address(text, ctx.lang, current=current, known=known)
        if found.resolved and found.value:
            return {k: str(found.value.get(k, "")) for k in _ADDRESS_FIELDS}
        return parse_address(text)


_ADDRESS_FIELDS = ("address1", "address2", "city", "state", "country", "zip")


def _chosen_items(order: Record, item_ids: list[str]) -> list[Record]:
    left = list(order.get("items", []))
    chosen: list[Record] = []
    for item_id in item_ids:
        match = next((i for i in left if str(i["item_id"]) == item_id), None)
        if match is not None:
            left.remove(match)
            chosen.append(match)
    return chosen
