"""Trainable bilingual intent classifier with calibrated confidences and out-of-scope detection.

Features: character n-grams (1–5, within words) and word n-grams (1–3) by TF-IDF, plus the multilingual
sentence encoder's 512-d vector, weighted and concatenated; a linear SVM on top. The encoder carries
meaning across languages (a model trained on English examples understands Chinese questions); the
n-grams carry the exact wording. Scores become probabilities by a softmax whose temperature is fitted
on held-out data. Out of scope is (a) the ``oos`` class when the training data has one, and (b) a
confidence threshold chosen on validation data by holding out whole intents as pseudo out-of-scope.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from kefu.domain.errors import InvalidInput, KefuError
from kefu.nlu.encoder import SentenceEncoder, shared_encoder
from kefu.nlu.intent_data import Example, load_labelled
from kefu.nlu.normalise import normalise

OUT_OF_SCOPE = "out_of_scope"
FORMAT_VERSION = 1
log = logging.getLogger("kefu.nlu")


@dataclass(frozen=True)
class IntentPrediction:
    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class IntentConfig:
    encoder_weight: float = 2.0
    svm_c: float = 0.5
    validation_share: float = 0.15
    pseudo_oos_share: float = 0.2
    max_in_scope_loss: float = 0.02
    seed: int = 13


def load_examples(path: Path) -> list[Example]:
    """Kept for callers of the first classifier: any labelled file ``load_labelled`` reads."""
    return load_labelled(path)


class IntentClassifier:
    """``fit`` once, then ``predict`` from any number of threads."""

    def __init__(
        self,
        oos_label: str = OUT_OF_SCOPE,
        config: IntentConfig | None = None,
        encoder: SentenceEncoder | bool | None = True,
        oos_threshold: float | None = None,
    ) -> None:
        self.oos_label = oos_label
        self.config = config or IntentConfig()
        self._encoder = self._resolve_encoder(encoder)
        self.oos_threshold = oos_threshold if oos_threshold is not None else 0.0
        self._fixed_threshold = oos_threshold is not None
        self.temperature = 1.0
        self._labels: list[str] = []
        self._chars: TfidfVectorizer | None = None
        self._words: TfidfVectorizer | None = None
        self._svm: LinearSVC | None = None
        self._lock = threading.Lock()
        self.train_seconds = 0.0

    @staticmethod
    def _resolve_encoder(encoder: SentenceEncoder | bool | None) -> SentenceEncoder | None:
        if isinstance(encoder, SentenceEncoder) or encoder is None:
            return encoder
        if encoder is False:
            return None
        try:
            return shared_encoder()
        except KefuError as exc:
            log.warning("intent classifier runs on n-grams only: %s", exc.message)
            return None

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    @property
    def uses_encoder(self) -> bool:
        return self._encoder is not None

    # -- features ---------------------------------------------------------------------------------
    def _features(self, texts: Sequence[str]) -> csr_matrix:
        assert self._chars is not None and self._words is not None
        normalised = [normalise(t) for t in texts]
        parts = [self._chars.transform(normalised), self._words.transform(normalised)]
        if self._encoder is not None:
            parts.append(csr_matrix(self._encoder.encode(list(texts)) * self.config.encoder_weight))
        return hstack(parts).tocsr()

    def _fit_model(self, examples: Sequence[Example]) -> None:
        texts = [normalise(t) for t, _ in examples]
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True).fit(texts)
        self._words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 3), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        ).fit(texts)
        self._svm = LinearSVC(C=self.config.svm_c).fit(
            self._features([t for t, _ in examples]), [label for _, label in examples]
        )
        self._labels = [str(c) for c in self._svm.classes_]

    def _scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        assert self._svm is not None
        scores = np.asarray(self._svm.decision_function(self._features(texts)), dtype=np.float64)
        if scores.ndim == 1:  # two classes: one column of margins
            scores = np.column_stack([-scores, scores])
        return scores

    def _probabilities(self, scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        scaled = scores / self.temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        exp = np.exp(scaled)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float64)

    # -- training ---------------------------------------------------------------------------------
    def fit(self, examples: Sequence[Example]) -> IntentClassifier:
        started = time.perf_counter()
        labels = sorted({label for _, label in examples})
        if len(labels) < 2:
            raise InvalidInput("intent training needs examples of at least two intents")
        self._calibrate(examples)
        self._fit_model(examples)
        self.train_seconds = time.perf_counter() - started
        return self

    def _calibrate(self, examples: Sequence[Example]) -> None:
        """Fit the temperature and the out-of-scope threshold on held-out data: a validation split of
        the known intents, and whole intents held out as pseudo out-of-scope."""
        rng = random.Random(self.config.seed)
        by_label: dict[str, list[Example]] = {}
        for example in examples:
            by_label.setdefault(example[1], []).append(example)
        in_scope = [label for label in sorted(by_label) if label != self.oos_label]
        held_out_count = int(len(in_scope) * self.config.pseudo_oos_share) if len(in_scope) >= 5 else 0
        held_out = set(rng.sample(in_scope, held_out_count))
        train: list[Example] = []
        validation: list[Example] = []
        for label, items in by_label.items():
            items = items[:]
            rng.shuffle(items)
            if label in held_out:
                continue
            cut = int(len(items) * self.config.validation_share) if len(items) >= 4 else 0
            validation.extend(items[:cut])
            train.extend(items[cut:])
        if not validation or len({label for _, label in train}) < 2:
            return
        self._fit_model(train)
        scores = self._scores([t for t, _ in validation])
        truth = np.array([self._labels.index(label) for _, label in validation])
        self.temperature = _best_temperature(scores, truth)
        if self._fixed_threshold or not held_out:
            return
        pseudo_oos = [t for t, label in examples if label in held_out]
        in_probs = self._probabilities(scores)
        oos_probs = self._probabilities(self._scores(pseudo_oos)).max(axis=1)
        self.oos_threshold = _best_threshold(in_probs, truth, oos_probs, self.config.max_in_scope_loss)

    # -- prediction -------------------------------------------------------------------------------
    def predict(self, text: str) -> IntentPrediction:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[IntentPrediction]:
        if self._svm is None:
            raise RuntimeError("IntentClassifier.predict called before fit")
        with self._lock:
            probabilities = self._probabilities(self._scores(texts))
        predictions = []
        for row in probabilities:
            order = np.argsort(row)[::-1][:5]
            ranking = tuple((self._labels[i], float(row[i])) for i in order)
            best, confidence = ranking[0]
            if confidence < self.oos_threshold:
                best = self.oos_label
            predictions.append(IntentPrediction(best, confidence, ranking))
        return predictions

    # -- persistence ------------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(
            {"chars": self._chars, "words": self._words, "svm": self._svm}, directory / "model.joblib"
        )
        meta = {
            "format": FORMAT_VERSION,
            "labels": self._labels,
            "oos_label": self.oos_label,
            "oos_threshold": self.oos_threshold,
            "temperature": self.temperature,
            "encoder": self.uses_encoder,
            "config": self.config.__dict__,
            "train_seconds": self.train_seconds,
        }
        (directory / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> IntentClassifier:
        try:
            meta: dict[str, Any] = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            parts = joblib.load(directory / "model.joblib")
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"{directory}: not a kefu intent model ({exc})") from exc
        if meta.get("format") != FORMAT_VERSION:
            raise InvalidInput(f"{directory}: model format {meta.get('format')} is not {FORMAT_VERSION}")
        model = cls(
            oos_label=meta["oos_label"],
            config=IntentConfig(**meta["config"]),
            encoder=bool(meta["encoder"]),
            oos_threshold=float(meta["oos_threshold"]),
        )
        if meta["encoder"] and model._encoder is None:
            raise InvalidInput(f"{directory}: the model needs the sentence encoder, which is not installed")
        model._chars, model._words, model._svm = parts["chars"], parts["words"], parts["svm"]
        model._labels = list(meta["labels"])
        model.temperature = float(meta["temperature"])
        model.train_seconds = float(meta.get("train_seconds", 0.0))
        return model


def _best_temperature(scores: npt.NDArray[np.float64], truth: npt.NDArray[np.int64]) -> float:
    best, best_loss = 1.0, float("inf")
    for temperature in np.geomspace(0.02, 5.0, 40):
        scaled = scores / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_probs = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        loss = float(-log_probs[np.arange(len(truth)), truth].mean())
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best


def _best_threshold(
    in_probs: npt.NDArray[np.float64],
    truth: npt.NDArray[np.int64],
    oos_confidence: npt.NDArray[np.float64],
    max_loss: float,
) -> float:
    """The threshold with the best out-of-scope recall that costs at most ``max_loss`` of in-scope
    accuracy on held-out data (ties: the lower threshold)."""
    predicted = in_probs.argmax(axis=1)
    confidence = in_probs.max(axis=1)
    correct = predicted == truth
    ceiling = float(correct.mean())
    best, best_recall = 0.0, -1.0
    for threshold in np.linspace(0.0, 0.99, 100):
        in_acc = float((correct & (confidence >= threshold)).mean())
        recall = float((oos_confidence < threshold).mean())
        if in_acc >= ceiling - max_loss and recall > best_recall + 1e-9:
            best, best_recall = float(threshold), recall
    return best


def train_from_files(paths: Sequence[Path], oos_label: str = OUT_OF_SCOPE) -> IntentClassifier:
    examples: list[Example] = []
    for path in paths:
        examples.extend(load_labelled(path))
    return IntentClassifier(oos_label=oos_label).fit(examples)
