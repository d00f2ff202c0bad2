"""Knowledge retrieval figures (issue #4): Chinese medical Q&A, banking KB tasks, cross-lingual questions,
latency on a 100,000-passage index and ingestion throughput.

    .venv/bin/python benchmarks/retrieval.py [--json] [--skip-scale] [--variants]

Data is read from ../shared/data (override with KEFU_SHARED_DATA). Each figure is printed; ``--json``
prints one JSON object on the last line. ``--variants`` also prints the tuning table (fusion and BM25
settings) behind the chosen defaults.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from kefu.eval.retrieval import Query, load_queries, ranked_sources, score_rankings  # noqa: E402
from kefu.knowledge.confidence import FITTED, Calibration  # noqa: E402
from kefu.knowledge.documents import ChunkDraft, DocumentDraft  # noqa: E402
from kefu.knowledge.formats import parse_bytes  # noqa: E402
from kefu.knowledge.index import HybridIndex, IndexConfig  # noqa: E402
from kefu.knowledge.memory import InMemoryKnowledgeStore  # noqa: E402
from kefu.knowledge.service import KnowledgeBase  # noqa: E402
from kefu.knowledge.types import Hit  # noqa: E402

DATA = Path(os.environ.get("KEFU_SHARED_DATA", ROOT.parent / "shared" / "data"))
MEDICAL = DATA / "chinese_medical_dialogue" / "medqa_dev.csv"
BANKING = DATA / "tau2_banking_knowledge"
ZH_QUERIES = ROOT / "tests" / "data" / "knowledge" / "banking_zh_queries.jsonl"
HELD_OUT = 1000
SEED = 4
BASELINE = IndexConfig(
    bm25_trust_power=0.0, cross_lingual_bonus=0.0, query_cleaning=False, split_long_queries=False
)


# -- data sets --------------------------------------------------------------------------------------
def medical() -> tuple[list[DocumentDraft], list[Query]]:
    """Documents: every answer. Queries: title + ask of a held-out random slice of 1,000 rows; a query's
    relevant documents are every row with the same answer text (the data repeats some answers)."""
    with MEDICAL.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_answer: dict[str, list[str]] = defaultdict(list)
    drafts = []
    for number, row in enumerate(rows):
        ident = f"med{number}"
        by_answer[row["answer"].strip()].append(ident)
        drafts.append(DocumentDraft(ident, "", "zh", (ChunkDraft("", row["answer"].strip(), "zh"),)))
    picked = random.Random(SEED).sample(range(len(rows)), HELD_OUT)
    queries = [
        Query(f"{rows[i]['title']} {rows[i]['ask']}", tuple(by_answer[rows[i]["answer"].strip()]))
        for i in picked
    ]
    return drafts, queries


BOILERPLATE = re.compile(
    r"(You are playing the role|customer service representative agent|Only provide additional details|"
    r"Don't dump|Never respond as|You are currently on the line|there is no need to respond|"
    r"ONLY MENTION|end the conversation|You have access to a tool)",
    re.IGNORECASE,
)


def banking_documents() -> list[DocumentDraft]:
    return parse_bytes((BANKING / "docs_kb.jsonl").read_bytes(), "docs_kb.jsonl")


def banking_tasks() -> list[Query]:
    """A task's query: its user scenario without the role-play boilerplate (the customer's situation
    and what they want), at most 600 characters; relevant: its required documents."""
    tasks = json.loads((BANKING / "tasks_dev.json").read_text(encoding="utf-8"))
    queries = []
    for task in tasks:
        required = task.get("required_documents") or []
        scenario = task.get("user_scenario") or {}
        instructions = scenario.get("instructions") or ""
        if isinstance(instructions, dict):
            instructions = " ".join(str(v) for v in instructions.values() if v)
        sentences = re.split(r"(?<=[.!?])\s+", str(instructions))
        kept = " ".join(s for s in sentences if s.strip() and not BOILERPLATE.search(s))
        if required and kept:
            queries.append(Query(kept[:600], tuple(required)))
    return queries


# -- measuring ---------------------------------------------------------------------------------------
CACHE = Path(os.environ.get("KEFU_BENCH_CACHE", Path(tempfile.gettempdir()) / "kefu-bench-index"))


def evaluate(kb: KnowledgeBase, queries: Sequence[Query], depth: int = 30) -> dict[str, float]:
    rankings, timings = [], []
    pack = kb.bench_pack  # type: ignore[attr-defined]
    for query in queries[:20]:  # warm up (first calls of the encoder and BLAS threads are slow)
        kb.search(pack, query.text, depth)
    for query in queries:
        tick = time.perf_counter()
        rankings.append(ranked_sources(kb, pack, query.text, depth))
        timings.append((time.perf_counter() - tick) * 1000)
    scores = score_rankings(rankings, queries)
    scores["p50_ms"] = statistics.median(timings)
    return scores


def loaded(drafts: Sequence[DocumentDraft], config: IndexConfig, pack: str = "bench") -> KnowledgeBase:
    """A knowledge base holding ``drafts`` in ``pack``; built vectors are cached in ``CACHE`` so a
    second run of the benchmark does not encode the passages again."""
    kb = KnowledgeBase(InMemoryKnowledgeStore(), cache_dir=CACHE, config=config)
    kb.ingest(pack, drafts)
    kb.index(pack)
    kb.bench_pack = pack  # type: ignore[attr-defined]
    return kb


def with_config(kb: KnowledgeBase, config: IndexConfig) -> KnowledgeBase:
    """The same passages and vectors under another configuration (BM25 rebuilt only if it changed)."""
    pack = kb.bench_pack  # type: ignore[attr-defined]
    index = kb.index(pack)
    assert index is not None
    fresh = KnowledgeBase(kb.store, cache_dir=None, config=config, encoder=kb.encoder)
    rebuilt = HybridIndex.build(index.chunks, index.encoder, config, previous=index)
    state = fresh._state(pack)
    state.index, state.revision, state.checked_at = rebuilt, kb.store.revision(pack), time.monotonic()
    fresh.check_interval_s = 1e9
    fresh.bench_pack = pack  # type: ignore[attr-defined]
    return fresh


def fmt(scores: dict[str, float]) -> str:
    return (
        f"recall@1 {scores['recall_at_1']:.3f}  recall@5 {scores['recall_at_5']:.3f}  "
        f"hit@5 {scores['hit_at_5']:.3f}  MRR {scores['mrr']:.3f}  p50 {scores['p50_ms']:.1f} ms"
    )


def run_quality(variants: bool) -> dict[str, Any]:
    results: dict[str, Any] = {}
    docs, queries = medical()
    started = time.perf_counter()
    kb = loaded(docs, IndexConfig(), "medical")
    medical_kb = kb
    took = time.perf_counter() - started
    print(
        f"medical: {len(docs)} answers, {len(queries)} held-out questions, "
        f"indexed (or loaded) in {took:.1f} s"
    )
    tuned = evaluate(kb, queries)
    base = evaluate(with_config(kb, BASELINE), queries)
    bm25_only = evaluate(with_config(kb, replace(IndexConfig(), dense_weight=0.0)), queries)
    print(f"  baseline RRF (plain)  {fmt(base)}")
    print(f"  BM25 only             {fmt(bm25_only)}")
    print("  (only kefu's p50 is cold: later runs of the same questions hit the encoder's cache)")
    print(f"  kefu hybrid           {fmt(tuned)}")
    results["medical"] = {"baseline": base, "bm25_only": bm25_only, "kefu": tuned}
    if variants:
        results["medical_variants"] = tune(kb, queries[:300])

    bank = banking_documents()
    kb = loaded(bank, IndexConfig(), "banking")
    tasks = banking_tasks()
    passages = len(kb.index("banking").chunks)  # type: ignore[union-attr]
    print(f"banking: {len(bank)} documents ({passages} passages), {len(tasks)} tasks")
    scores = evaluate(kb, tasks)
    base = evaluate(with_config(kb, BASELINE), tasks)
    print(f"  baseline RRF (plain)  {fmt(base)}")
    print(f"  kefu hybrid           {fmt(scores)}")
    results["banking_tasks"] = {"baseline": base, "kefu": scores}
    zh = load_queries(ZH_QUERIES)
    cross = evaluate(kb, zh)
    cross_base = evaluate(with_config(kb, BASELINE), zh)
    print(f"cross-lingual: {len(zh)} Chinese questions over the English banking KB")
    print(f"  baseline RRF (plain)  {fmt(cross_base)}")
    print(f"  kefu hybrid           {fmt(cross)}")
    results["cross_lingual"] = {"baseline": cross_base, "kefu": cross}
    if variants:
        results["banking_variants"] = tune(kb, tasks)
        results["cross_variants"] = tune(kb, zh)
    results["calibration"] = calibration(medical_kb, kb, queries, tasks, zh)
    return results


def tune(kb: KnowledgeBase, queries: Sequence[Query]) -> dict[str, float]:
    table = {}
    for name, config in VARIANTS.items():
        scores = evaluate(with_config(kb, config), queries)
        table[name] = round(scores["recall_at_5"], 4)
        print(f"    {name:34s} {fmt(scores)}")
    return table


VARIANTS = {
    "default": IndexConfig(),
    "plain RRF": BASELINE,
    "no BM25 trust": replace(IndexConfig(), bm25_trust_power=0.0),
    "BM25 trust ^2": replace(IndexConfig(), bm25_trust_power=2.0),
    "whole-query vector": replace(IndexConfig(), split_long_queries=False),
    "bm25 weight 2": replace(IndexConfig(), bm25_weight=2.0),
    "bm25 weight 3": replace(IndexConfig(), bm25_weight=3.0),
    "rrf k 20": replace(IndexConfig(), rrf_k=20.0),
    "no bigrams": replace(IndexConfig(), bigrams=False),
    "k1 1.5 b 0.75": replace(IndexConfig(), k1=1.5),
    "k1 0.9 b 0.4": replace(IndexConfig(), k1=0.9, b=0.4),
    "bm25+": replace(IndexConfig(), method="bm25+"),
    "prf 10 terms": replace(IndexConfig(), prf_terms=10),
    "no query cleaning": replace(IndexConfig(), query_cleaning=False),
    "no cross-lingual bonus": replace(IndexConfig(), cross_lingual_bonus=0.0),
}


# -- confidence calibration ----------------------------------------------------------------------
def top_hits(kb: KnowledgeBase, queries: Sequence[Query], answerable: bool) -> list[tuple[Hit, int]]:
    """(top hit, 1 if it is a relevant document) per question; off-domain questions are never answered."""
    found = []
    for query in queries:
        hits = kb.search(kb.bench_pack, query.text, 1)  # type: ignore[attr-defined]
        if hits:
            found.append((hits[0], int(answerable and hits[0].chunk.source in query.relevant)))
    return found


def calibration(
    medical_kb: KnowledgeBase,
    banking_kb: KnowledgeBase,
    medical_q: Sequence[Query],
    tasks: Sequence[Query],
    zh: Sequence[Query],
) -> dict[str, float]:
    """Fits the logistic confidence on half of the labelled top hits (in-domain questions, right or
    wrong, and off-domain questions: medical ones asked of the bank and the other way round) and
    reports its reliability on the other half: expected calibration error, Brier score, and what a
    0.5 threshold does (answered share, precision of the answered)."""
    from sklearn.linear_model import LogisticRegression

    samples = top_hits(medical_kb, medical_q, True) + top_hits(banking_kb, tasks, True)
    samples += top_hits(banking_kb, zh, True) + top_hits(banking_kb, medical_q[:300], False)
    samples += top_hits(medical_kb, zh, False) + top_hits(medical_kb, tasks, False)
    random.Random(0).shuffle(samples)
    features = np.array([_features(hit) for hit, _ in samples])
    labels = np.array([label for _, label in samples])
    half = len(samples) // 2
    model = LogisticRegression(C=10.0).fit(features[:half], labels[:half])
    fitted = Calibration(
        intercept=float(model.intercept_[0]),
        cosine=float(model.coef_[0][0]),
        coverage=float(model.coef_[0][1]),
        agreement=float(model.coef_[0][2]),
    )
    held_hits = samples[half:]
    report: dict[str, float] = {"samples": float(len(samples)), "positives": float(labels.sum())}
    for name, calib in (("default", Calibration()), ("FITTED", FITTED), ("refit", fitted)):
        probabilities = np.array(
            [
                calib.confidence(h.cosine or 0.0, h.coverage or 0.0, h.bm25_rank, h.dense_rank)
                for h, _ in held_hits
            ]
        )
        truth = labels[half:]
        report[f"{name}_ece"] = _ece(probabilities, truth)
        report[f"{name}_brier"] = float(np.mean((probabilities - truth) ** 2))
        answered = probabilities >= 0.5
        report[f"{name}_answered_at_0.5"] = float(answered.mean())
        report[f"{name}_precision_at_0.5"] = float(truth[answered].mean()) if answered.any() else 0.0
    print(
        f"confidence: {len(samples)} labelled top hits; refit Calibration(intercept={fitted.intercept:.2f}, "
        f"cosine={fitted.cosine:.2f}, coverage={fitted.coverage:.2f}, agreement={fitted.agreement:.2f})"
    )
    for name in ("default", "FITTED", "refit"):
        print(
            f"  {name:8s} ECE {report[name + '_ece']:.3f}  Brier {report[name + '_brier']:.3f}  at 0.5: "
            f"answers {report[name + '_answered_at_0.5']:.0%} "
            f"with precision {report[name + '_precision_at_0.5']:.0%}"
        )
    return report


def _features(hit: Hit) -> list[float]:
    agree = 1.0 if hit.bm25_rank is not None and hit.dense_rank is not None else 0.0
    return [hit.cosine or 0.0, hit.coverage or 0.0, agree]


def _ece(probabilities: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    total = 0.0
    for low in np.linspace(0, 1, bins, endpoint=False):
        inside = (probabilities >= low) & (probabilities < low + 1 / bins)
        if inside.any():
            total += inside.mean() * abs(probabilities[inside].mean() - truth[inside].mean())
    return float(total)


# -- scale ----------------------------------------------------------------------------------------------
_SENTENCE = re.compile(r"(?<=[。！？!?；;.])")


def scale_passages(target: int) -> list[str]:
    """``target`` distinct passages cut from all the text in ../shared/data (windows of sentences)."""
    texts: list[str] = []
    with MEDICAL.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            texts.extend([row["ask"], row["answer"]])
    for line in (BANKING / "docs_kb.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["content"])
    for name in ("banking77/train.csv", "hwu64/kfold1_train.csv"):
        with (DATA / name).open(encoding="utf-8") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle))
    with zipfile.ZipFile(DATA / "crosswoz_zh" / "val.json.zip") as archive:
        dialogues = json.loads(archive.read("val.json"))
    texts.extend(m["content"] for d in dialogues.values() for m in d["messages"])
    sentences = [s.strip() for t in texts for s in _SENTENCE.split(t) if len(s.strip()) >= 4]
    passages: list[str] = []
    seen: set[str] = set()
    width = 1
    while len(passages) < target and width <= 6:
        for i in range(0, len(sentences) - width + 1):
            passage = " ".join(sentences[i : i + width])
            if passage not in seen:
                seen.add(passage)
                passages.append(passage)
                if len(passages) >= target:
                    break
        width += 1
    return passages


def run_scale(size: int) -> dict[str, float]:
    passages = scale_passages(size)
    grouped: dict[int, list[ChunkDraft]] = defaultdict(list)
    for i, text in enumerate(passages):
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"
        grouped[i // 10].append(ChunkDraft("", text, lang))
    drafts = [DocumentDraft(f"p{g}", "", chunks[0].lang, tuple(chunks)) for g, chunks in grouped.items()]
    with tempfile.TemporaryDirectory() as cache:
        cache = os.environ.get("KEFU_BENCH_SCALE_CACHE", cache)  # keep the build to profile queries
        kb = KnowledgeBase(InMemoryKnowledgeStore(), cache_dir=cache)
        kb.encoder()  # load the model outside the timing
        started = time.perf_counter()
        kb.ingest("bench", drafts)
        kb.index("bench")
        ingest_s = time.perf_counter() - started
        restart = KnowledgeBase(kb.store, cache_dir=cache, encoder=kb.encoder)
        started = time.perf_counter()
        restart.index("bench")
        load_s = time.perf_counter() - started
        queries = [p[:40] for p in random.Random(1).sample(passages, 300)]
        queries += [
            "退款多久到账",
            "how do I increase my sending limit",
            "高血压吃什么药",
            "my card was stolen",
        ]
        for q in queries[:20]:
            restart.search("bench", q, 5)
        timings = []
        for q in queries:
            tick = time.perf_counter()
            restart.search("bench", q, 5)
            timings.append((time.perf_counter() - tick) * 1000)
    timings.sort()
    figures = {
        "passages": float(len(passages)),
        "ingest_chunks_per_s": len(passages) / ingest_s,
        "cache_load_s": load_s,
        "p50_ms": statistics.median(timings),
        "p90_ms": timings[int(0.9 * (len(timings) - 1))],
    }
    print(
        f"scale: {len(passages)} passages ingested and indexed at "
        f"{figures['ingest_chunks_per_s']:.0f} passages/s "
        f"({ingest_s:.0f} s); restart loads the cached index in {load_s:.1f} s; "
        f"query p50 {figures['p50_ms']:.1f} ms, p90 {figures['p90_ms']:.1f} ms"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--variants", action="store_true")
    parser.add_argument("--scale-size", type=int, default=100_000)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    if not args.skip_quality:
        results.update(run_quality(args.variants))
    if not args.skip_scale:
        results["scale"] = run_scale(args.scale_size)
    if args.json:
        print(json.dumps(_rounded(results)))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    main()
