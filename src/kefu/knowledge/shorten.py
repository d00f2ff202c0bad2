"""Cut a passage down to the sentences that answer a question (Chinese or English).

A passage is split into sentences (Chinese 。！？；, English . ! ? followed by a space, and line breaks;
Markdown list markers and emphasis are dropped). Each sentence is scored against the question by term
overlap (English words with a light stemmer, Chinese character bigrams), a bonus when the sentence has
the kind of answer the question asks for (a duration or time for "how long / when / 多久"), and, when
an encoder is given, by cosine similarity of sentence vectors — the latter is what makes a Chinese
question find the right sentence of an English passage. The best sentences are kept in their original
order, within a length cap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•·]|\d{1,2}[.)、]|[（(]?[一二三四五六七八九十]+[、.)）])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
# Chinese sentence ends, English sentence ends before a space (not "e.g. ", "No. 5", "3.5")
_ZH_END = re.compile(r"(?<=[。！？；!?])")
_EN_END = re.compile(r"(?<=[.!?;])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bNo\.)\s+(?=[A-Z0-9\"'(“])")

_STOPWORD_TEXT = """a an the and or but if of to in on at for from by with about as is are was were be been
    being do does did doing have has had having i me my we our you your it its this that these those there
    here what which who whom when where why how can could will would shall should may might must please
    any some much many more most very just also not no yes so than then too up out into over under
    he she they them their his her us am get got"""
EN_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
ZH_STOP_BIGRAMS = frozenset({"请问", "一下", "我的", "你们", "我们", "可以", "是不", "不是", "什么", "怎么"})
# Answer types: a question asking "how long / when / what hours" is answered by a sentence with a time.
_ASKS_TIME = re.compile(
    r"\b(how long|how many (?:days|hours|weeks)|how soon|how quickly|when|what time|hours?|open)\b"
    r"|多久|几天|多长时间|多少天|什么时候|何时|几点|时间|多快",
    re.IGNORECASE,
)
_TIME_EXPRESSION = re.compile(
    r"\b\d+(?:\s*(?:to|-|–|or)\s*\d+)?\s*(?:business\s+|working\s+)?(?:days?|hours?|weeks?|minutes?|months?|years?)\b"
    r"|\b(?:immediately|right away|around the clock|one year)\b|\d{1,2}:\d{2}"
    r"|\d+\s*(?:到|至|-|–)?\s*\d*\s*个?(?:工作日|天|小时|周|分钟|个月|年)|即时|立即|马上|全天候|一年",
    re.IGNORECASE,
)
ANSWER_TYPE_BONUS = 0.25
MISSING_TYPE_FACTOR = 0.5


class Encoder(Protocol):
    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Any:
        """(n, d) L2-normalised vectors."""
        ...


@dataclass(frozen=True)
class Scored:
    index: int
    text: str
    score: float


def is_chinese(text: str) -> bool:
    return len(_CJK.findall(text)) >= max(1, len(text.strip()) // 5)


def clean_line(line: str) -> str:
    line = _HEADING.sub("", line)
    line = _LIST_MARKER.sub("", line)
    line = _LINK.sub(r"\1", line)
    return _EMPHASIS.sub("", line).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of a zh or en passage, in order, Markdown markers removed, empty pieces dropped."""
    sentences: list[str] = []
    for raw in text.splitlines():
        line = clean_line(raw)
        if not line:
            continue
        for piece in _ZH_END.split(line):
            for sentence in _EN_END.split(piece):
                sentence = sentence.strip()
                if sentence and re.search(r"\w", sentence):
                    sentences.append(sentence)
    return sentences


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def terms(text: str) -> set[str]:
    """English content words (stemmed) and Chinese character bigrams (single characters for 1-char runs)."""
    lowered = text.lower()
    found = {_stem(w) for w in _WORD.findall(lowered) if w not in EN_STOPWORDS}
    for run in _CJK_RUN.findall(lowered):
        if len(run) == 1:
            found.add(run)
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return found - ZH_STOP_BIGRAMS


def overlap(question_terms: set[str], sentence: str) -> float:
    """Share of the question's terms found in the sentence (0..1)."""
    if not question_terms:
        return 0.0
    return len(question_terms & terms(sentence)) / len(question_terms)


def score_sentences(
    question: str, sentences: Sequence[str], encoder: Encoder | None = None, dense_weight: float = 0.5
) -> list[Scored]:
    """Each sentence's relevance to the question: ``(1-w)·overlap + w·cosine`` (overlap alone without an
    encoder); for a question asking for a time, plus a bonus with a time expression, else halved.
    Returned in the sentences' order."""
    asked = terms(question)
    wants_time = bool(_ASKS_TIME.search(question))
    lexical = [overlap(asked, s) for s in sentences]
    if encoder is None or not sentences:
        similarity = lexical
    else:
        vectors = np.asarray(encoder.encode([question, *sentences]), dtype=np.float32)
        cosines = vectors[1:] @ vectors[0]
        similarity = [
            (1 - dense_weight) * lexical[i] + dense_weight * max(0.0, float(cosines[i]))
            for i in range(len(sentences))
        ]
    if wants_time:  # the answer type counts more than the words: "5 to 7 business days" answers "how long"
        similarity = [
            v + ANSWER_TYPE_BONUS if _TIME_EXPRESSION.search(s) else v * MISSING_TYPE_FACTOR
            for v, s in zip(similarity, sentences, strict=True)
        ]
    return [Scored(i, s, similarity[i]) for i, s in enumerate(sentences)]


def _length(sentences: Sequence[str]) -> int:
    return sum(len(s) for s in sentences)


def truncate(text: str, cap: int) -> str:
    if len(text) <= cap:
        return text
    cut = text[: cap - 1]
    space = cut.rfind(" ")
    if not is_chinese(cut) and space > cap // 2:
        cut = cut[:space]
    return cut.rstrip(" ,，;；:：") + "…"


def shorten(
    question: str,
    passage: str,
    encoder: Encoder | None = None,
    max_sentences: int = 3,
    max_chars: int = 300,
    keep_ratio: float = 0.75,
) -> list[str]:
    """The sentences of ``passage`` that answer ``question``, in passage order (see ``shorten_scored``)."""
    return shorten_scored(question, passage, encoder, max_sentences, max_chars, keep_ratio)[0]


def shorten_scored(
    question: str,
    passage: str,
    encoder: Encoder | None = None,
    max_sentences: int = 3,
    max_chars: int = 300,
    keep_ratio: float = 0.75,
) -> tuple[list[str], float]:
    """The sentences of ``passage`` that answer ``question``, in passage order, and the best score.

    The best-scoring sentence is always kept; others join, best first, while their score is at least
    ``keep_ratio`` of the best one and the total stays within ``max_sentences`` and ``max_chars``. A
    passage that fits the caps as a whole is returned whole when no sentence stands out. Also returns
    the best sentence's score, to compare passages."""
    sentences = split_sentences(passage)
    if not sentences:
        return [], 0.0
    scored = score_sentences(question, sentences, encoder)
    ranked = sorted(scored, key=lambda s: (-s.score, s.index))
    best = ranked[0]
    if len(sentences) == 1:
        return [truncate(sentences[0], max_chars)], best.score
    if best.score <= 0.0 and len(sentences) <= max_sentences and _length(sentences) <= max_chars:
        return sentences, best.score
    kept = [best]
    for candidate in ranked[1:]:
        if len(kept) >= max_sentences or candidate.score < keep_ratio * best.score or candidate.score <= 0:
            break
        if _length([k.text for k in kept]) + len(candidate.text) > max_chars:
            continue
        kept.append(candidate)
    kept.sort(key=lambda s: s.index)
    if len(kept) == 1:
        return [truncate(kept[0].text, max_chars)], best.score
    return [k.text for k in kept], best.score
