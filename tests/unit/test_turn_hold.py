"""Output rails that say HOLD: the held reply and every reply after it in the turn wait for review."""

from __future__ import annotations

from datetime import UTC, datetime

from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.handoff import HandoffReason, HandoffRequest, Priority
from kefu.domain.ids import ConversationId
from kefu.domain.messages import ConversationStatus, OutgoingMessage
from kefu.engine.context import TurnContext, Understanding
from kefu.engine.rails import RailAction, RailOutcome
from kefu.engine.review import held_notice, rejected_notice
from kefu.engine.turn import TurnPipeline


class KeywordHoldRail:
    """Holds any reply that mentions ``word``, with a risk score."""

    name = "keyword_hold"

    def __init__(self, word: str, risk: float = 0.9) -> None:
        self.word = word
        self.risk = risk

    def check(self, ctx: TurnContext, reply: OutgoingMessage) -> RailOutcome | None:
        if self.word not in reply.text:
            return None
        return RailOutcome(RailAction.HOLD, f"mentions {self.word}", risk=self.risk)


class DigitMaskRail:
    """Masks digits, standing in for the PII leak rail."""

    name = "digit_mask"

    def check(self, ctx: TurnContext, reply: OutgoingMessage) -> RailOutcome | None:
        masked = "".join("#" if c.isdigit() else c for c in reply.text)
        return None if masked == reply.text else RailOutcome(RailAction.MASK, "digits", masked)


class Understand:
    def understand(self, ctx: TurnContext) -> Understanding:
        return Understanding("anything", 1.0)


class Say:
    """Replies with the given texts, one message each."""

    def __init__(self, *texts: str) -> None:
        self.texts = texts

    def decide(self, ctx: TurnContext) -> None:
        for text in self.texts:
            ctx.reply(text)


def run(policy: Say, *rails: object) -> TurnContext:
    conversation = Conversation(
        ConversationId("c1"), "test", "en", ConversationStatus.BOT, None, datetime.now(UTC)
    )
    ctx = TurnContext(conversation, DialogueState(), "hello", "en", "c1:t1")
    TurnPipeline([], Understand(), policy, list(rails)).run(ctx)  # type: ignore[arg-type]
    return ctx


def test_a_reply_without_a_hold_is_sent() -> None:
    ctx = run(Say("hello there"), KeywordHoldRail("guaranteed"))
    assert [r.text for r in ctx.replies] == ["hello there"]
    assert ctx.held == []


def test_a_held_reply_and_every_reply_after_it_wait_in_order() -> None:
    ctx = run(
        Say("Let me check.", "Returns are guaranteed 8%.", "Anything else?"),
        KeywordHoldRail("guaranteed", 0.8),
    )
    assert [r.text for r in ctx.replies] == ["Let me check."]
    assert [h.reply.text for h in ctx.held] == ["Returns are guaranteed 8%.", "Anything else?"]
    assert ctx.held[0].risk == 0.8 and ctx.held[0].reasons == ("keyword_hold: mentions guaranteed",)
    assert ctx.held[1].reasons == ()  # held only to keep the order
    assert {"rail": "keyword_hold", "action": "hold", "reason": "mentions guaranteed"} in ctx.rail_log


def test_held_text_is_masked_by_the_other_rails_whatever_their_order() -> None:
    for rails in (
        (KeywordHoldRail("guaranteed"), DigitMaskRail()),
        (DigitMaskRail(), KeywordHoldRail("guaranteed")),
    ):
        ctx = run(Say("Call 555 1234, returns guaranteed."), *rails)
        assert ctx.replies == []
        assert [h.reply.text for h in ctx.held] == ["Call ### ####, returns guaranteed."]


def test_reasons_of_several_rails_are_kept_and_the_highest_risk_wins() -> None:
    ctx = run(
        Say("guaranteed approval"), KeywordHoldRail("guaranteed", 0.6), KeywordHoldRail("approval", 0.95)
    )
    assert len(ctx.held) == 1
    assert ctx.held[0].risk == 0.95
    assert ctx.held[0].reasons == ("keyword_hold: mentions guaranteed", "keyword_hold: mentions approval")


class EmergencyInput:
    name = "emergency"

    def check(self, ctx: TurnContext) -> RailOutcome | None:
        request = HandoffRequest(HandoffReason.EMERGENCY, Priority.EMERGENCY)
        return RailOutcome(RailAction.HANDOFF, "emergency:cardiac", "Call 120 now; guaranteed help.", request)


def test_an_emergency_reply_is_never_held() -> None:
    conversation = Conversation(
        ConversationId("c1"), "test", "en", ConversationStatus.BOT, None, datetime.now(UTC)
    )
    ctx = TurnContext(conversation, DialogueState(), "chest pain", "en", "c1:t1")
    pipeline = TurnPipeline([EmergencyInput()], Understand(), Say(), [KeywordHoldRail("guaranteed")])
    pipeline.run(ctx)
    assert [r.text for r in ctx.replies] == ["Call 120 now; guaranteed help."]
    assert ctx.held == [] and ctx.status is ConversationStatus.WAITING_HUMAN


def test_notices_speak_the_customers_language() -> None:
    assert "专员" in held_notice("zh") and "specialist" in held_notice("en")
    assert "人工" in rejected_notice("zh") and "human agent" in rejected_notice("en")
    assert held_notice("fr") == held_notice("en")
