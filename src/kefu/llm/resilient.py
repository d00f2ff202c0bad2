"""``ResilientModel``: any ``ChatModel`` behind retries with back-off, a circuit breaker, a concurrency
limit and a per-conversation token budget. What it raises is always an ``LLMError``; the uses catch it
and take their deterministic path.

Retries: only ``RetryableUnavailable`` (timeouts, connection errors, 429, 5xx), only while a retry would
start within ``retry_window_s`` of the first attempt (so a turn never waits for a slow model twice), and
for a stream only before its first delta (a half-sent answer is withdrawn by the caller, never silently
re-generated).
A bad reply (garbage, invalid JSON) is not retried and does not open the breaker: the server is up.
Concurrency: at most ``max_concurrency`` calls in flight from worker threads and as many streams on the
event loop; a caller that waits more than ``queue_timeout_s`` for a slot gets ``LLMUnavailable``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import anyio

from kefu.llm.ports import ChatModel, closing
from kefu.llm.resilience import Backoff, CircuitBreaker, Clock, TokenBudget
from kefu.llm.types import (
    ChatReply,
    ChatRequest,
    LLMUnavailable,
    RetryableUnavailable,
    StreamDelta,
    estimate_tokens,
)


@dataclass(frozen=True)
class Policy:
    retries: int = 2
    backoff: Backoff = field(default_factory=Backoff)
    max_concurrency: int = 256
    queue_timeout_s: float = 2.0
    conversation_tokens: int = 50_000  # 0 = no budget
    breaker_failures: int = 5
    breaker_reset_s: float = 30.0
    retry_window_s: float = 5.0  # no retry starts later than this after the first attempt began


def prompt_tokens(request: ChatRequest) -> int:
    return sum(estimate_tokens(m.content) for m in request.messages) + 4 * len(request.messages)


class ResilientModel:
    def __init__(
        self,
        inner: ChatModel,
        policy: Policy | None = None,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inner = inner
        self.policy = policy or Policy()
        self.breaker = CircuitBreaker(self.policy.breaker_failures, self.policy.breaker_reset_s, clock)
        self.budget = TokenBudget(self.policy.conversation_tokens)
        self._threads = threading.BoundedSemaphore(self.policy.max_concurrency)
        self._streams: dict[asyncio.AbstractEventLoop, anyio.Semaphore] = {}  # one per event loop
        self._sleep = sleep
        self._clock = clock

    def _admit(self, request: ChatRequest) -> None:
        self.budget.check(request.conversation, prompt_tokens(request) + request.max_tokens // 4)
        self.breaker.before()

    def _charge(self, request: ChatRequest, used: int, text: str) -> None:
        self.budget.charge(request.conversation, used or prompt_tokens(request) + estimate_tokens(text))

    def _may_retry(self, attempt: int, began: float, delay: float) -> bool:
        """Another attempt only while retries remain, the breaker is closed and the retry would start
        within ``retry_window_s`` (a model that timed out is not waited for twice)."""
        if attempt >= self.policy.retries or self.breaker.state != "closed":
            return False
        return self._clock() - began + delay <= self.policy.retry_window_s

    def complete(self, request: ChatRequest) -> ChatReply:
        self._admit(request)
        if not self._threads.acquire(timeout=self.policy.queue_timeout_s):
            raise LLMUnavailable("too many model calls in flight")
        try:
            began = self._clock()
            for attempt in range(self.policy.retries + 1):
                try:
                    reply = self.inner.complete(request)
                except RetryableUnavailable:
                    self.breaker.failed()
                    delay = self.policy.backoff.delay(attempt)
                    if not self._may_retry(attempt, began, delay):
                        raise
                    self._sleep(delay)
                except LLMUnavailable:
                    self.breaker.failed()
                    raise
                else:
                    self.breaker.succeeded()
                    self._charge(request, reply.usage.total, reply.text)
                    return reply
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            self._threads.release()

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamDelta]:
        self._admit(request)
        loop = asyncio.get_running_loop()
        streams = self._streams.get(loop)
        if streams is None:
            streams = self._streams[loop] = anyio.Semaphore(self.policy.max_concurrency)
            for old in [lp for lp in self._streams if lp.is_closed()]:
                del self._streams[old]
        try:
            with anyio.fail_after(self.policy.queue_timeout_s):
                await streams.acquire()
        except TimeoutError as exc:
            raise LLMUnavailable("too many model streams in flight") from exc
        text: list[str] = []
        used = 0
        try:
            began = self._clock()
            for attempt in range(self.policy.retries + 1):
                started = False
                try:
                    async with closing(self.inner.stream(request)) as deltas:
                        async for delta in deltas:
                            started = True
                            text.append(delta.text)
                            if delta.usage is not None:
                                used = delta.usage.total
                            yield delta
                except RetryableUnavailable:
                    self.breaker.failed()
                    delay = self.policy.backoff.delay(attempt)
                    if started or not self._may_retry(attempt, began, delay):
                        raise
                    await anyio.sleep(delay)
                except LLMUnavailable:
                    self.breaker.failed()
                    raise
                else:
                    self.breaker.succeeded()
                    return
        finally:
            self._charge(request, used, "".join(text))
            streams.release()
