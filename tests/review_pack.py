"""A test pack: the real retail pack plus one output rail that holds every reply to a customer who asks
for a guarantee ("guarantee" / "保证"), registered with ``register_pack`` like any plugin. Whatever the
retail pack answers (a verification question, a help-centre passage …) waits for review."""

from __future__ import annotations

from dataclasses import replace

from kefu.domain.messages import OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.engine.rails import RailAction, RailOutcome
from kefu.engine.turn import TurnPipeline
from kefu.packs.registry import PackEnvironment, register_pack
from kefu.packs.retail.pack import RetailPack
from kefu.packs.retail.pack import build as build_retail

PACK = "retail_review_test"
QUESTION_EN = "Do you guarantee my money back?"
QUESTION_ZH = "你们保证退款吗？"
RISK = 0.75
REASON = "guarantee_hold: customer asked for a guarantee"


class GuaranteeHoldRail:
    name = "guarantee_hold"

    def check(self, ctx: TurnContext, reply: OutgoingMessage) -> RailOutcome | None:
        if "guarantee" in ctx.text.lower() or "保证" in ctx.text:
            return RailOutcome(RailAction.HOLD, "customer asked for a guarantee", risk=RISK)
        return None


def build_review_pack(environment: PackEnvironment) -> RetailPack:
    pack = build_retail(environment)
    p = pack.pipeline
    pipeline = TurnPipeline(p.input_rails, p.understander, p.policy, [*p.output_rails, GuaranteeHoldRail()])
    return replace(pack, name=PACK, pipeline=pipeline)


register_pack(PACK, build_review_pack)
