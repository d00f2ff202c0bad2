"""The second, non-authoritative source: the Chinese medical Q&A (patients' questions answered by
doctors on a community site, ``labelled_csv()``), searched by question similarity when the curated
knowledge has nothing. Answers are marked as community answers, cited, and used only when the
healthcare compliance rules find no diagnosis or prescription in them (many such answers name medicines
and doses: those are never shown)."""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from kefu.guard.compliance import RuleBook, rule_book
from kefu.nlu.normalise import normalise
from kefu.packs.healthcare.triage import labelled_csv

SOURCE = "Chinese medical dialogue data (Toyhom/Chinese-medical-dialogue-data, MIT), community answers"
URL = "https://github.com/Toyhom/Chinese-medical-dialogue-data"
MIN_SIMILARITY = 0.55  # below this the community answers were mostly about something else
MAX_CHARS = 220


@dataclass(frozen=True)
class CommunityAnswer:
    question: str
    answer: str
    label: str  # the source's department label
    similarity: float


class CommunityQA:
    def __init__(self, rows: list[tuple[str, str, str]], rules: RuleBook | None = None) -> None:
        self.rows = rows  # (title + question, answer, department label)
        self.rules = rules or rule_book("healthcare")
        self._vectoriser = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, min_df=2 if len(rows) > 50 else 1
        )
        self._matrix = (
            self._vectoriser.fit_transform([normalise(q)[:200] for q, _, _ in rows]) if rows else None
        )

    @classmethod
    def from_csv(cls, path: Path) -> CommunityQA:
        rows: list[tuple[str, str, str]] = []
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows.append(
                    (
                        f"{row.get('title', '')} {row.get('ask', '')}",
                        row.get("answer", ""),
                        row.get("department", ""),
                    )
                )
        return cls(rows)

    def find(self, text: str) -> CommunityAnswer | None:
        """The most similar question whose answer is safe to show, when similar enough."""
        if self._matrix is None:
            return None
        scores = (self._matrix @ self._vectoriser.transform([normalise(text)]).T).toarray().ravel()
        for index in np.argsort(scores)[::-1][:5]:
            if scores[index] < MIN_SIMILARITY:
                return None
            question, answer, label = self.rows[int(index)]
            excerpt = answer[:MAX_CHARS].rstrip("，,；;") + ("…" if len(answer) > MAX_CHARS else "")
            if all(h.rule.startswith("disclaimer.") for h in self.rules.assess(excerpt, "zh").hits):
                return CommunityAnswer(question, excerpt, label, float(scores[index]))
        return None


_LOCK = threading.Lock()
_LOADED: list[CommunityQA | None] = []


def community() -> CommunityQA | None:
    """The community Q&A when its file is there (``$KEFU_MEDICAL_QA``), loaded once per process."""
    with _LOCK:
        if not _LOADED:
            path = labelled_csv()
            _LOADED.append(CommunityQA.from_csv(path) if path.is_file() else None)
        return _LOADED[0]
