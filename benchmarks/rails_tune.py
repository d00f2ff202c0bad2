"""Choose a rail's second-opinion thresholds on its validation set (issue #15).

Trains the rail's ``SecondOpinion`` on its training texts (the examples shipped with the rail, which
include ``tests/data/rails/<rail>_train.jsonl``), then on ``tests/data/rails/<rail>_val.jsonl`` lists, for
a grid of (gate, threshold), the recall and false-positive rate of patterns OR model. The frozen
``*_test.jsonl`` is never read here.

    .venv/bin/python benchmarks/rails_tune.py injection
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GATE = 0.05  # stage 1 below this never fires


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pattern_and_model(rail: str) -> tuple[Callable[[str], bool | None], object]:
    if rail == "injection":
        from kefu.guard.injection.model import train_detector
        from kefu.guard.injection.patterns import match_patterns
        from kefu.guard.injection.types import DIRECT_KINDS

        return (lambda t: True if match_patterns(t, DIRECT_KINDS).attack else None), train_detector()
    if rail == "emergency":
        from kefu.guard.emergency.model import pattern_verdict
        from kefu.guard.emergency.model import train_detector as train_emergency

        return pattern_verdict, train_emergency()
    from kefu.handoff.learned import train_detector as train_handoff
    from kefu.handoff.triggers import pattern_verdict as handoff_patterns

    return handoff_patterns, train_handoff()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rail", choices=["injection", "emergency", "handoff"])
    parser.add_argument("--max-fp", type=float, default=0.02)
    args = parser.parse_args()
    val = load(ROOT / "tests/data/rails" / f"{args.rail}_val.jsonl")
    texts = [str(r["text"]) for r in val]
    labels = np.array([int(str(r["label"])) for r in val])
    pattern, model = pattern_and_model(args.rail)
    verdicts = [pattern(t) for t in texts]
    fired = np.array([v is True for v in verdicts])
    dropped = np.array([v is False for v in verdicts])
    fast, full = model.probabilities(texts)  # type: ignore[attr-defined]
    pos, neg = labels == 1, labels == 0
    print(f"patterns alone: recall {fired[pos].mean():.3f} fp {fired[neg].mean():.3f}")
    rows = []
    for threshold in np.arange(0.3, 0.99, 0.025):
        for veto in (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3):
            for override in (threshold, 0.9, 0.95, 1.01):
                said = np.where(fired, full >= veto, np.where(dropped, full >= override, full >= threshold))
                said &= fast >= GATE
                rows.append((float(threshold), veto, float(override), said[pos].mean(), said[neg].mean()))
    best = sorted((r for r in rows if r[4] <= args.max_fp), key=lambda r: (-r[3], r[4]))
    for threshold, veto, override, recall, fp in best[:15]:
        print(
            f"threshold {threshold:.3f} veto {veto:.2f} override {override:.3f}: "
            f"recall {recall:.3f} fp {fp:.3f}",
        )
    threshold, veto, override = best[0][:3] if best else (0.5, 0.0, 1.01)
    said = np.where(fired, full >= veto, np.where(dropped, full >= override, full >= threshold)) & (
        fast >= GATE
    )
    families: dict[str, list[int]] = {}
    for record, hit in zip(val, said, strict=True):
        families.setdefault(str(record["family"]), []).append(int(hit))
    print({k: f"{sum(v)}/{len(v)}" for k, v in sorted(families.items())})
    for record, hit, p in zip(val, said, full, strict=True):
        if bool(hit) != bool(record["label"]):
            print(
                "MISS" if record["label"] else "FP  ", f"{p:.2f}", record["family"], str(record["text"])[:90]
            )


if __name__ == "__main__":
    main()
