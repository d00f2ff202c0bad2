"""Sentiment of customer-service messages in Chinese and English: polarity plus how strong the feeling is.

Customer service is not product reviews: "我想退货" and "can I cancel order #W1234567" name a problem
but express no feeling, while "等了半个月还没到，怎么回事" has hardly a negative word yet is angry.
Both languages therefore share one design, with the data in ``sentiment_lexicon.yaml``:

* English: VADER (rules for negation, boosters, "but", ALL CAPS) with its lexicon overridden for the
  domain (cancel, help, please, refund are not feelings), plus complaint phrases ("third time",
  "still no refund", "on hold for 45 minutes").
* Chinese: a curated lexicon matched longest-first, each sentiment word scaled by the negators and
  degree adverbs before it (不太好 is mildly negative, 太不好了 strongly), plus complaint patterns.
* Both: emoji and emoticons, ！ and ？？？ as emphasis, questions and requests damped unless they carry
  a strong cue, "but"/但是 weighting the later clause, conditionals (如果不满意…) nearly ignored.

Valences add up on VADER's -4..4 scale and are squashed to a score in -1..1 as VADER does.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Any, Literal

import yaml
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

Label = Literal["positive", "neutral", "negative"]

_ALPHA = 15.0  # VADER's normalisation constant: score = raw / sqrt(raw² + α)
_THRESHOLD = 0.12  # |score| below this is neutral
_QUESTION_DAMPING = 0.2  # questions and requests without a strong cue keep 20 % of their feeling
_CONDITIONAL_DAMPING = 0.2  # "如果不满意可以退吗": a hypothetical feeling
_STRONG_VALENCE = 2.0  # one cue this strong is a real feeling even in a question
_STRONG_TOTAL = 3.0  # several weaker cues together also are
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z' ]*[A-Za-z]")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;~～\n]")


@dataclass(frozen=True)
class Sentiment:
    """Polarity of one message: ``score`` in -1..1, ``intensity`` in 0..1 (0 when neutral)."""

    label: Label
    intensity: float
    score: float


@dataclass
class _Feeling:
    """Valences found in a message, before emphasis and squashing."""

    raw: float = 0.0
    strongest: float = 0.0  # largest single |valence|
    strong_cue: bool = False  # a phrase or mark that makes even a question a complaint
    question: bool = False

    def add(self, valence: float, strong: bool = False) -> None:
        self.raw += valence
        self.strongest = max(self.strongest, abs(valence))
        self.strong_cue = self.strong_cue or strong


@dataclass(frozen=True)
class _Phrase:
    pattern: re.Pattern[str]
    valence: float
    strong: bool


def _phrases(entries: list[dict[str, Any]], flags: int = 0) -> tuple[_Phrase, ...]:
    return tuple(
        _Phrase(re.compile(e["re"], flags), float(e["v"]), bool(e.get("strong", False))) for e in entries
    )


class _Model:
    """The lexicon file, compiled. Built once (see :func:`_model`) and read-only afterwards."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.emoji: dict[str, float] = {k: float(v) for k, v in data["emoji"].items()}
        emoticons = sorted(data["emoticons"], key=len, reverse=True)
        self.emoticon_values: dict[str, float] = {k: float(v) for k, v in data["emoticons"].items()}
        self.emoticons = re.compile(
            r"(?<![\w:;^=>-])(" + "|".join(re.escape(e) for e in emoticons) + r")(?![\w)(\]\[])"
        )
        zh = data["zh"]
        self.zh_words: dict[str, float] = {k: float(v) for k, v in zh["words"].items()}
        self.zh_negators: dict[str, float] = {k: float(v) for k, v in zh["negators"].items()}
        self.zh_degree: dict[str, float] = {k: float(v) for k, v in zh["degree"].items()}
        self.zh_kind: dict[str, str] = {w: "neutral" for w in zh["neutral"]}
        self.zh_kind.update({w: "deg" for w in self.zh_degree})
        self.zh_kind.update({w: "neg" for w in self.zh_negators})
        self.zh_kind.update({w: "word" for w in self.zh_words})
        self.zh_maxlen = max(len(w) for w in self.zh_kind)
        self.zh_fillers = frozenset(zh["fillers"])
        self.zh_polite = frozenset(zh["polite"])
        self.zh_request = re.compile(zh["request"])
        self.zh_contrast = re.compile(zh["contrast"])
        self.zh_conditional = re.compile(zh["conditional"])
        self.zh_question = re.compile(zh["question"])
        self.zh_phrases = _phrases(zh["phrases"])
        en = data["en"]
        self.en_lexicon: dict[str, float] = {k: float(v) for k, v in en["lexicon"].items()}
        self.en_phrases = _phrases(en["phrases"], re.IGNORECASE)
        self.en_hedges = re.compile(en["hedges"], re.IGNORECASE)
        self.en_polite = re.compile(en["polite"], re.IGNORECASE)
        self.en_request = re.compile(en["request"], re.IGNORECASE)
        self.en_question_start = re.compile(en["question_start"], re.IGNORECASE)
        self.en_acronyms = frozenset(en["acronyms"])

    @cached_property
    def vader(self) -> SentimentIntensityAnalyzer:
        analyser = SentimentIntensityAnalyzer()
        analyser.lexicon.update(self.en_lexicon)  # the instance's own dict: other VADER users unaffected
        return analyser


_lock = threading.Lock()
_loaded: _Model | None = None


def _model() -> _Model:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                text = resources.files("kefu.nlu").joinpath("sentiment_lexicon.yaml").read_text("utf-8")
                model = _Model(yaml.safe_load(text))
                _ = model.vader  # build VADER under the lock too
                _loaded = model
    return _loaded


def analyse_sentiment(text: str, lang: str | None = None) -> Sentiment:
    """Sentiment of one customer message.

    ``lang`` is the conversation's language and only a hint: the script of the text decides, so an
    English message in a Chinese conversation is scored as English, and Chinese with a few English
    words ("I want to 退货") as Chinese.
    """
    model = _model()
    text = text.strip()
    if not text:
        return Sentiment("neutral", 0.0, 0.0)
    feeling = _Feeling()
    rest = _emoji(text, model, feeling)
    if _HAN.search(rest) or (lang == "zh" and not re.search(r"[A-Za-z]", rest)):
        _chinese(rest, model, feeling)
        latin = " ".join(_LATIN_RUN.findall(rest))
        if latin:
            _english_valences(latin, model, feeling)  # "客服妹子超级nice"
    else:
        _english(rest, model, feeling)
    raw = _finish(text, feeling)
    score = max(-1.0, min(1.0, raw / math.sqrt(raw * raw + _ALPHA)))
    score = round(score, 4)
    if score >= _THRESHOLD:
        return Sentiment("positive", abs(score), score)
    if score <= -_THRESHOLD:
        return Sentiment("negative", abs(score), score)
    return Sentiment("neutral", 0.0, score)


def _emoji(text: str, model: _Model, feeling: _Feeling) -> str:
    """Score emoji and emoticons; return the text without them."""
    kept: list[str] = []
    for ch in text.replace("\ufe0f", ""):
        valence = model.emoji.get(ch)
        if valence is None:
            kept.append(ch)
        else:
            feeling.add(valence, strong=abs(valence) >= 2.5)
            kept.append(" ")
    rest = "".join(kept)
    for match in model.emoticons.finditer(rest):
        feeling.add(model.emoticon_values[match.group(1)])
    return model.emoticons.sub(" ", rest)


def _finish(text: str, feeling: _Feeling) -> float:
    """Damp unemphatic questions, then add emphasis from ！, ？？ and ALL CAPS, as VADER does."""
    raw = feeling.raw
    exclamations = text.count("!") + text.count("！")
    questions = text.count("?") + text.count("？")
    caps = _shouted_words(text)
    negative_total = -raw if raw < 0 else 0.0
    strong = (
        feeling.strong_cue
        or feeling.strongest >= _STRONG_VALENCE
        or negative_total >= _STRONG_TOTAL
        or exclamations >= 2
        or questions >= 2
        or caps > 0
    )
    if feeling.question and not strong:
        raw *= _QUESTION_DAMPING
    if raw == 0.0:
        return -0.8 if caps >= 2 else 0.0  # "WHERE IS MY ORDER": shouting without a feeling word
    emphasis = min(exclamations, 4) * 0.292
    if questions > 1:
        emphasis += min(questions * 0.18, 0.96)
    raw = math.copysign(abs(raw) + emphasis, raw)
    return raw * (1.0 + 0.15 * min(caps, 3))


_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")


def _shouted_words(text: str) -> int:
    words = re.findall(r"[A-Za-z]{2,}", text)
    if len(words) < 2 and not _HAN.search(text):
        return 0  # a single word ("THANKS") is not enough to tell shouting from style
    acronyms = _model().en_acronyms
    return sum(1 for w in _CAPS_WORD.findall(text) if w not in acronyms)


# --- English ------------------------------------------------------------------------------------


def _english(text: str, model: _Model, feeling: _Feeling) -> None:
    clauses = (c.strip() for c in re.split(r"[,.;:!\n]", text))
    feeling.question = "?" in text or any(model.en_question_start.match(c) for c in clauses)
    request = feeling.question or bool(model.en_request.search(text))
    if request:
        text = model.en_polite.sub(" ", text)  # "can you check it, thanks": politeness, not praise
    _english_valences(text, model, feeling)


def _english_valences(text: str, model: _Model, feeling: _Feeling) -> None:
    vader_text = text.replace("’", "'").replace("!", ".").replace("?", ".")
    compound = model.vader.polarity_scores(vader_text)["compound"]
    compound = max(-0.9999, min(0.9999, compound))
    raw = compound * math.sqrt(_ALPHA / (1.0 - compound * compound))  # undo VADER's squashing
    if model.en_hedges.search(text):
        raw *= 0.5  # "a bit slow"
    strongest = max(
        (abs(model.vader.lexicon.get(w, 0.0)) for w in re.findall(r"[a-z']+", text.lower())), default=0.0
    )
    feeling.raw += raw
    feeling.strongest = max(feeling.strongest, min(strongest, abs(raw)))
    for phrase in model.en_phrases:
        for _ in phrase.pattern.finditer(text):
            feeling.add(phrase.valence, phrase.strong)


# --- Chinese ------------------------------------------------------------------------------------


def _tokens(text: str, model: _Model) -> list[tuple[int, str, str]]:
    """Longest-first dictionary match: (start, piece, kind) with kind word/neg/deg/neutral/char."""
    tokens: list[tuple[int, str, str]] = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(model.zh_maxlen, n - i), 0, -1):
            piece = text[i : i + size]
            kind = model.zh_kind.get(piece)
            if kind is not None:
                tokens.append((i, piece, kind))
                i += size
                break
        else:
            tokens.append((i, text[i], "char"))
            i += 1
    return tokens


def _modified(tokens: list[tuple[int, str, str]], at: int, model: _Model, base: float) -> float:
    """Valence ``base`` of the word at ``tokens[at]`` after the negators and degree adverbs before it."""
    mods: list[tuple[str, float]] = []  # nearest first
    j = at - 1
    while j >= 0 and len(mods) < 3:
        _, piece, kind = tokens[j]
        if kind == "char" and piece in model.zh_fillers:
            pass
        elif kind == "neg":
            mods.append(("neg", model.zh_negators[piece]))
        elif kind == "deg" or (kind == "word" and piece in model.zh_degree and j == at - 1):
            mods.append(("deg", model.zh_degree[piece]))
        else:
            break
        j -= 1
    value = base
    negated = False
    for kind, factor in reversed(mods):  # in reading order
        if kind == "neg":
            negated = True
            # Negating a complaint word gives a mild positive at most ("不差" ≈ not bad).
            value *= factor if base > 0 else -0.5
        elif negated:
            return base * -0.5  # "不是很好", "不太满意": negator then degree = mildly opposite
        else:
            value *= factor
    return value


_ACKS = frozenset({"好的", "好吧", "好啊"})


def _chinese(text: str, model: _Model, feeling: _Feeling) -> None:
    feeling.question = bool(model.zh_question.search(text))
    polite_damped = feeling.question or bool(model.zh_request.search(text))
    contrast = model.zh_contrast.search(text)
    conditional_spans = []
    for match in model.zh_conditional.finditer(text):
        end = _CLAUSE_END.search(text, match.end())
        conditional_spans.append((match.start(), end.start() if end else len(text)))
    tokens = _tokens(text, model)
    for at, (start, piece, kind) in enumerate(tokens):
        if kind == "neutral" and piece in _ACKS and at > 0 and tokens[at - 1][2] == "deg":
            piece, kind = "好", "word"  # "非常好的体验": not the acknowledgement 好的
        if kind != "word":
            continue
        following = tokens[at + 1] if at + 1 < len(tokens) else None
        if piece in model.zh_degree and following is not None and following[2] == "word":
            continue  # 好慢, 好烦: 好 is a degree adverb here
        value = _modified(tokens, at, model, model.zh_words[piece])
        if piece in model.zh_polite and polite_damped:
            value *= _QUESTION_DAMPING
        if contrast is not None:
            value *= 0.5 if start < contrast.start() else 1.5
        if any(a <= start < b for a, b in conditional_spans):
            value *= _CONDITIONAL_DAMPING
        feeling.add(value)
    for phrase in model.zh_phrases:
        for _ in phrase.pattern.finditer(text):
            feeling.add(phrase.valence, phrase.strong)
