"""Precision and recall of *answering* from the retail pack's help centre (answer vs. "I don't know").

Questions (``{query, lang, answerable, section?}``, zh + en, our own):
tests/data/knowledge_answerable.jsonl (the set the threshold and the help centre's wording were tuned on)
and, with ``--questions``, tests/data/knowledge_answerable_heldout.jsonl (written after tuning, never
tuned on). The pack's knowledge files are ingested into an in-memory ``KnowledgeBase``; each question
goes through ``KnowledgeAnswerer``. An answer is *correct* when the question is answerable and the answer
cites its section. Per threshold:

- precision = correct answers / answers given (a wrong section or an answer to an unanswerable
  question counts against it);
- recall = correct answers / answerable questions;
- false_answer_rate = unanswerable questions answered / unanswerable questions.

Usage: ``.venv/bin/python benchmarks/knowledge_answers.py [--threshold T] [--json]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from kefu.knowledge.answer import DEFAULT_CROSS_THRESHOLD, DEFAULT_THRESHOLD, KnowledgeAnswerer
from kefu.knowledge.memory import InMemoryKnowledgeStore
from kefu.knowledge.service import KnowledgeBase
from kefu.nlu.encoder import shared_encoder
from kefu.packs.retail.questions import KNOWLEDGE_DIR

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "knowledge_answerable.jsonl"
ZH_TO_EN = {
    "退货": "Returns",
    "退款时效": "Refund timing",
    "退款退到哪里": "Where refunds go",
    "换货": "Exchanges",
    "取消订单": "Cancelling an order",
    "修改订单": "Changing an order",
    "发货与配送": "Shipping and delivery",
    "订单状态说明": "Order status meanings",
    "支付方式": "Payment methods",
    "商品损坏或发错货": "Damaged or wrong items",
    "保修": "Warranty",
    "身份验证": "Verifying your identity",
    "联系方式与人工客服": "Contact and human agents",
}
SWEEP = [round(0.05 + 0.05 * i, 2) for i in range(18)]


def evaluate(
    rows: list[dict[str, Any]], results: list[tuple[float, list[str]]], threshold: float
) -> dict[str, Any]:
    answered = correct = false_answers = 0
    for row, (confidence, titles) in zip(rows, results, strict=True):
        if confidence < threshold:
            continue
        answered += 1
        if not row["answerable"]:
            false_answers += 1
        elif any(t.endswith(row["section"]) for t in titles):
            correct += 1
    answerable = sum(1 for r in rows if r["answerable"])
    unanswerable = len(rows) - answerable
    return {
        "threshold": threshold,
        "answered": answered,
        "precision": round(correct / answered, 3) if answered else None,
        "recall": round(correct / answerable, 3) if answerable else None,
        "false_answer_rate": round(false_answers / unanswerable, 3) if unanswerable else None,
    }


def run(
    answerer: KnowledgeAnswerer, rows: list[dict[str, Any]]
) -> tuple[list[tuple[float, list[str]]], list[float]]:
    results, millis = [], []
    for row in rows:
        started = time.perf_counter()
        reply = answerer.answer("retail", row["query"], row["lang"])
        millis.append((time.perf_counter() - started) * 1000)
        results.append((reply.confidence, [c.title for c in reply.citations]))
    return results, millis


def cross_lingual(rows: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    """Chinese questions against the English help centre alone (the answer quotes English, with a note);
    ``threshold`` is the answerer's ``cross_threshold``, which applies when no passage is in Chinese."""
    kb = KnowledgeBase(InMemoryKnowledgeStore())
    kb.ingest_path("retail", KNOWLEDGE_DIR / "shop-help.en.md")
    zh = [
        {**r, "section": ZH_TO_EN.get(r.get("section", ""), r.get("section"))}
        for r in rows
        if r["lang"] == "zh"
    ]
    results, _ = run(KnowledgeAnswerer(kb, shared_encoder(), threshold=0.0, cross_threshold=0.0), zh)
    for value in (0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1):
        r = evaluate(zh, results, value)
        print(
            f"  cross threshold {value:.2f}: precision {r['precision']}, recall {r['recall']}, "
            f"false answers {r['false_answer_rate']}"
        )
    return evaluate(zh, results, threshold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--cross-threshold", type=float, default=DEFAULT_CROSS_THRESHOLD)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [
        json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    kb = KnowledgeBase(InMemoryKnowledgeStore())
    kb.ingest_path("retail", KNOWLEDGE_DIR)
    answerer = KnowledgeAnswerer(kb, shared_encoder(), threshold=0.0)
    answerer.answer("retail", "warm up", "en")
    results, millis = run(answerer, rows)
    chosen = evaluate(rows, results, args.threshold)
    print(f"{len(rows)} questions ({sum(r['answerable'] for r in rows)} answerable), zh + en")
    print("threshold  answered  precision  recall  false_answer_rate")
    for threshold in SWEEP:
        r = evaluate(rows, results, threshold)
        mark = " <" if abs(threshold - args.threshold) < 1e-9 else ""
        print(
            f"{threshold:9.2f}  {r['answered']:8d}  {r['precision']!s:>9}  {r['recall']!s:>6}  "
            f"{r['false_answer_rate']!s:>17}{mark}"
        )
    for row, (confidence, titles) in zip(rows, results, strict=True):
        wrong = row["answerable"] and not any(t.endswith(row["section"]) for t in titles)
        if (confidence >= args.threshold) != row["answerable"] or (confidence >= args.threshold and wrong):
            expected = row.get("section")
            print(f"  miss: {row['query']!r} conf={confidence:.2f} cited={titles[:2]} expected={expected}")
    p50 = statistics.median(millis)
    print(
        f"threshold {args.threshold}: precision {chosen['precision']}, recall {chosen['recall']}, "
        f"false answers {chosen['false_answer_rate']}, p50 {p50:.1f} ms per answer (search + compose)"
    )
    crossed = cross_lingual(rows, args.cross_threshold)
    print(
        f"cross-lingual (zh questions, English help centre only): precision {crossed['precision']}, "
        f"recall {crossed['recall']}, false answers {crossed['false_answer_rate']}"
    )
    if args.json:
        print(json.dumps({**chosen, "p50_ms": round(p50, 2), "cross_lingual": crossed}))


if __name__ == "__main__":
    main()
