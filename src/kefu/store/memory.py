"""In-process turn lock and message broker: the single-process default (no Redis)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from kefu.domain.ids import ConversationId


class InProcessTurnLock:
    """One FIFO ``asyncio.Lock`` per conversation; entries are dropped when nobody holds or waits.

    Its fencing token is always 0: a lock held in this process cannot lapse while its holder runs, so
    there is no stale holder to fence off (the store checks and records no token for 0). Moving to the
    Redis lock later starts from a clean slate."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = defaultdict(int)

    @asynccontextmanager
    async def hold(self, conversation_id: ConversationId) -> AsyncIterator[int]:
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        self._users[conversation_id] += 1
        try:
            async with lock:
                yield 0
        finally:
            self._users[conversation_id] -= 1
            if self._users[conversation_id] == 0:
                self._locks.pop(conversation_id, None)
                self._users.pop(conversation_id, None)


class InProcessBroker:
    """Fan-out of a conversation's events to the WebSocket subscribers of this process."""

    def __init__(self, queue_size: int = 256) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)
        self._queue_size = queue_size

    async def publish(self, conversation_id: ConversationId, payload: dict[str, Any]) -> None:
        for queue in list(self._subscribers.get(conversation_id, ())):
            if queue.full():  # a stalled client loses its oldest event rather than blocking the turn
                queue.get_nowait()
            queue.put_nowait(payload)

    @asynccontextmanager
    async def subscribe(
        self, conversation_id: ConversationId
    ) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(self._queue_size)
        self._subscribers[conversation_id].add(queue)

        async def events() -> AsyncIterator[dict[str, Any]]:
            while True:
                yield await queue.get()

        try:
            yield events()
        finally:
            self._subscribers[conversation_id].discard(queue)
            if not self._subscribers[conversation_id]:
                self._subscribers.pop(conversation_id, None)
