"""A policy wrapper that applies a pack's handoff rules around its own dialogue policy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from kefu.domain.handoff import HandoffReason, HandoffRequest, Priority
from kefu.domain.messages import ConversationStatus
from kefu.engine.context import TurnContext, Understanding
from kefu.engine.responder import Responder
from kefu.engine.turn import DialoguePolicy
from kefu.handoff.triggers import HandoffRules, escalation_language, human_request_verdict, worsening


@dataclass(frozen=True)
class QueueSnapshot:
    waiting: int
    average_wait_s: float | None
    agents_online: int


QueueInfo = Callable[[], QueueSnapshot]


class HandoffPolicy:
    """Explicit requests go straight to a human; after the pack has answered, anger, a worsening mood,
    repeated failure, complaints (if the pack says so) and large amounts hand off too. A VIP customer's
    handoff jumps the queue. Out of support hours, or with nobody online when the pack requires it, the
    handoff becomes a ticket with a callback promise."""

    def __init__(
        self,
        inner: DialoguePolicy,
        responder: Responder,
        rules: HandoffRules,
        queue_info: QueueInfo | None = None,
        timezone: str = "Asia/Shanghai",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.inner = inner
        self.say = responder
        self.rules = rules
        self.queue_info = queue_info
        self.zone = ZoneInfo(timezone)
        self.clock = clock

    def decide(self, ctx: TurnContext) -> None:
        already_waiting = ctx.status is ConversationStatus.WAITING_HUMAN
        understanding = ctx.understanding
        memory = ctx.state.memory
        sentiment = (understanding.entities.get("sentiment") if understanding else None) or {}
        scores: list[float] = [*memory.get("sentiment_scores", []), float(sentiment.get("score", 0.0))][-10:]
        memory["sentiment_scores"] = scores
        verdict = human_request_verdict(ctx.text)
        if verdict is False and understanding is not None and understanding.intent == "human_request":
            # "你是人工智能吗", "不用转人工了", "my travel agent": mentions of people, not a request
            understanding = ctx.understanding = _second_choice(understanding)
        # the classifier alone never hands off praise ("你们的客服人员态度很好")
        classified = (
            understanding is not None
            and understanding.intent == "human_request"
            and sentiment.get("label") != "positive"
        )
        explicit = self.rules.on_request and (verdict is True or (verdict is None and classified))
        intensity = float(sentiment.get("intensity", 0))
        angry = escalation_language(ctx.text) or (
            sentiment.get("label") == "negative" and intensity >= self.rules.anger_intensity
        )
        if explicit:
            ctx.state.end_flow()
            priority = Priority.ANGER if angry else Priority.NORMAL  # an angry request waits less
            self._request(ctx, HandoffReason.CUSTOMER_REQUEST, priority, already_waiting)
            return
        if understanding is not None and understanding.intent == "human_request":
            ctx.understanding = _second_choice(understanding)  # not a request after all: the pack decides
        self.inner.decide(ctx)
        failures = int(memory.get("failures", 0)) + 1 if ctx.unhelpful else 0
        memory["failures"] = failures
        if ctx.handoff is not None or already_waiting:
            return
        if angry or worsening(scores, self.rules.worsening_turns, self.rules.worsening_floor):
            self._request(ctx, HandoffReason.NEGATIVE_SENTIMENT, Priority.ANGER, False)
        elif self.rules.max_failures and failures >= self.rules.max_failures:
            self._request(ctx, HandoffReason.REPEATED_FAILURE, Priority.NORMAL, False)
        elif understanding is not None and understanding.intent in self.rules.complaint_intents:
            self._request(ctx, HandoffReason.POLICY, Priority.NORMAL, False, detail="complaint")
        elif self._above_limit(ctx):
            self._request(ctx, HandoffReason.POLICY, Priority.NORMAL, False, detail="amount_above_limit")

    def _above_limit(self, ctx: TurnContext) -> bool:
        if self.rules.amount_limit is None or ctx.understanding is None:
            return False
        for money in ctx.understanding.entities.get("money", []):
            try:
                if Decimal(str(money.get("amount"))) > Decimal(str(self.rules.amount_limit)):
                    return True
            except (InvalidOperation, AttributeError):
                continue
        return False

    def _request(
        self,
        ctx: TurnContext,
        reason: HandoffReason,
        priority: Priority,
        already_waiting: bool,
        detail: str = "",
    ) -> None:
        if ctx.state.memory.get(self.rules.vip_flag):
            priority = max(priority, Priority.VIP)
        snapshot = self.queue_info() if self.queue_info else QueueSnapshot(0, None, 1)
        ticket = not self._staffed(snapshot)
        if not already_waiting:
            summary = self._summary(ctx, reason, detail, ticket)
            ctx.request_handoff(HandoffRequest(reason, priority, detail, summary=summary))
        if ticket:
            ctx.reply(self.say.render("handoff.ticket", ctx.lang, hours=self._hours_text()), empathetic=True)
            return
        position = snapshot.waiting + (0 if already_waiting else 1)
        minutes = max(1, round((snapshot.average_wait_s or 120) * position / 60))
        text = self.say.render("handoff.queued", ctx.lang, position=position, minutes=minutes)
        ctx.reply(text, empathetic=True)

    def _staffed(self, snapshot: QueueSnapshot) -> bool:
        if self.rules.support_hours is not None:
            start, end = self.rules.support_hours
            now = self.clock().astimezone(self.zone)
            minutes = now.hour * 60 + now.minute
            if not start <= minutes < end:
                return False
        return not (self.rules.require_online_agent and snapshot.agents_online == 0)

    def _hours_text(self) -> str:
        if self.rules.support_hours is None:
            return "-"
        start, end = self.rules.support_hours
        return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"

    @staticmethod
    def _summary(ctx: TurnContext, reason: HandoffReason, detail: str, ticket: bool) -> dict[str, object]:
        u = ctx.understanding
        return {
            "reason": reason.value,
            "detail": detail,
            "ticket": ticket,
            "intent": u.intent if u else None,
            "flow": ctx.state.flow,
            "slots": {k: v for k, v in ctx.state.slots.items() if k in ("order", "reason", "items")},
            "verified_customer": ctx.state.verified_customer,
            "sentiment_trend": list(ctx.state.memory.get("sentiment_scores", []))[-5:],
            "last_message": ctx.stored_text,
            "lang": ctx.lang,
        }


def _second_choice(understanding: Understanding) -> Understanding:
    """The classifier's best intent other than ``human_request``."""
    others = [(intent, score) for intent, score in understanding.ranking if intent != "human_request"]
    intent, score = others[0] if others else ("out_of_scope", 0.0)
    return replace(understanding, intent=intent, confidence=score)
