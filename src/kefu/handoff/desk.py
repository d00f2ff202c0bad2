"""The agent's side of a handoff: the queue, claiming, replying, handing back, closing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import anyio.to_thread

from kefu.domain.errors import Conflict, Forbidden
from kefu.domain.handoff import Handoff
from kefu.domain.ids import ConversationId
from kefu.domain.messages import ConversationStatus, Message, OutgoingMessage, Role
from kefu.engine.conversations import ConversationService
from kefu.engine.ports import Agent, HandoffChange, HandoffStore


@dataclass(frozen=True)
class QueueEntry:
    handoff: Handoff
    position: int
    waiting_s: float


class AgentDesk:
    def __init__(self, conversations: ConversationService, handoffs: HandoffStore) -> None:
        self.conversations = conversations
        self.handoffs = handoffs

    def queue_info(self) -> tuple[int, float | None]:
        """People waiting and the recent average wait: what the bot tells a customer it hands off."""
        return len(self.handoffs.waiting()), self.handoffs.average_wait_s()

    async def queue(self, agent: Agent) -> dict[str, Any]:
        waiting = await anyio.to_thread.run_sync(self.handoffs.waiting)
        mine = await anyio.to_thread.run_sync(
            lambda: self.handoffs.active(None if agent.role == "admin" else agent.id)
        )
        now = datetime.now(UTC)
        packs = agent.skills.get("packs") if agent.role != "admin" else None
        langs = agent.skills.get("langs") if agent.role != "admin" else None
        visible = [h for h in waiting if (not packs or h.pack in packs) and (not langs or h.lang in langs)]
        return {
            "waiting": [
                {
                    **_handoff_json(h),
                    "position": i + 1,
                    "waiting_s": round((now - h.requested_at).total_seconds(), 1),
                }
                for i, h in enumerate(visible)
            ],
            "active": [_handoff_json(h) for h in mine],
            "load": len([h for h in mine if h.claimed_by == agent.id]),
            "capacity": agent.capacity,
        }

    async def view(self, agent: Agent, conversation_id: ConversationId) -> dict[str, Any]:
        conversation = await self.conversations.get(conversation_id)
        handoff = await anyio.to_thread.run_sync(self.handoffs.current, conversation_id)
        history = await self.conversations.history(conversation_id, 0)
        return {
            "id": conversation.id,
            "pack": conversation.pack,
            "status": conversation.status.value,
            "handoff": _handoff_json(handoff) if handoff else None,
            "messages": history.messages,
        }

    async def claim(self, agent: Agent, conversation_id: ConversationId) -> list[Message]:
        load = await anyio.to_thread.run_sync(self.handoffs.load, agent.id)
        if load >= agent.capacity and agent.role != "admin":
            raise Conflict(f"{agent.name} already has {load} conversations (capacity {agent.capacity})")

        def joined(conversation_lang: str, pack: Any) -> list[OutgoingMessage]:
            return [
                OutgoingMessage(
                    pack.render("agent.joined", conversation_lang, name=agent.name),
                    conversation_lang,
                    role=Role.SYSTEM,
                )
            ]

        return await self._transition(
            agent,
            conversation_id,
            ConversationStatus.HUMAN,
            joined,
            HandoffChange("claim", agent_id=agent.id),
            allowed=(ConversationStatus.WAITING_HUMAN,),
        )

    async def reply(self, agent: Agent, conversation_id: ConversationId, text: str) -> list[Message]:
        cleaned = self.conversations.clean_text(text)
        await self._own(agent, conversation_id)

        def message(lang: str, _: Any) -> list[OutgoingMessage]:
            return [OutgoingMessage(cleaned, lang, role=Role.AGENT, meta={"agent": agent.name})]

        return await self._transition(
            agent,
            conversation_id,
            ConversationStatus.HUMAN,
            message,
            None,
            allowed=(ConversationStatus.HUMAN,),
        )

    async def transfer(
        self, agent: Agent, conversation_id: ConversationId, to_agent_id: str
    ) -> list[Message]:
        await self._own(agent, conversation_id)
        target = await anyio.to_thread.run_sync(self.handoffs.agent, to_agent_id)
        load = await anyio.to_thread.run_sync(self.handoffs.load, target.id)
        if load >= target.capacity:
            raise Conflict(f"{target.name} is at capacity ({load}/{target.capacity})")

        def moved(lang: str, pack: Any) -> list[OutgoingMessage]:
            return [
                OutgoingMessage(
                    pack.render("agent.transferred", lang, name=target.name), lang, role=Role.SYSTEM
                )
            ]

        return await self._transition(
            agent,
            conversation_id,
            ConversationStatus.HUMAN,
            moved,
            HandoffChange("transfer", agent_id=target.id),
            allowed=(ConversationStatus.HUMAN,),
        )

    async def set_presence(self, agent: Agent, presence: str) -> None:
        if agent.role == "admin" and agent.id == "admin":
            return  # the bootstrap admin token is not a staffed seat
        await anyio.to_thread.run_sync(self.handoffs.set_presence, agent.id, presence)

    async def hand_back(self, agent: Agent, conversation_id: ConversationId) -> list[Message]:
        await self._own(agent, conversation_id)

        def back(lang: str, pack: Any) -> list[OutgoingMessage]:
            return [OutgoingMessage(pack.render("agent.returned", lang), lang, role=Role.BOT)]

        return await self._transition(
            agent,
            conversation_id,
            ConversationStatus.BOT,
            back,
            HandoffChange("end", outcome="returned"),
            allowed=(ConversationStatus.HUMAN, ConversationStatus.WAITING_HUMAN),
        )

    async def close(self, agent: Agent, conversation_id: ConversationId) -> list[Message]:
        handoff = await anyio.to_thread.run_sync(self.handoffs.current, conversation_id)
        if handoff is not None and handoff.claimed_by not in (None, agent.id) and agent.role != "admin":
            raise Forbidden(f"conversation {conversation_id} is with another agent")

        def closed(lang: str, pack: Any) -> list[OutgoingMessage]:
            return [OutgoingMessage(pack.render("agent.closed", lang), lang, role=Role.SYSTEM)]

        return await self._transition(
            agent,
            conversation_id,
            ConversationStatus.CLOSED,
            closed,
            HandoffChange("end", outcome="closed"),
            allowed=(ConversationStatus.HUMAN, ConversationStatus.WAITING_HUMAN, ConversationStatus.BOT),
        )

    async def _own(self, agent: Agent, conversation_id: ConversationId) -> None:
        handoff = await anyio.to_thread.run_sync(self.handoffs.current, conversation_id)
        if agent.role == "admin":
            return
        if handoff is None or handoff.claimed_by != agent.id:
            raise Forbidden(f"claim conversation {conversation_id} before replying or handing it back")

    async def _transition(
        self,
        agent: Agent,
        conversation_id: ConversationId,
        status: ConversationStatus,
        make: Any,
        change: HandoffChange | None,
        allowed: tuple[ConversationStatus, ...],
    ) -> list[Message]:
        service = self.conversations
        async with service.lock.hold(conversation_id):
            conversation = await service.get(conversation_id)
            if conversation.status not in allowed:
                raise Conflict(
                    f"conversation {conversation_id} is {conversation.status.value}; "
                    f"this needs {' or '.join(s.value for s in allowed)}"
                )
            state = await anyio.to_thread.run_sync(service.store.load_state, conversation_id)
            outgoing = make(state.lang, service.pack(conversation.pack))
            messages = await anyio.to_thread.run_sync(
                service.store.transition, conversation_id, conversation.last_seq, status, outgoing, change
            )
            await anyio.to_thread.run_sync(
                service.store.audit,
                f"agent:{agent.id}",
                change.kind if change else "reply",
                conversation_id,
                {"agent": agent.name, "status": status.value},
            )
            await service.publish(conversation_id, messages, status)
        return messages


def _handoff_json(handoff: Handoff) -> dict[str, Any]:
    return {
        "id": handoff.id,
        "conversation_id": handoff.conversation_id,
        "pack": handoff.pack,
        "lang": handoff.lang,
        "reason": handoff.reason,
        "priority": handoff.priority,
        "requested_at": handoff.requested_at.isoformat(),
        "claimed_by": handoff.claimed_by,
        "summary": handoff.summary,
    }
