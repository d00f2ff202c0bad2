"""Approximate dense search for large packs: an inverted-file index (k-means coarse quantiser).

Below ``min_size`` passages an exact matrix–vector product is fast enough (about 1 ms per 20,000
passages); above it, passages are grouped into about 2·√n clusters of similar vectors, and a question
is compared with the centroids and then only with the passages of its ``probes`` nearest clusters
(about 10 % of the pack). Vectors are stored ordered by cluster, so each probe is one contiguous slice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
Rows = npt.NDArray[np.int64]


def _kmeans(sample: Vectors, clusters: int, iterations: int, seed: int) -> Vectors:
    """Spherical k-means (cosine) on ``sample``; returns unit-length centroids."""
    rng = np.random.default_rng(seed)
    centroids = sample[rng.choice(len(sample), clusters, replace=False)].copy()
    for _ in range(iterations):
        assignment = np.argmax(sample @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assignment, sample)
        empty = ~np.bincount(assignment, minlength=clusters).astype(bool)
        sums[empty] = sample[rng.choice(len(sample), int(empty.sum()), replace=False)]
        centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return centroids.astype(np.float32)


@dataclass
class InvertedFile:
    centroids: Vectors  # (clusters, d)
    order: Rows  # passage rows ordered by cluster
    offsets: Rows  # cluster c holds order[offsets[c]:offsets[c + 1]]
    ordered: Vectors  # vectors[order]
    probes: int

    @classmethod
    def build(cls, vectors: Vectors, seed: int = 0, probes_share: float = 0.1) -> InvertedFile:
        n = len(vectors)
        clusters = max(8, int(2 * np.sqrt(n)))
        rng = np.random.default_rng(seed)
        sample = vectors[rng.choice(n, min(n, 40 * clusters), replace=False)]
        centroids = _kmeans(sample, clusters, iterations=8, seed=seed)
        assignment = np.empty(n, dtype=np.int64)
        for start in range(0, n, 8192):
            assignment[start : start + 8192] = np.argmax(vectors[start : start + 8192] @ centroids.T, axis=1)
        order = np.argsort(assignment, kind="stable").astype(np.int64)
        counts = np.bincount(assignment, minlength=clusters)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        probes = max(1, round(probes_share * clusters))
        return cls(centroids, order, offsets, np.ascontiguousarray(vectors[order]), probes)

    def search(self, query: Vectors, limit: int, bonus: Vectors | None = None) -> tuple[Rows, Vectors]:
        """Up to ``limit`` (rows, cosine + bonus) of the nearest passages among the probed clusters."""
        nearest = np.argpartition(-(self.centroids @ query), self.probes - 1)[: self.probes]
        row_parts, score_parts = [], []
        for cluster in nearest.tolist():
            start, end = int(self.offsets[cluster]), int(self.offsets[cluster + 1])
            if end > start:
                score_parts.append(self.ordered[start:end] @ query)
                row_parts.append(self.order[start:end])
        if not row_parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows, scores = np.concatenate(row_parts), np.concatenate(score_parts)
        if bonus is not None:
            scores = scores + bonus[rows]
        if len(rows) > limit:
            keep = np.argpartition(-scores, limit - 1)[:limit]
            rows, scores = rows[keep], scores[keep]
        ranked = np.argsort(-scores, kind="stable")
        return rows[ranked], scores[ranked]

    def save(self, directory: Path) -> None:
        np.save(directory / "ivf_centroids.npy", self.centroids)
        np.save(directory / "ivf_order.npy", self.order)
        np.save(directory / "ivf_offsets.npy", self.offsets)

    @classmethod
    def load(cls, directory: Path, vectors: Vectors, probes_share: float = 0.1) -> InvertedFile | None:
        if not (directory / "ivf_centroids.npy").is_file():
            return None
        centroids = np.load(directory / "ivf_centroids.npy")
        order = np.load(directory / "ivf_order.npy")
        offsets = np.load(directory / "ivf_offsets.npy")
        if len(order) != len(vectors):
            return None
        probes = max(1, round(probes_share * len(centroids)))
        return cls(centroids, order, offsets, np.ascontiguousarray(vectors[order]), probes)
