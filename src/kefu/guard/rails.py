"""Rails built on the guards: PII masking on the way in, PII leak check on the way out."""

from __future__ import annotations

from kefu.domain.messages import OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.engine.rails import RailAction, RailOutcome
from kefu.guard.pii import mask

LEAK_KINDS = frozenset({"CARD", "CN_ID"})


class PiiRedactionRail:
    """The customer's message is stored and shown with its PII masked; the turn itself still sees the
    original text in memory (to verify an email, say), and nothing else keeps it."""

    name = "pii_redaction"

    def check(self, ctx: TurnContext) -> RailOutcome | None:
        masked, spans = mask(ctx.text)
        if not spans:
            return None
        kinds = ",".join(sorted({s.kind for s in spans}))
        return RailOutcome(RailAction.MASK, f"masked {kinds}", masked)


class PiiLeakRail:
    """No reply may carry a full card or ID number, whatever produced it."""

    name = "pii_leak"

    def check(self, ctx: TurnContext, reply: OutgoingMessage) -> RailOutcome | None:
        masked, spans = mask(reply.text, LEAK_KINDS)
        if not spans:
            return None
        return RailOutcome(RailAction.MASK, "reply carried card or ID numbers", masked)
