"""The pieces that keep a misbehaving model from hurting a turn: back-off, a circuit breaker and a
per-conversation token budget. Thread-safe (turns run in worker threads); the clock is injectable."""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from kefu.llm.types import LLMBudgetExceeded, LLMUnavailable

Clock = Callable[[], float]


@dataclass(frozen=True)
class Backoff:
    """Delay before retry ``attempt`` (0-based): ``base * 2**attempt``, capped, with full jitter."""

    base_s: float = 0.2
    max_s: float = 2.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        ceiling = min(self.max_s, self.base_s * (2**attempt))
        return (rng or random).uniform(ceiling / 2, ceiling)


class CircuitBreaker:
    """Closed → open after ``failures`` consecutive failures; open for ``reset_s`` (every call fails
    fast with ``LLMUnavailable``); then half-open: one trial call, which closes or re-opens it."""

    def __init__(self, failures: int = 5, reset_s: float = 30.0, clock: Clock = time.monotonic) -> None:
        self.threshold = failures
        self.reset_s = reset_s
        self.clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            return "half_open" if self.clock() - self._opened_at >= self.reset_s else "open"

    def before(self) -> None:
        """Raise ``LLMUnavailable`` when calls must not reach the model now."""
        with self._lock:
            if self._opened_at is None:
                return
            if self.clock() - self._opened_at < self.reset_s or self._trial:
                raise LLMUnavailable("the model's circuit breaker is open")
            self._trial = True  # half-open: this caller is the trial

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial = False

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial or self._failures >= self.threshold:
                self._opened_at = self.clock()
            self._trial = False


class TokenBudget:
    """Tokens each conversation may spend on the model (prompt + completion); 0 = unlimited. Kept per
    process for the ``max_conversations`` most recent conversations."""

    def __init__(self, limit: int, max_conversations: int = 100_000) -> None:
        self.limit = limit
        self.max_conversations = max_conversations
        self._spent: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def spent(self, conversation: str) -> int:
        with self._lock:
            return self._spent.get(conversation, 0)

    def check(self, conversation: str | None, upcoming: int) -> None:
        """Raise ``LLMBudgetExceeded`` when ``upcoming`` more tokens would pass the limit."""
        if not self.limit or conversation is None:
            return
        if self.spent(conversation) + upcoming > self.limit:
            raise LLMBudgetExceeded(f"conversation {conversation} used its {self.limit} LLM tokens")

    def charge(self, conversation: str | None, tokens: int) -> None:
        if conversation is None:
            return
        with self._lock:
            self._spent[conversation] = self._spent.get(conversation, 0) + tokens
            self._spent.move_to_end(conversation)
            while len(self._spent) > self.max_conversations:
                self._spent.popitem(last=False)
