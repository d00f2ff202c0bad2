"""Generative answers from knowledge: a fluent answer composed by a model *only* from the passages the
search retrieved, with citations, checked before it is sent.

``GenerativeAnswerer`` wraps the extractive ``KnowledgeAnswerer`` and keeps its screening (injection),
confidence threshold and passage choice. The chosen passages go to the model numbered and fenced, the
question redacted; the model answers in the customer's language and marks each sentence with ``[n]``.

The support check, per sentence: a sentence must cite a passage it was given (or, uncited, be supported
by one); its numbers and ids must all be in that passage; in the passage's language at least
``min_overlap`` of its content words must be there too; across languages (a translation) the
``similarity`` callable (the multilingual encoder; without it only numbers and ids are checked) must
reach ``min_similarity``, and the sentence must cite its passage.
Unsupported sentences are dropped; if none is left, the answer is "I don't know" and a human is offered.
A model that fails (``LLMError``) gives the extractive answer instead. An answer from passages in
another language is marked as translated (``translated``, and a note in front of it).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, replace

from kefu.domain.messages import Citation
from kefu.knowledge.answer import KnowledgeAnswer, KnowledgeAnswerer, citation, passage_lang
from kefu.knowledge.shorten import split_sentences, terms
from kefu.knowledge.types import Hit
from kefu.llm.facts import new_facts
from kefu.llm.ports import ChatModel
from kefu.llm.prompts import fence, system_message
from kefu.llm.redaction import Redactor
from kefu.llm.streaming import StreamEvent, guarded_stream
from kefu.llm.types import ChatMessage, ChatRequest, LLMError

Similarity = Callable[[str, str], float]  # (sentence, passage) → cosine, across languages
TASK = (
    "You answer a customer's question for a company's customer service, in {language}, using ONLY the "
    "numbered passages given. After every sentence put the number of the passage it comes from, like "
    "[1]. Copy numbers, amounts, dates and ids exactly. If the passages do not answer the question, "
    "reply with exactly UNKNOWN. Do not add advice, promises or facts that are not in the passages."
)
LANGUAGES = {"zh": "Simplified Chinese", "en": "English"}
TRANSLATED = {
    "en": "Translated from our {language} documents:",
    "zh": "以下内容译自{language}资料：",
}
LANG_NAMES = {"zh": {"zh": "中文", "en": "英文"}, "en": {"zh": "Chinese", "en": "English"}}
_MARK = re.compile(r"\s*\[(\d{1,2})\]")


@dataclass(frozen=True)
class GenerativeAnswer:
    answer: KnowledgeAnswer
    generated: bool  # False: the extractive answer (or don't-know) was used instead
    translated: bool = False
    dropped: int = 0  # sentences the support check removed
    reason: str = ""

    @property
    def meta(self) -> dict[str, object]:
        meta = dict(self.answer.meta)
        if self.generated:
            meta.update(generative=True, translated=self.translated, unsupported_dropped=self.dropped)
        return meta


class GenerativeAnswerer:
    def __init__(
        self,
        base: KnowledgeAnswerer,
        model: ChatModel,
        similarity: Similarity | None = None,
        min_overlap: float = 0.5,
        min_similarity: float = 0.45,
        max_passages: int = 3,
    ) -> None:
        self.base = base
        self.model = model
        self.similarity = similarity
        self.min_overlap = min_overlap
        self.min_similarity = min_similarity
        self.max_passages = max_passages

    def hits(self, pack: str, question: str) -> list[Hit]:
        return self.base.search.search(pack, question, self.base.k) if self.base.search is not None else []

    def chosen(self, question: str, lang: str, hits: Sequence[Hit]) -> list[Hit]:
        screened = [h for h in hits if self.base.screen is None or not self.base.screen(h.chunk.text)]
        qualified = self.base.qualified(screened, lang)
        if not qualified:
            return []
        ranked = sorted(qualified, key=lambda h: -h.confidence)
        first = self.base.choose(qualified, lang)
        return (first + [h for h in ranked if h not in first])[: self.max_passages]

    def answer(
        self, pack: str, question: str, lang: str, conversation: str | None = None
    ) -> GenerativeAnswer:
        return self.compose(question, lang, self.hits(pack, question), conversation)

    def request(
        self, question: str, lang: str, passages: Sequence[Hit], redactor: Redactor, conversation: str | None
    ) -> ChatRequest:
        numbered = "\n".join(
            f"Passage [{n}] ({h.chunk.title}):\n" + fence("PASSAGE", redactor.text(h.chunk.text))
            for n, h in enumerate(passages, 1)
        )
        user = f"{numbered}\n\nThe customer's question:\n" + fence("QUESTION", redactor.text(question))
        return ChatRequest(
            (system_message(TASK.format(language=LANGUAGES.get(lang, "English"))), ChatMessage("user", user)),
            use="answers",
            conversation=conversation,
            max_tokens=400,
            temperature=0.1,
        )

    def compose(
        self, question: str, lang: str, hits: Sequence[Hit], conversation: str | None = None
    ) -> GenerativeAnswer:
        passages = self.chosen(question, lang, hits)
        if not passages:
            return GenerativeAnswer(self.base.compose(question, lang, hits), False, reason="no passage")
        redactor = Redactor()
        request = self.request(question, lang, passages, redactor, conversation)
        try:
            text = self.model.complete(request).text
        except LLMError as exc:
            return GenerativeAnswer(self.base.compose(question, lang, hits), False, reason=exc.code)
        return self.checked(text, lang, passages, redactor)

    def checked(self, text: str, lang: str, passages: Sequence[Hit], redactor: Redactor) -> GenerativeAnswer:
        """The support check over a complete answer (see the module docstring)."""
        best = max(h.confidence for h in passages)
        if text.strip().upper().startswith("UNKNOWN") or not text.strip():
            return GenerativeAnswer(self.base.dont_know(lang, best), False, reason="model does not know")
        kept: list[str] = []
        used: list[int] = []
        dropped = 0
        for sentence in split_sentences(text):
            cited = [int(n) for n in _MARK.findall(sentence)]
            plain = _MARK.sub("", sentence).strip()
            if not plain:
                continue  # a citation mark alone after the sentence's full stop
            support = self.supporting(plain, cited, passages, redactor)
            if support is None:
                dropped += 1
                continue
            kept.append(plain)
            used += [support] if support not in used else []
        if not kept:
            return GenerativeAnswer(
                self.base.dont_know(lang, best), False, dropped=dropped, reason="unsupported"
            )
        translated = any(passage_lang(passages[i]) != lang for i in used)
        body = ("" if lang == "zh" else " ").join(redactor.restore(s) for s in kept)
        if translated:
            source = next(passage_lang(passages[i]) for i in used if passage_lang(passages[i]) != lang)
            note = TRANSLATED.get(lang, TRANSLATED["en"]).format(
                language=LANG_NAMES.get(lang, LANG_NAMES["en"])[source]
            )
            body = f"{note}\n{body}"
        citations: list[Citation] = []
        for i in used:
            if citation(passages[i]) not in citations:
                citations.append(citation(passages[i]))
        answer = KnowledgeAnswer(body, lang, True, best, tuple(citations))
        return GenerativeAnswer(answer, True, translated, dropped)

    def supporting(
        self, sentence: str, cited: Sequence[int], passages: Sequence[Hit], redactor: Redactor
    ) -> int | None:
        """The index of a passage that supports ``sentence``, or ``None``."""
        if any(n < 1 or n > len(passages) for n in cited):
            return None  # cites a passage it was not given
        for index in [n - 1 for n in cited] or range(len(passages)):
            passage = redactor.text(passages[index].chunk.text)
            if new_facts(passage, sentence):
                continue
            same_language = passage_lang(passages[index]) == ("zh" if _is_zh(sentence) else "en")
            if same_language:
                words = terms(sentence)
                if words and len(words & terms(passage)) / len(words) >= self.min_overlap:
                    return index
            elif cited and (
                self.similarity is None
                or self.similarity(sentence, passages[index].chunk.text) >= self.min_similarity
            ):
                return index  # a translation: its numbers and ids checked, its meaning by the encoder
        return None

    async def stream(
        self, question: str, lang: str, hits: Sequence[Hit], conversation: str | None = None
    ) -> AsyncIterator[StreamEvent]:
        """The answer streamed: each sentence is support-checked before it is shown (citation marks
        removed, placeholders restored); one that fails withdraws the stream and the extractive answer
        replaces it (``kefu.llm.streaming``). ``done`` carries the text to store and, in ``meta``, the
        answer's ``citations`` and flags."""
        passages = self.chosen(question, lang, hits)
        fallback = self.base.compose(question, lang, hits)
        fallback_meta = {**fallback.meta, "citations": fallback.citations}
        if not passages:
            yield StreamEvent("delta", fallback.text, generated=False)
            yield StreamEvent("done", fallback.text, "no passage", False, meta=fallback_meta)
            return
        redactor = Redactor()
        note = ""
        if all(passage_lang(p) != lang for p in passages):
            source = LANG_NAMES.get(lang, LANG_NAMES["en"])[passage_lang(passages[0])]
            note = TRANSLATED.get(lang, TRANSLATED["en"]).format(language=source) + "\n"

        def check(text: str) -> str | None:
            if text.strip().upper().startswith("UNKNOWN"):
                return "model does not know"
            for sentence in split_sentences(text):
                cited = [int(n) for n in _MARK.findall(sentence)]
                plain = _MARK.sub("", sentence).strip()
                if plain and self.supporting(plain, cited, passages, redactor) is None:
                    return "unsupported sentence"
            return None

        request = self.request(question, lang, passages, redactor, conversation)
        shown = False
        async for event in guarded_stream(self.model, request, lambda: fallback.text, check):
            if event.kind == "delta" and event.generated:
                text = redactor.restore(_MARK.sub("", event.text))
                yield replace(event, text=("" if shown else note) + text)
                shown = True
            elif event.kind == "done" and event.generated:
                final = self.checked(event.text, lang, passages, redactor)
                meta = {**final.meta, "citations": final.answer.citations}
                yield StreamEvent("done", final.answer.text, meta=meta)
            elif event.kind == "done":
                yield replace(event, meta=fallback_meta)
            else:
                yield event


@dataclass(frozen=True)
class GeneratedKnowledgeAnswer(KnowledgeAnswer):
    """A ``KnowledgeAnswer`` that says how it was made (``generative``, ``translated`` … in ``meta``)."""

    extra: tuple[tuple[str, object], ...] = ()

    @property
    def meta(self) -> dict[str, object]:
        return {**super().meta, **dict(self.extra)}


class _DropIn(KnowledgeAnswerer):
    """``KnowledgeAnswerer``'s interface (``answer``, ``compose``, ``dont_know`` …) with generated answers."""

    def __init__(self, generative: GenerativeAnswerer) -> None:  # shares the base answerer's settings
        self.__dict__.update(generative.base.__dict__)
        self.generative = generative

    def compose(self, question: str, lang: str, hits: Sequence[Hit]) -> KnowledgeAnswer:
        result = self.generative.compose(question, lang, hits)
        if not result.generated:
            return result.answer
        a = result.answer
        extra = tuple((k, v) for k, v in result.meta.items() if k not in a.meta)
        return GeneratedKnowledgeAnswer(
            a.text, a.lang, a.known, a.confidence, a.citations, a.suggestions, a.screened_out, extra
        )


def generative_or_plain(
    base: KnowledgeAnswerer, model: ChatModel | None, similarity: Similarity | None = None
) -> KnowledgeAnswerer:
    """What a pack uses in place of its ``KnowledgeAnswerer``: ``base`` itself without a model (no LLM
    configured), else the same interface answering generatively (``systems.get("llm")``)."""
    if model is None:
        return base
    return _DropIn(GenerativeAnswerer(base, model, similarity))


def _is_zh(text: str) -> bool:
    return sum(1 for ch in text if "\u3400" <= ch <= "\u9fff") >= max(1, len(text.strip()) // 5)
