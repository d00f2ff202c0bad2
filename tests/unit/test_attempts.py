"""Verification attempts per claimed identity (issue #16, item 1) and the rate-limit counters, in-process
and on the real Redis at 127.0.0.1:6379."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from kefu.guard.attempts import AttemptPolicy, AttemptRecord, InProcessAttemptStore, VerificationLimits
from kefu.guard.rate_limits import InProcessCounters, Limit, RateLimited, RateLimiter
from kefu_test_support import REDIS_URL

POLICY = AttemptPolicy(free=3, base_delay_s=2.0, max_delay_s=60.0, lockout_after=6, lockout_s=900.0)


def test_backoff_then_lockout() -> None:
    assert POLICY.wait_s(AttemptRecord(2, 100.0), 100.0) is None
    assert POLICY.wait_s(AttemptRecord(3, 100.0), 100.5) == pytest.approx(1.5)  # 2 s after the third
    assert POLICY.wait_s(AttemptRecord(4, 100.0), 100.0) == pytest.approx(4.0)
    assert POLICY.wait_s(AttemptRecord(4, 100.0), 104.0) is None
    assert POLICY.wait_s(AttemptRecord(6, 100.0), 100.0) == pytest.approx(900.0)


def _limits(store: Any, audited: list[tuple[str, int]]) -> VerificationLimits:
    return VerificationLimits(store, "secret", POLICY, on_lockout=lambda key, n: audited.append((key, n)))


def _exercise(limits: VerificationLimits, audited: list[tuple[str, int]], identity: str) -> int:
    assert limits.retry_after(identity) is None
    waits = [limits.failed(identity) for _ in range(6)]
    assert waits[:2] == [None, None] and all(w is not None for w in waits[2:])
    assert limits.locked_out(identity) and limits.locked_out(identity.upper())  # the same claimed person
    wait = limits.retry_after(f"  {identity}  ")
    assert wait is not None and 890 < wait <= 900
    assert len(audited) == 1 and audited[0][1] == 6 and identity not in audited[0][0]  # hashed
    limits.failed(identity)
    assert len(audited) == 1  # audited once per lock-out
    assert limits.retry_after("retail:name_zip:someone else") is None
    limits.succeeded(identity)
    assert limits.retry_after(identity) is None and not limits.locked_out(identity)
    return len(audited)


def test_in_process_attempts() -> None:
    audited: list[tuple[str, int]] = []
    lockouts = _exercise(_limits(InProcessAttemptStore(), audited), audited, "retail:name_zip:ivan santos")
    assert lockouts == 1  # one lock-out, audited once, cleared by a success


def test_in_process_attempts_stay_bounded() -> None:
    store = InProcessAttemptStore(max_keys=10)
    for i in range(50):
        store.failed(f"k{i}", 60)
    assert store.get("k0") is None and store.get("k49") is not None


@pytest.mark.redis
def test_redis_attempts_are_shared_by_workers() -> None:
    from redis import Redis

    from kefu.store.redis_limits import RedisAttemptStore

    client = Redis.from_url(REDIS_URL, decode_responses=True)
    prefix = f"kefu:test:{uuid.uuid4().hex}"
    audited: list[tuple[str, int]] = []
    one = _limits(RedisAttemptStore(client, prefix), audited)
    other = _limits(RedisAttemptStore(Redis.from_url(REDIS_URL, decode_responses=True), prefix), audited)
    identity = "retail:name_zip:mei chen 10001"
    for _ in range(3):
        one.failed(identity)
    for _ in range(3):
        other.failed(identity)
    assert one.locked_out(identity) and other.locked_out(identity)
    assert len(audited) == 1
    other.succeeded(identity)
    assert one.retry_after(identity) is None
    client.close()


def test_limit_specs() -> None:
    assert Limit.parse("x", "30/60") == Limit("x", 30, 60.0)
    assert not Limit.parse("x", "0/1").enabled
    for bad in ("30", "a/60", "30/0", "-1/60", ""):
        with pytest.raises(ValueError, match="COUNT/SECONDS"):
            Limit.parse("x", bad)


@pytest.mark.anyio
async def test_fixed_windows_and_retry_after() -> None:
    now = [1000.0]
    limiter = RateLimiter(InProcessCounters(clock=lambda: now[0]))
    limit = Limit("messages", 3, 60.0)
    for _ in range(3):
        await limiter.hit(limit, "c1")
    with pytest.raises(RateLimited) as over:
        await limiter.hit(limit, "c1")
    assert over.value.retry_after == 60
    await limiter.hit(limit, "c2")
    now[0] += 30
    with pytest.raises(RateLimited) as still:
        await limiter.check(limit, "c1")
    assert still.value.retry_after == 30
    now[0] += 31
    await limiter.hit(limit, "c1")  # a new window


@pytest.mark.anyio
@pytest.mark.redis
async def test_redis_counters() -> None:
    from kefu.store.redis_coordination import redis_client
    from kefu.store.redis_limits import RedisCounters

    client = redis_client(REDIS_URL)
    counters = RedisCounters(client)
    key = f"kefu:test:{uuid.uuid4().hex}"
    assert [(await counters.incr(key, 5))[0] for _ in range(3)] == [1, 2, 3]
    count, left = await counters.peek(key)
    assert count == 3 and 0 < left <= 5
    assert await counters.put_if_absent(f"{key}:v", "a", 5) is None
    assert await counters.put_if_absent(f"{key}:v", "b", 5) == "a"
    assert await counters.value(f"{key}:v") == "a"
    assert (await counters.peek(f"{key}:none")) == (0, 0.0)
    await client.aclose()
