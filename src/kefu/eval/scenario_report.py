"""The report of ``kefu eval scenarios``: each scenario's outcome, pass rates per suite and language,
turn latency, and a readable table with each failure's first difference (and, verbose, the transcript)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kefu.eval.intents import percentile


@dataclass(frozen=True)
class ScenarioResult:
    suite: str
    lang: str
    id: str
    task: str
    passed: bool
    status: str
    expected_status: str
    differences: tuple[str, ...] = ()
    missing_replies: tuple[str, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = ()
    transcript: tuple[tuple[str, str], ...] = ()
    turn_ms: tuple[float, ...] = ()
    scoring_ms: float = 0.0  # restoring the database, replaying the gold actions, reading both states

    @property
    def reason(self) -> str:
        if self.error:
            return f"error: {self.error}"
        parts = []
        if self.differences:
            parts.append(f"state: {self.differences[0]}")
        if self.status != self.expected_status:
            parts.append(f"status {self.status}, expected {self.expected_status}")
        if self.missing_replies:
            parts.append(f"no reply matched {self.missing_replies[0]!r}")
        return "; ".join(parts) or "passed"


def _rate(results: Sequence[ScenarioResult]) -> dict[str, Any]:
    passed = sum(r.passed for r in results)
    return {"passed": passed, "total": len(results), "pass_rate": round(passed / len(results), 4)}


@dataclass(frozen=True)
class ScenarioReport:
    results: tuple[ScenarioResult, ...]
    seconds: float
    setup_seconds: float
    suite_langs: dict[str, str] = field(default_factory=dict)

    @property
    def turn_ms(self) -> list[float]:
        return [ms for r in self.results for ms in r.turn_ms]

    def as_json(self) -> dict[str, Any]:
        timings = self.turn_ms
        by_lang = {
            lang: _rate([r for r in self.results if r.lang == lang])
            for lang in sorted({r.lang for r in self.results})
        }
        by_suite = {
            suite: {"lang": lang, **_rate([r for r in self.results if r.suite == suite])}
            for suite, lang in self.suite_langs.items()
            if any(r.suite == suite for r in self.results)
        }
        return {
            **_rate(self.results),
            "by_lang": by_lang,
            "by_suite": by_suite,
            "turns": len(timings),
            "turn_p50_ms": round(statistics.median(timings), 2) if timings else 0.0,
            "turn_p99_ms": round(percentile(timings, 0.99), 2),
            "scoring_p50_ms": round(statistics.median([r.scoring_ms for r in self.results]), 2),
            "seconds": round(self.seconds, 1),
            "setup_seconds": round(self.setup_seconds, 1),
            "failures": [
                {"suite": r.suite, "id": r.id, "reason": r.reason} for r in self.results if not r.passed
            ],
        }


def _row(name: str, lang: str, row: dict[str, Any]) -> str:
    return f"{name:<28} {lang:<5} {row['passed']:>7} {row['total']:>6} {row['pass_rate'] * 100:>9.1f}%"


def format_report(report: ScenarioReport, verbose: bool = False) -> str:
    """A table of pass rates per suite and language; each failure's first difference (``verbose``: all
    differences found and the transcript)."""
    figures = report.as_json()
    lines = [f"{'suite':<28} {'lang':<5} {'passed':>7} {'total':>6} {'pass rate':>10}"]
    lines += [_row(name, row["lang"], row) for name, row in figures["by_suite"].items()]
    lines += [_row(f"all {lang}", lang, row) for lang, row in figures["by_lang"].items()]
    lines.append(_row("all", "", figures))
    p50, p99 = figures["turn_p50_ms"], figures["turn_p99_ms"]
    lines.append(
        f"{figures['turns']} turns: p50 {p50:.1f} ms, p99 {p99:.1f} ms; {figures['total']} scenarios in "
        f"{figures['seconds']:.1f} s (setup {figures['setup_seconds']:.1f} s, scoring "
        f"{figures['scoring_p50_ms']:.1f} ms p50 a scenario)"
    )
    failures = [r for r in report.results if not r.passed]
    if failures:
        lines.append(f"failures ({len(failures)}):")
    for result in failures:
        lines.append(f"  {result.suite}/{result.id} (task {result.task}): {result.reason}")
        if verbose:
            lines += [f"      {d}" for d in result.differences[1:]]
            lines += [f"      note: {note}" for note in result.notes]
            lines += [
                f"      {role:>8}> {text}".replace("\n", "\n                ")
                for role, text in result.transcript
            ]
    return "\n".join(lines)
