"""A search hit's calibrated confidence: the probability that the passage answers the question.

Two signals that work in both languages and across them:
- ``cosine``: the sentence encoder's similarity of question and passage (cross-lingual too);
- ``coverage``: the IDF-weighted share of the question's search tokens found in the passage.
plus whether both rankers put the passage in their candidates (agreement). A logistic model over
these was fitted by ``benchmarks/retrieval.py`` on 1,490 labelled top hits: held-out Chinese medical
questions over their answers, banking tasks and Chinese questions over the English banking KB (right
or wrong), and off-domain questions (medical asked of the bank, banking asked of the medical answers),
label = "the top hit is a relevant document": that is ``FITTED`` (expected calibration error 0.03 on
the held-out half, Brier 0.12). The default weights are hand-set and sharper (ECE 0.37 on that mix,
where a "wrong" medical answer often still answers the question); the answering thresholds
(``knowledge/answer.py``) are tuned on them, so switching the default to ``FITTED`` means re-tuning
those. Re-fit when the search changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Calibration:
    intercept: float = -6.0
    cosine: float = 9.0
    coverage: float = 3.0
    agreement: float = 0.5

    def confidence(
        self, cosine: float, coverage: float, bm25_rank: int | None, dense_rank: int | None
    ) -> float:
        agree = 1.0 if bm25_rank is not None and dense_rank is not None else 0.0
        z = self.intercept + self.cosine * cosine + self.coverage * coverage + self.agreement * agree
        return 1.0 / (1.0 + math.exp(-z))


FITTED = Calibration(intercept=-3.35, cosine=1.45, coverage=3.05, agreement=0.22)
