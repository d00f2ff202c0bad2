"""Audit of staff reading a conversation's messages (personal data), without flooding the log: the agent
console reloads an open conversation on every event, so one record per actor and conversation is
written per ``window_s`` (per worker process)."""

from __future__ import annotations

import time
from collections import OrderedDict

import anyio.to_thread

from kefu.engine.ports import Agent, ConversationStore

VIEWED_ACTION = "conversation.viewed"


class ReadAudit:
    def __init__(self, window_s: float = 600.0, remember: int = 10_000) -> None:
        self.window_s = window_s
        self._remember = remember
        self._last: OrderedDict[tuple[str, str], float] = OrderedDict()

    def due(self, actor: str, conversation_id: str, now: float | None = None) -> bool:
        """True (and remembered) when this actor's last recorded read of the conversation is older than
        the window."""
        moment = time.monotonic() if now is None else now
        key = (actor, conversation_id)
        last = self._last.get(key)
        if last is not None and moment - last < self.window_s:
            return False
        self._last[key] = moment
        self._last.move_to_end(key)
        while len(self._last) > self._remember:
            self._last.popitem(last=False)
        return True

    async def viewed(
        self, store: ConversationStore, agent: Agent, conversation_id: str, messages: int
    ) -> None:
        actor = f"agent:{agent.id}"
        if self.due(actor, conversation_id):
            detail = {"agent": agent.name, "messages": messages}
            await anyio.to_thread.run_sync(store.audit, actor, VIEWED_ACTION, conversation_id, detail)


READS = ReadAudit()
