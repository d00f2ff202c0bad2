"""Item-to-item collaborative filtering (item kNN) on a sparse co-occurrence matrix, with popularity as
the fallback and the tie-breaker.

Similarity is a shrunk cosine between item columns: ``s(i, j) = c(i, j) / (‖i‖·‖j‖ + shrink)``, pruned
to each item's ``neighbours`` strongest; a user's score for item j is ``Σ_i x(u, i)·s(i, j)`` over the
items the user touched. Everything is a scipy sparse product; the only Python loop is the pruning at fit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from kefu.recommend.matrix import Interactions
from kefu.recommend.types import Recommendation

_TIE = 1e-9  # popularity's weight inside a collaborative score: it only orders equal scores
_DENSE_UP_TO = 2048  # catalogues this small keep a dense copy of the similarities: a request is a row sum


@dataclass(frozen=True)
class ItemKNN:
    items: tuple[str, ...]
    similarity: sparse.csr_matrix  # items × items, zero diagonal, rows pruned
    popularity: np.ndarray  # users per item (float), the fallback order
    positions: Mapping[str, int]
    dense: np.ndarray | None = None  # the similarity matrix as an array, for small catalogues

    @classmethod
    def fit(cls, data: Interactions, neighbours: int = 30, shrink: float = 2.0) -> ItemKNN:
        if neighbours < 1:
            raise ValueError("neighbours must be at least 1")
        x = data.matrix.tocsc().astype(np.float64)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=0)).ravel())
        co = (x.T @ x).tocsr()
        co.setdiag(0.0)
        co.eliminate_zeros()
        co = co.tocoo()
        values = co.data / (norms[co.row] * norms[co.col] + shrink)
        sim = sparse.csr_matrix((values, (co.row, co.col)), shape=co.shape)
        sim = _prune_rows(sim, neighbours)
        popularity = np.asarray((data.matrix > 0).sum(axis=0), dtype=np.float64).ravel()
        dense = sim.toarray() if len(data.items) <= _DENSE_UP_TO else None
        return cls(data.items, sim, popularity, data.item_positions(), dense)

    def _history(self, history: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        known = [item for item in history if item in self.positions]
        cols = np.asarray([self.positions[item] for item in known], dtype=np.int64)
        weights = np.log1p(np.asarray([history[item] for item in known], dtype=np.float64))
        return cols, weights

    def _rows(self, cols: np.ndarray) -> np.ndarray:
        """The similarity rows of ``cols`` as a dense (len(cols) × items) array."""
        if self.dense is not None:
            rows: np.ndarray = self.dense[cols]
            return rows
        return np.asarray(self.similarity[cols].todense(), dtype=np.float64)

    def recommend(
        self,
        history: Mapping[str, float],
        k: int = 10,
        exclude: Collection[str] = (),
        allowed: Collection[str] | None = None,
    ) -> list[Recommendation]:
        """The ``k`` best items for someone who touched ``history`` (item → weight). Items the history
        does not reach are filled from popularity (``reason="popular"``). ``exclude`` is never returned;
        ``allowed``, when given, limits the candidates (in stock, for sale, open for enrolment)."""
        if k < 1:
            return []
        cols, weights = self._history(history)
        rows = self._rows(cols) * weights[:, None] if len(cols) else np.zeros((0, len(self.items)))
        scores = rows.sum(axis=0) if len(cols) else np.zeros(len(self.items))
        order = np.lexsort((-self.popularity, -scores))
        banned = set(exclude)
        out: list[Recommendation] = []
        for col in order:
            item = self.items[col]
            if item in banned or (allowed is not None and item not in allowed):
                continue
            if scores[col] > 0:
                because = self._because(cols, rows[:, col])
                out.append(Recommendation(item, float(scores[col]), "co_occurrence", because))
            else:
                out.append(Recommendation(item, float(self.popularity[col]) * _TIE, "popular"))
            if len(out) == k:
                break
        return out

    def neighbours(self, item_id: str, k: int = 10, exclude: Collection[str] = ()) -> list[Recommendation]:
        """Items most often taken together with ``item_id`` ("what goes with my earbuds?")."""
        col = self.positions.get(item_id)
        if col is None:
            return []
        row = self.similarity.getrow(col)
        pairs = sorted(zip(row.indices, row.data, strict=True), key=lambda p: (-p[1], -self.popularity[p[0]]))
        banned = set(exclude) | {item_id}
        out = [
            Recommendation(self.items[j], float(s), "co_occurrence", (item_id,))
            for j, s in pairs
            if s > 0 and self.items[j] not in banned
        ]
        return out[:k]

    def _because(self, cols: np.ndarray, contributions: np.ndarray) -> tuple[str, ...]:
        """The (at most two) items of the history that contributed most to one score."""
        ranked = np.argsort(-contributions, kind="stable")[:2]
        return tuple(self.items[cols[i]] for i in ranked if contributions[i] > 0)


@dataclass(frozen=True)
class Popularity:
    """The baseline every benchmark compares against: the most-touched items the user has not touched."""

    items: tuple[str, ...]
    popularity: np.ndarray

    @classmethod
    def fit(cls, data: Interactions) -> Popularity:
        counts = np.asarray((data.matrix > 0).sum(axis=0), dtype=np.float64).ravel()
        return cls(items=data.items, popularity=counts)

    def recommend(
        self, history: Mapping[str, float], k: int = 10, exclude: Collection[str] = ()
    ) -> list[Recommendation]:
        banned = set(exclude)
        order = np.argsort(-self.popularity, kind="stable")
        picks = [int(c) for c in order if self.items[c] not in banned][:k]
        return [Recommendation(self.items[c], float(self.popularity[c]), "popular") for c in picks]


def _prune_rows(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Keep each row's ``keep`` largest entries."""
    matrix = matrix.tocsr()
    rows, cols, vals = [], [], []
    for r in range(matrix.shape[0]):
        start, end = matrix.indptr[r], matrix.indptr[r + 1]
        data = matrix.data[start:end]
        idx = matrix.indices[start:end]
        if len(data) > keep:
            top = np.argpartition(-data, keep - 1)[:keep]
            data, idx = data[top], idx[top]
        rows.extend([r] * len(data))
        cols.extend(idx.tolist())
        vals.extend(data.tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=matrix.shape)
