"""``kefu eval handoff``: every labelled message through the real retail pipeline, and the CLI around it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kefu.domain.errors import InvalidInput
from kefu.eval.handoff import HandoffExample, HandoffReport, evaluate_handoff, load_handoff_examples
from kefu_test_support import ROOT

KEFU = str(Path(sys.executable).parent / "kefu")
TUNING = ROOT / "tests" / "data" / "handoff_eval.jsonl"
HELDOUT = ROOT / "tests" / "data" / "handoff_heldout.jsonl"


@pytest.fixture(scope="module")
def report() -> HandoffReport:
    return evaluate_handoff(load_handoff_examples(TUNING))


def test_the_labelled_set_is_balanced() -> None:
    examples = load_handoff_examples(TUNING)
    assert len(examples) >= 160
    by_lang = {lang: sum(e.lang == lang for e in examples) for lang in ("zh", "en")}
    assert by_lang["zh"] == by_lang["en"]
    assert {e.kind for e in examples} == {"explicit", "angry", "ordinary", "mild", "hard_negative"}
    assert len(load_handoff_examples(HELDOUT)) >= 40


def test_explicit_requests_hand_off_and_ordinary_messages_do_not(report: HandoffReport) -> None:
    assert report.by_kind["explicit"]["handoffs"] == report.by_kind["explicit"]["examples"]
    assert report.by_kind["ordinary"]["handoffs"] == 0
    assert report.by_kind["mild"]["handoffs"] == 0
    assert report.p50_ms > 0
    assert set(report.by_lang) == {"zh", "en"}


def test_the_pipeline_meets_the_targets(report: HandoffReport) -> None:
    assert report.recall is not None and report.recall >= 0.95
    assert report.false_positive_rate is not None and report.false_positive_rate <= 0.05


def test_a_report_counts_what_it_was_given() -> None:
    examples = [
        HandoffExample("转人工", 1, "zh", "explicit"),
        HandoffExample("talk to a human", 1, "en", "explicit"),
        HandoffExample("where is my order?", 0, "en", "ordinary"),
        HandoffExample("人工费怎么算", 0, None, "hard_negative"),  # language detected from the text
    ]
    report = evaluate_handoff(examples)
    assert (report.examples, report.positives, report.negatives) == (4, 2, 2)
    assert report.recall == 1.0 and report.true_positives == 2
    assert report.by_lang["zh"]["examples"] == 2
    assert {m["text"] for m in report.misses} <= {"人工费怎么算"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "转人工", "label": 1}\nnot json\n', ":2: not JSON"),
        ('["转人工", 1]\n', ":1: expected an object"),
        ('{"text": "转人工", "label": "yes"}\n', ":1: 'label' must be 1"),
        ('{"text": "  ", "label": 1}\n', ":1: 'text' must be a non-empty string"),
        ('{"text": "hi", "label": 0, "lang": "fr"}\n', ":1: 'lang' must be zh or en"),
        ("\n\n", "no labelled examples"),
    ],
)
def test_bad_files_are_refused_with_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_handoff_examples(path)


def kefu(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KEFU_SECRET_KEY": "cli-test-secret-key-of-32-bytes-min", "KEFU_ADMIN_TOKEN": "adm"}
    return subprocess.run([KEFU, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def test_cli_prints_one_json_object_on_the_last_line() -> None:
    result = kefu("eval", "handoff", "--data", str(HELDOUT), "--json")
    assert result.returncode == 0, result.stderr
    assert "recall" in result.stdout and "false-positive rate" in result.stdout
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"recall", "precision", "false_positive_rate", "p50_ms"} <= set(figures)
    assert figures["examples"] == len(load_handoff_examples(HELDOUT))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(None, "no such file"), ('{"text": "转人工", "label": 1}\n{oops\n', ":2: not JSON")],
)
def test_cli_refuses_a_bad_file_with_exit_code_2(tmp_path: Path, content: str | None, fragment: str) -> None:
    path = tmp_path / "data.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = kefu("eval", "handoff", "--data", str(path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kefu: error: ") and fragment in lines[0]
