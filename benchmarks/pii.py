"""PII detection figures for issue #5.

Run from the repository root::

    .venv/bin/python benchmarks/pii.py [--data ../shared/data] [--json]

Prints, in one run (overlap matching per type, see ``kefu.eval.pii``):
- Presidio-research data in shared/: ``generated_small.json`` and the even ``template_id`` half of
  ``synth_dev.json`` (the data we tuned on), and the odd half: sentence templates whose errors we never
  looked at (the figure to quote for "templates you have not seen"), per type;
- our own English set (``kefu.eval.pii_synth.english``: every card network, 24 phone formats, IBAN,
  SSN, IPv4/IPv6, email, among order ids, dates, amounts and tracking numbers);
- a Chinese set (``kefu.eval.pii_synth.chinese``: valid resident IDs, mobiles, UnionPay cards in
  Chinese sentences) and how many hard negatives (order ids, amounts, dates, tracking numbers, product
  ids) were redacted — the target is none;
- p50 / p99 of ``find_pii`` per message.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from kefu.eval.pii import Example, PiiReport, evaluate, format_report, load_examples, predict
from kefu.eval.pii_synth import chinese, english
from kefu.guard.pii import find_pii

ROOT = Path(__file__).resolve().parents[1]
PATTERN_TYPES = ("CREDIT_CARD", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "US_SSN", "IP_ADDRESS")
ZH_TYPES = ("CN_RESIDENT_ID", "PHONE_NUMBER", "CREDIT_CARD")


def to_examples(records: list[dict[str, Any]]) -> list[Example]:
    names = {"CN_ID": "CN_RESIDENT_ID"}
    return [
        Example(
            r["full_text"],
            tuple(
                (names.get(s["entity_type"], s["entity_type"]), s["start_position"], s["end_position"])
                for s in r["spans"]
            ),
        )
        for r in records
    ]


def pattern_summary(report: PiiReport, types: tuple[str, ...]) -> dict[str, Any]:
    chosen = {t: s for t, s in report.per_type.items() if t in types}
    found = sum((s.recall or 0) * s.support for s in chosen.values())
    support = sum(s.support for s in chosen.values())
    correct = sum((s.precision or 0) * s.predicted for s in chosen.values())
    predicted = sum(s.predicted for s in chosen.values())
    return {
        "recall": round(found / support, 4) if support else None,
        "precision": round(correct / predicted, 4) if predicted else None,
        "support": support,
        "min_recall": min((s.recall for s in chosen.values() if s.recall is not None), default=None),
        "min_precision": min((s.precision for s in chosen.values() if s.precision is not None), default=None),
    }


def negatives_hit(records: list[dict[str, Any]]) -> dict[str, int]:
    hit: dict[str, int] = {}
    total: dict[str, int] = {}
    for record in records:
        predicted = predict(record["full_text"])
        for negative in record["negatives"]:
            kind = negative["entity_type"]
            total[kind] = total.get(kind, 0) + 1
            start, end = negative["start_position"], negative["end_position"]
            if any(s < end and start < e for _, s, e in predicted):
                hit[kind] = hit.get(kind, 0) + 1
    return {kind: hit.get(kind, 0) for kind in sorted(total)} | {"total": sum(total.values())}


def latency(texts: list[str]) -> dict[str, float]:
    timings = []
    for text in texts:
        started = time.perf_counter()
        find_pii(text)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 3),
        "p99_ms": round(timings[int(len(timings) * 0.99)], 3),
    }


# the longest message kefu takes (KEFU_MAX_MESSAGE_CHARS, 2,000) filled with what makes digit-run
# recognizers try the most spans
ADVERSARIAL = {
    "1 1 1 …": "1 " * 1000,
    "12 12 12 …": "12 " * 667,
    "4111 4111 …": "4111 " * 400,
    "1-1-1 …": "1-" * 1000,
    "1234567/…": "1234567/" * 250,
    "(1)(1)…": "(1)" * 667,
}


def worst_case() -> dict[str, float]:
    timings = {}
    for name, text in ADVERSARIAL.items():
        started = time.perf_counter()
        find_pii(text[:2000])
        timings[name] = round((time.perf_counter() - started) * 1000, 1)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("KEFU_SHARED_DATA", ROOT.parent / "shared" / "data"))
    parser.add_argument("--data", type=Path, default=default, help="the shared data folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    result: dict[str, Any] = {}
    folder = args.data / "presidio_pii"
    if not folder.is_dir():
        print(f"{folder}: missing, Presidio figures skipped")
    else:
        small = load_examples(folder / "generated_small.json")
        dev_raw = json.loads((folder / "synth_dev.json").read_text(encoding="utf-8"))
        dev = load_examples(folder / "synth_dev.json")
        tuned = [e for e, r in zip(dev, dev_raw, strict=True) if int(r.get("template_id", 0)) % 2 == 0]
        held = [e for e, r in zip(dev, dev_raw, strict=True) if int(r.get("template_id", 0)) % 2 == 1]
        for name, examples, note in (
            ("generated_small", small, "tuned on"),
            ("synth_dev_even_templates", tuned, "tuned on"),
            ("synth_dev_odd_templates", held, "held out: templates never looked at"),
            ("synth_dev", dev, "all"),
        ):
            report = evaluate(examples)
            print(f"\n== presidio {name} ({note})")
            print(format_report(report))
            result[f"presidio_{name}"] = {
                "pattern_types": pattern_summary(report, PATTERN_TYPES),
                **report.as_json(),
            }
    en = english()
    report = evaluate(to_examples(en))
    print("\n== own English set (2000 sentences)")
    print(format_report(report))
    result["english_synth"] = {"pattern_types": pattern_summary(report, PATTERN_TYPES), **report.as_json()}
    print(f"hard negatives redacted: {negatives_hit(en)}")
    result["english_synth"]["negatives_redacted"] = negatives_hit(en)
    zh = chinese()
    report = evaluate(to_examples(zh))
    print("\n== Chinese set (2000 sentences)")
    print(format_report(report))
    hit = negatives_hit(zh)
    print(f"hard negatives redacted: {hit}")
    result["chinese_synth"] = {
        "zh_types": pattern_summary(report, ZH_TYPES),
        "negatives_redacted": hit,
        **report.as_json(),
    }
    result["latency"] = latency([r["full_text"] for r in en + zh])
    print(f"\nfind_pii latency per message: {result['latency']}")
    result["worst_case_ms"] = worst_case()
    print(f"find_pii on 2,000-character digit runs (ms): {result['worst_case_ms']}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
