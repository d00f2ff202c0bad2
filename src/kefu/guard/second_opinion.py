"""A learned yes/no second opinion behind a rail's patterns (injection, emergency, handoff).

Patterns are precise but only know the phrasings their authors thought of. This detector is trained on
a rail's labelled examples and gives a probability in two stages:

1. a fast logistic regression on character n-grams (1–4, within words, so Chinese, typos and l33t
   count) and word n-grams (1–2) of the normalised text; below ``gate`` the answer is no at once, so an
   ordinary message never pays for the encoder;
2. otherwise a logistic regression on the same n-grams plus the multilingual sentence encoder's vector
   (meaning across languages and wordings); at or above ``threshold`` the answer is yes.

Both thresholds are chosen on a validation set the model was not trained on (``benchmarks/rails_tune.py``)
and kept in the rail's code with the figures they gave. Without the encoder installed, stage 1 alone
decides at ``threshold``.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix, hstack, spmatrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from kefu.nlu.encoder import SentenceEncoder


@dataclass(frozen=True)
class SecondOpinionConfig:
    gate: float = 0.1  # stage 1 below this: no, without encoding
    threshold: float = 0.5  # stage 2 at or above this: yes
    encoder_weight: float = 1.5
    c_fast: float = 4.0
    c_full: float = 4.0


def fold(text: str) -> str:
    """NFKC, lower case, collapsed whitespace: what the n-grams are read from."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def load_examples(path: Path, negatives_from: Sequence[Path] = ()) -> tuple[list[str], list[int]]:
    """A rail's labelled ``examples.jsonl``, plus the independent training messages of the other rails
    (``"source": "rails_train"``) as negatives: a request for a person is no injection, an injection no
    emergency, and a rail must not fire on what another rail is about."""
    texts: list[str] = []
    labels: list[int] = []
    seen: set[str] = set()
    for number, source in enumerate((path, *negatives_from)):
        for line in source.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            text = str(record["text"])
            if text in seen or (number and record.get("source") != "rails_train"):
                continue
            seen.add(text)
            texts.append(text)
            labels.append(int(record["label"]) if number == 0 else 0)
    return texts, labels


class SecondOpinion:
    """``fit`` once on labelled texts, then ``probability`` / ``says_yes`` from any thread."""

    def __init__(self, encoder: SentenceEncoder | None, config: SecondOpinionConfig | None = None) -> None:
        self.encoder = encoder
        self.config = config or SecondOpinionConfig()
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=2)
        self._words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b", min_df=2
        )
        self._fast: LogisticRegression | None = None
        self._full: LogisticRegression | None = None

    def fit(self, texts: Sequence[str], labels: Sequence[int]) -> SecondOpinion:
        folded = [fold(t) for t in texts]
        y = np.array(labels)
        grams = hstack([self._chars.fit_transform(folded), self._words.fit_transform(folded)]).tocsr()
        self._fast = LogisticRegression(C=self.config.c_fast, max_iter=3000, class_weight="balanced")
        self._fast.fit(grams, y)
        if self.encoder is not None:
            full = self._with_meaning(grams, self.encoder.encode(list(texts)))
            self._full = LogisticRegression(C=self.config.c_full, max_iter=3000, class_weight="balanced")
            self._full.fit(full, y)
        return self

    def _grams(self, texts: Sequence[str]) -> csr_matrix:
        folded = [fold(t) for t in texts]
        return hstack([self._chars.transform(folded), self._words.transform(folded)]).tocsr()

    def _with_meaning(self, grams: spmatrix, vectors: npt.NDArray[np.float32]) -> csr_matrix:
        return hstack([grams, csr_matrix(vectors * self.config.encoder_weight)]).tocsr()

    def probabilities(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Stage-1 and stage-2 probabilities for many texts (stage 2 equals stage 1 without an encoder)."""
        if self._fast is None:
            raise RuntimeError("SecondOpinion.fit was not called")
        grams = self._grams(texts)
        fast = self._fast.predict_proba(grams)[:, 1]
        if self._full is None or self.encoder is None:
            return fast, fast
        full = self._full.predict_proba(self._with_meaning(grams, self.encoder.encode(list(texts))))[:, 1]
        return fast, full

    def probability(self, text: str) -> float:
        """Stage 2's probability, or stage 1's where it is below the gate (then the encoder is not run)."""
        if self._fast is None:
            raise RuntimeError("SecondOpinion.fit was not called")
        grams = self._grams([text])
        fast = float(self._fast.predict_proba(grams)[0, 1])
        if fast < self.config.gate or self._full is None or self.encoder is None:
            return fast
        return float(self._full.predict_proba(self._with_meaning(grams, self.encoder.encode([text])))[0, 1])

    def says_yes(self, text: str) -> tuple[bool, float]:
        probability = self.probability(text)
        return probability >= self.config.threshold, probability
