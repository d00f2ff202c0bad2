"""A policy wrapper that applies a pack's handoff rules around its own dialogue policy."""

from __future__ import annotations

from collections.abc import Callable

from kefu.domain.handoff import HandoffReason, HandoffRequest, Priority
from kefu.domain.messages import ConversationStatus
from kefu.engine.context import TurnContext
from kefu.engine.responder import Responder
from kefu.engine.turn import DialoguePolicy
from kefu.handoff.triggers import HandoffRules, asks_for_human, worsening

QueueInfo = Callable[[], tuple[int, float | None]]  # (people waiting, average wait in seconds)


class HandoffPolicy:
    def __init__(
        self,
        inner: DialoguePolicy,
        responder: Responder,
        rules: HandoffRules,
        queue_info: QueueInfo | None = None,
    ) -> None:
        self.inner = inner
        self.say = responder
        self.rules = rules
        self.queue_info = queue_info

    def decide(self, ctx: TurnContext) -> None:
        already_waiting = ctx.status is ConversationStatus.WAITING_HUMAN
        understanding = ctx.understanding
        memory = ctx.state.memory
        sentiment = (understanding.entities.get("sentiment") if understanding else None) or {}
        scores: list[float] = [*memory.get("sentiment_scores", []), float(sentiment.get("score", 0.0))][-10:]
        memory["sentiment_scores"] = scores
        explicit = self.rules.on_request and (
            asks_for_human(ctx.text)
            or (understanding is not None and understanding.intent == "human_request")
        )
        if explicit:
            ctx.state.end_flow()
            self._request(ctx, HandoffReason.CUSTOMER_REQUEST, Priority.NORMAL, already_waiting)
            return
        self.inner.decide(ctx)
        failures = int(memory.get("failures", 0)) + 1 if ctx.unhelpful else 0
        memory["failures"] = failures
        intensity = float(sentiment.get("intensity", 0))
        angry = sentiment.get("label") == "negative" and intensity >= self.rules.anger_intensity
        if ctx.handoff is not None or already_waiting:
            return
        if angry or worsening(scores, self.rules.worsening_turns, self.rules.worsening_floor):
            self._request(ctx, HandoffReason.NEGATIVE_SENTIMENT, Priority.ANGER, False)
        elif self.rules.max_failures and failures >= self.rules.max_failures:
            self._request(ctx, HandoffReason.REPEATED_FAILURE, Priority.NORMAL, False)
        elif understanding is not None and understanding.intent in self.rules.complaint_intents:
            self._request(ctx, HandoffReason.POLICY, Priority.NORMAL, False, detail="complaint")

    def _request(
        self,
        ctx: TurnContext,
        reason: HandoffReason,
        priority: Priority,
        already_waiting: bool,
        detail: str = "",
    ) -> None:
        if not already_waiting:
            ctx.request_handoff(HandoffRequest(reason, priority, detail, summary=self._summary(ctx, reason)))
        waiting, average = self.queue_info() if self.queue_info else (0, None)
        position = waiting + (0 if already_waiting else 1)
        minutes = max(1, round((average or 120) * position / 60))
        text = self.say.render("handoff.queued", ctx.lang, position=position, minutes=minutes)
        ctx.reply(text, empathetic=True)

    @staticmethod
    def _summary(ctx: TurnContext, reason: HandoffReason) -> dict[str, object]:
        u = ctx.understanding
        return {
            "reason": reason.value,
            "intent": u.intent if u else None,
            "flow": ctx.state.flow,
            "slots": {k: v for k, v in ctx.state.slots.items() if k in ("order", "reason", "items")},
            "verified_customer": ctx.state.verified_customer,
            "sentiment_trend": list(ctx.state.memory.get("sentiment_scores", []))[-5:],
            "last_message": ctx.stored_text,
            "lang": ctx.lang,
        }
