"""False-positive rates of the rails on real customer messages nobody here wrote.

Run from the repository root::

    .venv/bin/python benchmarks/rails_real_corpus.py [--data ../shared/data]
        [--rails injection,handoff,emergency] [--write sample.jsonl] [--show 15] [--json]

A fixed-seed sample of about 2,000 user messages is read at run time from the public corpora in
``../shared/data`` (nothing is copied into the repository): CrossWOZ user turns (zh), BANKING77, CLINC150
and HWU64 (en) and the Chinese medical questions. Every message is labelled 0: these are ordinary
requests to a bank, an assistant, a travel desk or a clinic, so ideally no rail fires on any of them (a
few medical questions describe an acute event while asking about it; the messages that fired are printed
so a reader can judge them). The sample goes to a temporary JSONL, ``kind`` = the corpus, and each rail is
measured with its own command, ``kefu eval <rail> --data <sample> --json``, so the figures are the ones
the CLI reports. ``--write`` keeps the sample file (to rerun ``kefu eval`` by hand) and measures nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 15
RAILS = ("injection", "handoff", "emergency")
KEFU = Path(".venv/bin/kefu")


@dataclass(frozen=True)
class Source:
    name: str
    lang: str
    size: int


SOURCES = (
    Source("crosswoz", "zh", 500),
    Source("banking77", "en", 400),
    Source("clinc150", "en", 400),
    Source("hwu64", "en", 400),
    Source("medical", "zh", 300),
)


def _csv_column(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def _crosswoz_user_turns(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        dialogues = json.loads(archive.read("val.json"))
    return [
        message["content"]
        for _, dialogue in sorted(dialogues.items())
        for message in dialogue["messages"]
        if message["role"] == "usr"
    ]


def _medical_questions(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["ask"] or row["title"] for row in csv.DictReader(handle)]


def corpus_texts(data: Path, source: str) -> list[str]:
    """Every user message of one corpus, in file order."""
    if source == "crosswoz":
        return _crosswoz_user_turns(data / "crosswoz_zh" / "val.json.zip")
    if source == "banking77":
        return _csv_column(data / "banking77" / "train.csv", "text")
    if source == "clinc150":
        return _csv_column(data / "clinc150" / "train.csv", "text")
    if source == "hwu64":
        return _csv_column(data / "hwu64" / "kfold1_train.csv", "text")
    if source == "medical":
        return _medical_questions(data / "chinese_medical_dialogue" / "medqa_dev.csv")
    raise ValueError(f"unknown corpus {source!r}")


def sample(data: Path) -> list[dict[str, Any]]:
    """The fixed-seed sample: ``size`` distinct non-empty messages of each corpus, as labelled rows."""
    rng = random.Random(SEED)
    rows: list[dict[str, Any]] = []
    for source in SOURCES:
        texts = sorted({text.strip() for text in corpus_texts(data, source.name) if text.strip()})
        chosen = rng.sample(texts, min(source.size, len(texts)))
        rows.extend({"text": t, "label": 0, "lang": source.lang, "kind": source.name} for t in chosen)
    return rows


def write_jsonl(rows: Iterable[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def run_eval(rail: str, path: Path) -> dict[str, Any]:
    """``kefu eval <rail> --data <path> --json``; the report is the JSON object on its last line."""
    done = subprocess.run(
        [str(KEFU), "eval", rail, "--data", str(path), "--json"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"kefu eval {rail} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def fired_by_source(report: dict[str, Any]) -> dict[str, int]:
    """False positives per corpus, from the misses (every message is a negative)."""
    fired = dict.fromkeys((source.name for source in SOURCES), 0)
    for miss in report.get("misses", []):
        fired[miss["kind"]] = fired.get(miss["kind"], 0) + 1
    return fired


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument(
        "--rails", default=",".join(RAILS), help="Comma-separated: injection,handoff,emergency."
    )
    parser.add_argument("--write", type=Path, help="Write the sample JSONL here and measure nothing.")
    parser.add_argument("--show", type=int, default=15, help="Messages that fired to print per rail.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object on the last line.")
    args = parser.parse_args()
    rails = [rail.strip() for rail in args.rails.split(",") if rail.strip()]
    unknown = [rail for rail in rails if rail not in RAILS]
    if unknown:
        sys.exit(f"--rails: unknown rail {unknown[0]!r} (choose from {', '.join(RAILS)})")
    if not args.data.is_dir():
        sys.exit(f"--data: {args.data} is not a directory")
    rows = sample(args.data)
    counts = {source.name: sum(row["kind"] == source.name for row in rows) for source in SOURCES}
    if args.write:
        write_jsonl(rows, args.write)
        print(f"wrote {len(rows)} messages to {args.write}: {counts}")
        return
    summary: dict[str, Any] = {"messages": len(rows), "by_source": counts, "seed": SEED}
    with tempfile.TemporaryDirectory(prefix="kefu-rails-real-") as tmpdir:
        path = Path(tmpdir) / "real_corpus_sample.jsonl"
        write_jsonl(rows, path)
        for rail in rails:
            report = run_eval(rail, path)
            fired = fired_by_source(report)
            summary[rail] = {
                "false_positive_rate": report["false_positive_rate"],
                "false_positives": report["false_positives"],
                "by_source": {name: fired[name] / counts[name] for name in counts if counts[name]},
            }
            print(
                f"{rail}: false-positive rate {report['false_positive_rate'] * 100:.2f} % "
                f"({report['false_positives']}/{report['negatives']})"
            )
            for name in counts:
                print(f"  {name:10} {fired[name]:4}/{counts[name]}")
            for miss in report.get("misses", [])[: args.show]:
                print(f"    fired [{miss['kind']}]: {miss['text'][:100]!r}")
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
