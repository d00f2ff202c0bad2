"""The learned second opinion behind the emergency patterns, and the rail's full decision ``detect``.

The hand-written patterns (``patterns.py``) are precise but miss new wordings ("准备今晚走", "going to
end it tonight"). A ``SecondOpinion`` (character and word n-grams, then the multilingual sentence
encoder) trained on ``examples.jsonl`` (the rail's own examples plus the training part of the independent
set, ``tests/data/rails/emergency_train.jsonl``, issue #15) catches many of those. Where no pattern saw
anything it speaks at ``CONFIG.threshold``; where a pattern matched and a guard ruled it out (a negation,
a figure of speech, a question about symptoms), it must be surer still (``OVERRIDE``) to overrule that
guard. A second regression over the positives' kinds on the encoder names the kind of what it caught
("self_harm", "stroke", …), so the urgent handoff says what it is.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
from sklearn.linear_model import LogisticRegression

from kefu.domain.errors import KefuError
from kefu.guard.emergency.patterns import (
    EMERGENCY,
    KINDS,
    URGENT,
    EmergencyMatch,
    Kind,
    Lang,
    explain_emergency,
)
from kefu.guard.second_opinion import SecondOpinion, SecondOpinionConfig, load_examples
from kefu.nlu.encoder import SentenceEncoder, shared_encoder
from kefu.nlu.intent_data import load_labelled
from kefu.nlu.langid import detect_language

EXAMPLES = Path(__file__).resolve().parent / "examples.jsonl"
ORDINARY = Path(__file__).resolve().parents[2] / "packs" / "retail" / "intents.yaml"
OTHER_RAILS = (
    Path(__file__).resolve().parents[1] / "injection" / "examples.jsonl",
    Path(__file__).resolve().parents[2] / "handoff" / "examples.jsonl",
)
# Chosen on tests/data/rails/emergency_val.jsonl (benchmarks/rails_tune.py emergency), never on the test
# part: patterns alone 59.8 % recall at 7.4 % false alarms; patterns and model (detect) 97.6 % at 2.5 %
# (3/121).
CONFIG = SecondOpinionConfig(gate=0.05, threshold=0.75)
VETO = 0.2  # a pattern's candidate stands unless the model finds it this unlikely (figures, past events)
OVERRIDE = 0.9  # a candidate a guard ruled out is an emergency after all when the model is this sure
log = logging.getLogger("kefu.guard")


@dataclass(frozen=True)
class _Detector:
    opinion: SecondOpinion
    kinds: LogisticRegression | None  # over the encoder's vector; None without an encoder


def train_detector(
    encoder: SentenceEncoder | None = None, config: SecondOpinionConfig = CONFIG
) -> SecondOpinion:
    return _train(encoder, config).opinion


def _train(encoder: SentenceEncoder | None, config: SecondOpinionConfig) -> _Detector:
    if encoder is None:
        try:
            encoder = shared_encoder()
        except KefuError as exc:
            log.warning("emergency second opinion runs on n-grams only: %s", exc.message)
    records = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts, labels = load_examples(EXAMPLES, OTHER_RAILS)
    ordinary = [text for text, _ in load_labelled(ORDINARY)]
    texts, labels = texts + ordinary, labels + [0] * len(ordinary)
    opinion = SecondOpinion(encoder, config).fit(texts, labels)
    kinds = None
    typed = [(str(r["text"]), str(r["kind"])) for r in records if r["label"] == 1 and r.get("kind") in KINDS]
    if encoder is not None and typed:
        vectors = encoder.encode([t for t, _ in typed])
        kinds = LogisticRegression(C=4.0, max_iter=2000).fit(vectors, np.array([k for _, k in typed]))
    return _Detector(opinion, kinds)


_SHARED: list[_Detector] = []
_LOCK = threading.Lock()


def _learned() -> _Detector:
    with _LOCK:
        if not _SHARED:
            _SHARED.append(_train(None, CONFIG))
        return _SHARED[0]


def pattern_verdict(text: str) -> bool | None:
    """True when a pattern's candidate stands, False when every candidate was ruled out, None when no
    pattern saw anything."""
    candidates = explain_emergency(text)
    if not candidates:
        return None
    return any(c.verdict in (EMERGENCY, URGENT) for c in candidates)


def detect(text: str) -> EmergencyMatch | None:
    """Patterns and the learned detector together: a pattern's candidate that stands is the answer unless
    the model finds the message very unlikely an emergency; otherwise the model decides, surer still
    where a guard ruled a candidate out."""
    candidates = explain_emergency(text)
    detector = _learned()
    probability = detector.opinion.probability(text)
    for candidate in candidates:
        if candidate.verdict in (EMERGENCY, URGENT):
            if probability < VETO:
                return None
            return EmergencyMatch(candidate.kind, candidate.lang, candidate.evidence)
    if probability < (OVERRIDE if candidates else detector.opinion.config.threshold):
        return None
    kind: Kind = "other"
    if detector.kinds is not None and detector.opinion.encoder is not None:
        kind = cast(Kind, str(detector.kinds.predict(detector.opinion.encoder.encode([text]))[0]))
    lang: Lang = "zh" if detect_language(text, default="en") == "zh" else "en"
    return EmergencyMatch(kind, lang, f"learned detector p={probability:.2f}")
