"""The Locust load benchmark runs end to end (small and short here, thresholds off; its full figures come
from ``benchmarks/load/run.py`` itself): every phase measures requests and no turn fails."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kefu_test_support import ROOT

pytestmark = [pytest.mark.slow]


def test_the_load_benchmark_measures_every_phase_without_errors() -> None:
    argv = [
        sys.executable, str(ROOT / "benchmarks" / "load" / "run.py"), "--setup", "sqlite", "--users", "10",
        "--echo-users", "4", "--seconds", "5", "--min-ratio", "0", "--max-p99-ms", "0", "--json",
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    phases = {p["name"]: p for p in figures["phases"]}
    assert set(phases) == {"echo", "throughput", "paced"}
    assert all(p["requests"] > 0 for p in phases.values())
    assert figures["error_rate"] == 0 and 0 < figures["ratio_to_echo"] < 1
