"""The retail dialogue policy: verification, confirmation, corrections and routing to flows."""

from __future__ import annotations

from kefu.domain.errors import ToolError
from kefu.domain.handoff import HandoffReason, HandoffRequest
from kefu.engine.context import TurnContext, Understanding
from kefu.engine.responder import Responder
from kefu.nlu import entities
from kefu.nlu.intents import OUT_OF_SCOPE
from kefu.nlu.yesno import yes_or_no
from kefu.packs.retail import render, slots
from kefu.packs.retail.flows import FLOWS, FlowRunner
from kefu.packs.retail.questions import RetailQuestions, about_catalogue
from kefu.packs.retail.understanding import INFORM
from kefu.tools.registry import ToolRegistry

CONFIDENT = 0.55
SIDE_QUESTION_CONFIDENCE = 0.35
SIDE_QUESTIONS = ("product_question", "greeting", "goodbye", "human_request", "complaint")
MAX_VERIFY_ATTEMPTS = 3


class RetailPolicy:
    def __init__(
        self, tools: ToolRegistry, responder: Responder, questions: RetailQuestions | None = None
    ) -> None:
        self.tools = tools
        self.say = responder
        self.flows = FlowRunner(tools, responder)
        self.questions = questions  # general questions → the help centre (knowledge), when there is one

    def decide(self, ctx: TurnContext) -> None:
        u = ctx.understanding or Understanding(OUT_OF_SCOPE, 0.0)
        intent = self._contextual_intent(ctx, u)
        state = ctx.state
        if state.pending is not None and self._confirmation(ctx, intent):
            return
        if self.questions is not None and intent != "continue" and self.questions.handle(ctx, intent):
            return
        if not state.verified_customer and state.asking == "identity" and intent in ("continue", *FLOWS):
            if not self._verify(ctx):
                return
            intent = intent if intent in FLOWS and intent != state.flow else "continue"
        if intent == "continue" and state.flow:
            self._run_flow(ctx)
        elif intent in FLOWS:
            keep = state.flow == intent
            if not keep:
                state.start_flow(intent)
            self._run_flow(ctx)
        elif intent == "greeting":
            self.flows.reply(ctx, "greeting", self.flows.chips(ctx, "chips.main"))
        elif intent == "goodbye":
            state.end_flow()
            self.flows.reply(ctx, "goodbye")
        elif intent == "human_request":
            self._handoff(ctx, HandoffReason.CUSTOMER_REQUEST)
        elif intent == "complaint":
            self._complaint(ctx)
        elif intent == "product_question":
            self._product_question(ctx)
        else:
            ctx.unhelpful = True
            self.flows.reply(ctx, "out_of_scope", self.flows.chips(ctx, "chips.main"))

    # -- understanding in context -----------------------------------------------------------------
    def _contextual_intent(self, ctx: TurnContext, u: Understanding) -> str:
        state = ctx.state
        intent, confident = u.intent, u.confidence >= CONFIDENT
        if intent == INFORM:  # only ids, emails, numbers: an answer, never a new request
            return "continue" if state.flow else ("order_status" if entities.order_ids(ctx.text) else intent)
        fills_slot = self._answers_question(ctx)
        if state.asking == "identity" and fills_slot:
            return "continue"
        if state.flow and fills_slot and not (intent in FLOWS and intent != state.flow and confident):
            return "continue"
        side_question = intent in SIDE_QUESTIONS and u.confidence >= SIDE_QUESTION_CONFIDENCE
        if state.asking == "identity" and side_question:
            return intent  # answer it; the request waiting for verification stays open
        if intent == OUT_OF_SCOPE or not confident:
            if state.flow and state.asking:
                return "continue"
            if entities.order_ids(ctx.text):
                return "order_status"
        return intent

    def _answers_question(self, ctx: TurnContext) -> bool:
        asking, text = ctx.state.asking, ctx.text
        if asking == "identity":
            return bool(
                entities.emails(text) or entities.zip_codes(text) or entities.person_names(text, True)
            )
        if asking == "order":
            return slots.order_reference(text, ctx.state.memory, None) is not None
        if asking == "reason":
            return slots.cancel_reason(text) is not None
        if asking in ("items", "new_items", "payment", "address"):
            return True
        return bool(entities.order_ids(text) or slots.refers_to_other(text))

    # -- confirmation and corrections -------------------------------------------------------------
    def _confirmation(self, ctx: TurnContext, intent: str) -> bool:
        """Handle the answer to "shall I go ahead?"; False lets the turn go on as a new request."""
        state = ctx.state
        answer = yes_or_no(ctx.text)
        correction = bool(entities.order_ids(ctx.text) or slots.refers_to_other(ctx.text))
        if correction:
            state.pending = None
            self._run_flow(ctx)
            return True
        if answer == "yes":
            self.flows.execute_pending(ctx)
            return True
        if answer == "no":
            state.end_flow()
            self.flows.reply(ctx, "not_changed", self.flows.chips(ctx, "chips.main"))
            return True
        if intent not in ("continue", OUT_OF_SCOPE) and intent != state.flow:
            state.end_flow()
            return False
        self.flows.reply(ctx, "confirm.again", self.flows.chips(ctx, "chips.confirm"))
        return True

    # -- verification -----------------------------------------------------------------------------
    def _run_flow(self, ctx: TurnContext) -> None:
        state = ctx.state
        if not state.verified_customer:
            state.asking = "identity"
            remembered = entities.order_ids(ctx.text)
            if remembered:
                state.slots["order"] = remembered[-1]
            state.memory["request_text"] = ctx.stored_text  # masked: state is stored
            self.flows.reply(ctx, "ask.identity")
            return
        try:
            self.flows.advance(ctx)
        except ToolError as exc:
            self.flows.reply(ctx, "tool_failed", order_id=state.slots.get("order", ""))
            state.end_flow()
            ctx.tool_events.append({"tool": "error", "reason": exc.user_message, "ok": False})

    def _verify(self, ctx: TurnContext) -> bool:
        state, text = ctx.state, ctx.text
        user_id: str | None = None
        for email in entities.emails(text):
            user_id = user_id or self._lookup("find_user_id_by_email", ctx, email=email)
        zips = entities.zip_codes(text)
        for name in entities.person_names(text, expecting_name=True):
            for zip_code in zips:
                user_id = user_id or self._lookup(
                    "find_user_id_by_name_zip", ctx, first_name=name.first, last_name=name.last, zip=zip_code
                )
        if user_id is None:
            attempts = int(state.memory.get("verify_attempts", 0)) + 1
            state.memory["verify_attempts"] = attempts
            if attempts >= MAX_VERIFY_ATTEMPTS:
                self._handoff(ctx, HandoffReason.VERIFICATION_FAILED)
            else:
                self.flows.reply(ctx, "verify.failed")
            return False
        state.verified_customer = user_id
        state.asking = None
        state.memory["vip"] = bool((self.flows.call(ctx, "get_user_details") or {}).get("vip"))
        ctx.tool_events.append({"tool": "customer_verified", "ok": True})
        user = self.flows.call(ctx, "get_user_details")
        self.flows.reply(ctx, "verify.ok", name=render.person_name(user))
        return True

    def _lookup(self, tool: str, ctx: TurnContext, **arguments: str) -> str | None:
        try:
            found = self.tools.call(tool, arguments, customer_id=None, idempotency_key=ctx.idempotency_prefix)
        except ToolError:
            return None
        user_id = found.output.get("user_id")
        return str(user_id) if user_id else None

    # -- the rest ---------------------------------------------------------------------------------
    def _handoff(self, ctx: TurnContext, reason: HandoffReason) -> None:
        ctx.state.end_flow()
        summary = {"reason": reason.value, "verified_customer": ctx.state.verified_customer, "lang": ctx.lang}
        ctx.request_handoff(HandoffRequest(reason, summary=summary))
        self.flows.reply(ctx, "handoff")

    def _complaint(self, ctx: TurnContext) -> None:
        order_ids = entities.order_ids(ctx.text)
        if order_ids:
            ctx.state.remember_orders(order_ids)
        ctx.tool_events.append({"tool": "complaint_recorded", "order_ids": order_ids, "ok": True})
        self.flows.reply(ctx, "complaint", self.flows.chips(ctx, "chips.complaint"))

    def _product_question(self, ctx: TurnContext) -> None:
        products = self.flows.call(ctx, "list_products")["products"]
        text = entities.fold(ctx.text).lower()
        matches = [
            p
            for p in products
            if str(p.get("name", "")).lower() in text or (p.get("name_zh") and str(p["name_zh"]) in text)
        ]
        if not matches and self.questions is not None and not about_catalogue(ctx.text):
            self.questions.dont_know(ctx)  # "do you offer a student discount?": not about a product
            return
        if not matches:
            names = [render.product_name(p, ctx.lang) for p in products[:12]]
            self.flows.reply(
                ctx,
                "product.unknown",
                tuple(names[:4]),
                products="、".join(names) if ctx.lang == "zh" else ", ".join(names),
            )
            return
        for product in matches[:2]:
            variants = list(product.get("variants", {}).values())
            available = [v for v in variants if v.get("available")]
            prices = [float(v["price"]) for v in available] or [0.0]
            wanted = slots.wanted_values(ctx.text)
            fitting = [
                v for v in available if wanted & {str(o).lower() for o in v.get("options", {}).values()}
            ]
            options = sorted({str(o) for v in available for o in v.get("options", {}).values()})
            self.flows.reply(
                ctx,
                "product.info" if available else "product.sold_out",
                name=render.product_name(product, ctx.lang),
                count=len(available),
                low=render.money(min(prices)),
                high=render.money(max(prices)),
                options=", ".join(options[:20]),
                fitting="; ".join(
                    render.item_name({**v, "name": render.product_name(product, ctx.lang)}, ctx.lang)
                    for v in fitting[:3]
                )
                or "-",
            )
