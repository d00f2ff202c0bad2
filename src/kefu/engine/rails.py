"""Rails: checks that run at fixed points of a turn, each with an explicit failure policy.

Input rails see the customer's message before it is understood or stored; output rails see every
reply before it is stored and sent. A rail returns ``None`` (pass) or a ``RailOutcome`` saying what
to do: ``mask`` (replace the text), ``block`` (answer with a refusal, stop the turn), ``handoff``
(stop and wait for a human), ``hold`` (keep the reply for human review) or ``log`` (only record).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from kefu.domain.handoff import HandoffRequest
from kefu.domain.messages import OutgoingMessage
from kefu.engine.context import TurnContext


class RailAction(StrEnum):
    MASK = "mask"
    BLOCK = "block"
    HANDOFF = "handoff"
    HOLD = "hold"
    LOG = "log"


@dataclass(frozen=True)
class RailOutcome:
    action: RailAction
    reason: str
    text: str | None = None
    handoff: HandoffRequest | None = None  # with HANDOFF: why, and how urgently
    risk: float = 0.0  # 0..1, how risky the checked text is (output rails); HOLD when over the threshold
    live_text: str | None = None  # with MASK on a reply: the unmasked text, shown once to the customer


class InputRail(Protocol):
    name: str

    def check(self, ctx: TurnContext) -> RailOutcome | None: ...


class OutputRail(Protocol):
    name: str

    def check(self, ctx: TurnContext, reply: OutgoingMessage) -> RailOutcome | None: ...
