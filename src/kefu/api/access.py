"""Least privilege for agents: a plain agent acts only on conversations waiting in *their* queue (the
handoff matches their skills) or assigned to them; admins keep full access. Every denial is a 403 and
an ``access.denied`` audit record."""

from __future__ import annotations

import anyio.to_thread

from kefu.api.deps import Services
from kefu.domain.errors import Forbidden
from kefu.domain.handoff import Handoff
from kefu.domain.ids import ConversationId
from kefu.engine.ports import Agent

DENIED_ACTION = "access.denied"


def covered_by(agent: Agent, handoff: Handoff) -> bool:
    """The agent's skills (packs, languages) cover the handoff."""
    packs, langs = agent.skills.get("packs"), agent.skills.get("langs")
    return (not packs or handoff.pack in packs) and (not langs or handoff.lang in langs)


def in_queue_of(agent: Agent, handoff: Handoff) -> bool:
    """A waiting handoff the agent's skills cover."""
    return handoff.claimed_by is None and handoff.ended_at is None and covered_by(agent, handoff)


async def require_access(
    kefu: Services, agent: Agent, conversation_id: str, action: str, assigned_only: bool = False
) -> None:
    """Raise ``Forbidden`` (audited) unless ``agent`` may do ``action`` on the conversation:
    ``assigned_only`` actions need the conversation claimed by the agent; the others also allow one
    waiting in the agent's queue."""
    if agent.role == "admin":
        return
    await kefu.conversations.get(ConversationId(conversation_id))  # an unknown conversation stays a 404
    handoff = await anyio.to_thread.run_sync(kefu.handoffs.current, conversation_id)
    allowed = handoff is not None and (
        handoff.claimed_by == agent.id
        or (not assigned_only and in_queue_of(agent, handoff))
        or (action == "claim" and covered_by(agent, handoff))  # claimed by another: the desk says 409
    )
    if allowed:
        return
    await anyio.to_thread.run_sync(
        kefu.conversations.store.audit,
        f"agent:{agent.id}",
        DENIED_ACTION,
        conversation_id,
        {"action": action, "agent": agent.name},
    )
    need = "assigned to you" if assigned_only else "in your queue or assigned to you"
    raise Forbidden(f"conversation {conversation_id} is not {need}")
