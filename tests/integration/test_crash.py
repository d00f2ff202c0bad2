"""The crash test, bounded for CI: two ``kefu serve`` workers on the real PostgreSQL and Redis, one killed
with SIGKILL every few seconds and Redis flushed once while customers talk; nothing may be lost, duplicated,
reordered, left unanswered or applied twice (``benchmarks/load/crash.py`` prints the same counts)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kefu_test_support import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


def test_kill_9_workers_and_a_redis_flush_under_load_lose_nothing() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "load" / "crash.py"),
            "--conversations",
            "20",
            "--messages",
            "9",
            "--kills",
            "3",
            "--kill-every",
            "3",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.stdout.strip(), done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["kills"] == 3 and report["redis_flushes"] == 1
    assert report["acknowledged"] == 20 * 9, done.stdout
    failures = (
        "gave_up",
        "lost",
        "duplicated",
        "seq_mismatch",
        "seq_gaps",
        "unanswered",
        "double_side_effects",
        "locks_left",
    )
    assert {k: report[k] for k in failures} == dict.fromkeys(failures, 0), done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
