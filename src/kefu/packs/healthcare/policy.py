"""The healthcare dialogue policy: the toolkit's flow engine over the healthcare flows, fed by the
pack's deterministic command generator; questions (triage, knowledge, refusals) answered by the host."""

from __future__ import annotations

from kefu.dialogue.engine import FlowEngine
from kefu.dialogue.ports import VerificationAttempts
from kefu.dialogue.verification import ToolLookup, Verifier
from kefu.domain.errors import ToolError
from kefu.engine.context import TurnContext
from kefu.packs.healthcare.answers import HealthAnswers
from kefu.packs.healthcare.flows import FLOWS
from kefu.packs.healthcare.generator import HealthCommands
from kefu.packs.healthcare.host import HealthHost
from kefu.packs.healthcare.understanding import HealthUnderstander

MAX_VERIFY_ATTEMPTS = 3
PHONE_DOB = ToolLookup(
    "phone_dob",
    ("phone", "birth_date"),
    "find_patient",
    (("phone", "phone"), ("birth_date", "birth_date")),
    "verify.other_way",
    "healthcare",
)


class HealthPolicy:
    def __init__(
        self,
        host: HealthHost,
        answers: HealthAnswers,
        understander: HealthUnderstander,
        timezone: str,
        attempts: VerificationAttempts | None = None,
    ) -> None:
        self.host = host
        host.answers = answers
        self.generator = HealthCommands(understander.read, host, timezone)
        verifier = Verifier((PHONE_DOB,), attempts, MAX_VERIFY_ATTEMPTS)
        self.engine = FlowEngine(FLOWS, host, self.generator, verifier)

    def decide(self, ctx: TurnContext) -> None:
        try:
            self.engine.run(ctx, self.generator.generate(ctx, ctx.text))
        except ToolError as exc:
            self.host.reply(ctx, "tool_failed")
            ctx.state.end_flow()
            ctx.tool_events.append({"tool": "error", "reason": exc.user_message, "ok": False})
        if not ctx.replies:
            if ctx.state.flow is None:
                self.host.reply(ctx, "out_of_scope", self.host.chips(ctx, "chips.main"))
            else:
                self.engine.resume(ctx)
                if not ctx.replies:
                    self.host.reply(ctx, "anything_else", self.host.chips(ctx, "chips.main"))
