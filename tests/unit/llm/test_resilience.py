"""Retries with back-off, the circuit breaker, the concurrency limit and the token budget."""

from __future__ import annotations

import threading

import anyio
import pytest

from kefu.llm.openai_compat import OpenAICompatModel
from kefu.llm.resilience import Backoff, CircuitBreaker, TokenBudget
from kefu.llm.resilient import Policy, ResilientModel
from kefu.llm.types import ChatMessage, ChatRequest, LLMBadReply, LLMBudgetExceeded, LLMUnavailable
from kefu.testing.openai_server import ScriptedChatServer, ScriptedReply

HELLO = ChatRequest((ChatMessage("user", "hello"),), conversation="conv-1")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_backoff_doubles_with_jitter_and_a_cap() -> None:
    backoff = Backoff(base_s=0.1, max_s=0.5)
    delays = [backoff.delay(n) for n in range(5)]
    assert 0.05 <= delays[0] <= 0.1 and 0.1 <= delays[1] <= 0.2 and 0.2 <= delays[2] <= 0.4
    assert all(d <= 0.5 for d in delays)


def test_breaker_opens_fails_fast_then_lets_one_trial_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=2, reset_s=10, clock=clock)
    breaker.before()
    breaker.failed()
    breaker.failed()
    assert breaker.state == "open"
    with pytest.raises(LLMUnavailable, match="circuit breaker"):
        breaker.before()
    clock.now += 10
    assert breaker.state == "half_open"
    breaker.before()  # the trial
    with pytest.raises(LLMUnavailable):
        breaker.before()  # a second caller while the trial runs
    breaker.failed()
    assert breaker.state == "open"  # the trial failed: open again
    clock.now += 10
    breaker.before()
    breaker.succeeded()
    assert breaker.state == "closed"


def test_budget_per_conversation() -> None:
    budget = TokenBudget(limit=100)
    budget.charge("a", 90)
    budget.check("b", 50)
    with pytest.raises(LLMBudgetExceeded):
        budget.check("a", 20)
    TokenBudget(limit=0).check("a", 10**9)  # 0 = no budget


def test_retries_a_503_then_succeeds(server: ScriptedChatServer, model: ResilientModel) -> None:
    server.script(ScriptedReply(status=503), ScriptedReply("fine"))
    assert model.complete(HELLO).text == "fine"
    assert len(server.requests) == 2 and model.breaker.state == "closed"


def test_garbage_is_not_retried_and_does_not_open_the_breaker(
    server: ScriptedChatServer, model: ResilientModel
) -> None:
    for _ in range(4):
        server.script(ScriptedReply(raw="not json at all"))
        with pytest.raises(LLMBadReply):
            model.complete(HELLO)
    assert len(server.requests) == 4 and model.breaker.state == "closed"


def test_a_model_that_keeps_failing_opens_the_breaker_and_is_no_longer_called(
    server: ScriptedChatServer, model: ResilientModel
) -> None:
    server.reset(lambda body: ScriptedReply(status=500))
    for _ in range(2):
        with pytest.raises(LLMUnavailable):
            model.complete(HELLO)
    assert model.breaker.state == "open"
    calls = len(server.requests)
    with pytest.raises(LLMUnavailable, match="circuit breaker"):
        model.complete(HELLO)
    assert len(server.requests) == calls  # failed fast, the model was not asked


def test_the_token_budget_stops_a_conversation_not_the_others(
    server: ScriptedChatServer, raw_model: OpenAICompatModel
) -> None:
    model = ResilientModel(raw_model, Policy(conversation_tokens=700))
    server.reset(lambda body: ScriptedReply("ok", usage=(500, 100)))
    model.complete(HELLO)
    with pytest.raises(LLMBudgetExceeded):
        model.complete(HELLO)
    other = ChatRequest(HELLO.messages, conversation="conv-2")
    assert model.complete(other).text == "ok"
    assert model.budget.spent("conv-1") == 600


def test_the_concurrency_limit_refuses_a_caller_that_waits_too_long(
    server: ScriptedChatServer, raw_model: OpenAICompatModel
) -> None:
    model = ResilientModel(raw_model, Policy(max_concurrency=1, queue_timeout_s=0.1, retries=0))
    server.script(ScriptedReply("slow", delay_s=0.35))
    first = threading.Thread(target=model.complete, args=(HELLO,))
    first.start()
    while not server.requests:
        threading.Event().wait(0.01)
    with pytest.raises(LLMUnavailable, match="in flight"):
        model.complete(HELLO)
    first.join()


def test_a_stream_is_retried_only_before_its_first_delta(
    server: ScriptedChatServer, model: ResilientModel
) -> None:
    server.script(ScriptedReply(status=502), ScriptedReply("Back again."))

    async def run() -> str:
        return "".join([d.text async for d in model.stream(HELLO)])

    assert anyio.run(run) == "Back again."
    assert len(server.requests) == 2


def test_a_model_that_timed_out_is_not_waited_for_twice(
    server: ScriptedChatServer, raw_model: OpenAICompatModel
) -> None:
    model = ResilientModel(raw_model, Policy(retries=2, retry_window_s=0.3, backoff=Backoff(0.01, 0.02)))
    server.reset(lambda body: ScriptedReply("late", delay_s=1.0))
    with pytest.raises(LLMUnavailable):
        model.complete(HELLO)  # timed out after 0.5 s: past the retry window
    assert len(server.requests) == 1
    server.reset()
    server.script(ScriptedReply(status=503), ScriptedReply(status=503), ScriptedReply("third time"))
    assert model.complete(HELLO).text == "third time"  # fast failures are retried within the window
