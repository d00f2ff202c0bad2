"""Rewording of a templated reply (empathy, a pack's tone) that never changes what it says.

The template's text is redacted, the model rewrites it, and the rewrite is used only if it keeps the
same facts (``facts.same_facts``: numbers, amounts, ids, placeholders, e-mails, URLs — as a multiset),
stays in the reply's language, is not much longer, and does not repeat the system prompt. Anything
else — including any ``LLMError`` — returns the template's own text: the customer notices nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kefu.guard.pii import guess_lang
from kefu.llm.facts import same_facts
from kefu.llm.ports import ChatModel
from kefu.llm.prompts import fence, leaks_system_prompt, system_message
from kefu.llm.redaction import Redactor
from kefu.llm.types import ChatMessage, ChatRequest, LLMError

log = logging.getLogger("kefu.llm")

TASK = (
    "You reword a customer-service reply so it sounds {tone}. Keep its meaning exactly: every number, "
    "amount, date, id, link and placeholder in [brackets] must appear unchanged, and add no new facts, "
    "promises or numbers. Answer in {language}, with the reworded reply only."
)
LANGUAGES = {"zh": "Simplified Chinese", "en": "English"}


@dataclass(frozen=True)
class Reworded:
    text: str
    generated: bool
    reason: str = ""  # why the template's own text was kept


class Rewording:
    def __init__(
        self, model: ChatModel | None, tone: str = "warm, calm and concise", max_growth: float = 1.8
    ) -> None:
        self.model = model
        self.tone = tone
        self.max_growth = max_growth

    def reword(
        self, text: str, lang: str, conversation: str | None = None, tone: str | None = None
    ) -> Reworded:
        if self.model is None or not text.strip():
            return Reworded(text, False, "no model")
        redactor = Redactor()
        redacted = redactor.text(text)
        system = system_message(TASK.format(tone=tone or self.tone, language=LANGUAGES.get(lang, "English")))
        request = ChatRequest(
            (system, ChatMessage("user", "The reply to reword:\n" + fence("REPLY", redacted))),
            use="rewording",
            conversation=conversation,
            temperature=0.3,
            max_tokens=max(64, len(redacted)),
        )
        try:
            candidate = self.model.complete(request).text.strip()
        except LLMError as exc:
            return Reworded(text, False, exc.code)
        reason = self.refusal(redacted, candidate, lang, system.content)
        if reason:
            log.info("rewording not used: %s", reason)
            return Reworded(text, False, reason)
        return Reworded(redactor.restore(candidate), True)

    def refusal(self, original: str, candidate: str, lang: str, system: str) -> str | None:
        if not candidate:
            return "empty"
        if leaks_system_prompt(candidate, system):
            return "system_prompt_leak"
        if not same_facts(original, candidate):
            return "facts_changed"
        if guess_lang(candidate) != (lang if lang in ("zh", "en") else guess_lang(original)):
            return "language_changed"
        if len(candidate) > self.max_growth * len(original) + 60:
            return "too_long"
        return None
