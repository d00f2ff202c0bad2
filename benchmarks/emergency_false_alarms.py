"""How often the emergency rail fires on ordinary medical questions (the issue's ≤ 2 % target).

Run from the repository root::

    .venv/bin/python benchmarks/emergency_false_alarms.py [--data ../shared/data] [--json]

Every question of ``chinese_medical_dialogue/medqa_dev.csv`` (title + ask) goes through the detector the
rail uses (patterns, then the learned second opinion). These are questions people posted to an online
clinic, so they are not emergencies by intent; a few describe an acute event while asking about it, and
are printed so a reader can judge them. Also prints the held-out recall of ``kefu eval emergency``.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import time
from collections import Counter
from pathlib import Path

from kefu.eval.emergency import evaluate_emergency, load_examples
from kefu.guard.emergency_model import detect

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", type=int, default=10, help="print this many of the questions that fired")
    args = parser.parse_args()
    path = args.data / "chinese_medical_dialogue" / "medqa_dev.csv"
    with path.open(encoding="utf-8") as handle:
        questions = [f"{row['title']} {row['ask']}".strip() for row in csv.DictReader(handle)]
    fired: list[tuple[str, str]] = []
    timings = []
    for question in questions:
        started = time.perf_counter()
        match = detect(question)
        timings.append((time.perf_counter() - started) * 1000)
        if match is not None:
            fired.append((match.kind, question))
    rate = len(fired) / len(questions)
    print(f"medical questions: {len(questions)}, the rail fired on {len(fired)} ({rate:.2%})")
    print("by kind:", dict(Counter(kind for kind, _ in fired).most_common()))
    for kind, question in fired[: args.show]:
        print(f"  [{kind}] {question[:100]}")
    heldout = evaluate_emergency(load_examples(ROOT / "tests" / "data" / "emergency_heldout.jsonl"))
    print(
        f"held-out emergencies: recall {heldout.recall or 0:.1%}, "
        f"false alarms on its hard negatives {heldout.false_positive_rate or 0:.1%}"
    )
    figures = {
        "medical_questions": len(questions),
        "medical_false_alarm_rate": round(rate, 4),
        "p50_ms": round(statistics.median(timings), 3),
        "heldout_recall": round(heldout.recall or 0, 4),
        "heldout_false_positive_rate": round(heldout.false_positive_rate or 0, 4),
    }
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
