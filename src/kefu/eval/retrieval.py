"""``kefu eval retrieval``: how well the knowledge search finds the documents that answer questions.

The KB is JSONL ``{id, title?, content}`` (each line one document, chunked like any ingested
document); queries are JSONL ``{query, relevant: [ids]}``. A query's ranking is its hits' documents,
first occurrence kept."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from kefu.domain.errors import InvalidInput
from kefu.knowledge.documents import DocumentDraft
from kefu.knowledge.formats import parse_bytes
from kefu.knowledge.index import IndexConfig
from kefu.knowledge.memory import InMemoryKnowledgeStore
from kefu.knowledge.service import KnowledgeBase

PACK = "eval"
SEARCH_DEPTH = 30  # chunks fetched per query, then reduced to distinct documents


@dataclass(frozen=True)
class Query:
    text: str
    relevant: tuple[str, ...]


@dataclass(frozen=True)
class RetrievalReport:
    recall_at_1: float
    recall_at_5: float
    hit_at_5: float
    mrr: float
    p50_ms: float
    p99_ms: float
    queries: int
    documents: int
    chunks: int
    index_s: float

    def as_json(self) -> dict[str, object]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def load_kb(path: Path) -> list[DocumentDraft]:
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    drafts = parse_bytes(path.read_bytes(), path.name, fmt="jsonl")
    if any(d.meta.get("format") == "faq" for d in drafts):
        raise InvalidInput(f"{path}: the KB must be JSONL documents {{id, title?, content}}")
    return drafts


def load_queries(path: Path) -> list[Query]:
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    queries: list[Query] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}: line {number} is not valid JSON ({exc.msg})") from exc
        relevant = record.get("relevant") if isinstance(record, dict) else None
        text = record.get("query") if isinstance(record, dict) else None
        if not isinstance(text, str) or not text.strip() or not isinstance(relevant, list) or not relevant:
            raise InvalidInput(f"{path}: line {number} needs a query and a non-empty relevant list")
        queries.append(Query(text, tuple(str(r) for r in relevant)))
    if not queries:
        raise InvalidInput(f"{path}: no queries")
    return queries


def ranked_sources(kb: KnowledgeBase, pack: str, query: str, depth: int = SEARCH_DEPTH) -> list[str]:
    ranking: list[str] = []
    for hit in kb.search(pack, query, depth):
        if hit.chunk.source not in ranking:
            ranking.append(hit.chunk.source)
    return ranking


def score_rankings(rankings: Sequence[Sequence[str]], queries: Sequence[Query]) -> dict[str, float]:
    r1 = r5 = h5 = rr = 0.0
    for ranking, query in zip(rankings, queries, strict=True):
        relevant = set(query.relevant)
        r1 += len(relevant & set(ranking[:1])) / len(relevant)
        r5 += len(relevant & set(ranking[:5])) / len(relevant)
        h5 += 1.0 if relevant & set(ranking[:5]) else 0.0
        rr += next((1.0 / rank for rank, s in enumerate(ranking, start=1) if s in relevant), 0.0)
    n = len(queries)
    return {"recall_at_1": r1 / n, "recall_at_5": r5 / n, "hit_at_5": h5 / n, "mrr": rr / n}


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def evaluate_retrieval(
    drafts: Sequence[DocumentDraft], queries: Sequence[Query], config: IndexConfig | None = None
) -> RetrievalReport:
    if not queries:
        raise InvalidInput("no queries")
    kb = KnowledgeBase(InMemoryKnowledgeStore(), cache_dir=None, config=config)
    kb.ingest(PACK, drafts)
    started = time.perf_counter()
    index = kb.index(PACK)
    index_s = time.perf_counter() - started
    known = {d.source for d in drafts}
    unknown = sorted({r for q in queries for r in q.relevant} - known)
    if len(unknown) == len({r for q in queries for r in q.relevant}):
        raise InvalidInput(f"no relevant id of the queries is in the KB (e.g. {unknown[0]!r})")
    rankings: list[list[str]] = []
    timings: list[float] = []
    for query in queries:
        tick = time.perf_counter()
        rankings.append(ranked_sources(kb, PACK, query.text))
        timings.append((time.perf_counter() - tick) * 1000)
    scores = score_rankings(rankings, queries)
    return RetrievalReport(
        recall_at_1=scores["recall_at_1"],
        recall_at_5=scores["recall_at_5"],
        hit_at_5=scores["hit_at_5"],
        mrr=scores["mrr"],
        p50_ms=statistics.median(timings),
        p99_ms=percentile(timings, 0.99),
        queries=len(queries),
        documents=len(drafts),
        chunks=len(index.chunks) if index is not None else 0,
        index_s=index_s,
    )


def format_report(report: RetrievalReport) -> str:
    return "\n".join(
        [
            f"documents {report.documents}  chunks {report.chunks}  queries {report.queries}  "
            f"index built in {report.index_s:.1f} s",
            f"recall@1  {report.recall_at_1:.3f}",
            f"recall@5  {report.recall_at_5:.3f}",
            f"hit@5     {report.hit_at_5:.3f}",
            f"MRR       {report.mrr:.3f}",
            f"p50 ms    {report.p50_ms:.2f}   p99 ms {report.p99_ms:.2f}",
        ]
    )
