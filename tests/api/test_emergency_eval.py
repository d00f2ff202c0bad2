"""``kefu eval emergency``: the labelled sets through the emergency detector, and the CLI around it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kefu.domain.errors import InvalidInput
from kefu.eval.emergency import EmergencyExample, EmergencyReport, evaluate_emergency, load_examples
from kefu.guard.emergency import KINDS
from kefu_test_support import ROOT

KEFU = str(Path(sys.executable).parent / "kefu")
TUNING = ROOT / "src" / "kefu" / "guard" / "emergency" / "examples.jsonl"
HELDOUT = ROOT / "tests" / "data" / "emergency_heldout.jsonl"


@pytest.fixture(scope="module")
def report() -> EmergencyReport:
    return evaluate_emergency(load_examples(TUNING))


def test_the_labelled_sets_cover_every_kind_and_the_hard_negatives() -> None:
    examples = load_examples(TUNING)
    positives = [e for e in examples if e.label == 1]
    negatives = [e for e in examples if e.label == 0]
    assert len(examples) >= 220 and len(positives) >= 110 and len(negatives) >= 110
    assert {(e.kind, e.lang) for e in positives} >= {(k, lang) for k in KINDS for lang in ("zh", "en")}
    assert sum(e.kind == "benign_medical" for e in negatives) >= 50
    assert {e.kind for e in negatives} >= {"benign_medical", "figurative", "retail", "past", "negation"}
    assert len(load_examples(HELDOUT)) >= 60


def test_the_tuning_set_is_learned_with_few_false_alarms(report: EmergencyReport) -> None:
    # The tuning set holds indirect phrasings ("这是我最后一次找人说话了") that only the learned model
    # can catch, and it is not asked to fit every one; the hand-written table in
    # tests/unit/test_emergency.py is the one where every emergency must escalate.
    assert report.recall is not None and report.recall >= 0.88, report.misses
    assert report.false_positive_rate is not None and report.false_positive_rate <= 0.02, report.misses
    assert set(report.by_lang) == {"zh", "en"}
    for kind in KINDS:
        assert report.by_kind[kind]["detected"] >= 0.7 * report.by_kind[kind]["examples"], kind
    assert report.by_kind["benign_medical"]["label"] == 0


def test_a_report_counts_what_it_was_given() -> None:
    examples = [
        EmergencyExample("我想自杀", 1, "zh", "self_harm"),
        EmergencyExample("I can't breathe", 1, "en", "breathing"),
        EmergencyExample("where is my order?", 0, "en", "retail"),
        EmergencyExample("我没有想自杀", 0, None, "negation"),  # language detected from the text
        EmergencyExample("this price is killing me", 0, None, "figurative"),
    ]
    report = evaluate_emergency(examples)
    assert (report.examples, report.positives, report.negatives) == (5, 2, 3)
    assert report.recall == 1.0 and report.true_positives == 2 and report.kind_agreement == 1.0
    assert report.false_positives == 0 and report.precision == 1.0
    assert report.by_lang["zh"]["examples"] == 2 and report.by_lang["en"]["examples"] == 3
    assert report.misses == []


def test_a_miss_and_a_false_alarm_are_listed() -> None:
    report = evaluate_emergency(
        [EmergencyExample("救命", 1, "zh", "other"), EmergencyExample("我想自杀", 0, "zh", "negation")]
    )
    assert report.recall == 0.0 and report.false_positive_rate == 1.0 and report.precision == 0.0
    assert [(m["text"], m["detected"]) for m in report.misses] == [("救命", None), ("我想自杀", "self_harm")]


def test_nothing_to_evaluate_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no examples"):
        evaluate_emergency([])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "我想自杀", "label": 1}\nnot json\n', ":2: not JSON"),
        ('["我想自杀", 1]\n', ":1: expected an object"),
        ('{"text": "help", "label": 0}\n{"text": "我想自杀", "label": "yes"}\n', ":2: 'label' must be 1"),
        ('{"text": "  ", "label": 1}\n', ":1: 'text' must be a non-empty string"),
        ('{"text": "hi", "label": 0, "lang": "fr"}\n', ":1: 'lang' must be zh or en"),
        ('{"text": "hi", "label": 0, "kind": 3}\n', ":1: 'kind' must be a string"),
        ("\n\n", "no labelled examples"),
    ],
)
def test_bad_files_are_refused_with_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_examples(path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"text": "café", "label": 0}\n'.encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        load_examples(path)


def kefu(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KEFU_SECRET_KEY": "cli-test-secret-key-of-32-bytes-min", "KEFU_ADMIN_TOKEN": "adm"}
    return subprocess.run([KEFU, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_cli_prints_one_json_object_on_the_last_line() -> None:
    result = kefu("eval", "emergency", "--data", str(TUNING), "--json")
    assert result.returncode == 0, result.stderr
    assert "recall" in result.stdout and "false-positive rate" in result.stdout
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"recall", "precision", "false_positive_rate", "p50_ms"} <= set(figures)
    assert figures["examples"] == len(load_examples(TUNING)) and figures["recall"] >= 0.88


def test_cli_runs_on_the_heldout_set() -> None:
    result = kefu("eval", "emergency", "--data", str(HELDOUT))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"messages {len(load_examples(HELDOUT))}:")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(None, "no such file"), ('{"text": "我想自杀", "label": 1}\n{oops\n', ":2: not JSON")],
)
def test_cli_refuses_a_bad_file_with_exit_code_2(tmp_path: Path, content: str | None, fragment: str) -> None:
    path = tmp_path / "data.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = kefu("eval", "emergency", "--data", str(path), "--json")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kefu: error: ") and fragment in lines[0]
    assert result.stdout == ""
