"""Scripted customers (``kefu eval scenarios``) as a benchmark: pass rates per suite and language, and
the latency of every customer turn of the runs (in-process HTTP API, the real engine, single-threaded).

Run from the repository root::

    .venv/bin/python benchmarks/scenarios.py [--pack retail] [--suite NAME] [--data DIR] [--json]

Prints the pass-rate table, then per language the turn latency p50/p99, and the cost of the run: app
start-up with the data loaded once, scoring per scenario (database restore, gold replay, both states
read), scenarios per second. ``--json`` prints one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kefu.domain.errors import KefuError  # noqa: E402
from kefu.eval.intents import percentile  # noqa: E402
from kefu.eval.scenario_report import ScenarioReport, format_report  # noqa: E402
from kefu.eval.scenarios import run_scenarios, select_suites  # noqa: E402


def latency_by_lang(report: ScenarioReport) -> dict[str, dict[str, float]]:
    figures: dict[str, dict[str, float]] = {}
    for lang in sorted({r.lang for r in report.results}):
        timings = [ms for r in report.results if r.lang == lang for ms in r.turn_ms]
        if timings:
            figures[lang] = {
                "turns": len(timings),
                "p50_ms": round(statistics.median(timings), 2),
                "p99_ms": round(percentile(timings, 0.99), 2),
            }
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", default="retail")
    parser.add_argument("--suite", default=None, help="one suite (name, file stem or YAML path)")
    parser.add_argument("--data", type=Path, default=None, help="initial data directory")
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    args = parser.parse_args()
    try:
        report = run_scenarios(args.pack, select_suites(args.pack, args.suite), args.data)
    except KefuError as exc:
        print(f"benchmarks/scenarios.py: error: {exc.message}", file=sys.stderr)
        return 2
    figures: dict[str, Any] = report.as_json()
    figures.pop("failures")
    figures["latency_by_lang"] = latency_by_lang(report)
    figures["scenarios_per_s"] = round(figures["total"] / max(figures["seconds"], 1e-9), 2)
    print(format_report(report).split("\nfailures")[0])
    for lang, row in figures["latency_by_lang"].items():
        p50, p99, turns = row["p50_ms"], row["p99_ms"], row["turns"]
        print(f"turn latency {lang}: p50 {p50:.1f} ms, p99 {p99:.1f} ms ({turns} turns)")
    print(f"{figures['scenarios_per_s']:.2f} scenarios/s including start-up")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
