"""``kefu eval scenarios``: the runner scores its own tiny suite right (by state, status and replies),
and the retail pack's real suites load, run end to end and stay at or above their recorded floors
(``src/kefu/packs/retail/scenarios/floor.json``; the integrator raises them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kefu.cli import app
from kefu.dialogue.scenarios import load_suite
from kefu.eval.scenario_report import ScenarioReport, ScenarioResult
from kefu.eval.scenarios import run_scenarios, scenario_dir, select_suites
from kefu_test_support import ROOT, TAU_RETAIL

TINY = ROOT / "tests" / "data" / "scenarios"
FLOORS = scenario_dir("retail") / "floor.json"


@pytest.fixture(scope="module")
def report() -> ScenarioReport:
    """One run (one app, the τ-bench data loaded once) of the tiny suites and every real suite."""
    if not (TAU_RETAIL / "v1_orders.json").exists():
        pytest.fail(f"τ-bench retail data not found at {TAU_RETAIL} (set KEFU_TAU_RETAIL_DIR)")
    suites = [load_suite(TINY / "tiny_en.yaml"), load_suite(TINY / "tiny_zh.yaml"), *select_suites("retail")]
    return run_scenarios("retail", suites, TAU_RETAIL)


def result(report: ScenarioReport, scenario: str) -> ScenarioResult:
    return next(r for r in report.results if r.id == scenario and r.suite.startswith("tiny-"))


def test_a_completed_cancellation_passes_by_state(report: ScenarioReport) -> None:
    passed = result(report, "pass-by-state")
    assert passed.passed, passed.reason
    assert passed.status == "bot" and passed.differences == ()
    assert any(role == "customer" and "No longer needed" in text for role, text in passed.transcript)


def test_a_cancellation_that_never_happens_fails_by_state(report: ScenarioReport) -> None:
    failed = result(report, "fail-by-state")
    assert not failed.passed and failed.error is None
    assert 'order #W2417020.status: expected "cancelled", got "pending"' in failed.differences
    assert failed.status == "bot"


def test_the_final_status_is_scored(report: ScenarioReport) -> None:
    handed_off = result(report, "pass-by-status")
    assert handed_off.passed, handed_off.reason
    assert handed_off.status == "waiting_human"
    wrong = result(report, "fail-by-status")
    assert not wrong.passed and wrong.differences == ()
    assert wrong.reason == "status waiting_human, expected bot"
    assert len(wrong.turn_ms) == 1  # a customer handed to a human stops talking to the bot
    assert wrong.transcript[-1] == ("end", "status waiting_human")
    assert result(report, "fail-by-state").transcript[-1][1].startswith("nothing matched")
    assert result(report, "pass-by-state").transcript[-1] == ("end", "end")


def test_replies_contain_is_scored(report: ScenarioReport) -> None:
    missing = result(report, "fail-by-reply")
    assert not missing.passed and missing.missing_replies == ("1000 gift cards",)


def test_the_report_counts_per_language_and_suite(report: ScenarioReport) -> None:
    figures = report.as_json()
    assert figures["by_suite"]["tiny-en"] == {"lang": "en", "passed": 2, "total": 5, "pass_rate": 0.4}
    assert figures["by_suite"]["tiny-zh"] == {"lang": "zh", "passed": 1, "total": 1, "pass_rate": 1.0}
    assert set(figures["by_lang"]) == {"en", "zh"}
    assert figures["total"] == len(report.results) == sum(s["total"] for s in figures["by_suite"].values())
    assert figures["turns"] > figures["total"] and 0 < figures["turn_p50_ms"] <= figures["turn_p99_ms"]


def test_the_real_suites_run_end_to_end_at_or_above_their_floors(report: ScenarioReport) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    figures = report.as_json()["by_suite"]
    real = {name: row for name, row in figures.items() if not name.startswith("tiny-")}
    assert real, "the retail pack ships scenario suites"
    assert set(floors) <= set(real), f"floor.json names suites that do not exist: {set(floors) - set(real)}"
    errors = [f"{r.suite}/{r.id}: {r.error}" for r in report.results if r.error]
    assert not errors, errors  # every scenario's task and gold replay work and every turn answered 200
    below = {name: (row["pass_rate"], floors.get(name, 0.0)) for name, row in real.items()}
    assert all(rate >= floor for rate, floor in below.values()), below


def test_the_command_prints_a_table_and_json_on_the_last_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_TAU_RETAIL_DIR", str(TAU_RETAIL))  # the default data directory
    args = ["eval", "scenarios", "--pack", "retail", "--suite", str(TINY / "tiny_zh.yaml"), "--json"]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    lines = done.stdout.strip().splitlines()
    assert lines[0].split() == ["suite", "lang", "passed", "total", "pass", "rate"]
    figures = json.loads(lines[-1])
    assert (figures["passed"], figures["total"], figures["pass_rate"]) == (1, 1, 1.0)
    assert figures["by_lang"] == {"zh": {"passed": 1, "total": 1, "pass_rate": 1.0}}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--suite", "no-such-suite"], "no suite 'no-such-suite'"),
        (["--suite", "missing.yaml"], "missing.yaml: cannot be read"),
        (["--data", "/nonexistent/tau"], "scenario data directory not found: /nonexistent/tau"),
        (["--suite", str(TINY / "tiny_en.yaml"), "--scenario", "nope"], "no scenario 'nope'"),
        (["--pack", "nopack"], "unknown pack 'nopack'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    pack = [] if "--pack" in args else ["--pack", "retail"]
    done = CliRunner().invoke(app, ["eval", "scenarios", *pack, *args])  # in-process: no start-up each time
    assert done.exit_code == 2, done.output
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_an_invalid_suite_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("suite: x\nlang: en\ndata: d\ngold: g.json\nscenarios:\n  - id: a\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["eval", "scenarios", "--pack", "retail", "--suite", str(bad)])
    assert done.exit_code == 2
    assert f"{bad}: scenario a, task: Field required" in done.stderr
