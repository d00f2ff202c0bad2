"""The finance pack's scripted customers run end to end through the scenario runner and stay at or above
their recorded floors (``src/kefu/packs/finance/scenarios/floor.json``)."""

from __future__ import annotations

import json

import pytest

from kefu.eval.scenarios import run_scenarios, scenario_dir, select_suites
from kefu.packs.finance.paths import tau_banking_dir


def test_finance_suites_run_at_or_above_their_floors() -> None:
    if not (tau_banking_dir() / "db.json").is_file():
        pytest.fail(f"τ² banking data not found at {tau_banking_dir()} (set KEFU_TAU_BANKING_DIR)")
    floors = json.loads((scenario_dir("finance") / "floor.json").read_text(encoding="utf-8"))
    report = run_scenarios("finance", select_suites("finance"))
    by_suite: dict[str, list[bool]] = {}
    for result in report.results:
        by_suite.setdefault(result.suite, []).append(result.passed)
    assert set(floors) == set(by_suite)
    rates = {suite: sum(passed) / len(passed) for suite, passed in by_suite.items()}
    assert all(rates[suite] >= floor for suite, floor in floors.items()), rates
