"""One turn: input rails → understanding → decision (with tool rails) → output rails.

The pipeline only mutates a ``TurnContext``; storing the result is the caller's job, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from kefu.domain.handoff import HandoffReason, HandoffRequest
from kefu.engine.context import TurnContext, Understanding
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
        checked = []
        for reply in ctx.replies:
            for rail in self.output_rails:
                outcome = rail.check(ctx, reply)
                if outcome is None:
                    continue
                ctx.rail_log.append(
                    {"rail": rail.name, "action": outcome.action.value, "reason": outcome.reason}
                )
                if (
                    outcome.action in (RailAction.MASK, RailAction.BLOCK, RailAction.HOLD)
                    and outcome.text is not None
                ):
                    reply = replace(reply, text=outcome.text)
                if outcome.action is RailAction.HANDOFF:
                    ctx.request_handoff(
                        outcome.handoff or HandoffRequest(HandoffReason.POLICY, detail=outcome.reason)
                    )
            checked.append(reply)
        ctx.replies = checked
