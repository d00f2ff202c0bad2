"""Redis turn lock (with fencing tokens) and pub/sub broker, for many stateless workers."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis

from kefu.domain.errors import Conflict
from kefu.domain.ids import ConversationId
from kefu.store.memory import InProcessTurnLock

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""


def redis_client(url: str) -> Redis:
    return Redis.from_url(url, decode_responses=True)


class RedisTurnLock:
    """A local FIFO lock (turns of one process keep arrival order) in front of a Redis lease
    (``SET NX PX``) that orders workers. Each holder gets a fencing token from ``INCR``; the store's
    ``last_seq`` check rejects a writer whose lease expired."""

    def __init__(
        self, client: Redis, lease_ms: int = 60_000, wait_s: float = 30.0, prefix: str = "kefu"
    ) -> None:
        self._client = client
        self._lease_ms = lease_ms
        self._wait_s = wait_s
        self._prefix = prefix
        self._local = InProcessTurnLock()

    @asynccontextmanager
    async def hold(self, conversation_id: ConversationId) -> AsyncIterator[int]:
        key = f"{self._prefix}:lock:{conversation_id}"
        owner = secrets.token_hex(16)
        async with self._local.hold(conversation_id):
            deadline = asyncio.get_running_loop().time() + self._wait_s
            delay = 0.002
            while not await self._client.set(key, owner, nx=True, px=self._lease_ms):
                if asyncio.get_running_loop().time() > deadline:
                    raise Conflict(f"conversation {conversation_id} is busy; retry")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.05)
            try:
                fence = int(await self._client.incr(f"{self._prefix}:fence:{conversation_id}"))
                yield fence
            finally:
                await self._client.eval(_RELEASE, 1, key, owner)


class RedisBroker:
    """Publishes a conversation's events on ``kefu:conv:{id}`` so every worker's sockets get them."""

    def __init__(self, client: Redis, prefix: str = "kefu") -> None:
        self._client = client
        self._prefix = prefix

    def _channel(self, conversation_id: str) -> str:
        return f"{self._prefix}:conv:{conversation_id}"

    async def publish(self, conversation_id: ConversationId, payload: dict[str, Any]) -> None:
        await self._client.publish(self._channel(conversation_id), json.dumps(payload, ensure_ascii=False))

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
