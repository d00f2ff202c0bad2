"""A learned second opinion behind the emergency patterns.

The hand-written patterns (``guard/emergency.py``) are precise but miss new wordings ("准备今晚走",
"going to end it tonight"). A logistic regression on the multilingual sentence encoder, trained on the
labelled examples shipped beside the patterns, catches many of those. It only speaks when the patterns
found nothing at all: if a pattern matched and a guard ruled it out (a negation, a figure of speech, a
question about symptoms), that decision stands. Its threshold is high, because an emergency reply to an
ordinary customer is costly too. A second regression over the positives' kinds names the kind of what
it caught ("self_harm", "stroke", …), so the urgent handoff says what it is.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

from kefu.domain.errors import KefuError
from kefu.guard.emergency import EMERGENCY, KINDS, URGENT, EmergencyMatch, Kind, Lang, explain_emergency
from kefu.nlu.encoder import SentenceEncoder, shared_encoder
from kefu.nlu.langid import detect_language

EXAMPLES = Path(__file__).resolve().parent / "emergency_examples.jsonl"
# Chosen on dev sets written for the purpose and 5-fold CV of the examples, not on the held-out sets:
# on messages no pattern saw, CV recall 62 % at 0.7 % false alarms on the hard negatives. The model
# fires on 0 of 6,114 medical questions and, patterns included, the rail on 8 of 20,833 banking77 /
# HWU64 / retail-intent messages (benchmarks/emergency_false_alarms.py).
THRESHOLD = 0.85
log = logging.getLogger("kefu.guard")


class LearnedEmergencyDetector:
    def __init__(
        self, encoder: SentenceEncoder, examples: Path = EXAMPLES, threshold: float = THRESHOLD
    ) -> None:
        self.encoder = encoder
        self.threshold = threshold
        records = [
            json.loads(line) for line in examples.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        vectors = encoder.encode([str(r["text"]) for r in records])
        labels = np.array([int(r["label"]) for r in records])
        self._model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced").fit(vectors, labels)
        # which kind of emergency, learned from the positives' kinds, so the handoff says what it is
        positive = labels == 1
        kinds = np.array([str(r.get("kind", "other")) for r in records])[positive]
        kinds = np.where(np.isin(kinds, KINDS), kinds, "other")
        self._kinds = LogisticRegression(C=4.0, max_iter=2000).fit(vectors[positive], kinds)
        # the binary model's weights, applied directly: sklearn's per-call overhead is ~0.1 ms
        self._weights = self._model.coef_[0].astype(np.float32)
        self._bias = float(self._model.intercept_[0])

    def _probability(self, vector: npt.NDArray[np.float32]) -> float:
        return float(1.0 / (1.0 + np.exp(-(float(vector[0] @ self._weights) + self._bias))))

    def probability(self, text: str) -> float:
        return self._probability(self.encoder.encode([text]))

    def judge(self, text: str) -> tuple[float, Kind]:
        """The probability that the message is an emergency, and its most likely kind (named only when
        the probability reaches the threshold; ``other`` below it)."""
        vector = self.encoder.encode([text])
        probability = self._probability(vector)
        if probability < self.threshold:
            return probability, "other"
        return probability, cast(Kind, str(self._kinds.predict(vector)[0]))


_SHARED: list[LearnedEmergencyDetector | None] = []
_LOCK = threading.Lock()


def _learned() -> LearnedEmergencyDetector | None:
    with _LOCK:
        if not _SHARED:
            try:
                _SHARED.append(LearnedEmergencyDetector(shared_encoder()))
            except KefuError as exc:
                log.warning("emergency rail runs on patterns only: %s", exc.message)
                _SHARED.append(None)
        return _SHARED[0]


def detect(text: str) -> EmergencyMatch | None:
    """Patterns first; the learned detector only where no pattern saw anything."""
    candidates = explain_emergency(text)
    if candidates:  # a pattern saw something: its verdict stands, whatever the model would say
        for candidate in candidates:
            if candidate.verdict in (EMERGENCY, URGENT):
                return EmergencyMatch(candidate.kind, candidate.lang, candidate.evidence)
        return None
    model = _learned()
    if model is None:
        return None
    probability, kind = model.judge(text)
    if probability < model.threshold:
        return None
    lang: Lang = "zh" if detect_language(text, default="en") == "zh" else "en"
    return EmergencyMatch(kind, lang, f"learned detector p={probability:.2f}")
