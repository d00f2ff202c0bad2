"""The contract of the recommendation engine: what a recommendation is and why it was made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ReasonKind = Literal["co_occurrence", "similar", "popular", "interest", "next_step"]


@dataclass(frozen=True)
class Recommendation:
    """One recommended item. ``because`` names the customer's own items (or stated interests) that led
    to it, strongest first; an empty tuple with ``reason="popular"`` means "popular with others"."""

    item_id: str
    score: float
    reason: ReasonKind
    because: tuple[str, ...] = ()
