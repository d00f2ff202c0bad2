"""The finance pack's side of the flow engine: checks with ``rules.py`` on the customer's own records,
proposals listing exactly what will change, replies from ``responses.yaml``."""

from __future__ import annotations

from typing import Any

from kefu.dialogue.commands import AnswerQuestion
from kefu.dialogue.engine import OK, Check, IdentityEvent
from kefu.dialogue.flows import FlowSpec, SlotSpec
from kefu.dialogue.verification import Lookup, VerifyResult
from kefu.domain.handoff import HandoffReason, HandoffRequest, Priority
from kefu.engine.context import TurnContext
from kefu.engine.responder import Responder
from kefu.packs.finance import render, rules
from kefu.packs.finance.bank import Record
from kefu.packs.finance.clock import BankClock
from kefu.packs.finance.flows import ACCOUNT_OPEN, CARD_ACTIVE, CARD_FROZEN, DISPUTABLE, PERSONAL_CARDS
from kefu.packs.finance.questions import FinanceQuestions
from kefu.packs.finance.view import BankView, view_of
from kefu.tools.registry import ToolRegistry

UNHELPFUL = frozenset({"verify.failed", "tool_failed", "knowledge.dont_know", "out_of_scope"})
LISTED = 8


class FinanceHost:
    def __init__(
        self,
        tools: ToolRegistry,
        responder: Responder,
        questions: FinanceQuestions | None,
        clock: BankClock,
    ) -> None:
        self.tools = tools
        self.say = responder
        self.questions = questions
        self.clock = clock

    def view(self, ctx: TurnContext) -> BankView:
        return view_of(self.tools, ctx)

    def reply(self, ctx: TurnContext, key: str, suggestions: tuple[str, ...] = (), **fields: Any) -> None:
        if key in UNHELPFUL:
            ctx.unhelpful = True
        ctx.reply(self.say.render(key, ctx.lang, **fields), suggestions)

    def chips(self, ctx: TurnContext, key: str) -> tuple[str, ...]:
        return tuple(s for s in self.say.render(key, ctx.lang).split("|") if s)

    # -- the customer's records a slot chooses from -----------------------------------------------
    def candidates(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec) -> list[Record]:
        view = self.view(ctx)
        if slot.name == "card":
            check = rules.can_freeze if slot.validate == CARD_ACTIVE else rules.can_unfreeze
            return [c for c in view.debit_cards() if check(c)]
        if slot.name == "account":
            return [c for c in view.credit_cards() if rules.can_replace(c)]
        if slot.name == "transaction":
            return view.card_transactions()
        return []

    def options(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec) -> str:
        if slot.name in ("card_type", "account_type"):
            return " / ".join(PERSONAL_CARDS)
        found = self.candidates(ctx, flow, slot)
        if slot.name == "card":
            return ", ".join(render.debit_card(c) for c in found)
        if slot.name == "account":
            return ", ".join(render.credit_card(c) for c in found)
        if slot.name == "transaction":
            recent = sorted(found, key=lambda t: _sortable(str(t.get("transaction_date", ""))), reverse=True)
            return "\n" + "\n".join(f"- {render.card_transaction(t)}" for t in recent[:LISTED])
        return ""

    # -- slots ------------------------------------------------------------------------------------
    def validate(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, value: Any) -> Check:
        view = self.view(ctx)
        if slot.validate in (CARD_ACTIVE, CARD_FROZEN):
            card = view.find("list_debit_cards", "card_id", value)
            if not card:
                self.reply(ctx, "refuse.no_cards")
                return Check.refused(keep_flow=True)
            if slot.validate == CARD_ACTIVE and not rules.can_freeze(card):
                self.reply(ctx, "refuse.card_not_active", status=rules.status(card))
                return Check.refused()
            if slot.validate == CARD_FROZEN and not rules.can_unfreeze(card):
                self.reply(ctx, "refuse.card_not_frozen", status=rules.status(card))
                return Check.refused()
        if slot.validate == ACCOUNT_OPEN:
            account = view.find("list_credit_cards", "account_id", value)
            if not account:
                self.reply(ctx, "refuse.no_cards")
                return Check.refused(keep_flow=True)
            if not rules.can_replace(account):
                self.reply(ctx, "refuse.account_not_active", status=rules.status(account))
                return Check.refused()
        if slot.validate == DISPUTABLE:
            txn = view.find("list_card_transactions", "transaction_id", value)
            if not txn:
                self.reply(ctx, "refuse.no_transactions")
                return Check.refused(keep_flow=True)
            if not rules.within_dispute_window(txn, self.clock):
                self.reply(
                    ctx,
                    "refuse.window_closed",
                    self.chips(ctx, "chips.human"),
                    date=txn.get("transaction_date", ""),
                    days=rules.DISPUTE_WINDOW_DAYS,
                )
                return Check.refused()
        return OK

    def autofill(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec) -> Any | None:
        if slot.name in ("card", "account"):
            found = self.candidates(ctx, flow, slot)
            if len(found) == 1:
                return found[0]["card_id" if slot.name == "card" else "account_id"]
        if flow.name == "recommend_card":
            from kefu.packs.finance import recommend

            slots = ctx.state.slots
            if slot.name == "max_fee" and slots.get("goal") == "signup_bonus":
                return recommend.ANY_FEE
            if slot.name == "monthly_spend" and not recommend.needs_spend_answer(slots):
                return recommend.NOT_NEEDED
            if slot.name == "subscription" and not recommend.needs_subscription_answer(slots):
                return recommend.NOT_NEEDED
            return None
        if flow.name == "apply_card" and slot.name == "subscription" and ctx.state.memory.get("subscription"):
            return ctx.state.memory["subscription"]
        if slot.name == "card_type" and ctx.state.memory.get("recommended"):
            return ctx.state.memory["recommended"]  # "yes, I'll apply" after a recommendation
        if slot.name == "name" and ctx.state.verified_customer:
            return self.view(ctx).user().get("name")
        return None

    def ask(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, retry: bool) -> None:
        if slot.name in ("card", "account", "transaction") and not self.candidates(ctx, flow, slot):
            self.reply(ctx, "refuse.no_transactions" if slot.name == "transaction" else "refuse.no_cards")
            ctx.state.end_flow()
            return
        key = f"{slot.prompt}.{flow.name}" if self.say.has(f"{slot.prompt}.{flow.name}") else slot.prompt
        chips = self.chips(ctx, "chips.confirm") if slot.choices == ("yes", "no") else ()
        self.reply(ctx, key, chips, options=self.options(ctx, flow, slot))

    def clarify(self, ctx: TurnContext, flow: FlowSpec, slot: str, candidates: tuple[Any, ...]) -> None:
        view = self.view(ctx)
        lines = []
        for value in candidates:
            if slot == "transaction":
                lines.append(
                    render.card_transaction(view.find("list_card_transactions", "transaction_id", value))
                )
            elif slot == "card":
                lines.append(render.debit_card(view.find("list_debit_cards", "card_id", value)))
            elif slot == "account":
                lines.append(render.credit_card(view.find("list_credit_cards", "account_id", value)))
            else:
                lines.append(str(value))
        self.reply(ctx, "clarify", options="; ".join(lines))

    def cannot_provide(self, ctx: TurnContext, flow: FlowSpec | None, slot: str) -> None:
        self.reply(ctx, "knowledge.dont_know", self.chips(ctx, "chips.human"))

    # -- proposals and changes ----------------------------------------------------------------------
    def propose(self, ctx: TurnContext, flow: FlowSpec) -> dict[str, Any] | None:
        from kefu.packs.finance.proposals import proposal

        made = proposal(self, ctx, flow)
        if made is not None:
            self.reply(ctx, flow.confirm_key, self.chips(ctx, "chips.confirm"), **made["show"])
        return made

    def execute(self, ctx: TurnContext, flow: FlowSpec, pending: dict[str, Any]) -> None:
        output = self.view(ctx).call(str(pending["tool"]), confirmed=True, **pending["args"])
        record: Record = output.get("record", {})
        shown = dict(pending["show"])
        provisional = "provisional.yes" if record.get("eligible_for_provisional_credit") else "provisional.no"
        shown.update(
            order_id=record.get("order_id", ""),
            dispute_id=record.get("dispute_id", ""),
            provisional=self.say.render(provisional, ctx.lang),
        )
        self.reply(ctx, flow.done_key, **shown)
        if not ctx.state.private.get("queue"):
            self.reply(ctx, "anything_else")

    def answer_flow(self, ctx: TurnContext, flow: FlowSpec) -> None:
        from kefu.packs.finance.statements import answer_balance, answer_referrals, answer_transactions

        if flow.name == "balance":
            answer_balance(self, ctx)
        elif flow.name == "referral_status":
            answer_referrals(self, ctx)
        elif flow.name == "recommend_card":
            self.recommend(ctx)
        elif flow.name == "fee_rebate":
            self.fee_rebate(ctx)
        else:
            answer_transactions(self, ctx, str(ctx.state.private.get("hint", "")))

    def fee_rebate(self, ctx: TurnContext) -> None:
        from kefu.packs.finance import rebate

        view = self.view(ctx)
        account = next((c for c in view.credit_cards() if c.get("card_type") == rebate.CARD), None)
        if account is None:
            self.reply(ctx, "rebate.no_card")
            return
        found = rebate.windows(account, view.card_transactions(), self.clock.today)
        fields = {
            "start": found[0].start.strftime("%m/%d/%Y") if found else "",
            "end": found[-1].end.strftime("%m/%d/%Y") if found else "",
            "threshold": f"${rebate.THRESHOLD:,.0f}",
            "rebate": f"${rebate.REBATE:,.0f}",
            "sources": ", ".join(rebate.SOURCES),
        }
        if rebate.qualifies(found):
            self.reply(ctx, "rebate.yes", (), **fields)
            return
        short = "; ".join(
            f"{w.start:%m/%d}–{w.end:%m/%d}: ${w.spend:,.2f}" for w in found if w.spend < rebate.THRESHOLD
        )
        self.reply(ctx, "rebate.no", (), short=short, **fields)

    def recommend(self, ctx: TurnContext) -> None:
        from kefu.packs.finance import recommend

        card = recommend.recommend(ctx.state.slots, self.clock.today)
        if card is None:
            self.reply(ctx, "recommend.none", self.chips(ctx, "chips.human"))
            return
        ctx.state.memory["recommended"] = card.name
        if ctx.state.slots.get("subscription") in ("yes", "no"):
            ctx.state.memory["subscription"] = ctx.state.slots[
                "subscription"
            ]  # asked once, for the application
        self.reply(
            ctx,
            "recommend",
            card=card.name,
            reasons=recommend.reasons(card, ctx.state.slots, ctx.lang),
            sources=", ".join(card.sources),
        )

    # -- the rest ---------------------------------------------------------------------------------
    def answer(self, ctx: TurnContext, question: AnswerQuestion) -> None:
        if self.questions is not None and self.questions.answer(ctx, question.query or ctx.text):
            return
        self.reply(ctx, "knowledge.dont_know", self.chips(ctx, "chips.human"))

    def chit_chat(self, ctx: TurnContext, act: str) -> None:
        if act == "goodbye":
            self.reply(ctx, "goodbye")
        elif act == "thanks":
            self.reply(ctx, "anything_else", self.chips(ctx, "chips.main"))
        elif ctx.state.flow is None:
            self.reply(ctx, "greeting", self.chips(ctx, "chips.main"))

    def hand_off(self, ctx: TurnContext, reason: str) -> None:
        kind, _, topic = reason.partition(":")  # "policy:credit_bureau_incident": the documents say so
        try:
            why = HandoffReason(kind)
        except ValueError:
            why = HandoffReason.CUSTOMER_REQUEST
        summary = {"reason": why.value, "verified_customer": ctx.state.verified_customer, "lang": ctx.lang}
        if topic:
            summary["topic"] = topic
        priority = Priority.ANGER if topic else Priority.NORMAL
        ctx.request_handoff(HandoffRequest(why, priority=priority, summary=summary))
        self.reply(ctx, f"handoff.{topic}" if topic and self.say.has(f"handoff.{topic}") else "handoff")

    def identity(
        self, ctx: TurnContext, event: IdentityEvent, result: VerifyResult | None, strategy: str = ""
    ) -> None:
        if event == "verified":
            view = self.view(ctx)
            view.call("log_verification")  # τ²'s verification log: who, with which details, when
            ctx.tool_events.append({"tool": "customer_verified", "ok": True})
            self.reply(ctx, "verify.ok", name=view.user().get("name", ""))
        elif event == "failed":
            self.reply(ctx, "verify.failed", self.chips(ctx, "chips.human"))
        elif event == "other_way":
            self.reply(ctx, "verify.other_way")
        elif event == "incomplete":
            self.reply(ctx, "verify.missing")
        else:
            self.reply(ctx, "ask.identity")

    def confirm_again(self, ctx: TurnContext, flow: FlowSpec) -> None:
        self.reply(ctx, "confirm.again", self.chips(ctx, "chips.confirm"))

    def not_changed(self, ctx: TurnContext) -> None:
        self.reply(ctx, "not_changed", self.chips(ctx, "chips.main"))

    def lookup(self, ctx: TurnContext) -> Lookup:
        def find(tool: str, arguments: dict[str, str]) -> str | None:
            output = self.tools.call(
                tool, arguments, customer_id=None, idempotency_key=ctx.idempotency_prefix
            ).output
            found = output.get("user_id")
            return str(found) if found else None

        return find


def _sortable(us_date: str) -> str:
    month, _, rest = us_date.partition("/")
    day, _, year = rest.partition("/")
    return f"{year}{month}{day}"
