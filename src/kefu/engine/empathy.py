"""Empathetic wording: when the customer is upset, the first reply opens with an acknowledgement."""

from __future__ import annotations

from dataclasses import replace

from kefu.engine.context import TurnContext
from kefu.engine.responder import Responder
from kefu.engine.turn import DialoguePolicy

UPSET_INTENSITY = 0.35
TEMPLATE = "empathy"


class EmpatheticPolicy:
    """Wraps a pack's policy. Reads ``understanding.entities["sentiment"]`` (label, intensity); when the
    message is negative enough and the pack has an ``empathy`` template, the first reply starts with it,
    unless the reply is already an apology (``meta["empathetic"]``)."""

    def __init__(
        self, inner: DialoguePolicy, responder: Responder, threshold: float = UPSET_INTENSITY
    ) -> None:
        self.inner = inner
        self.responder = responder
        self.threshold = threshold

    def decide(self, ctx: TurnContext) -> None:
        self.inner.decide(ctx)
        sentiment = (ctx.understanding.entities.get("sentiment") if ctx.understanding else None) or {}
        upset = (
            sentiment.get("label") == "negative" and float(sentiment.get("intensity", 0)) >= self.threshold
        )
        if not upset or not ctx.replies or not self.responder.has(TEMPLATE):
            return
        first = ctx.replies[0]
        if first.meta.get("empathetic"):
            return
        opening = self.responder.render(TEMPLATE, first.lang)
        separator = "" if first.lang == "zh" else " "
        ctx.replies[0] = replace(
            first, text=f"{opening}{separator}{first.text}", meta={**first.meta, "empathetic": True}
        )
