"""The retail pack's side of the flow engine: checks with ``rules.py``, replies from ``responses.yaml``."""

from __future__ import annotations

from typing import Any

from kefu.dialogue.commands import AnswerQuestion
from kefu.dialogue.engine import OK, Check, IdentityEvent
from kefu.dialogue.flows import FlowSpec, SlotSpec
from kefu.dialogue.verification import Lookup, VerifyResult
from kefu.domain.errors import ToolError
from kefu.domain.handoff import HandoffReason, HandoffRequest
from kefu.engine.context import TurnContext
from kefu.engine.responder import Responder
from kefu.packs.retail import proposals, render, rules, totals
from kefu.packs.retail.address import format_address
from kefu.packs.retail.flows import DELIVERED, ITEMS_CHANGEABLE, PENDING
from kefu.packs.retail.grounding import allowed_methods
from kefu.packs.retail.products import ProductAnswers
from kefu.packs.retail.questions import RetailQuestions
from kefu.packs.retail.shop import Record
from kefu.packs.retail.view import ShopView, view_of
from kefu.tools.registry import ToolRegistry

UNHELPFUL = frozenset({"verify.failed", "tool_failed", "product.unknown", "ask.new_items_retry"})
APOLOGIES = frozenset({"complaint", "verify.failed", "tool_failed"})  # these replies apologise already
ORDER_LIST = 8
MODIFIED = "pending (item modified)"
PAYMENT_REFUSALS = frozenset(
    {"refund_method_not_allowed", "unknown_payment_method", "gift_card_balance", "same_payment_method"}
)


class RetailHost:
    def __init__(self, tools: ToolRegistry, responder: Responder, questions: RetailQuestions | None) -> None:
        self.tools = tools
        self.say = responder
        self.questions = questions
        self.products = ProductAnswers(self)

    # -- helpers shared with the generator and the product answers --------------------------------
    def view(self, ctx: TurnContext) -> ShopView:
        return view_of(self.tools, ctx)

    def reply(self, ctx: TurnContext, key: str, suggestions: tuple[str, ...] = (), **fields: Any) -> None:
        if key in UNHELPFUL:
            ctx.unhelpful = True
        ctx.reply(self.say.render(key, ctx.lang, **fields), suggestions, empathetic=key in APOLOGIES)

    def chips(self, ctx: TurnContext, key: str) -> tuple[str, ...]:
        return tuple(s for s in self.say.render(key, ctx.lang).split("|") if s)

    def _key(self, *keys: str) -> str:
        return next((k for k in keys if self.say.has(k)), keys[-1])

    # -- slots ------------------------------------------------------------------------------------
    def validate(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, value: Any) -> Check:
        if slot.name != "order":
            return OK
        order = self.view(ctx).order(str(value))
        if not order:
            self.reply(ctx, "order_not_found", order_id=value)
            return Check.refused(keep_flow=True)
        ctx.state.remember_orders([str(value)])
        status = str(order.get("status", ""))
        if slot.validate == ITEMS_CHANGEABLE:
            if status == "delivered":
                return Check(switch_to="exchange_items")
            if status == "pending":
                return Check(switch_to="modify_items")
            if status == MODIFIED:
                self.reply(ctx, "refuse.items_already_modified", order_id=value)
                return Check.refused()
            self.reply(
                ctx, "refuse.not_delivered", order_id=value, status=render.status_text(status, ctx.lang)
            )
            return Check.refused()
        if slot.validate == PENDING and "pending" not in status:
            self.reply(ctx, "refuse.not_pending", order_id=value, status=render.status_text(status, ctx.lang))
            return Check.refused()
        if slot.validate == DELIVERED and status != "delivered":
            self.reply(
                ctx, "refuse.not_delivered", order_id=value, status=render.status_text(status, ctx.lang)
            )
            return Check.refused()
        return OK

    def eligible_orders(self, ctx: TurnContext, flow: FlowSpec) -> list[Record]:
        orders = self.view(ctx).orders()
        rule = (flow.slot("order") or SlotSpec("order", "order")).validate
        if rule == PENDING:
            return [o for o in orders if "pending" in str(o.get("status"))]
        if rule == DELIVERED:
            return [o for o in orders if o.get("status") == "delivered"]
        if rule == ITEMS_CHANGEABLE:
            return [o for o in orders if o.get("status") in ("delivered", "pending")]
        return orders

    def refund_methods(self, ctx: TurnContext, flow: FlowSpec) -> list[str]:
        view = self.view(ctx)
        return allowed_methods(view, flow.name, view.order(ctx.state.slots.get("order")))

    def autofill(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec) -> Any | None:
        if slot.name == "order":
            orders = self.view(ctx).orders()
            eligible = self.eligible_orders(ctx, flow)
            handled = bool(ctx.state.memory.get("handled"))  # after other orders "the order" is unclear
            if len(orders) == 1 or (len(eligible) == 1 and flow.name != "order_status" and not handled):
                return str((eligible or orders)[0]["order_id"])
        if slot.name == "items":
            items = self.view(ctx).order(ctx.state.slots.get("order")).get("items", [])
            if len(items) == 1:
                return [str(items[0]["item_id"])]
        if slot.name == "payment":
            methods = self.refund_methods(ctx, flow)
            if len(methods) == 1:
                return methods[0]
        return None

    def ask(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, retry: bool) -> None:
        view = self.view(ctx)
        order = view.order(ctx.state.slots.get("order"))
        if slot.name == "order":
            eligible = self.eligible_orders(ctx, flow) or view.orders()
            self._list_orders(ctx, eligible, self._key(f"ask.order.{flow.name}", "ask.order"))
        elif slot.name == "reason":
            self.reply(ctx, "ask.reason", self.chips(ctx, "chips.reason"), order_id=order["order_id"])
        elif slot.name == "address":
            key = slot.prompt if flow.name == "change_user_address" else "ask.address"
            self.reply(ctx, key, order_id=order.get("order_id", ""))
        elif slot.name == "items":
            self.reply(
                ctx,
                self._key(f"ask.items.{flow.name}", "ask.items.exchange_items"),
                self.chips(ctx, "chips.all_items") if flow.name == "return_items" else (),
                order_id=order["order_id"],
                items=render.items_text(order["items"], ctx.lang, numbered=True),
            )
        elif slot.name == "new_items":
            choosing = bool(ctx.state.slots.get("variant_choices"))
            key = "ask.new_items.choose" if choosing else "ask.new_items_retry" if retry else "ask.new_items"
            self.reply(ctx, key, options=self.variant_options(ctx, order))
        elif slot.name == "payment":
            self._ask_payment(ctx, flow)

    def _list_orders(self, ctx: TurnContext, orders: list[Record], key: str) -> None:
        offered = [str(o["order_id"]) for o in orders][:ORDER_LIST]
        ctx.state.memory["offered"] = offered
        lines = "\n".join(render.order_line(o, ctx.lang) for o in orders[:ORDER_LIST])
        self.reply(ctx, key, tuple(offered[:6]), orders=lines)

    def _ask_payment(self, ctx: TurnContext, flow: FlowSpec) -> None:
        methods: dict[str, Record] = self.view(ctx).user().get("payment_methods", {})
        allowed = self.refund_methods(ctx, flow)
        ctx.state.memory["offered_methods"] = allowed
        names = [render.payment_method_text(methods[m], ctx.lang) for m in allowed]
        key = {"return_items": "ask.payment", "change_payment": "ask.payment.order"}.get(
            flow.name, "ask.payment.difference"
        )
        self.reply(
            ctx,
            key,
            tuple(names[:4]),
            methods=("、" if ctx.lang == "zh" else ", ").join(names),
            order_id=ctx.state.slots.get("order", ""),
        )

    def variant_options(self, ctx: TurnContext, order: Record) -> str:
        """Per chosen item still without a new variant: the variants it may become (the ones that fit
        what the customer said, when several did), with prices."""
        slots = ctx.state.slots
        picked: dict[str, str] = slots.get("variants") or {}
        choices: dict[str, list[str]] = slots.get("variant_choices") or {}
        options: list[str] = []
        for item in order.get("items", []):
            key = str(item["item_id"])
            if key not in slots.get("items", []) or key in picked:
                continue
            product = self.view(ctx).product(str(item["product_id"]))
            pool = [
                v
                for v in product.get("variants", {}).values()
                if v.get("available")
                and v["item_id"] != item["item_id"]
                and (key not in choices or v["item_id"] in choices[key])
            ]
            shown = [
                render.item_name({**v, "name": ""}, ctx.lang).strip(" ()（）")
                + f" {render.money(float(v.get('price', 0)))}"
                for v in pool[:10]
            ]
            options.append(f"{render.item_name(item, ctx.lang)} → " + " / ".join(shown))
        return "\n".join(options)

    def clarify(self, ctx: TurnContext, flow: FlowSpec, slot: str, candidates: tuple[Any, ...]) -> None:
        view = self.view(ctx)
        if slot == "order":
            orders = [view.order(str(c)) for c in candidates]
            self._list_orders(ctx, [o for o in orders if o], "clarify.order")
        elif slot == "items":
            ctx.state.memory["item_choices"] = [
                list(c) if isinstance(c, list | tuple) else [c] for c in candidates
            ]
            order = view.order(ctx.state.slots.get("order"))
            chosen = {str(i) for c in candidates for i in (c if isinstance(c, list | tuple) else [c])}
            items = [i for i in order.get("items", []) if str(i["item_id"]) in chosen] or order.get(
                "items", []
            )
            self.reply(ctx, "clarify.items", items=render.items_text(items, ctx.lang, numbered=True))
        else:
            self.ask(ctx, flow, flow.slot(slot) or SlotSpec(slot, "text"), retry=True)

    def cannot_provide(self, ctx: TurnContext, flow: FlowSpec | None, slot: str) -> None:
        if flow is not None and slot == "order" and ctx.state.verified_customer:
            eligible = self.eligible_orders(ctx, flow) or self.view(ctx).orders()
            self._list_orders(ctx, eligible, "ask.order.no_id")
            ctx.state.asking = "order"
            return
        if flow is not None and (spec := flow.slot(slot)) is not None:
            self.ask(ctx, flow, spec, retry=False)

    # -- actions ----------------------------------------------------------------------------------
    def propose(self, ctx: TurnContext, flow: FlowSpec) -> dict[str, Any] | None:
        proposal = proposals.build(self.view(ctx), flow.name, ctx.state.slots, ctx.lang, self.say)
        if isinstance(proposal, rules.Refusal):
            key = self._key(f"refuse.{proposal.reason}", "tool_failed")
            self.reply(ctx, key, order_id=ctx.state.slots.get("order", ""), **proposal.params)
            if proposal.reason in PAYMENT_REFUSALS and "payment" in flow.slot_names:
                return {"retry_slot": "payment"}  # another method will do: ask for it
            return None
        arguments, fields = proposal
        assert flow.tool is not None
        self.reply(ctx, flow.confirm_key, self.chips(ctx, "chips.confirm"), **fields)
        return {"tool": flow.tool, "arguments": arguments, "flow": flow.name}

    def execute(self, ctx: TurnContext, flow: FlowSpec, pending: dict[str, Any]) -> None:
        order_id = pending["arguments"].get("order_id", "")
        tool = str(pending["tool"])
        refund = totals.refund_of(self.view(ctx), tool, pending["arguments"])  # read before the action
        try:
            self.view(ctx).call(tool, confirmed=True, **pending["arguments"])
        except ToolError as exc:
            key = f"refuse.{exc.user_message}"
            self.reply(ctx, key if self.say.has(key) else "tool_failed", order_id=order_id)
            return
        if tool in totals.REFUNDING_TOOLS:
            totals.record_refund(ctx, str(order_id), float(refund))
        if order_id:
            ctx.state.memory["handled"] = [*ctx.state.memory.get("handled", []), order_id][-10:]
        self.reply(ctx, flow.done_key, self.chips(ctx, "chips.after_done"), order_id=order_id)
        if not ctx.state.private.get("queue"):
            self.reply(ctx, "anything_else")

    def answer_flow(self, ctx: TurnContext, flow: FlowSpec) -> None:
        view = self.view(ctx)
        if flow.name == "list_orders":
            orders = view.orders()
            ctx.state.remember_orders([str(o["order_id"]) for o in orders][-3:])
            ctx.state.memory["offered"] = [str(o["order_id"]) for o in orders][:ORDER_LIST]
            lines = "\n".join(render.order_line(o, ctx.lang) for o in orders)
            chips = tuple(str(o["order_id"]) for o in orders[:4])
            self.reply(ctx, "orders.list", chips, count=len(orders), orders=lines)
            return
        order = view.order(ctx.state.slots.get("order"))
        tracking = render.tracking_ids(order)
        self.reply(
            ctx,
            self._key(f"order.status.{order['status']}", "order.status"),
            self.chips(ctx, "chips.after_status"),
            order_id=order["order_id"],
            status=render.status_text(str(order["status"]), ctx.lang),
            items=render.items_text(order["items"], ctx.lang),
            tracking=", ".join(tracking) or "-",
            address=format_address(order.get("address", {})),
        )

    # -- the rest ---------------------------------------------------------------------------------
    def answer(self, ctx: TurnContext, question: AnswerQuestion) -> None:
        if question.topic == "product":
            self.products.answer(ctx, question.query or ctx.text)
        elif question.topic == "complaint":
            ctx.tool_events.append({"tool": "complaint_recorded", "order_ids": [], "ok": True})
            self.reply(ctx, "complaint", self.chips(ctx, "chips.complaint"))
        elif question.topic == "knowledge" and self.questions is not None:
            self.questions.dont_know(ctx)
        elif question.topic == "unchanged":
            self.not_changed(ctx)
        elif question.topic in ("totals.refunds", "totals.order") and (
            found := totals.answer(ctx, self.view(ctx), question.topic.split(".")[1])
        ):
            key, fields = found
            self.reply(ctx, key, **fields)
        else:
            ctx.unhelpful = True
            self.reply(ctx, "out_of_scope", self.chips(ctx, "chips.main"))

    def chit_chat(self, ctx: TurnContext, act: str) -> None:
        if act == "goodbye":
            self.reply(ctx, "goodbye")
        elif act == "thanks":
            self.reply(ctx, "anything_else", self.chips(ctx, "chips.main"))
        elif ctx.state.flow is None:
            self.reply(ctx, "greeting", self.chips(ctx, "chips.main"))

    def hand_off(self, ctx: TurnContext, reason: str) -> None:
        try:
            why = HandoffReason(reason)
        except ValueError:
            why = HandoffReason.CUSTOMER_REQUEST
        summary = {"reason": why.value, "verified_customer": ctx.state.verified_customer, "lang": ctx.lang}
        ctx.request_handoff(HandoffRequest(why, summary=summary))
        self.reply(ctx, "handoff")

    def identity(
        self, ctx: TurnContext, event: IdentityEvent, result: VerifyResult | None, strategy: str = ""
    ) -> None:
        if event == "verified":
            ctx.tool_events.append({"tool": "customer_verified", "ok": True})
            user = self.view(ctx).user()
            ctx.state.memory["vip"] = bool(user.get("vip"))
            self.reply(ctx, "verify.ok", name=render.person_name(user))
        elif event == "failed":
            self.reply(ctx, "verify.failed")
        elif event == "other_way":
            self.reply(ctx, self._key(f"verify.other_way.{strategy}", "ask.identity"))
        elif event == "incomplete" and result is not None and result.missing:
            self.reply(ctx, self._key(f"verify.missing.{result.missing[0]}", "ask.identity"))
        else:
            self.reply(ctx, "ask.identity")

    def confirm_again(self, ctx: TurnContext, flow: FlowSpec) -> None:
        self.reply(ctx, "confirm.again", self.chips(ctx, "chips.confirm"))

    def not_changed(self, ctx: TurnContext) -> None:
        self.reply(ctx, "not_changed", self.chips(ctx, "chips.main"))

    def lookup(self, ctx: TurnContext) -> Lookup:
        def find(tool: str, arguments: dict[str, str]) -> str | None:
            try:
                found = self.tools.call(
                    tool, arguments, customer_id=None, idempotency_key=ctx.idempotency_prefix
                )
            except ToolError:
                return None
            user_id = found.output.get("user_id")
            return str(user_id) if user_id else None

        return find
