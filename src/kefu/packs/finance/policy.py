"""The finance dialogue policy: the toolkit's flow engine over the finance flows, fed by the pack's
deterministic command generator; product and procedure questions go to the bank's documents."""

from __future__ import annotations

from kefu.dialogue.engine import FlowEngine
from kefu.dialogue.ports import VerificationAttempts
from kefu.dialogue.verification import Verifier
from kefu.domain.errors import ToolError
from kefu.engine.context import TurnContext, Understanding
from kefu.engine.responder import Responder
from kefu.nlu.intents import OUT_OF_SCOPE
from kefu.packs.finance.clock import BankClock
from kefu.packs.finance.escalations import escalation_for
from kefu.packs.finance.flows import FLOWS
from kefu.packs.finance.generator import FinanceCommands
from kefu.packs.finance.host import FinanceHost
from kefu.packs.finance.identity import STRATEGIES
from kefu.packs.finance.questions import FinanceQuestions
from kefu.tools.registry import ToolRegistry

MAX_VERIFY_ATTEMPTS = 3
QUESTION_INTENTS = ("product_question", OUT_OF_SCOPE)
VALUE_SLOTS = ("identity", "name", "email", "card_type", "account_type", "transaction", "card", "account")


class FinancePolicy:
    def __init__(
        self,
        tools: ToolRegistry,
        responder: Responder,
        questions: FinanceQuestions | None,
        clock: BankClock,
        attempts: VerificationAttempts | None = None,
    ) -> None:
        self.questions = questions
        self.clock = clock
        self.host = FinanceHost(tools, responder, questions, clock)
        self.generator = FinanceCommands(tools, clock)
        self.engine = FlowEngine(
            FLOWS, self.host, self.generator, Verifier(STRATEGIES, attempts, MAX_VERIFY_ATTEMPTS)
        )

    def decide(self, ctx: TurnContext) -> None:
        try:
            self._decide(ctx)
        except ToolError as exc:
            self.host.reply(
                ctx, "tool_failed", self.host.chips(ctx, "chips.human"), reason=exc.detail or exc.user_message
            )
            ctx.state.end_flow()
            ctx.tool_events.append({"tool": "error", "reason": exc.user_message, "ok": False})

    def _decide(self, ctx: TurnContext) -> None:
        state = ctx.state
        if state.asking in VALUE_SLOTS and ctx.lang != state.lang and len(ctx.text.split()) <= 4:
            ctx.lang = state.lang  # a name or an email in Latin letters is an answer, not a new language
        u = ctx.understanding or Understanding(OUT_OF_SCOPE, 0.0)
        asking_value = state.asking is not None
        if (
            self.questions is not None
            and state.pending is None
            and not asking_value
            and u.intent in QUESTION_INTENTS
            and self.generator.flow_of(ctx, ctx.text) is None
            and escalation_for(ctx.text, self.clock.today) is None
        ) and self.questions.answer(ctx, ctx.text):
            self.engine.resume(ctx)
            return
        commands = self.generator.generate(ctx, ctx.text)
        self.engine.run(ctx, commands)
        if not ctx.replies:
            self.host.reply(ctx, "anything_else", self.host.chips(ctx, "chips.main"))
