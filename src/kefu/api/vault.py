"""Agents reveal a personal value the transcript shows as a placeholder (to call a customer back, say):
each reveal needs a purpose and is audited as ``vault.read`` with the agent and the purpose."""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Path
from pydantic import Field

from kefu.api.access import require_access
from kefu.api.agents import AgentDep
from kefu.api.conversations import ERRORS, ConversationPath
from kefu.api.deps import PrivacyDep, ServicesDep
from kefu.api.schemas import Strict
from kefu.domain.errors import NotFound
from kefu.domain.ids import ConversationId

router = APIRouter(prefix="/v1/agent/conversations", tags=["agents"])


class RevealRequest(Strict):
    purpose: str = Field(min_length=1, max_length=200, description="Why the agent needs the value")


@router.get("/{conversation_id}/vault", responses=ERRORS)
async def vault_entries(
    conversation_id: ConversationPath, agent: AgentDep, kefu: ServicesDep, privacy: PrivacyDep
) -> dict[str, Any]:
    """The kept values of a conversation: ids and kinds only, never the values."""
    await kefu.conversations.get(ConversationId(conversation_id))  # 404 for an unknown conversation
    await require_access(kefu, agent, conversation_id, "vault.list")
    entries = await anyio.to_thread.run_sync(privacy.vault.entries, conversation_id)
    return {
        "entries": [
            {"id": entry_id, "kind": kind, "created_at": created.isoformat()}
            for entry_id, kind, created in entries
        ]
    }


@router.post("/{conversation_id}/vault/{entry_id}/reveal", responses=ERRORS)
async def reveal(
    conversation_id: ConversationPath,
    entry_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")],
    body: RevealRequest,
    agent: AgentDep,
    kefu: ServicesDep,
    privacy: PrivacyDep,
) -> dict[str, Any]:
    await require_access(kefu, agent, conversation_id, "vault.reveal", assigned_only=True)
    entries = await anyio.to_thread.run_sync(privacy.vault.entries, conversation_id)
    kinds = {found: kind for found, kind, _ in entries}
    if entry_id not in kinds:
        raise NotFound(f"conversation {conversation_id} has no vault entry {entry_id}")
    value = await anyio.to_thread.run_sync(
        privacy.vault.reveal, entry_id, f"agent:{agent.id}", body.purpose.strip()
    )
    return {"id": entry_id, "kind": kinds[entry_id], "value": value}
