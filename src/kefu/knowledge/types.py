"""The knowledge base's contract: what a passage is, what a search returns, and the search port."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: one section of a document under its heading path, or one FAQ entry."""

    id: str
    document_id: str
    pack: str
    ordinal: int
    title: str  # the heading path, e.g. "Returns › Refund timing", or the FAQ question
    text: str
    lang: str  # "zh" | "en" (the passage's own language)
    source: str  # where the document came from: a path, URL or the id given at ingestion
    anchor: str | None = None  # "#refund-timing" within the source, when the source has sections
    meta: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Hit:
    """One search result. ``confidence`` (0..1) is calibrated so callers can say "I don't know"
    below a threshold; ``score`` is the fused ranking score (only comparable within one search)."""

    chunk: Chunk
    score: float
    confidence: float
    bm25_rank: int | None = None
    dense_rank: int | None = None
    cosine: float | None = None  # the encoder's similarity of question and passage (a confidence input)
    coverage: float | None = None  # IDF-weighted share of the question's words found in the passage


class KnowledgeSearch(Protocol):
    def search(self, pack: str, query: str, k: int = 5) -> list[Hit]:
        """The best ``k`` passages of ``pack`` for ``query`` (any language), best first."""
        ...
