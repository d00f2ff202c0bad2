"""Review endpoints: replies held by output rails wait here for an agent or admin to approve or reject."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import Field

from kefu.api.agents import AgentDep
from kefu.api.conversations import ERRORS, _messages
from kefu.api.deps import ReviewDep
from kefu.api.schemas import Strict
from kefu.handoff.review import item_json

router = APIRouter(prefix="/v1/review", tags=["review"])
ItemPath = Annotated[int, Path(ge=1, le=2**31 - 1, description="Review item id")]


class Approve(Strict):
    text: str | None = Field(
        default=None, min_length=1, max_length=100_000, description="Edited text to send instead"
    )


class Reject(Strict):
    reason: str | None = Field(default=None, max_length=500, description="Why (kept in the audit log)")


@router.get("", responses=ERRORS)
async def list_items(
    agent: AgentDep,
    review: ReviewDep,
    status: Annotated[Literal["pending", "approved", "rejected"], Query()] = "pending",
    pack: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> dict[str, Any]:
    """Held replies (pending by default, oldest first), each with the customer message it answers."""
    items = await review.items(agent, status, pack)
    return {"items": [item_json(i) for i in items]}


@router.get("/{item_id}", responses=ERRORS)
async def get_item(item_id: ItemPath, agent: AgentDep, review: ReviewDep) -> dict[str, Any]:
    return item_json(await review.item(agent, item_id))


@router.post("/{item_id}/approve", responses=ERRORS)
async def approve(
    item_id: ItemPath, agent: AgentDep, review: ReviewDep, body: Approve | None = None
) -> dict[str, Any]:
    """Send the held reply (or the edited ``text``) to the customer, after whatever was said meanwhile."""
    item, messages = await review.approve(agent, item_id, body.text if body else None)
    return {"item": item_json(item), "messages": _messages(messages)}


@router.post("/{item_id}/reject", responses=ERRORS)
async def reject(
    item_id: ItemPath, agent: AgentDep, review: ReviewDep, body: Reject | None = None
) -> dict[str, Any]:
    """Drop the held reply: the customer is told a human will follow up, and the conversation is queued."""
    item, messages, status = await review.reject(agent, item_id, body.reason if body else None)
    return {"item": item_json(item), "messages": _messages(messages), "status": status.value}
