"""What the customer is told while a reply is held for human review, and after a reviewer rejects it."""

from __future__ import annotations

HELD = {
    "zh": "我们的专员正在核对这条回复，请稍候。",
    "en": "A specialist is checking this answer; it will appear here shortly.",
}
REJECTED = {
    "zh": "这个问题需要由人工客服为您跟进，请稍候，我们会尽快回复您。",
    "en": "A human agent will follow up on this question with you shortly.",
}


def held_notice(lang: str) -> str:
    return HELD.get(lang, HELD["en"])


def rejected_notice(lang: str) -> str:
    return REJECTED.get(lang, REJECTED["en"])
