"""The result every grounded resolver returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

Outcome = Literal["resolved", "ambiguous", "none"]


@dataclass(frozen=True)
class Resolution(Generic[T]):
    """``resolved``: ``value`` is the answer. ``ambiguous``: ``candidates`` (≥ 2) all fit and the
    customer must choose; ``distinguishing`` names the attributes that tell them apart (e.g. ``("date",
    "items")`` or ``("color",)``). ``none``: nothing in the message refers to this slot.
    ``unavailable`` lists what the customer asked for but the data cannot give (e.g. a variant that is
    out of stock), so the reply can say so; ``note`` is a short machine-readable reason."""

    outcome: Outcome
    value: T | None = None
    candidates: tuple[T, ...] = ()
    distinguishing: tuple[str, ...] = ()
    unavailable: tuple[str, ...] = ()
    note: str = ""
    spans: tuple[tuple[int, int], ...] = field(default=())  # where in the text the reference was

    @classmethod
    def found(cls, value: T, note: str = "") -> Resolution[T]:
        return cls("resolved", value=value, note=note)

    @classmethod
    def choose(cls, candidates: tuple[T, ...], distinguishing: tuple[str, ...] = ()) -> Resolution[T]:
        return cls("ambiguous", candidates=candidates, distinguishing=distinguishing)

    @classmethod
    def nothing(cls, note: str = "") -> Resolution[T]:
        return cls("none", note=note)

    @property
    def resolved(self) -> bool:
        return self.outcome == "resolved"
