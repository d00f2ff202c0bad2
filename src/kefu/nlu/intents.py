"""A first bilingual intent classifier: char + word n-gram TF-IDF with logistic regression.

Trained in well under a second from a pack's examples. Low-confidence predictions fall back to the
out-of-scope label. The NLU issue replaces this with an encoder-based, measured model behind the same
``IntentClassifier`` interface.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from kefu.domain.errors import InvalidInput
from kefu.nlu.normalise import normalise

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class IntentPrediction:
    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...]


def load_examples(path: Path) -> list[tuple[str, str]]:
    """Read ``intents: {name: {en: [...], zh: [...]}}`` into (text, intent) pairs."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"cannot read intent examples {path}: {exc}") from exc
    intents = data.get("intents") if isinstance(data, dict) else None
    if not isinstance(intents, dict) or not intents:
        raise InvalidInput(f"{path}: expected a mapping 'intents: {{name: {{en: [...], zh: [...]}}}}'")
    pairs: list[tuple[str, str]] = []
    for intent, by_lang in intents.items():
        if not isinstance(by_lang, dict):
            raise InvalidInput(f"{path}: intent {intent!r} must map languages to example lists")
        for examples in by_lang.values():
            pairs.extend((str(text), str(intent)) for text in examples or [])
    return pairs


class IntentClassifier:
    """Thread-safe after ``fit``; ``predict`` takes one message."""

    def __init__(self, oos_threshold: float = 0.30, oos_label: str = OUT_OF_SCOPE) -> None:
        self.oos_threshold = oos_threshold
        self.oos_label = oos_label
        self._pipeline: Pipeline | None = None
        self._labels: list[str] = []
        self._lock = threading.Lock()

    def fit(self, examples: Sequence[tuple[str, str]]) -> IntentClassifier:
        labels = {label for _, label in examples}
        if len(labels) < 2:
            raise InvalidInput("intent training needs examples of at least two intents")
        features = FeatureUnion(
            [
                (
                    "chars",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1),
                ),
                (
                    "words",
                    TfidfVectorizer(
                        analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
                    ),
                ),
            ]
        )
        pipeline = Pipeline([("features", features), ("model", LogisticRegression(C=20.0, max_iter=2000))])
        pipeline.fit([normalise(t) for t, _ in examples], [label for _, label in examples])
        self._pipeline = pipeline
        self._labels = [str(c) for c in pipeline.classes_]
        return self

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def predict(self, text: str) -> IntentPrediction:
        if self._pipeline is None:
            raise RuntimeError("IntentClassifier.predict called before fit")
        with self._lock:
            probabilities = self._pipeline.predict_proba([normalise(text)])[0]
        order = np.argsort(probabilities)[::-1]
        ranking = tuple((self._labels[i], float(probabilities[i])) for i in order[:5])
        best, confidence = ranking[0]
        if confidence < self.oos_threshold:
            best = self.oos_label
        return IntentPrediction(intent=best, confidence=confidence, ranking=ranking)

    def evaluate(self, examples: Iterable[tuple[str, str]]) -> float:
        pairs = list(examples)
        correct = sum(1 for text, label in pairs if self.predict(text).intent == label)
        return correct / max(len(pairs), 1)


def train_from_files(paths: Iterable[Path], extra: Mapping[str, list[str]] | None = None) -> IntentClassifier:
    examples: list[tuple[str, str]] = []
    for path in paths:
        examples.extend(load_examples(path))
    for intent, texts in (extra or {}).items():
        examples.extend((t, intent) for t in texts)
    return IntentClassifier().fit(examples)
