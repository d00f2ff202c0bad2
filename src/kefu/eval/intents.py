"""``kefu eval intents``: train on one file, measure on another."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sklearn.metrics import f1_score

from kefu.domain.errors import InvalidInput
from kefu.nlu.intent_data import Example
from kefu.nlu.intents import IntentClassifier


@dataclass(frozen=True)
class IntentReport:
    accuracy: float
    closed_set_accuracy: float
    macro_f1: float
    in_scope_accuracy: float
    oos_recall: float | None
    oos_precision: float | None
    p50_ms: float
    p99_ms: float
    train_s: float
    train_examples: int
    test_examples: int
    intents: int
    oos_threshold: float
    encoder: bool

    def as_json(self) -> dict[str, object]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def evaluate_intents(
    train: Sequence[Example],
    test: Sequence[Example],
    oos_label: str | None = None,
    classifier: IntentClassifier | None = None,
) -> IntentReport:
    if not test:
        raise InvalidInput("the test file has no examples")
    model = classifier or IntentClassifier(oos_label=oos_label or "out_of_scope")
    started = time.perf_counter()
    model.fit(train)
    train_s = time.perf_counter() - started
    predicted: list[str] = []
    best_known: list[str] = []
    timings: list[float] = []
    for text, _ in test:
        tick = time.perf_counter()
        prediction = model.predict(text)
        timings.append((time.perf_counter() - tick) * 1000)
        predicted.append(prediction.intent)
        best_known.append(prediction.ranking[0][0])
    truth = [label for _, label in test]
    oos = oos_label or model.oos_label
    correct = [p == t for p, t in zip(predicted, truth, strict=True)]
    in_scope = [c for c, t in zip(correct, truth, strict=True) if t != oos]
    oos_truth = [p for p, t in zip(predicted, truth, strict=True) if t == oos]
    oos_predicted = [t for p, t in zip(predicted, truth, strict=True) if p == oos]
    has_oos = bool(oos_truth)
    return IntentReport(
        accuracy=sum(correct) / len(correct),
        closed_set_accuracy=sum(b == t for b, t in zip(best_known, truth, strict=True)) / len(truth),
        macro_f1=float(f1_score(truth, predicted, average="macro", zero_division=0)),
        in_scope_accuracy=sum(in_scope) / len(in_scope) if in_scope else 0.0,
        oos_recall=sum(p == oos for p in oos_truth) / len(oos_truth) if has_oos else None,
        oos_precision=(sum(t == oos for t in oos_predicted) / len(oos_predicted) if oos_predicted else 0.0)
        if has_oos
        else None,
        p50_ms=statistics.median(timings),
        p99_ms=percentile(timings, 0.99),
        train_s=train_s,
        train_examples=len(train),
        test_examples=len(test),
        intents=len({label for _, label in train}),
        oos_threshold=model.oos_threshold,
        encoder=model.uses_encoder,
    )


def format_report(report: IntentReport) -> str:
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value * 100:.2f} %"

    return "\n".join(
        [
            f"intents {report.intents}, train {report.train_examples}, test {report.test_examples}, "
            f"encoder {'on' if report.encoder else 'off'}",
            f"accuracy           {pct(report.accuracy)}  (closed-set, no out-of-scope rejection: "
            f"{pct(report.closed_set_accuracy)})",
            f"macro-F1           {pct(report.macro_f1)}",
            f"in-scope accuracy  {pct(report.in_scope_accuracy)}",
            f"out-of-scope       recall {pct(report.oos_recall)}, precision {pct(report.oos_precision)} "
            f"(threshold {report.oos_threshold:.2f})",
            f"latency per message  p50 {report.p50_ms:.2f} ms, p99 {report.p99_ms:.2f} ms",
            f"training           {report.train_s:.1f} s",
        ]
    )
