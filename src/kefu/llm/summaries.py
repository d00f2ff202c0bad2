"""Handoff briefs for agents: what the conversation was about, what the customer wants, the facts they
gave, and replies the agent may send (suggestions in the console, never sent by themselves).

The model sees the transcript redacted and fenced. Its answer is JSON; every string in it is checked:
no number, id or placeholder the transcript does not have (``facts.new_facts``), no repeat of the
system prompt. A fact or suggestion that fails is dropped; a summary that fails, or any ``LLMError``,
gives the deterministic brief (the reason and the customer's last words). Placeholders are turned into
the typed labels agents already see (``[EMAIL]``, ``[手机号]``); an agent reveals originals through the
audited vault, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kefu.guard.pii import mask
from kefu.llm.facts import new_facts
from kefu.llm.ports import ChatModel
from kefu.llm.prompts import fence, leaks_system_prompt, system_message
from kefu.llm.redaction import Redactor
from kefu.llm.types import ChatMessage, ChatRequest, LLMError

log = logging.getLogger("kefu.llm")

TASK = (
    "You brief a human customer-service agent who takes over a conversation. Answer ONLY with JSON: "
    '{{"summary": one or two sentences, "customer_wants": a short phrase, "facts": [short strings the '
    'customer stated: order ids, items, dates], "suggested_replies": [up to 3 replies the agent could '
    "send next]}}. Write in {language}. Use only what the transcript says; copy ids, numbers and "
    "[placeholders] exactly."
)
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "customer_wants": {"type": "string"},
        "facts": {"type": "array", "items": {"type": "string"}},
        "suggested_replies": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["summary", "customer_wants", "facts", "suggested_replies"],
    "additionalProperties": False,
}
LANGUAGES = {"zh": "Simplified Chinese", "en": "English"}
ROLES = {"customer": "Customer", "bot": "Assistant", "agent": "Agent", "system": "System"}


@dataclass(frozen=True)
class HandoffBrief:
    summary: str
    customer_wants: str
    facts: tuple[str, ...] = ()
    suggested_replies: tuple[str, ...] = ()
    generated: bool = False


class HandoffSummarizer:
    def __init__(self, model: ChatModel | None, max_turns: int = 30, max_chars: int = 400) -> None:
        self.model = model
        self.max_turns = max_turns
        self.max_chars = max_chars

    def brief(
        self,
        transcript: Sequence[tuple[str, str]],
        lang: str,
        reason: str = "",
        conversation: str | None = None,
    ) -> HandoffBrief:
        """``transcript``: (role, text) pairs, oldest first (``customer``, ``bot``, ``agent``)."""
        fallback = self.deterministic(transcript, lang, reason)
        if self.model is None or not transcript:
            return fallback
        redactor = Redactor()
        lines = [
            f"{ROLES.get(role, role)}: {redactor.text(text)}" for role, text in transcript[-self.max_turns :]
        ]
        source = "\n".join(lines) + f"\n{reason}"
        system = system_message(TASK.format(language=LANGUAGES.get(lang, "English")))
        fenced = fence("TRANSCRIPT", "\n".join(lines))
        note = f"Handoff reason: {reason or 'not given'}\nTranscript:\n{fenced}"
        request = ChatRequest(
            (system, ChatMessage("user", note)),
            use="summaries",
            conversation=conversation,
            response_schema=SCHEMA,
            max_tokens=400,
        )
        try:
            data = self.model.complete(request).json()
        except LLMError as exc:
            log.info("handoff brief not generated: %s", exc.code)
            return fallback
        if not isinstance(data, dict):
            return fallback

        def usable(value: Any) -> str | None:
            if not isinstance(value, str) or not value.strip() or len(value) > self.max_chars:
                return None
            if new_facts(source, value) or leaks_system_prompt(value, system.content):
                return None
            return mask(redactor.restore(value.strip()), lang=lang)[0]

        summary, wants = usable(data.get("summary")), usable(data.get("customer_wants"))
        if summary is None:
            return fallback
        facts = tuple(f for f in map(usable, _strings(data.get("facts"))) if f)
        replies = tuple(r for r in map(usable, _strings(data.get("suggested_replies"))[:3]) if r)
        return HandoffBrief(summary, wants or fallback.customer_wants, facts, replies, generated=True)

    def deterministic(self, transcript: Sequence[tuple[str, str]], lang: str, reason: str) -> HandoffBrief:
        said = [mask(text, lang=lang)[0] for role, text in transcript if role == "customer"]
        last = said[-1] if said else ""
        if lang == "zh":
            summary = f"转人工原因：{reason or '未说明'}。客户最后说：{last or '（无）'}"
        else:
            said_last = last or "(nothing)"
            summary = f"Handed off ({reason or 'no reason given'}). The customer last said: {said_last}"
        return HandoffBrief(summary[: self.max_chars], last[:200])


def _strings(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []
