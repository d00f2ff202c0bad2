"""Rails built on the guards: the emergency rail; the PII rails live in ``pii_rails`` (re-exported)."""

from __future__ import annotations

from dataclasses import dataclass

from kefu.domain.handoff import HandoffReason, HandoffRequest, Priority
from kefu.engine.context import TurnContext
from kefu.engine.rails import RailAction, RailOutcome
from kefu.guard.emergency import detect as detect_emergency
from kefu.guard.pii_rails import LEAK_KINDS, PiiLeakRail, PiiRedactionRail

MEDICAL_KINDS = frozenset({"cardiac", "stroke", "bleeding", "poisoning", "breathing", "unconscious", "other"})


@dataclass(frozen=True)
class EmergencyNumbers:
    """Local numbers to call, configurable per deployment (``KEFU_EMERGENCY_*``)."""

    ambulance_zh: str = "120"
    police_zh: str = "110"
    ambulance_en: str = "911"
    police_en: str = "911"
    crisis_zh: str = "12356"  # 全国心理援助热线
    crisis_en: str = "988"


class EmergencyRail:
    """A life-threatening emergency stops the turn, whatever flow was active: a fixed reply with the
    local emergency number, and an urgent handoff at emergency priority."""

    name = "emergency"

    def __init__(self, numbers: EmergencyNumbers | None = None) -> None:
        self.numbers = numbers or EmergencyNumbers()

    def check(self, ctx: TurnContext) -> RailOutcome | None:
        match = detect_emergency(ctx.text)
        if match is None:
            return None
        lang = ctx.lang if ctx.lang in ("zh", "en") else match.lang
        summary = {"reason": "emergency", "kind": match.kind, "last_message": ctx.stored_text, "lang": lang}
        return RailOutcome(
            RailAction.HANDOFF,
            f"emergency:{match.kind}",
            self.reply(match.kind, lang),
            HandoffRequest(HandoffReason.EMERGENCY, Priority.EMERGENCY, match.kind, summary),
        )

    def reply(self, kind: str, lang: str) -> str:
        n = self.numbers
        if lang == "zh":
            if kind == "violence":
                return (
                    f"您可能正处于危险中。请立即拨打 {n.police_zh} 报警，并尽快转移到安全的地方。"
                    "我已为您紧急转接人工客服。"
                )
            if kind == "self_harm":
                return (
                    f"听到您这么说，我很担心您。您并不孤单：请立即拨打 {n.ambulance_zh} 或心理援助热线 "
                    f"{n.crisis_zh}，也可以联系身边信任的人。我已为您紧急转接人工客服。"
                )
            return (
                f"这可能是紧急情况。请立即拨打 {n.ambulance_zh} 急救电话，不要等待在线回复。"
                "我已为您紧急转接人工客服。"
            )
        if kind == "violence":
            return (
                f"You may be in danger. Call {n.police_en} now and get somewhere safe if you can. "
                "I've asked a human agent to join urgently."
            )
        if kind == "self_harm":
            return (
                "I'm really concerned about what you said, and you're not alone. "
                f"Please call {n.ambulance_en} or the crisis line {n.crisis_en} now, "
                "or reach out to someone you trust. "
                "I've asked a human agent to join urgently."
            )
        return (
            f"This could be an emergency. Call {n.ambulance_en} now — don't wait for a reply here. "
            "I've asked a human agent to join urgently."
        )


__all__ = ["LEAK_KINDS", "EmergencyNumbers", "EmergencyRail", "PiiLeakRail", "PiiRedactionRail"]
