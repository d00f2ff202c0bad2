"""``kefu eval injection``: does a text try to change the assistant's instructions, role or policy?

Each labelled text goes through the detector the rail uses: ``detect_injection`` for customer messages
(direct injection, the default), or ``screen_passage`` with ``--passages`` for retrieved documents and
tool output (indirect injection). Recall says how many attacks are caught; the false-positive rate how
often an ordinary message (or a clean document) would be refused.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kefu.domain.errors import InvalidInput
from kefu.eval.binary import LANGS, LabelledText, binary_rates, load_labelled_texts, rate_lines, report_json
from kefu.eval.intents import percentile
from kefu.guard.injection import InjectionVerdict, detect_injection, screen_passage
from kefu.nlu.langid import detect_language

Detector = Callable[[str], InjectionVerdict]


@dataclass(frozen=True)
class Outcome:
    example: LabelledText
    lang: str
    verdict: InjectionVerdict
    ms: float


@dataclass(frozen=True)
class InjectionReport:
    mode: str  # messages | passages
    examples: int
    positives: int
    negatives: int
    true_positives: int
    false_positives: int
    recall: float | None
    precision: float | None
    false_positive_rate: float | None
    p50_ms: float
    p99_ms: float
    by_kind: dict[str, dict[str, int]]
    by_lang: dict[str, dict[str, Any]]
    detected_by: dict[str, int]  # which kind of the detector fired, over all detections
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return report_json(self)


def load_examples(path: Path) -> list[LabelledText]:
    """JSONL, one object a line: ``{"text": str, "label": 1 attack | 0 benign, "lang"?, "kind"?}``."""
    return load_labelled_texts(path, "an injection attack")


def evaluate_injection(examples: Sequence[LabelledText], passages: bool = False) -> InjectionReport:
    if not examples:
        raise InvalidInput("no examples to evaluate")
    detect: Detector = screen_passage if passages else detect_injection
    detect("warm-up: ignore nothing")  # loads the patterns (and the learned detector) before timing
    detect("warm-up: what are the rules of the system")
    outcomes: list[Outcome] = []
    for example in examples:
        lang = example.lang or detect_language(example.text[:400], default="en")
        tick = time.perf_counter()
        verdict = detect(example.text)
        ms = (time.perf_counter() - tick) * 1000
        outcomes.append(Outcome(example, lang if lang in LANGS else "en", verdict, ms))
    return _report(outcomes, "passages" if passages else "messages")


def _rates(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    return binary_rates([(o.example.label, o.verdict.attack) for o in outcomes])


def _report(outcomes: list[Outcome], mode: str) -> InjectionReport:
    kinds: dict[str, dict[str, int]] = {}
    detected_by: dict[str, int] = {}
    for o in outcomes:
        counts = kinds.setdefault(
            f"{o.example.kind or 'unspecified'}/{o.lang}",
            {"examples": 0, "label": o.example.label, "detected": 0},
        )
        counts["examples"] += 1
        counts["detected"] += o.verdict.attack
        if o.verdict.attack:
            detected_by[str(o.verdict.kind)] = detected_by.get(str(o.verdict.kind), 0) + 1
    by_lang = {lang: _rates([o for o in outcomes if o.lang == lang]) for lang in LANGS}
    misses = [
        {
            "text": o.example.text[:300],
            "label": o.example.label,
            "lang": o.lang,
            "kind": o.example.kind,
            "detected": o.verdict.kind,
            "evidence": o.verdict.evidence[:120],
        }
        for o in outcomes
        if o.verdict.attack != bool(o.example.label)
    ]
    timings = [o.ms for o in outcomes]
    return InjectionReport(
        mode=mode,
        **_rates(outcomes),
        p50_ms=statistics.median(timings),
        p99_ms=percentile(timings, 0.99),
        by_kind=dict(sorted(kinds.items(), key=lambda item: (-item[1]["label"], item[0]))),
        by_lang={lang: rates for lang, rates in by_lang.items() if rates["examples"]},
        detected_by=dict(sorted(detected_by.items())),
        misses=misses,
    )


def format_report(report: InjectionReport, show_misses: int = 40) -> str:
    lines = [
        f"{report.mode} {report.examples}: {report.positives} attacks, {report.negatives} benign",
        *rate_lines(report, "benign texts flagged", "texts"),
    ]
    for kind, counts in report.by_kind.items():
        what = "attack" if counts["label"] else "benign"
        lines.append(f"  {kind} ({what}): {counts['detected']}/{counts['examples']} flagged")
    if report.detected_by:
        lines.append("flagged by: " + ", ".join(f"{k} {n}" for k, n in report.detected_by.items()))
    lines.append(f"latency per text     p50 {report.p50_ms * 1000:.1f} µs, p99 {report.p99_ms * 1000:.1f} µs")
    if report.misses:
        lines.append(f"misses ({len(report.misses)}, first {min(show_misses, len(report.misses))}):")
        for miss in report.misses[:show_misses]:
            text = miss["text"].replace("\n", " ")[:160]
            if miss["label"]:
                lines.append(f"  [{miss['lang']} {miss['kind'] or '-'}] missed attack: {text}")
            else:
                lines.append(
                    f"  [{miss['lang']} {miss['kind'] or '-'}] false alarm ({miss['detected']}: "
                    f"{miss['evidence']}): {text}"
                )
    return "\n".join(lines)
