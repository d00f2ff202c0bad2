"""Offline evaluation: leave-last-out splits and ranking metrics (hit-rate@k, NDCG@k, recall@k)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kefu.recommend.matrix import Interaction

# A user's history as baskets in time order (orders, terms), each a list of item ids.
Histories = Mapping[str, Sequence[Sequence[str]]]
Recommender = Callable[[Mapping[str, float], int, frozenset[str]], list[str]]


@dataclass(frozen=True)
class Split:
    train: tuple[Interaction, ...]
    # user → (what they had before, the held-out basket's items they had not had before)
    held_out: dict[str, tuple[dict[str, float], frozenset[str]]]


def leave_last_out(histories: Histories, weight: float = 1.0) -> Split:
    """Every user's last basket is held out; users with one basket stay in training only. Items of the
    last basket the user already had are not targets (they are not discoveries)."""
    train: list[Interaction] = []
    held: dict[str, tuple[dict[str, float], frozenset[str]]] = {}
    for user, baskets in histories.items():
        keep = baskets[:-1] if len(baskets) > 1 else baskets
        had: dict[str, float] = {}
        for basket in keep:
            for item in basket:
                train.append(Interaction(user, item, weight))
                had[item] = had.get(item, 0.0) + weight
        if len(baskets) > 1:
            targets = frozenset(baskets[-1]) - set(had)
            if targets:
                held[user] = (had, targets)
    return Split(train=tuple(train), held_out=held)


@dataclass(frozen=True)
class Metrics:
    users: int
    hit_rate: float
    ndcg: float
    recall: float


def score(split: Split, recommend: Recommender, k: int = 10) -> Metrics:
    hits = ndcg = recall = 0.0
    for had, targets in split.held_out.values():
        ranked = recommend(had, k, frozenset(had))[:k]
        gains = [1.0 if item in targets else 0.0 for item in ranked]
        hits += 1.0 if any(gains) else 0.0
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(targets))))
        ndcg += dcg / ideal
        recall += sum(gains) / min(k, len(targets))
    n = len(split.held_out)
    if n == 0:
        return Metrics(0, 0.0, 0.0, 0.0)
    return Metrics(users=n, hit_rate=hits / n, ndcg=ndcg / n, recall=recall / n)
