"""``kefu eval pii``: precision, recall and F2 of PII detection per entity type, on Presidio-research data.

Input: a JSON list of ``{full_text, spans: [{entity_type, start_position, end_position}]}`` (extra keys
are ignored). Our kinds are reported under Presidio's names (``PRESIDIO_NAMES``); the gold label
``ADDRESS`` (presidio-research's older files) counts as ``STREET_ADDRESS``.

Matching rule (overlap-based, per type): a gold span is *found* when a predicted span of the same type
overlaps it by at least one character; a predicted span is *correct* when it overlaps a gold span of
the same type. Recall = found / gold, precision = correct / predicted, F2 = 5PR / (4P + R) (recall
weighs more: a missed value leaks, an extra mask only hides a few characters). ``micro`` pools the
types we detect. Gold types we never predict (ORGANIZATION, GPE, DATE_TIME, …) are listed under
``not_detected`` with their support and left out of ``micro``.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kefu.domain.errors import InvalidInput
from kefu.guard.pii import PRESIDIO_NAMES, find_pii

GOLD_ALIASES = {"ADDRESS": "STREET_ADDRESS"}
DETECTED = frozenset(PRESIDIO_NAMES.values())


@dataclass(frozen=True)
class Example:
    text: str
    spans: tuple[tuple[str, int, int], ...]  # (Presidio type, start, end)


@dataclass(frozen=True)
class Scores:
    precision: float | None
    recall: float | None
    f2: float | None
    support: int
    predicted: int

    def as_json(self) -> dict[str, Any]:
        return {
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f2": _round(self.f2),
            "support": self.support,
            "predicted": self.predicted,
        }


@dataclass(frozen=True)
class PiiReport:
    per_type: dict[str, Scores]
    micro: Scores
    not_detected: dict[str, int]
    examples: int
    p50_ms: float

    def as_json(self) -> dict[str, Any]:
        return {
            "per_type": {name: s.as_json() for name, s in sorted(self.per_type.items())},
            "micro": self.micro.as_json(),
            "not_detected": dict(sorted(self.not_detected.items())),
            "examples": self.examples,
            "p50_ms": round(self.p50_ms, 3),
        }


def load_examples(path: Path) -> list[Example]:
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, list) or not data:
        raise InvalidInput(f"{path}: expected a non-empty JSON list of {{full_text, spans}} objects")
    return [_example(f"{path}: item {index}", item) for index, item in enumerate(data)]


def _example(where: str, item: object) -> Example:
    if not isinstance(item, dict):
        raise InvalidInput(f"{where}: expected an object with 'full_text' and 'spans'")
    text, spans = item.get("full_text"), item.get("spans", [])
    if not isinstance(text, str):
        raise InvalidInput(f"{where}: 'full_text' must be a string")
    if not isinstance(spans, list):
        raise InvalidInput(f"{where}: 'spans' must be a list")
    parsed = []
    for span in spans:
        if not isinstance(span, dict):
            raise InvalidInput(f"{where}: each span must be an object")
        kind, start, end = span.get("entity_type"), span.get("start_position"), span.get("end_position")
        if not isinstance(kind, str) or not kind:
            raise InvalidInput(f"{where}: span 'entity_type' must be a non-empty string")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
            raise InvalidInput(f"{where}: span positions must be integers")
        if not 0 <= start < end <= len(text):
            raise InvalidInput(f"{where}: span {start}..{end} is outside the text ({len(text)} characters)")
        parsed.append((GOLD_ALIASES.get(kind, kind), start, end))
    return Example(text, tuple(parsed))


def predict(text: str) -> list[tuple[str, int, int]]:
    return [(PRESIDIO_NAMES[s.kind], s.start, s.end) for s in find_pii(text) if s.kind in PRESIDIO_NAMES]


def evaluate(examples: list[Example]) -> PiiReport:
    gold_n: dict[str, int] = defaultdict(int)
    found: dict[str, int] = defaultdict(int)
    pred_n: dict[str, int] = defaultdict(int)
    correct: dict[str, int] = defaultdict(int)
    timings: list[float] = []
    for example in examples:
        started = time.perf_counter()
        predicted = predict(example.text)
        timings.append((time.perf_counter() - started) * 1000)
        for kind, start, end in example.spans:
            gold_n[kind] += 1
            found[kind] += any(k == kind and s < end and start < e for k, s, e in predicted)
        for kind, start, end in predicted:
            pred_n[kind] += 1
            correct[kind] += any(k == kind and s < end and start < e for k, s, e in example.spans)
    types = (set(gold_n) | set(pred_n)) & DETECTED
    per_type = {t: _scores(found[t], gold_n[t], correct[t], pred_n[t]) for t in types}
    micro = _scores(
        sum(found[t] for t in types),
        sum(gold_n[t] for t in types),
        sum(correct[t] for t in types),
        sum(pred_n[t] for t in types),
    )
    not_detected = {t: n for t, n in gold_n.items() if t not in DETECTED}
    p50 = statistics.median(timings) if timings else 0.0
    return PiiReport(per_type, micro, not_detected, len(examples), p50)


def _scores(found: int, support: int, correct: int, predicted: int) -> Scores:
    recall = found / support if support else None
    precision = correct / predicted if predicted else None
    f2 = None
    if precision is not None and recall is not None:
        f2 = 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f2, support, predicted)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def format_report(report: PiiReport) -> str:
    def cell(value: float | None) -> str:
        return "   -  " if value is None else f"{value:6.3f}"

    lines = [f"{'type':<16} {'prec':>6} {'recall':>6} {'F2':>6} {'support':>7} {'predicted':>9}"]
    for name, s in sorted(report.per_type.items()):
        lines.append(
            f"{name:<16} {cell(s.precision)} {cell(s.recall)} {cell(s.f2)} {s.support:>7} {s.predicted:>9}"
        )
    m = report.micro
    lines.append(
        f"{'micro':<16} {cell(m.precision)} {cell(m.recall)} {cell(m.f2)} {m.support:>7} {m.predicted:>9}"
    )
    if report.not_detected:
        listed = ", ".join(f"{t} ({n})" for t, n in sorted(report.not_detected.items()))
        lines.append(f"not detected: {listed}")
    lines.append(
        f"examples: {report.examples}  p50: {report.p50_ms:.3f} ms/text  matching: overlap, same type"
    )
    return "\n".join(lines)
