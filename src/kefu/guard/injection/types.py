"""What the injection detector answers: a verdict and the kind of attack that made it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["override", "role", "leak", "policy", "indirect", "learned"]
DIRECT_KINDS: tuple[Kind, ...] = ("override", "role", "leak", "policy")
PASSAGE_KINDS: tuple[Kind, ...] = (*DIRECT_KINDS, "indirect")


@dataclass(frozen=True)
class InjectionVerdict:
    """``attack`` says whether to act; ``kind`` and ``evidence`` say why (evidence is the matched
    stretch of normalised text, or the learned detector's probability)."""

    attack: bool
    kind: Kind | None = None
    evidence: str = ""
    score: float = 0.0  # 1.0 for a pattern, the probability for the learned detector

    @staticmethod
    def clean() -> InjectionVerdict:
        return InjectionVerdict(False)
