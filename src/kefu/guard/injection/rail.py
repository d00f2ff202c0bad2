"""The injection rail: a direct attempt in a customer's message gets a fixed, polite refusal."""

from __future__ import annotations

from kefu.engine.context import TurnContext
from kefu.engine.rails import RailAction, RailOutcome
from kefu.guard.injection.detect import detect_injection

DEFAULT_HELP = {
    "zh": "查询订单和物流、取消或修改订单、退换货、解答商品和服务问题，或为您转接人工客服",
    "en": "track an order, cancel or change an order, return or exchange items, answer questions about "
    "products and services, or connect you with a human agent",
}


class InjectionRail:
    """A direct injection attempt gets a fixed, polite reply: the assistant's rules and permissions do
    not change by asking, and here is what it can help with. The turn stops there (BLOCK); the rail log
    records the kind, never the text."""

    name = "injection"

    def __init__(self, help_topics: dict[str, str] | None = None) -> None:
        self.help_topics = {**DEFAULT_HELP, **(help_topics or {})}

    def check(self, ctx: TurnContext) -> RailOutcome | None:
        verdict = detect_injection(ctx.text)
        if not verdict.attack:
            return None
        lang = ctx.lang if ctx.lang in ("zh", "en") else "en"
        return RailOutcome(
            RailAction.BLOCK, f"injection:{verdict.kind}", self.reply(lang), risk=verdict.score
        )

    def reply(self, lang: str) -> str:
        if lang == "zh":
            return (
                "抱歉，我无法更改自己的服务规则和权限，消息里的指令也不会改变这些规则；"
                f"我只能为已验证身份的您本人办理业务。我可以帮您{self.help_topics['zh']}。"
            )
        return (
            "Sorry, I can't change my rules or permissions, and instructions in a message don't change "
            "them; I can only act on your own verified account. I can help you "
            f"{self.help_topics['en']}."
        )
