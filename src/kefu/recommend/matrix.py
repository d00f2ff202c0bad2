"""Implicit feedback as a sparse user × item matrix (scipy CSR), with the id ↔ index maps."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Interaction:
    """A user touched an item: bought it, enrolled in it, viewed it. ``weight`` ranks the kinds (a
    purchase weighs more than a view)."""

    user_id: str
    item_id: str
    weight: float = 1.0


@dataclass(frozen=True)
class Interactions:
    """Every interaction, summed per (user, item) and damped with log1p so a repeat buyer does not
    drown everyone else. ``items`` may name items nobody has touched yet (a new product)."""

    users: tuple[str, ...]
    items: tuple[str, ...]
    matrix: sparse.csr_matrix

    @classmethod
    def build(cls, events: Iterable[Interaction], items: Sequence[str] = ()) -> Interactions:
        user_index: dict[str, int] = {}
        item_index: dict[str, int] = {item: i for i, item in enumerate(dict.fromkeys(items))}
        totals: dict[tuple[int, int], float] = {}
        for event in events:
            if event.weight <= 0:
                raise ValueError(f"interaction weight must be positive, got {event.weight}")
            u = user_index.setdefault(event.user_id, len(user_index))
            i = item_index.setdefault(event.item_id, len(item_index))
            totals[(u, i)] = totals.get((u, i), 0.0) + event.weight
        rows = np.fromiter((u for u, _ in totals), dtype=np.int32, count=len(totals))
        cols = np.fromiter((i for _, i in totals), dtype=np.int32, count=len(totals))
        data = np.fromiter((math.log1p(w) for w in totals.values()), dtype=np.float64, count=len(totals))
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(user_index), len(item_index)))
        return cls(users=tuple(user_index), items=tuple(item_index), matrix=matrix)

    def item_positions(self) -> dict[str, int]:
        return {item: i for i, item in enumerate(self.items)}

    def user_positions(self) -> dict[str, int]:
        return {user: u for u, user in enumerate(self.users)}
