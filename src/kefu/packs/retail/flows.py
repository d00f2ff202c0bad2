"""The retail flows: which slots each needs, how to fill them, and what happens when they are full."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kefu.domain.errors import ToolError
from kefu.engine.context import TurnContext
from kefu.engine.responder import Responder
from kefu.packs.retail import render, rules, slots
from kefu.packs.retail.address import format_address, parse_address
from kefu.packs.retail.shop import Record
from kefu.tools.registry import ToolRegistry

UNHELPFUL = frozenset({"verify.failed", "tool_failed", "product.unknown", "ask.new_items_retry"})
APOLOGIES = frozenset({"complaint", "verify.failed", "tool_failed"})  # these replies apologise already


@dataclass(frozen=True)
class Flow:
    name: str
    slots: tuple[str, ...]
    needs_status: str | None = None
    tool: str | None = None


FLOWS: dict[str, Flow] = {
    f.name: f
    for f in (
        Flow("order_status", ("order",)),
        Flow("list_orders", ()),
        Flow("cancel_order", ("order", "reason"), "pending", "cancel_pending_order"),
        Flow("change_address", ("order", "address"), "pending", "modify_pending_order_address"),
        Flow("return_items", ("order", "items", "payment"), "delivered", "return_delivered_order_items"),
        Flow(
            "exchange_items",
            ("order", "items", "new_items", "payment"),
            "delivered",
            "exchange_delivered_order_items",
        ),
    )
}


class FlowRunner:
    """Fills the active flow's slots from the message, asks for what is missing, checks the policy,
    then answers (read-only flows) or asks for confirmation (flows with side effects)."""

    def __init__(self, tools: ToolRegistry, responder: Responder) -> None:
        self.tools = tools
        self.say = responder

    def call(self, ctx: TurnContext, name: str, confirmed: bool = False, **arguments: Any) -> dict[str, Any]:
        result = self.tools.call(
            name,
            arguments,
            customer_id=ctx.state.verified_customer,
            idempotency_key=ctx.idempotency_prefix,
            confirmed=confirmed,
        )
        if self.tools_is_side_effect(name):
            ctx.tool_events.append(result.event())
        return result.output

    def tools_is_side_effect(self, name: str) -> bool:
        return name in {f.tool for f in FLOWS.values() if f.tool}

    def reply(self, ctx: TurnContext, key: str, suggestions: tuple[str, ...] = (), **fields: Any) -> None:
        if key in UNHELPFUL:
            ctx.unhelpful = True
        ctx.reply(self.say.render(key, ctx.lang, **fields), suggestions, empathetic=key in APOLOGIES)

    def chips(self, ctx: TurnContext, key: str) -> tuple[str, ...]:
        return tuple(s for s in self.say.render(key, ctx.lang).split("|") if s)

    @staticmethod
    def slot_text(ctx: TurnContext) -> str:
        """This message, plus the (PII-masked) request that was waiting for verification, if any."""
        waiting = str(ctx.state.memory.get("request_text", ""))
        return f"{waiting}\n{ctx.text}" if waiting else ctx.text

    # -- the step ----------------------------------------------------------------------------
    def advance(self, ctx: TurnContext) -> None:
        try:
            self._advance(ctx)
        finally:
            ctx.state.memory.pop("request_text", None)

    def _advance(self, ctx: TurnContext) -> None:
        state = ctx.state
        flow = FLOWS[str(state.flow)]
        orders: list[Record] = self.call(ctx, "list_orders")["orders"]
        if not self._fill_order(ctx, flow, orders):
            return
        order = self._current_order(ctx)
        user = self.call(ctx, "get_user_details")
        self._fill_other_slots(ctx, flow, order, user)
        for slot in flow.slots:
            if slot not in state.slots:
                self._ask(ctx, flow, slot, order, orders, user)
                return
        state.asking = None
        if flow.name == "list_orders":
            self._list(ctx, orders)
        elif flow.name == "order_status":
            self._status(ctx, order)
        else:
            self._propose(ctx, flow, order, user)

    def _current_order(self, ctx: TurnContext) -> Record:
        order_id = ctx.state.slots.get("order")
        return self.call(ctx, "get_order_details", order_id=order_id) if order_id else {}

    def _fill_order(self, ctx: TurnContext, flow: Flow, orders: list[Record]) -> bool:
        """Resolve the order slot; False when the turn has already been answered (refusal, not found)."""
        state = ctx.state
        if "order" not in flow.slots:
            return True
        reference = slots.order_reference(ctx.text, state.memory, state.slots.get("order"))
        reference = reference or state.slots.get("order")
        if reference is None:
            eligible = [o for o in orders if flow.needs_status in (None, o.get("status"))]
            if len(orders) == 1 or (len(eligible) == 1 and flow.needs_status):
                reference = str((eligible or orders)[0]["order_id"])
        if reference is None:
            return True
        owned = {str(o["order_id"]) for o in orders}
        if reference not in owned:
            state.slots.pop("order", None)
            self.reply(ctx, "order_not_found", order_id=reference)
            state.asking = "order"
            return False
        if reference != state.slots.get("order"):
            for dependent in ("items", "new_items", "payment"):
                state.slots.pop(dependent, None)
        state.slots["order"] = reference
        state.remember_orders([reference])
        order = next(o for o in orders if o["order_id"] == reference)
        if flow.needs_status and order.get("status") != flow.needs_status:
            key = "refuse.not_pending" if flow.needs_status == "pending" else "refuse.not_delivered"
            self.reply(
                ctx, key, order_id=reference, status=render.status_text(str(order["status"]), ctx.lang)
            )
            state.end_flow()
            return False
        return True

    def _fill_other_slots(self, ctx: TurnContext, flow: Flow, order: Record, user: Record) -> None:
        s = ctx.state.slots
        text = self.slot_text(ctx)
        if "reason" in flow.slots and "reason" not in s and (reason := slots.cancel_reason(text)):
            s["reason"] = reason
        if "address" in flow.slots and "address" not in s and (address := parse_address(text)):
            s["address"] = address
        if (
            "items" in flow.slots
            and "items" not in s
            and order
            and (items := slots.chosen_items(text, order))
        ):
            s["items"] = items
        if "new_items" in flow.slots and "items" in s and "new_items" not in s:
            new_items = self._new_items(ctx, order, s["items"])
            if new_items:
                s["new_items"] = new_items
        ready_for_payment = flow.name == "return_items" or "new_items" in s
        if "payment" in flow.slots and "payment" not in s and "items" in s and order and ready_for_payment:
            method = slots.refund_method(text, user, order, rules.original_payment_method(order))
            if method:
                s["payment"] = method

    def _new_items(self, ctx: TurnContext, order: Record, item_ids: list[str]) -> list[str] | None:
        chosen: list[str] = []
        for item in order["items"]:
            if str(item["item_id"]) not in item_ids:
                continue
            product = self.call(ctx, "get_product_details", product_id=str(item["product_id"]))
            variant = slots.best_variant(product, item, self.slot_text(ctx))
            if variant is None:
                return None
            chosen.append(str(variant["item_id"]))
        return chosen

    # -- asking ------------------------------------------------------------------------------
    def _ask(
        self, ctx: TurnContext, flow: Flow, slot: str, order: Record, orders: list[Record], user: Record
    ) -> None:
        state = ctx.state
        asked_before = state.asking == slot
        state.asking = slot
        if slot == "order":
            eligible = [o for o in orders if flow.needs_status in (None, o.get("status"))] or orders
            offered = [str(o["order_id"]) for o in eligible][:6]
            state.memory["offered"] = offered
            lines = "\n".join(render.order_line(o, ctx.lang) for o in eligible[:6])
            self.reply(
                ctx,
                f"ask.order.{flow.name}" if self.say.has(f"ask.order.{flow.name}") else "ask.order",
                tuple(offered),
                orders=lines,
            )
        elif slot == "reason":
            self.reply(ctx, "ask.reason", self.chips(ctx, "chips.reason"), order_id=order["order_id"])
        elif slot == "address":
            self.reply(ctx, "ask.address", order_id=order["order_id"])
        elif slot == "items":
            self.reply(
                ctx,
                f"ask.items.{flow.name}",
                self.chips(ctx, "chips.all_items"),
                order_id=order["order_id"],
                items=render.items_text(order["items"], ctx.lang, numbered=True),
            )
        elif slot == "new_items":
            self._ask_new_items(ctx, order, asked_before)
        elif slot == "payment":
            self.reply(ctx, "ask.payment", self.chips(ctx, "chips.payment"))

    def _ask_new_items(self, ctx: TurnContext, order: Record, asked_before: bool) -> None:
        options: list[str] = []
        for item in order["items"]:
            if str(item["item_id"]) in ctx.state.slots.get("items", []):
                product = self.call(ctx, "get_product_details", product_id=str(item["product_id"]))
                available = [
                    render.item_name({**v, "name": ""}, ctx.lang).strip(" ()（）")
                    for v in product["variants"].values()
                    if v.get("available") and v["item_id"] != item["item_id"]
                ]
                options.append(f"{render.item_name(item, ctx.lang)} → " + " / ".join(available[:8]))
        key = "ask.new_items_retry" if asked_before else "ask.new_items"
        self.reply(ctx, key, options="\n".join(options))

    # -- answering ---------------------------------------------------------------------------
    def _list(self, ctx: TurnContext, orders: list[Record]) -> None:
        ctx.state.remember_orders([str(o["order_id"]) for o in orders][-3:])
        ctx.state.memory["offered"] = [str(o["order_id"]) for o in orders][:6]
        lines = "\n".join(render.order_line(o, ctx.lang) for o in orders)
        self.reply(
            ctx, "orders.list", tuple(str(o["order_id"]) for o in orders[:4]), count=len(orders), orders=lines
        )
        ctx.state.end_flow()

    def _status(self, ctx: TurnContext, order: Record) -> None:
        tracking = render.tracking_ids(order)
        key = (
            f"order.status.{order['status']}"
            if self.say.has(f"order.status.{order['status']}")
            else "order.status"
        )
        self.reply(
            ctx,
            key,
            self.chips(ctx, "chips.after_status"),
            order_id=order["order_id"],
            status=render.status_text(str(order["status"]), ctx.lang),
            items=render.items_text(order["items"], ctx.lang),
            tracking=", ".join(tracking) or "-",
            address=format_address(order.get("address", {})),
        )
        ctx.state.end_flow()

    def _propose(self, ctx: TurnContext, flow: Flow, order: Record, user: Record) -> None:
        s = ctx.state.slots
        arguments: dict[str, Any] = {"order_id": order["order_id"]}
        fields: dict[str, Any] = {"order_id": order["order_id"]}
        if flow.name == "cancel_order":
            arguments["reason"] = s["reason"]
            refusal = rules.check_cancel(order, s["reason"])
            fields.update(
                items=render.items_text(order["items"], ctx.lang),
                reason=self.say.render(f"reason.{s['reason']}", ctx.lang),
                total=render.money(rules.order_total(order)),
            )
        elif flow.name == "change_address":
            arguments.update(s["address"])
            refusal = rules.check_modify_address(order, s["address"])
            fields.update(address=format_address(s["address"]))
        else:
            arguments.update(item_ids=s["items"], payment_method_id=s["payment"])
            chosen = [i for i in order["items"] if str(i["item_id"]) in s["items"]]
            method = render.payment_method_text(user["payment_methods"].get(s["payment"], {}), ctx.lang)
            fields.update(items=render.items_text(chosen, ctx.lang), method=method)
            if flow.name == "return_items":
                refusal = rules.check_return(order, user, s["items"], s["payment"])
                fields.update(total=render.money(sum(float(i["price"]) for i in chosen)))
            else:
                arguments["new_item_ids"] = s["new_items"]
                products = {
                    str(i["product_id"]): self.call(
                        ctx, "get_product_details", product_id=str(i["product_id"])
                    )
                    for i in chosen
                }
                refusal = rules.check_exchange(
                    order, user, products, s["items"], s["new_items"], s["payment"]
                )
                if refusal is None:
                    new_items = [
                        {
                            **products[str(i["product_id"])]["variants"][n],
                            "name": i.get("name"),
                            "name_zh": i.get("name_zh"),
                        }
                        for i, n in zip(chosen, s["new_items"], strict=True)
                    ]
                    fields.update(
                        new_items=render.items_text(new_items, ctx.lang),
                        difference=render.money(
                            rules.price_difference(order, products, s["items"], s["new_items"])
                        ),
                    )
        if refusal is not None:
            self.reply(ctx, f"refuse.{refusal.reason}", order_id=order["order_id"], **refusal.params)
            ctx.state.end_flow()
            return
        assert flow.tool is not None
        ctx.state.pending = {"tool": flow.tool, "arguments": arguments, "flow": flow.name}
        self.reply(ctx, f"confirm.{flow.name}", self.chips(ctx, "chips.confirm"), **fields)

    def execute_pending(self, ctx: TurnContext) -> None:
        pending = ctx.state.pending or {}
        flow = str(pending.get("flow"))
        order_id = pending["arguments"]["order_id"]
        try:
            self.call(ctx, str(pending["tool"]), confirmed=True, **pending["arguments"])
        except ToolError as exc:
            key = f"refuse.{exc.user_message}"
            self.reply(ctx, key if self.say.has(key) else "tool_failed", order_id=order_id)
            ctx.state.end_flow()
            return
        self.reply(ctx, f"done.{flow}", self.chips(ctx, "chips.after_done"), order_id=order_id)
        ctx.state.end_flow()
