"""The healthcare pack's scripted patients (≥ 30 zh, ≥ 20 en) run end to end at or above their floors."""

from __future__ import annotations

import json

from kefu.eval.scenarios import run_scenarios, scenario_dir, select_suites


def test_the_healthcare_suites_pass_at_or_above_their_floors() -> None:
    floors = json.loads((scenario_dir("healthcare") / "floor.json").read_text(encoding="utf-8"))
    report = run_scenarios("healthcare", select_suites("healthcare"))
    figures = report.as_json()
    assert figures["by_lang"]["zh"]["total"] >= 30 and figures["by_lang"]["en"]["total"] >= 20
    errors = [f"{r.suite}/{r.id}: {r.error}" for r in report.results if r.error]
    assert not errors, errors
    rates = {name: (row["pass_rate"], floors[name]) for name, row in figures["by_suite"].items()}
    assert all(rate >= floor for rate, floor in rates.values()), rates
