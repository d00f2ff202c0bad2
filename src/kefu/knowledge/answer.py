"""Compose a reply from knowledge hits: the best passage(s), shortened, with citations — or "I don't know".

``KnowledgeAnswerer.answer(pack, question, lang)`` searches, screens the passages, and either answers
(``known=True``: the sentences that answer the question, citations to each passage used, and a short note
when a passage is in another language than the customer's — nothing is machine-translated) or, when the
best passage's calibrated confidence is below ``threshold``, says it does not know in the customer's
language and offers a human (``known=False``, ``suggestions`` holds the "talk to a human" chip). It never
writes anything that is not in a passage.

Retrieved text is untrusted: a document may carry instructions aimed at the assistant (indirect prompt
injection). ``screen`` is the hook for that check — a callable that returns True for a passage to drop
(``kefu.guard.injection`` plugs in here); passages it flags are never shown and never counted as evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kefu.domain.messages import Citation
from kefu.knowledge.shorten import Encoder, is_chinese, shorten_scored
from kefu.knowledge.types import Hit, KnowledgeSearch

DEFAULT_THRESHOLD = 0.2  # for knowledge.confidence.Calibration; re-tune: benchmarks/knowledge_answers.py
DEFAULT_CROSS_THRESHOLD = 0.04  # only when no passage is in the customer's language (same benchmark)
PassageScreen = Callable[[str], bool]  # True → the passage carries injected instructions: drop it

LANG_NAMES = {"zh": {"zh": "中文", "en": "英文"}, "en": {"zh": "Chinese", "en": "English"}}


@dataclass(frozen=True)
class Phrases:
    """What the answerer says around passages, per customer language. A pack may pass its own."""

    dont_know: dict[str, str] = field(
        default_factory=lambda: {
            "en": "Sorry, I don't know the answer to that, and I'd rather not guess. "
            "I can connect you with a human agent.",
            "zh": "抱歉，这个问题我不知道答案，不想随便猜测。我可以为您转接人工客服。",
        }
    )
    other_language: dict[str, str] = field(
        default_factory=lambda: {
            "en": "The following is from our {language} documents:",
            "zh": "以下内容来自{language}资料：",
        }
    )
    human_chip: dict[str, str] = field(default_factory=lambda: {"en": "Talk to a human", "zh": "转人工"})

    def say(self, table: dict[str, str], lang: str, **fields: str) -> str:
        template = table.get(lang) or table.get("en") or next(iter(table.values()))
        return template.format(**fields)


@dataclass(frozen=True)
class KnowledgeAnswer:
    text: str
    lang: str
    known: bool
    confidence: float  # the best screened passage's confidence (0 without one)
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[str, ...] = ()
    screened_out: int = 0  # passages dropped by the injection screen

    @property
    def meta(self) -> dict[str, object]:
        """What a reply stores in its event payload: a don't-know reply marks a knowledge gap."""
        if self.known:
            return {"knowledge": True, "confidence": round(self.confidence, 3)}
        return {"knowledge_gap": True, "confidence": round(self.confidence, 3)}


def passage_lang(hit: Hit) -> str:
    lang = hit.chunk.lang
    if lang in ("zh", "en"):
        return lang
    return "zh" if is_chinese(hit.chunk.text) else "en"


def citation(hit: Hit) -> Citation:
    chunk = hit.chunk
    anchor = chunk.anchor if not chunk.anchor or chunk.anchor.startswith("#") else f"#{chunk.anchor}"
    return Citation(source=chunk.source, title=chunk.title, anchor=anchor)


class KnowledgeAnswerer:
    def __init__(
        self,
        search: KnowledgeSearch | None,
        encoder: Encoder | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        cross_threshold: float = DEFAULT_CROSS_THRESHOLD,
        screen: PassageScreen | None = None,
        phrases: Phrases | None = None,
        k: int = 5,
        max_passages: int = 2,
        second_margin: float = 0.1,
        max_chars: dict[str, int] | None = None,
        keep_ratio: float = 0.85,
    ) -> None:
        self.search = search
        self.encoder = encoder
        self.threshold = threshold
        self.cross_threshold = cross_threshold
        self.screen = screen
        self.phrases = phrases or Phrases()
        self.k = k
        self.max_passages = max_passages
        self.second_margin = second_margin
        self.max_chars = max_chars or {"zh": 150, "en": 360}
        self.keep_ratio = keep_ratio

    def answer(self, pack: str, question: str, lang: str) -> KnowledgeAnswer:
        hits = self.search.search(pack, question, self.k) if self.search is not None else []
        return self.compose(question, lang, hits)

    def compose(self, question: str, lang: str, hits: Sequence[Hit]) -> KnowledgeAnswer:
        screened = [h for h in hits if self.screen is None or not self.screen(h.chunk.text)]
        dropped = len(hits) - len(screened)
        qualified = self.qualified(screened, lang)
        best = max((h.confidence for h in (qualified or screened)), default=0.0)
        if not qualified:
            return self.dont_know(lang, best, dropped)
        cap = self.max_chars.get(lang, 300)
        parts: list[str] = []
        citations: list[Citation] = []
        used = 0
        for hit, sentences in self.passages(question, self.choose(qualified, lang), cap):
            sentences = [s for s in sentences if used + len(s) <= cap * 1.2] or sentences[:1]
            used += sum(len(s) for s in sentences)
            source_lang = passage_lang(hit)
            body = ("" if source_lang == "zh" else " ").join(sentences)
            if source_lang != lang:
                note = self.phrases.say(
                    self.phrases.other_language,
                    lang,
                    language=LANG_NAMES.get(lang, LANG_NAMES["en"])[source_lang],
                )
                body = f"{note}\n{body}"
            parts.append(body)
            cited = citation(hit)
            if cited not in citations:
                citations.append(cited)
        if not parts:
            return self.dont_know(lang, best, dropped)
        return KnowledgeAnswer(
            text="\n".join(parts),
            lang=lang,
            known=True,
            confidence=best,
            citations=tuple(citations),
            screened_out=dropped,
        )

    def passages(self, question: str, chosen: Sequence[Hit], cap: int) -> list[tuple[Hit, list[str]]]:
        """Each chosen passage shortened; the passage whose best sentence answers best comes first, and a
        second one stays only when its best sentence is nearly as good (``keep_ratio``)."""
        shortened = []
        for hit in chosen:
            sentences, best = shorten_scored(question, hit.chunk.text, self.encoder, max_chars=cap)
            if sentences:
                shortened.append((best, hit, sentences))
        shortened.sort(key=lambda item: -item[0])
        if not shortened:
            return []
        top = shortened[0][0]
        return [(hit, sentences) for best, hit, sentences in shortened if best >= self.keep_ratio * top]

    def qualified(self, hits: Sequence[Hit], lang: str) -> list[Hit]:
        """The hits confident enough to answer from. When no hit is in the customer's language (a
        knowledge base in another language), ``cross_threshold`` applies instead: a cross-lingual match
        has no shared words, so its calibrated confidence runs lower for the same quality."""
        if any(passage_lang(h) == lang for h in hits):
            return [h for h in hits if h.confidence >= self.threshold]
        return [h for h in hits if h.confidence >= min(self.threshold, self.cross_threshold)]

    def choose(self, hits: Sequence[Hit], lang: str) -> list[Hit]:
        """The passages to answer from: the best one — a passage in the customer's language when one is
        almost as confident — and a second from another section when it is nearly as confident."""
        ranked = sorted(hits, key=lambda h: -h.confidence)
        top = ranked[0].confidence
        close = [h for h in ranked if h.confidence >= top - self.second_margin]
        same_language = [h for h in close if passage_lang(h) == lang]
        first = same_language[0] if same_language else ranked[0]
        chosen = [first]
        for hit in (same_language or close)[1:]:
            if len(chosen) >= self.max_passages:
                break
            if hit.chunk.document_id == first.chunk.document_id and hit.chunk.anchor == first.chunk.anchor:
                continue
            if hit.confidence >= first.confidence - self.second_margin / 2:
                chosen.append(hit)
        return chosen

    def dont_know(self, lang: str, confidence: float = 0.0, dropped: int = 0) -> KnowledgeAnswer:
        return KnowledgeAnswer(
            text=self.phrases.say(self.phrases.dont_know, lang),
            lang=lang,
            known=False,
            confidence=confidence,
            suggestions=(self.phrases.say(self.phrases.human_chip, lang),),
            screened_out=dropped,
        )
