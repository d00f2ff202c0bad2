"""Which department: a classifier trained on labelled patient questions (the ``department`` column of
the Chinese medical dialogue data, mapped to the hospital's departments by their ``triage_labels``) plus
the pack's curated bilingual symptom descriptions (``triage_examples.yaml``).

Character n-grams (1-3) and English words with TF-IDF and a linear SVM: a softmax of its margins for
the confidence, and the n-grams of the question that weighed most for the chosen department as the
reason. Below ``threshold`` the answer is *unsure*: general internal medicine, or a human.
"""

from __future__ import annotations

import csv
import os
import random
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from kefu.nlu.normalise import normalise

HERE = Path(__file__).resolve().parent
FALLBACK = "general_medicine"
THRESHOLD = 0.35
MAX_CHARS = 160  # a title and the start of the question say which department
CURATED_WEIGHT = 3
Example = tuple[str, str]  # (text, department id)


@dataclass(frozen=True)
class Triage:
    department: str
    confidence: float
    unsure: bool
    reason: tuple[str, ...]  # the words of the question that weighed most
    ranking: tuple[tuple[str, float], ...] = ()


def labelled_csv() -> Path:
    """``$KEFU_MEDICAL_QA``, else ``../shared/data/chinese_medical_dialogue/medqa_dev.csv`` from the
    working directory or the source checkout."""
    if env := os.environ.get("KEFU_MEDICAL_QA"):
        return Path(env)
    relative = Path("..") / "shared" / "data" / "chinese_medical_dialogue" / "medqa_dev.csv"
    for base in (Path.cwd(), HERE.parents[3]):
        if (base / relative).is_file():
            return (base / relative).resolve()
    return (Path.cwd() / relative).resolve()


def label_map(departments: Sequence[Mapping[str, object]]) -> dict[str, str]:
    """Source label (e.g. 心血管科) → department id, from each department's ``triage_labels``."""
    found: dict[str, str] = {}
    for dept in departments:
        labels = dept.get("triage_labels") or []
        for label in labels if isinstance(labels, list) else []:
            found[str(label)] = str(dept["id"])
    return found


def read_labelled(path: Path, labels: Mapping[str, str]) -> list[Example]:
    """(title + question, department id) rows whose label maps to a department."""
    rows: list[Example] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            dept = labels.get(row.get("department", ""))
            if dept:
                rows.append((f"{row.get('title', '')} {row.get('ask', '')}".strip(), dept))
    return rows


def curated_examples(path: Path = HERE / "triage_examples.yaml") -> list[Example]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(text), str(dept)) for dept, texts in raw.items() for text in texts]


def split(
    rows: Sequence[Example], held_out: float = 0.2, seed: int = 13
) -> tuple[list[Example], list[Example]]:
    """A stratified split: ``held_out`` of each department's rows for testing."""
    rng = random.Random(seed)
    by_label: dict[str, list[Example]] = {}
    for row in rows:
        by_label.setdefault(row[1], []).append(row)
    train: list[Example] = []
    test: list[Example] = []
    for label in sorted(by_label):
        group = by_label[label][:]
        rng.shuffle(group)
        cut = max(1, round(len(group) * held_out)) if len(group) > 1 else 0
        test += group[:cut]
        train += group[cut:]
    return train, test


_NOT_A_REASON = re.compile(
    r"[\s,.，。、？?!！:：;；()（）]|[挂科什么哪个的了吗呢啊吧我你他她是有在要想看请问更很都就还也又好多上下]"
    r"|^(?:my|the|and|have|has|for|which|what|department|should|see|with|about|feel|got)$",
    re.IGNORECASE,
)


_ASKING = re.compile(  # "which department" words say nothing about which one
    r"(?:应该|该)?(?:挂|看)(?:什么|哪个|哪一个|啥)(?:科室?)?|(?:什么|哪个)科室|挂号"
    r"|\b(?:which|what) (?:department|clinic|specialist|doctor)(?: should i (?:see|go to))?\b"
    r"|\bwhere should i go\b",
    re.IGNORECASE,
)


class TriageClassifier:
    """Character n-grams (Chinese) and words (English) with TF-IDF, a linear SVM, and a softmax over its
    margins (``temperature``) as the confidence."""

    def __init__(
        self, threshold: float = THRESHOLD, fallback: str = FALLBACK, temperature: float = 4.0
    ) -> None:
        self.threshold = threshold
        self.fallback = fallback
        self.temperature = temperature
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        self._words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b[a-z]{2,}\b"
        )
        self._model = LinearSVC(C=0.5, class_weight="balanced")
        self._labels: list[str] = []
        self._vocabulary: list[str] = []

    @staticmethod
    def _text(text: str) -> str:
        return _ASKING.sub(" ", normalise(text))[:MAX_CHARS]

    def _features(self, texts: Sequence[str]) -> csr_matrix:
        return hstack([self._chars.transform(texts), self._words.transform(texts)]).tocsr()

    def fit(self, examples: Sequence[Example], curated: Sequence[Example] = ()) -> TriageClassifier:
        """``curated`` examples count ``CURATED_WEIGHT`` times (they are few and short)."""
        rows = [*examples, *list(curated) * CURATED_WEIGHT]
        texts = [self._text(t) for t, _ in rows]
        self._chars.fit(texts)
        self._words.fit(texts)
        self._model.fit(self._features(texts), [d for _, d in rows])
        self._labels = [str(c) for c in self._model.classes_]
        self._vocabulary = [str(t) for t in self._chars.get_feature_names_out()] + [
            str(t) for t in self._words.get_feature_names_out()
        ]
        return self

    def predict(self, text: str) -> Triage:
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[Triage]:
        matrix = self._features([self._text(t) for t in texts])
        scores = np.asarray(self._model.decision_function(matrix), dtype=np.float64) * self.temperature
        scores -= scores.max(axis=1, keepdims=True)
        probabilities = np.exp(scores)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        found: list[Triage] = []
        for row, probs in enumerate(probabilities):
            order = np.argsort(probs)[::-1]
            best = int(order[0])
            ranking = tuple((self._labels[int(i)], round(float(probs[int(i)]), 3)) for i in order[:3])
            confidence = float(probs[best])
            unsure = confidence < self.threshold
            found.append(
                Triage(
                    self.fallback if unsure else self._labels[best],
                    round(confidence, 3),
                    unsure,
                    self._reason(matrix.getrow(row), best, self._text(texts[row])),
                    ranking,
                )
            )
        return found

    def _reason(self, vector: csr_matrix, label: int, text: str) -> tuple[str, ...]:
        coo = vector.tocoo()
        weights = self._model.coef_[label]
        scored = sorted(
            (
                (float(v) * float(weights[c]), self._vocabulary[c])
                for c, v in zip(coo.col, coo.data, strict=True)
            ),
            reverse=True,
        )
        words: list[str] = []
        for weight, term in scored:
            term = term.strip()
            if (
                weight <= 0
                or len(term) < 2
                or _NOT_A_REASON.search(term)
                or any(term in w or w in term for w in words)
            ):
                continue
            words.append(term)
            if len(words) == 4:
                break
        return _merged(words, text)


def _merged(words: list[str], text: str) -> tuple[str, ...]:
    """Overlapping n-grams joined into the words of the text they cover ("孩子发" + "子发烧" → "孩子发烧"),
    in the order of the strongest."""
    spans: list[tuple[int, int, int]] = []  # start, end, rank
    for rank, word in enumerate(words):
        at = text.find(word)
        if at >= 0:
            spans.append((at, at + len(word), rank))
    merged: list[list[int]] = []
    for start, end, rank in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = min(merged[-1][2], rank)
        else:
            merged.append([start, end, rank])
    return tuple(text[a:b].strip() for a, b, _ in sorted(merged, key=lambda m: m[2]))[:3]


_LOCK = threading.Lock()
_TRAINED: dict[str, TriageClassifier] = {}


def trained(departments: Sequence[Mapping[str, object]]) -> TriageClassifier:
    """The classifier over the labelled questions (when the file is there) and the curated examples,
    trained once per process and set of departments."""
    known = {str(d["id"]) for d in departments if d.get("bookable", True)}
    key = ",".join(sorted(known))
    with _LOCK:
        if key not in _TRAINED:
            path = labelled_csv()
            rows = read_labelled(path, label_map(departments)) if path.is_file() else []
            rows = [r for r in rows if r[1] in known]
            curated = [r for r in curated_examples() if r[1] in known]
            fallback = FALLBACK if FALLBACK in known else sorted(known)[0]
            _TRAINED[key] = TriageClassifier(fallback=fallback).fit(rows, curated)
        return _TRAINED[key]
