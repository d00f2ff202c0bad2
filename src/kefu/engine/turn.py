"""One turn: input rails → understanding → decision (with tool rails) → output rails.

The pipeline only mutates a ``TurnContext``; storing the result is the caller's job, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from kefu.domain.handoff import HandoffReason, HandoffRequest, Priority
from kefu.domain.messages import OutgoingMessage
from kefu.engine.context import HeldReply, TurnContext, Understanding
from kefu.engine.rails import InputRail, OutputRail, RailAction, RailOutcome


class Understander(Protocol):
    def understand(self, ctx: TurnContext) -> Understanding: ...


class DialoguePolicy(Protocol):
    def decide(self, ctx: TurnContext) -> None:
        """Append replies (and tool events) to ``ctx``; may change ``ctx.status`` (handoff)."""
        ...


class TurnPipeline:
    def __init__(
        self,
        input_rails: Sequence[InputRail],
        understander: Understander,
        policy: DialoguePolicy,
        output_rails: Sequence[OutputRail],
    ) -> None:
        self.input_rails = list(input_rails)
        self.understander = understander
        self.policy = policy
        self.output_rails = list(output_rails)

    def run(self, ctx: TurnContext) -> TurnContext:
        for rail in self.input_rails:
            outcome = rail.check(ctx)
            if outcome is not None:
                self.apply_input(ctx, rail.name, outcome)
            if ctx.halted:
                break
        if not ctx.halted:
            ctx.understanding = self.understander.understand(ctx)
            self.policy.decide(ctx)
        self._apply_output_rails(ctx)
        ctx.state.turns += 1
        return ctx

    @staticmethod
    def apply_input(ctx: TurnContext, rail: str, outcome: RailOutcome) -> None:
        ctx.rail_log.append({"rail": rail, "action": outcome.action.value, "reason": outcome.reason})
        if outcome.action is RailAction.MASK and outcome.text is not None:
            ctx.stored_text = outcome.text
        elif outcome.action is RailAction.BLOCK:
            if outcome.text:
                ctx.reply(outcome.text)
            ctx.halted = True
        elif outcome.action is RailAction.HANDOFF:
            if outcome.text:
                ctx.reply(outcome.text, empathetic=True)
            request = outcome.handoff or HandoffRequest(HandoffReason.POLICY, detail=outcome.reason)
            ctx.request_handoff(request)
            ctx.halted = True

    def _apply_output_rails(self, ctx: TurnContext) -> None:
        """Every reply passes every output rail. A reply a rail holds is not sent: it and every reply
        after it in this turn go to ``ctx.held`` (in order), to be released together by a reviewer.
        Nothing is held in a turn that raised an emergency."""
        checked: list[OutgoingMessage] = []
        for reply in ctx.replies:
            hold_reasons: list[str] = []
            risk = 0.0
            for rail in self.output_rails:
                outcome = rail.check(ctx, reply)
                if outcome is None:
                    continue
                ctx.rail_log.append(
                    {"rail": rail.name, "action": outcome.action.value, "reason": outcome.reason}
                )
                risk = max(risk, outcome.risk)
                if (
                    outcome.action in (RailAction.MASK, RailAction.BLOCK, RailAction.HOLD)
                    and outcome.text is not None
                ):
                    # A rail's own unmasked rendering survives only if no later rail changes the text:
                    # the PII leak rail, which gives one, runs last.
                    reply = replace(reply, text=outcome.text, live_text=outcome.live_text)
                if outcome.action is RailAction.HOLD:
                    named = outcome.reason.startswith(rail.name)
                    hold_reasons.append(outcome.reason if named else f"{rail.name}: {outcome.reason}")
                if outcome.action is RailAction.HANDOFF:
                    ctx.request_handoff(
                        outcome.handoff or HandoffRequest(HandoffReason.POLICY, detail=outcome.reason)
                    )
            emergency = ctx.handoff is not None and ctx.handoff.priority >= Priority.EMERGENCY
            if hold_reasons and emergency:
                # Emergency instructions (call 120 / 911 now) go out at once; a human is on the way anyway.
                ctx.rail_log.append({"rail": "review", "action": "log", "reason": "emergency: not held"})
                hold_reasons = []
            if hold_reasons or ctx.held:
                ctx.held.append(HeldReply(reply, risk, tuple(hold_reasons)))
            else:
                checked.append(reply)
        ctx.replies = checked
