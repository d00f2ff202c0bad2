"""Redis turn lock (FIFO queue, short leases renewed by a heartbeat, fencing tokens) and pub/sub broker,
for many stateless workers.

The lock of a conversation is a queue: a sorted set of waiting owners scored by ticket, under keys that
share the hash tag ``{conversation_id}``. The owner at the head of the queue holds the lock. Every owner,
waiting or holding, keeps a short-lived ``alive`` key renewed by a heartbeat; an owner whose key expired
(its worker died) is dropped from the queue by whoever looks next, so a dead worker's lock is gone one
lease later. A releasing holder wakes the next owner through a list it blocks on (``BLPOP``), so
waiters neither spin nor overtake each other. Each holder gets a fencing token that only grows, even
across a Redis flush or restart (it is at least Redis' clock in microseconds); the store rejects a
write whose token is older than the last one written.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from kefu.domain.errors import StoreUnavailable
from kefu.domain.ids import ConversationId
from kefu.store.memory import InProcessTurnLock

log = logging.getLogger("kefu.lock")
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)

# KEYS[1] queue (zset), KEYS[2] ticket counter, KEYS[3] fence counter
# ARGV[1] owner, ARGV[2] key base ("<prefix>:lock:{id}:"), ARGV[3] lease ms
# Queue the owner (if not queued), renew its lease, drop dead owners at the head; if the owner is now at
# the head, return a new fencing token, else 0.
_ACQUIRE = """
local base = ARGV[2]
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[2]), ARGV[1])
end
redis.call('SET', base .. 'alive:' .. ARGV[1], '1', 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3] * 10)
redis.call('PEXPIRE', KEYS[2], ARGV[3] * 10)
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if head == ARGV[1] then
    local fence = redis.call('INCR', KEYS[3])
    local now = redis.call('TIME')
    local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
    if fence < floor then
      fence = floor
      redis.call('SET', KEYS[3], string.format('%d', floor))
    end
    return fence
  end
  if redis.call('EXISTS', base .. 'alive:' .. head) == 1 then return 0 end
  redis.call('ZREM', KEYS[1], head)
end
"""

# KEYS[1] queue; ARGV[1] owner, ARGV[2] key base, ARGV[3] lease ms. 1 if the owner is still queued.
_HEARTBEAT = """
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('SET', ARGV[2] .. 'alive:' .. ARGV[1], '1', 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[3] * 10)
return 1
"""

# KEYS[1] queue; ARGV[1] owner, ARGV[2] key base, ARGV[3] lease ms.
# Leave the queue and wake the next live owner (dropping dead ones on the way).
_RELEASE = """
local base = ARGV[2]
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', base .. 'alive:' .. ARGV[1], base .. 'wake:' .. ARGV[1])
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not head then return 0 end
  if redis.call('EXISTS', base .. 'alive:' .. head) == 1 then
    redis.call('RPUSH', base .. 'wake:' .. head, '1')
    redis.call('PEXPIRE', base .. 'wake:' .. head, ARGV[3] * 10)
    return 1
  end
  redis.call('ZREM', KEYS[1], head)
end
"""


def _reraise_if_cancelled() -> None:
    """A cancellation that arrived inside a Redis call may surface as a timeout error: never swallow it."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def redis_client(url: str, max_connections: int = 1024, wait_s: float = 10.0) -> Redis:
    """A client whose pool makes a command wait up to ``wait_s`` for a free connection when all
    ``max_connections`` are busy (under a burst of turns), instead of failing it at once."""
    pool = BlockingConnectionPool.from_url(
        url, decode_responses=True, health_check_interval=10, max_connections=max_connections, timeout=wait_s
    )
    return Redis.from_pool(pool)


class RedisTurnLock:
    """A local FIFO lock (turns of one process keep arrival order, and one process queues once per
    conversation) in front of the Redis queue described in the module docstring."""

    def __init__(
        self,
        client: Redis,
        lease_ms: int = 4_000,
        wait_s: float = 30.0,
        prefix: str = "kefu",
    ) -> None:
        if lease_ms < 300:
            raise ValueError("lease_ms must be at least 300")
        self._client = client
        self._lease_ms = lease_ms
        self._beat_s = lease_ms / 4000  # four heartbeats per lease
        self._wait_s = wait_s
        self._prefix = prefix
        self._local = InProcessTurnLock()
        self._acquire = client.register_script(_ACQUIRE)
        self._heartbeat = client.register_script(_HEARTBEAT)
        self._release = client.register_script(_RELEASE)
        self.lost = 0  # holds whose lease lapsed before release (their writes were fenced)

    def _base(self, conversation_id: str) -> str:
        return f"{self._prefix}:lock:{{{conversation_id}}}:"

    @asynccontextmanager
    async def hold(self, conversation_id: ConversationId) -> AsyncIterator[int]:
        base = self._base(conversation_id)
        queue = base + "q"
        owner = secrets.token_hex(12)
        args = (owner, base, self._lease_ms)
        async with self._local.hold(conversation_id):
            try:
                fence = await self._wait_turn(conversation_id, base, queue, owner)
                stop = asyncio.Event()
                beat = asyncio.create_task(self._keep_alive(queue, args, stop))
                try:
                    yield fence
                finally:
                    # Stopped by the event, not by cancelling it: a cancellation that lands inside a Redis
                    # call can come out as a timeout error and be lost, and the lease renewed forever.
                    stop.set()
                    beat.cancel()
            finally:
                await asyncio.shield(self._leave(queue, args))

    async def _wait_turn(self, conversation_id: str, base: str, queue: str, owner: str) -> int:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait_s
        keys = [queue, base + "t", base + "f"]
        while True:
            try:
                fence = int(await self._acquire(keys=keys, args=[owner, base, self._lease_ms]))
                if fence:
                    return fence
                left = deadline - loop.time()
                if left <= 0:
                    raise StoreUnavailable(
                        f"conversation {conversation_id} stayed busy for {self._wait_s:.0f} s; retry"
                    )
                # Woken by the holder's release, or after one heartbeat to renew our place and look
                # for a dead holder.
                await self._client.blpop([base + "wake:" + owner], timeout=min(self._beat_s, left))
            except REDIS_DOWN as exc:
                _reraise_if_cancelled()
                if loop.time() >= deadline:
                    raise StoreUnavailable(f"Redis unreachable while waiting for a lock: {exc}") from exc
                await asyncio.sleep(min(self._beat_s, 0.25))

    async def _keep_alive(self, queue: str, args: tuple[str, str, int], stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._beat_s)
            if stop.is_set():
                return
            try:
                if not await self._heartbeat(keys=[queue], args=list(args)):
                    self.lost += 1
                    log.warning("turn lock %s lapsed while held; its write will be fenced", queue)
                    return
            except REDIS_DOWN as exc:
                _reraise_if_cancelled()
                log.warning("turn lock heartbeat failed (%s); retrying", exc)

    async def _leave(self, queue: str, args: tuple[str, str, int]) -> None:
        try:
            await self._release(keys=[queue], args=list(args))
        except REDIS_DOWN as exc:  # our entry expires with its alive key
            log.warning("turn lock release failed (%s); it lapses in %d ms", exc, self._lease_ms)


class RedisBroker:
    """Publishes a conversation's events on ``kefu:conv:{id}`` so every worker's sockets get them."""

    def __init__(self, client: Redis, prefix: str = "kefu") -> None:
        self._client = client
        self._prefix = prefix

    def _channel(self, conversation_id: str) -> str:
        return f"{self._prefix}:conv:{conversation_id}"

    async def publish(self, conversation_id: ConversationId, payload: dict[str, Any]) -> None:
        try:
            await self._client.publish(
                self._channel(conversation_id), json.dumps(payload, ensure_ascii=False)
            )
        except (RedisError, *REDIS_DOWN) as exc:
            _reraise_if_cancelled()
            raise StoreUnavailable(f"Redis unreachable for live messages: {exc}") from exc

    @asynccontextmanager
    async def subscribe(
        self, conversation_id: ConversationId
    ) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        pubsub = self._client.pubsub()
        await pubsub.subscribe(self._channel(conversation_id))

        async def events() -> AsyncIterator[dict[str, Any]]:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    yield json.loads(message["data"])

        try:
            yield events()
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()  # type: ignore[no-untyped-call]
