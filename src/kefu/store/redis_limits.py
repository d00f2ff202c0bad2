"""Redis-backed rate-limit counters and verification-attempt records, shared by every worker."""

from __future__ import annotations

import logging
import time

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.exceptions import RedisError

from kefu.guard.attempts import AttemptRecord

_INCR = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""


log = logging.getLogger("kefu.limits")


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class RedisCounters:
    """``kefu.guard.rate_limits.Counters`` over Redis: ``INCR`` + ``PEXPIRE`` in one script. When Redis
    cannot be reached the limits fail open (logged): an outage of Redis must not turn into 500s."""

    def __init__(self, client: Redis) -> None:
        self._client = client

    async def incr(self, key: str, window_s: float) -> tuple[int, float]:
        try:
            count, ttl_ms = await self._client.eval(_INCR, 1, key, _ms(window_s))
        except RedisError as exc:
            log.warning("rate limits are off while Redis is unavailable: %s", exc)
            return 0, 0.0
        return int(count), int(ttl_ms) / 1000

    async def peek(self, key: str) -> tuple[int, float]:
        try:
            value = await self._client.get(key)
            if value is None:
                return 0, 0.0
            ttl_ms = await self._client.pttl(key)
        except RedisError as exc:
            log.warning("rate limits are off while Redis is unavailable: %s", exc)
            return 0, 0.0
        return int(value), max(0, int(ttl_ms)) / 1000

    async def put_if_absent(self, key: str, value: str, ttl_s: float) -> str | None:
        try:
            if await self._client.set(key, value, nx=True, px=_ms(ttl_s)):
                return None
        except RedisError as exc:
            log.warning("single-use checks are off while Redis is unavailable: %s", exc)
            return None
        return await self.value(key)

    async def value(self, key: str) -> str | None:
        try:
            found = await self._client.get(key)
        except RedisError:
            return None
        return None if found is None else str(found)


class RedisAttemptStore:
    """``kefu.guard.attempts.AttemptStore`` over Redis hashes (``HINCRBY`` is atomic across workers)."""

    def __init__(self, client: SyncRedis, prefix: str = "kefu:verify") -> None:
        self._client = client
        self._prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self._prefix}:{key}"

    def failed(self, key: str, ttl_s: float) -> AttemptRecord:
        now = time.time()
        pipe = self._client.pipeline(transaction=True)
        pipe.hincrby(self._key(key), "failures", 1)
        pipe.hset(self._key(key), "last", repr(now))
        pipe.pexpire(self._key(key), _ms(ttl_s))
        failures = int(pipe.execute()[0])
        return AttemptRecord(failures, now)

    def get(self, key: str) -> AttemptRecord | None:
        found = self._client.hgetall(self._key(key))
        if not found:
            return None
        return AttemptRecord(int(found["failures"]), float(found["last"]))

    def clear(self, key: str) -> None:
        self._client.delete(self._key(key))
