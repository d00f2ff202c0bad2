"""The retail dialogue policy: the toolkit's flow engine over the retail flows, fed by the pack's
deterministic command generator; general questions go to the help centre first."""

from __future__ import annotations

from kefu.dialogue.engine import FlowEngine
from kefu.dialogue.ports import VerificationAttempts
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.verification import Verifier
from kefu.domain.errors import ToolError
from kefu.engine.context import TurnContext, Understanding
from kefu.engine.responder import Responder
from kefu.nlu.intents import OUT_OF_SCOPE, IntentClassifier
from kefu.packs.retail.flows import FLOWS
from kefu.packs.retail.generator import RetailCommands, only_identity
from kefu.packs.retail.grounding import Grounding
from kefu.packs.retail.host import RetailHost
from kefu.packs.retail.identity import STRATEGIES
from kefu.packs.retail.products import named_products
from kefu.packs.retail.questions import RetailQuestions
from kefu.packs.retail.understanding import information_only
from kefu.tools.registry import ToolRegistry

MAX_VERIFY_ATTEMPTS = 3


class RetailPolicy:
    def __init__(
        self,
        tools: ToolRegistry,
        responder: Responder,
        questions: RetailQuestions | None,
        classifier: IntentClassifier,
        attempts: VerificationAttempts | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.tools = tools
        self.questions = questions  # general questions → the help centre (knowledge), when there is one
        self.host = RetailHost(tools, responder, questions)
        self.generator = RetailCommands(classifier, Grounding(tools, glossary))
        verifier = Verifier(STRATEGIES, attempts, MAX_VERIFY_ATTEMPTS)
        self.engine = FlowEngine(FLOWS, self.host, self.generator, verifier)

    def decide(self, ctx: TurnContext) -> None:
        try:
            self._decide(ctx)
        except ToolError as exc:
            self.host.reply(ctx, "tool_failed", order_id=ctx.state.slots.get("order", ""))
            ctx.state.end_flow()
            ctx.tool_events.append({"tool": "error", "reason": exc.user_message, "ok": False})

    def _decide(self, ctx: TurnContext) -> None:
        state = ctx.state
        u = ctx.understanding or Understanding(OUT_OF_SCOPE, 0.0)
        identity_only = only_identity(ctx.text) or information_only(ctx.text)
        if identity_only:
            ctx.lang = state.lang  # "Ethan Garcia, 80280" in a Chinese conversation is no switch to English
        total = self.generator.total_asked(ctx, ctx.text) is not None
        if self.questions is not None and state.pending is None and not identity_only and not total:
            intent = self.generator.contextual_intent(ctx, u)
            catalogue = bool(named_products(ctx.text, self.host.view(ctx).products()))
            if intent != "continue" and not catalogue and self.questions.handle(ctx, intent):
                self.engine.run(ctx, self.generator.other_requests(ctx, ctx.text))
                return
        commands = self.generator.generate(ctx, ctx.text)
        self.engine.run(ctx, commands)
        if not ctx.replies:
            self.host.reply(ctx, "anything_else", self.host.chips(ctx, "chips.main"))
