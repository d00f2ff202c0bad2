"""Department triage (issue #13): accuracy on a held-out split of the labelled Chinese medical
questions (the ``department`` column, mapped to the demo hospital's departments), against the
majority-class baseline; also the share sent to the unsure fallback, and latency.

    .venv/bin/python benchmarks/triage.py [--json] [--held-out 0.2] [--seed 13]

Data: ``$KEFU_MEDICAL_QA`` or ../shared/data/chinese_medical_dialogue/medqa_dev.csv. The split is
stratified per department; the curated bilingual examples of the pack are always in training only.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kefu.packs.healthcare.demo_data import generate_demo_hospital  # noqa: E402
from kefu.packs.healthcare.triage import (  # noqa: E402
    TriageClassifier,
    curated_examples,
    label_map,
    labelled_csv,
    read_labelled,
    split,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--held-out", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    path = labelled_csv()
    if not path.is_file():
        print(f"triage: labelled questions not found at {path} (set KEFU_MEDICAL_QA)", file=sys.stderr)
        raise SystemExit(2)
    departments = generate_demo_hospital().departments
    rows = read_labelled(path, label_map(departments))
    train, test = split(rows, args.held_out, args.seed)
    train_texts = {t for t, _ in train}
    test = [row for row in test if row[0] not in train_texts]  # exact duplicates stay out of the score
    tick = time.perf_counter()
    model = TriageClassifier().fit(train, curated_examples())
    train_s = time.perf_counter() - tick
    majority, _ = collections.Counter(d for _, d in train).most_common(1)[0]
    timings: list[float] = []
    predictions = []
    for text, _ in test:
        tick = time.perf_counter()
        predictions.append(model.predict(text))
        timings.append((time.perf_counter() - tick) * 1000)
    truth = [d for _, d in test]
    top1 = sum(p.ranking[0][0] == d for p, d in zip(predictions, truth, strict=True)) / len(test)
    routed = sum(p.department == d for p, d in zip(predictions, truth, strict=True)) / len(test)
    unsure = sum(p.unsure for p in predictions) / len(test)
    baseline = sum(d == majority for d in truth) / len(test)
    per_dept = {
        dept: round(
            sum(p.ranking[0][0] == d for p, d in zip(predictions, truth, strict=True) if d == dept)
            / max(1, truth.count(dept)),
            3,
        )
        for dept in sorted(set(truth))
    }
    figures = {
        "train": len(train),
        "test": len(test),
        "accuracy": round(top1, 4),
        "routed_accuracy": round(routed, 4),
        "unsure_rate": round(unsure, 4),
        "majority_class": majority,
        "majority_baseline": round(baseline, 4),
        "per_department": per_dept,
        "train_s": round(train_s, 2),
        "p50_ms": round(statistics.median(timings), 2),
    }
    print(f"triage on {len(test)} held-out questions ({len(train)} train, {len(set(truth))} departments)")
    print(f"  accuracy {top1:.3f}  (majority class {majority}: {baseline:.3f})")
    print(f"  routed accuracy {routed:.3f} with {unsure:.1%} sent to the unsure fallback")
    for dept, value in per_dept.items():
        print(f"    {dept:22s} {value:.3f}  (n={truth.count(dept)})")
    print(f"  train {train_s:.1f} s, p50 {figures['p50_ms']} ms per question")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
