"""Rate limits: fixed-window counters per subject (an IP, a conversation, a customer, a socket ticket).

``Counters`` is the port: in-process by default (``InProcessCounters``), Redis-backed across workers
(``kefu.store.redis_limits.RedisCounters``) when ``KEFU_REDIS_URL`` is set. A limit is written
``"COUNT/SECONDS"`` in the settings (``"30/60"``: 30 per minute); ``"0/…"`` switches it off. Going over a
limit raises ``RateLimited`` with the seconds until the window resets (HTTP 429 + ``Retry-After``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kefu.domain.errors import KefuError


class RateLimited(KefuError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s

    @property
    def retry_after(self) -> int:
        """Whole seconds for the ``Retry-After`` header (at least 1)."""
        return max(1, math.ceil(self.retry_after_s))


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    window_s: float

    @property
    def enabled(self) -> bool:
        return self.count > 0

    @classmethod
    def parse(cls, name: str, spec: str) -> Limit:
        """``"30/60"`` → 30 per 60 seconds; a clear ``ValueError`` otherwise."""
        count, slash, window = spec.strip().partition("/")
        try:
            parsed = cls(name, int(count), float(window.removesuffix("s")))
        except ValueError:
            parsed = None
        if not slash or parsed is None or parsed.count < 0 or parsed.window_s <= 0:
            raise ValueError(f"{name}: expected COUNT/SECONDS such as '30/60', got {spec!r}")
        return parsed


class Counters(Protocol):
    """Shared counters with expiry."""

    async def incr(self, key: str, window_s: float) -> tuple[int, float]:
        """Add one to ``key`` (created with a ``window_s`` lifetime); returns (count, seconds left)."""
        ...

    async def peek(self, key: str) -> tuple[int, float]:
        """The count of ``key`` and its seconds left, (0, 0) when absent."""
        ...

    async def put_if_absent(self, key: str, value: str, ttl_s: float) -> str | None:
        """Store ``value`` unless ``key`` exists; returns the value already there, or ``None``."""
        ...

    async def value(self, key: str) -> str | None:
        """The value ``put_if_absent`` stored under ``key``, if it has not expired."""
        ...


class InProcessCounters:
    """Counters of one process. Expired keys are swept once the table grows past ``max_keys``; past twice
    that the oldest keys go first, so a flood of distinct subjects cannot grow memory without bound."""

    def __init__(self, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._counts: dict[str, tuple[int, float]] = {}
        self._values: dict[str, tuple[str, float]] = {}
        self._max_keys = max_keys
        self._clock = clock

    def _now(self) -> float:
        return self._clock()

    def _sweep(self, now: float) -> None:
        for table in (self._counts, self._values):
            if len(table) > self._max_keys:
                for key in [k for k, (_, until) in table.items() if until <= now]:
                    del table[key]
            while len(table) > 2 * self._max_keys:
                del table[next(iter(table))]

    async def incr(self, key: str, window_s: float) -> tuple[int, float]:
        now = self._now()
        count, until = self._counts.get(key, (0, 0.0))
        if until <= now:
            count, until = 0, now + window_s
            self._sweep(now)
        self._counts[key] = (count + 1, until)
        return count + 1, until - now

    async def peek(self, key: str) -> tuple[int, float]:
        now = self._now()
        count, until = self._counts.get(key, (0, 0.0))
        return (count, until - now) if until > now else (0, 0.0)

    async def put_if_absent(self, key: str, value: str, ttl_s: float) -> str | None:
        now = self._now()
        found = self._values.get(key)
        if found is not None and found[1] > now:
            return found[0]
        self._sweep(now)
        self._values[key] = (value, now + ttl_s)
        return None

    async def value(self, key: str) -> str | None:
        found = self._values.get(key)
        return found[0] if found is not None and found[1] > self._now() else None


class RateLimiter:
    """Applies ``Limit``s to subjects over shared ``Counters``."""

    def __init__(self, counters: Counters, prefix: str = "kefu:rl") -> None:
        self.counters = counters
        self._prefix = prefix

    def _key(self, limit: Limit, subject: str) -> str:
        return f"{self._prefix}:{limit.name}:{subject}"

    async def hit(self, limit: Limit, subject: str) -> None:
        """Count one request of ``subject``; raises ``RateLimited`` once it is over the limit."""
        if not limit.enabled:
            return
        count, left = await self.counters.incr(self._key(limit, subject), limit.window_s)
        if count > limit.count:
            raise RateLimited(
                f"too many requests ({limit.name}: {limit.count} per {limit.window_s:g} s); retry later",
                left,
            )

    async def check(self, limit: Limit, subject: str) -> None:
        """Raise ``RateLimited`` when ``subject`` already used up the limit (counts nothing)."""
        if not limit.enabled:
            return
        count, left = await self.counters.peek(self._key(limit, subject))
        if count >= limit.count:
            raise RateLimited(
                f"too many attempts ({limit.name}: {limit.count} per {limit.window_s:g} s); retry later",
                left,
            )
