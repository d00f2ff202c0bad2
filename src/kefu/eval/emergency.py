"""``kefu eval emergency``: does a customer message signal a life-threatening emergency?

Each labelled message goes through the detector of the emergency rail (``kefu.guard.emergency``)
alone: the rail acts on nothing else, so recall and false alarms are exactly the rail's. Recall is
what matters most (a miss can cost a life); the false-positive rate says how often a benign message
(a medical question, a figure of speech, shop talk) would be answered with an emergency number.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kefu.domain.errors import InvalidInput
from kefu.eval.binary import (
    LANGS,
    LabelledText,
    binary_rates,
    load_labelled_texts,
    pct,
    rate_lines,
    report_json,
)
from kefu.eval.intents import percentile
from kefu.guard.emergency import EmergencyMatch
from kefu.guard.emergency import detect as detect_emergency
from kefu.nlu.langid import detect_language

EmergencyExample = LabelledText


@dataclass(frozen=True)
class Outcome:
    example: EmergencyExample
    lang: str
    match: EmergencyMatch | None
    ms: float


@dataclass(frozen=True)
class EmergencyReport:
    examples: int
    positives: int
    negatives: int
    true_positives: int
    false_positives: int
    recall: float | None
    precision: float | None
    false_positive_rate: float | None
    kind_agreement: float | None  # of the emergencies caught, how many with the labelled kind
    p50_ms: float
    p99_ms: float
    by_kind: dict[str, dict[str, int]]
    by_lang: dict[str, dict[str, Any]]
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return report_json(self)


# --- reading ------------------------------------------------------------------------------------


def load_examples(path: Path) -> list[EmergencyExample]:
    """JSONL, one object a line: ``{"text": str, "label": 0 | 1, "lang"?: "zh" | "en", "kind"?: str}``."""
    return load_labelled_texts(path, "an emergency")


# --- running ------------------------------------------------------------------------------------


def evaluate_emergency(examples: Sequence[EmergencyExample]) -> EmergencyReport:
    """Run the detector on every message and compare with the labels."""
    if not examples:
        raise InvalidInput("no examples to evaluate")
    detect_emergency("warm-up")  # compiles the patterns, so the first message is not charged for it
    outcomes: list[Outcome] = []
    for example in examples:
        lang = example.lang or detect_language(example.text, default="en")
        tick = time.perf_counter()
        match = detect_emergency(example.text)
        ms = (time.perf_counter() - tick) * 1000
        outcomes.append(Outcome(example, lang if lang in LANGS else "en", match, ms))
    return _report(outcomes)


def _rates(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    return binary_rates([(o.example.label, o.match is not None) for o in outcomes])


def _report(outcomes: list[Outcome]) -> EmergencyReport:
    kinds: dict[str, dict[str, int]] = {}
    for o in outcomes:
        counts = kinds.setdefault(
            o.example.kind or "unspecified",
            {"examples": 0, "label": o.example.label, "detected": 0, "correct": 0},
        )
        counts["examples"] += 1
        counts["detected"] += o.match is not None
        counts["correct"] += (o.match is not None) == bool(o.example.label)
    by_lang = {lang: _rates([o for o in outcomes if o.lang == lang]) for lang in LANGS}
    by_lang = {lang: rates for lang, rates in by_lang.items() if rates["examples"]}
    caught = [o for o in outcomes if o.example.label == 1 and o.match is not None]
    same_kind = sum(o.match is not None and o.match.kind == o.example.kind for o in caught)
    misses = [
        {
            "text": o.example.text,
            "label": o.example.label,
            "lang": o.lang,
            "kind": o.example.kind,
            "detected": None if o.match is None else o.match.kind,
            "evidence": None if o.match is None else o.match.evidence,
        }
        for o in outcomes
        if (o.match is not None) != bool(o.example.label)
    ]
    timings = [o.ms for o in outcomes]
    return EmergencyReport(
        **_rates(outcomes),
        kind_agreement=same_kind / len(caught) if caught else None,
        p50_ms=statistics.median(timings),
        p99_ms=percentile(timings, 0.99),
        by_kind=dict(sorted(kinds.items(), key=lambda item: (-item[1]["label"], item[0]))),
        by_lang=by_lang,
        misses=misses,
    )


def format_report(report: EmergencyReport) -> str:
    lines = [
        f"messages {report.examples}: {report.positives} emergencies, {report.negatives} not",
        *rate_lines(report, "false alarms", "messages"),
        f"kind agreement       {pct(report.kind_agreement)}  (of the emergencies caught)",
    ]
    for kind, counts in report.by_kind.items():
        what = "emergency" if counts["label"] else "not"
        lines.append(f"  {kind} ({what}): {counts['detected']}/{counts['examples']} detected")
    lines.append(f"latency per message  p50 {report.p50_ms * 1000:.1f} µs, p99 {report.p99_ms * 1000:.1f} µs")
    if report.misses:
        lines.append(f"misses ({len(report.misses)}):")
        for miss in report.misses:
            if miss["label"]:
                lines.append(f"  [{miss['lang']} {miss['kind'] or '-'}] missed emergency: {miss['text']}")
            else:
                lines.append(
                    f"  [{miss['lang']} {miss['kind'] or '-'}] false alarm ({miss['detected']}: "
                    f"{miss['evidence']}): {miss['text']}"
                )
    return "\n".join(lines)
