"""Content similarity between products from what they are: name words and the option axes they vary
on (``battery life`` + ``water resistance`` make earbuds kin to a speaker). Axes every second product has
(color, size, material) say nothing and are left out. Used for "something like this?" and for products
nobody has bought yet."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_GENERIC_SHARE = 0.25  # an axis on more than this share of products is not a feature
_WORD = re.compile(r"[a-z]+|[\u4e00-\u9fff]")


def _features(product: Mapping[str, Any]) -> set[str]:
    words = {f"w:{w}" for w in _WORD.findall(str(product.get("name", "")).lower()) if len(w) > 2}
    axes: set[str] = set()
    for variant in (product.get("variants") or {}).values():
        axes.update(f"a:{axis.lower()}" for axis in (variant.get("options") or {}))
    return words | axes


@dataclass(frozen=True)
class ContentIndex:
    features: Mapping[str, frozenset[str]]

    @classmethod
    def build(cls, products: Mapping[str, Mapping[str, Any]]) -> ContentIndex:
        raw = {pid: _features(p) for pid, p in products.items()}
        counts = Counter(f for fs in raw.values() for f in fs)
        limit = max(2.0, _GENERIC_SHARE * len(raw))
        return cls({pid: frozenset(f for f in fs if counts[f] <= limit) for pid, fs in raw.items()})

    def similarity(self, a: str, b: str) -> float:
        fa, fb = self.features.get(a, frozenset()), self.features.get(b, frozenset())
        if not fa or not fb:
            return 0.0
        return len(fa & fb) / len(fa | fb)

    def similar(self, product_id: str, k: int = 5) -> list[tuple[str, float]]:
        scored = [(pid, self.similarity(product_id, pid)) for pid in self.features if pid != product_id]
        scored = [(pid, s) for pid, s in scored if s > 0]
        scored.sort(key=lambda p: (-p[1], p[0]))
        return scored[:k]
