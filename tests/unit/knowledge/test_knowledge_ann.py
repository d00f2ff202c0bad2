"""The inverted-file dense search of large packs finds what the exact search finds."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from kefu.knowledge.ann import InvertedFile
from kefu.knowledge.index import HybridIndex, IndexConfig
from kefu.knowledge.types import Chunk


def _clustered(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(60, 64))
    points = centres[rng.integers(0, 60, n)] + 0.6 * rng.normal(size=(n, 64))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def test_inverted_file_recall_against_exact_search(tmp_path: Path) -> None:
    vectors = _clustered(6000)
    ivf = InvertedFile.build(vectors)
    assert ivf.probes < len(ivf.centroids) and sorted(ivf.order.tolist()) == list(range(6000))
    queries = vectors[:50] + 0.05
    found = 0
    for query in queries:
        query = (query / np.linalg.norm(query)).astype(np.float32)
        exact = set(np.argsort(-(vectors @ query))[:10].tolist())
        rows, scores = ivf.search(query, 10)
        assert list(scores) == sorted(scores, reverse=True)
        found += len(exact & set(rows.tolist()))
    assert found / (10 * len(queries)) >= 0.9
    ivf.save(tmp_path)
    loaded = InvertedFile.load(tmp_path, vectors)
    assert loaded is not None and np.array_equal(loaded.order, ivf.order)


class _Fixed:
    """A stand-in encoder for this structural test: a text → a pseudo-random unit vector seeded by
    the last number in it (so "passage number 17" and passage 17 share a vector)."""

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        seeds = [int(re.findall(r"\d+", t)[-1]) if re.findall(r"\d+", t) else 0 for t in texts]
        rows = [np.random.default_rng(seed).normal(size=32) for seed in seeds]
        matrix = np.array(rows, dtype=np.float32).reshape(len(texts), 32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_large_packs_switch_to_the_inverted_file_and_persist_it(tmp_path: Path) -> None:
    chunks = [
        Chunk(f"d{i}:0", f"d{i}", "p", 0, f"item {i}", f"passage number {i}", "en", f"s{i}")
        for i in range(600)
    ]
    config = replace(IndexConfig(), ann_min_size=500)
    index = HybridIndex.build(chunks, _Fixed(), config)
    assert index.ivf is not None
    hits = index.search("passage number 17", 3)
    assert hits[0].chunk.id == "d17:0"
    index.save(tmp_path)
    loaded = HybridIndex.load(tmp_path, chunks, config, _Fixed())
    assert loaded is not None and loaded.ivf is not None
    assert loaded.search("passage number 17", 3)[0].chunk.id == "d17:0"
    small = HybridIndex.build(chunks[:100], _Fixed(), config)
    assert small.ivf is None
