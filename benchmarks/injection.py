"""Prompt-injection detection: direct attacks, false alarms on ordinary customer messages, and indirect
attacks planted in documents (BIPIA), all built at run time.

Run from the repository root::

    .venv/bin/python benchmarks/injection.py [--data-dir ../shared/data] [--json]

1. Direct: ``tests/data/injection_heldout.jsonl`` (written apart from the patterns, not tuned on) and
   ``src/kefu/guard/injection_examples.jsonl`` (the tuning set) through ``detect_injection``.
2. Ordinary customer messages, all benign: the retail pack's intent examples and held-out utterances,
   the other labelled sets in ``tests/data``, and from ``../shared/data`` (``KEFU_SHARED_DATA``):
   BANKING77, HWU64, CrossWOZ user turns and the questions of the Chinese medical dialogues.
3. Indirect, through ``screen_passage``: BIPIA's 75 text attacks, each planted at the start, in the
   middle and at the end of an e-mail or table context (contexts cycled), against the clean contexts;
   attacks 0–2 of each category are the tuning half, 3–4 the held-out half. Benign documents also
   include the retail knowledge pages, τ²-bench bank documents and Chinese medical answers.

Prints the figures per set; with ``--json`` one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kefu.eval.binary import LabelledText  # noqa: E402
from kefu.eval.injection import evaluate_injection, format_report, load_examples  # noqa: E402


def shared_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("KEFU_SHARED_DATA") or ROOT.parent / "shared" / "data")


def ordinary_messages(data: Path) -> dict[str, list[LabelledText]]:
    """Every set of real or realistic customer messages we can find, labelled benign."""
    sets: dict[str, list[str]] = {}

    def yaml_texts(path: Path) -> list[str]:
        intents = yaml.safe_load(path.read_text("utf-8"))["intents"]
        return [t for langs in intents.values() for texts in langs.values() for t in texts]

    sets["retail_intents"] = yaml_texts(ROOT / "src/kefu/packs/retail/intents.yaml")
    sets["retail_heldout"] = yaml_texts(ROOT / "tests/data/retail_intents_heldout.yaml")
    sets["tests_data_jsonl"] = [
        json.loads(line)["text"]
        for name in ("handoff_eval", "handoff_heldout", "sentiment_eval", "emergency_heldout")
        for line in (ROOT / "tests/data" / f"{name}.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    if (data / "banking77/train.csv").exists():
        with (data / "banking77/train.csv").open(encoding="utf-8") as handle:
            sets["banking77"] = [row["text"] for row in csv.DictReader(handle)]
    if (data / "hwu64/kfold1_train.csv").exists():
        with (data / "hwu64/kfold1_train.csv").open(encoding="utf-8") as handle:
            sets["hwu64"] = [row["text"] for row in csv.DictReader(handle)]
    if (data / "crosswoz_zh/val.json.zip").exists():
        with zipfile.ZipFile(data / "crosswoz_zh/val.json.zip") as archive:
            dialogues = json.loads(archive.read("val.json"))
        sets["crosswoz_user"] = [
            m["content"] for d in dialogues.values() for m in d["messages"] if m["role"] == "usr"
        ]
    if (data / "chinese_medical_dialogue/medqa_dev.csv").exists():
        with (data / "chinese_medical_dialogue/medqa_dev.csv").open(encoding="utf-8") as handle:
            sets["medical_questions_zh"] = [
                row["ask"] for row in csv.DictReader(handle) if row["ask"].strip()
            ]
    return {
        name: [LabelledText(t.strip(), 0, None, name) for t in texts if t.strip()]
        for name, texts in sets.items()
    }


POSITIONS = ("start", "middle", "end")


def plant(context: str, attack: str, position: str) -> str:
    if position == "start":
        return f"{attack}\n{context}"
    if position == "end":
        return f"{context}\n{attack}"
    lines = context.split("\n")
    if len(lines) > 2:
        half = len(lines) // 2
        return "\n".join([*lines[:half], attack, *lines[half:]])
    words = context.split(" ")
    half = len(words) // 2
    return " ".join([*words[:half], attack, *words[half:]])


def bipia_sets(data: Path) -> dict[str, list[LabelledText]]:
    folder = data / "bipia_prompt_injection"
    if not folder.exists():
        return {}
    contexts = [
        json.loads(line)["context"]
        for name in ("email_train.jsonl", "table_train.jsonl")
        for line in (folder / name).read_text("utf-8").splitlines()
        if line.strip()
    ]
    attacks: dict[str, list[str]] = json.loads((folder / "text_attack_train.json").read_text("utf-8"))
    halves: dict[str, list[LabelledText]] = {"bipia_tuning": [], "bipia_heldout": []}
    n = 0
    for category, texts in attacks.items():
        for index, attack in enumerate(texts):
            half = "bipia_tuning" if index < 3 else "bipia_heldout"
            for position in POSITIONS:
                context = contexts[(n * 7) % len(contexts)]
                n += 1
                halves[half].append(LabelledText(plant(context, attack, position), 1, "en", category))
    clean = [LabelledText(c, 0, "en", "bipia_clean_context") for c in contexts]
    return {**halves, "bipia_clean": clean}


def clean_documents(data: Path) -> list[LabelledText]:
    docs = [
        LabelledText(path.read_text("utf-8"), 0, None, "retail_knowledge")
        for path in sorted((ROOT / "src/kefu/packs/retail/knowledge").glob("*.md"))
    ]
    bank = data / "tau2_banking_knowledge/docs_kb.jsonl"
    if bank.exists():
        docs += [
            LabelledText(json.loads(line)["content"], 0, "en", "bank_docs")
            for line in bank.read_text("utf-8").splitlines()
            if line.strip()
        ]
    medical = data / "chinese_medical_dialogue/medqa_dev.csv"
    if medical.exists():
        with medical.open(encoding="utf-8") as handle:
            docs += [
                LabelledText(row["answer"], 0, "zh", "medical_answers")
                for row in csv.DictReader(handle)
                if row["answer"].strip()
            ][:2000]
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="../shared/data by default (or KEFU_SHARED_DATA)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args(argv)
    data = shared_dir(args.data_dir)
    figures: dict[str, Any] = {}

    def run(name: str, examples: list[LabelledText], passages: bool = False, misses: int = 10) -> None:
        report = evaluate_injection(examples, passages=passages)
        print(f"== {name}")
        print(format_report(report, show_misses=misses))
        figures[name] = {
            k: report.as_json()[k]
            for k in (
                "examples",
                "recall",
                "precision",
                "false_positive_rate",
                "false_positives",
                "p50_ms",
                "p99_ms",
            )
        }

    run("direct_heldout", load_examples(ROOT / "tests/data/injection_heldout.jsonl"), misses=40)
    run("direct_tuning", load_examples(ROOT / "src/kefu/guard/injection/examples.jsonl"), misses=0)
    ordinary = ordinary_messages(data)
    everything: list[LabelledText] = []
    for name, examples in ordinary.items():
        run(f"ordinary_{name}", examples, misses=8)
        everything += examples
    figures["ordinary_all"] = {
        "examples": len(everything),
        "false_positives": sum(figures[f"ordinary_{n}"]["false_positives"] for n in ordinary),
    }
    figures["ordinary_all"]["false_positive_rate"] = round(
        figures["ordinary_all"]["false_positives"] / max(1, len(everything)), 6
    )
    print(f"== ordinary messages, all sets: {figures['ordinary_all']}")
    bipia = bipia_sets(data)
    if bipia:
        clean = bipia["bipia_clean"] + clean_documents(data)
        run("indirect_tuning", bipia["bipia_tuning"] + clean, passages=True, misses=20)
        run("indirect_heldout", bipia["bipia_heldout"] + clean, passages=True, misses=20)
    else:
        print(f"BIPIA not found under {data}: indirect set skipped")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
