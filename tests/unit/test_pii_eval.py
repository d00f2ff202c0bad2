"""``kefu eval pii``: the overlap matching and per-type arithmetic, and the CLI (a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kefu.domain.errors import InvalidInput
from kefu.eval.pii import Example, evaluate, load_examples
from kefu.eval.pii_synth import chinese, english
from kefu_test_support import ROOT

KEFU = str(Path(sys.executable).parent / "kefu")
SAMPLE = ROOT / "tests" / "data" / "pii" / "sample.json"


def test_overlap_matching_per_type() -> None:
    text = "call (512) 555-0199 or mail a@b.com"
    gold = Example(text, (("PHONE_NUMBER", 5, 10), ("EMAIL_ADDRESS", 28, 35), ("CREDIT_CARD", 0, 4)))
    report = evaluate([gold])
    phone, email, card = (report.per_type[t] for t in ("PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD"))
    assert (phone.precision, phone.recall, phone.support) == (1.0, 1.0, 1)  # partial overlap counts
    assert (email.precision, email.recall) == (1.0, 1.0)
    assert (card.precision, card.recall, card.predicted) == (None, 0.0, 0)
    assert report.micro.recall == pytest.approx(2 / 3) and report.micro.precision == 1.0


def test_gold_types_we_do_not_detect_are_listed_apart() -> None:
    report = evaluate(load_examples(SAMPLE))
    assert report.not_detected == {"DATE_TIME": 1, "GPE": 1, "ORGANIZATION": 1}
    assert "ORGANIZATION" not in report.per_type
    assert report.per_type["STREET_ADDRESS"].support == 1  # presidio-research's "ADDRESS"
    assert report.per_type["PHONE_NUMBER"].precision == 0.5  # "Ring 555-0100-22" is read as a phone
    assert report.micro.f2 == pytest.approx(5 * (8 / 9) * 1.0 / (4 * (8 / 9) + 1.0), abs=1e-4)


def as_examples(records: list[dict[str, object]]) -> list[Example]:
    return [
        Example(
            str(r["full_text"]),
            tuple(
                (str(s["entity_type"]), int(s["start_position"]), int(s["end_position"]))
                for s in r["spans"]  # type: ignore[attr-defined]
            ),
        )
        for r in records
    ]


def test_synthetic_sets_meet_the_targets() -> None:
    en = evaluate(as_examples(english(300, seed=3)))
    assert en.micro.recall is not None and en.micro.recall >= 0.98
    assert en.micro.precision is not None and en.micro.precision >= 0.98
    zh = evaluate(as_examples(chinese(300, seed=3)))
    for name in ("CN_RESIDENT_ID", "PHONE_NUMBER", "CREDIT_CARD"):
        assert (zh.per_type[name].recall or 0) >= 0.99, name


def kefu(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEFU, *args], capture_output=True, text=True, timeout=120, check=False)


def test_cli_prints_the_table_and_json_on_the_last_line() -> None:
    result = kefu("eval", "pii", "--data", str(SAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    assert "CREDIT_CARD" in result.stdout and "not detected: DATE_TIME (1)" in result.stdout
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(figures["per_type"]["US_SSN"]) >= {"precision", "recall", "f2", "support"}
    assert figures["micro"]["support"] == 8 and figures["micro"]["recall"] == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ("{}", "expected a non-empty JSON list"),
        ("[]", "expected a non-empty JSON list"),
        ('[{"spans": []}]', "'full_text' must be a string"),
        (
            '[{"full_text": "abc", "spans": [{"entity_type": "X", "start_position": 2, "end_position": 9}]}]',
            "outside",
        ),
        (
            '[{"full_text": "abc", "spans": [{"entity_type": "X", "start_position": "0", "end_position": 1}]}]',  # noqa: E501
            "integers",
        ),
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_examples(path)
    result = kefu("eval", "pii", "--data", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("kefu: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = kefu("eval", "pii", "--data", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and "no such file" in result.stderr
