"""``GET /v1/audit``: the audit log, newest first, with filters and a cursor. Admins only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from kefu.api.agents import authenticate
from kefu.api.conversations import ERRORS
from kefu.api.deps import BearerDep, PrivacyDep, ServicesDep
from kefu.domain.errors import Forbidden, InvalidInput
from kefu.engine.ports import Agent
from kefu.guard.erasure import AuditQuery, AuditRecord

router = APIRouter(prefix="/v1/audit", tags=["audit"])
MAX_LIMIT = 500


def require_admin(kefu: ServicesDep, token: BearerDep) -> Agent:
    """The admin token, or an agent whose role is ``admin``: 401 without a valid token, 403 for agents."""
    agent = authenticate(kefu, token)
    if agent.role != "admin":
        raise Forbidden(f"this needs an admin; {agent.name} is an {agent.role}")
    return agent


AdminDep = Annotated[Agent, Depends(require_admin)]


def actor_of(agent: Agent) -> str:
    """How audit records name a staff member (as ``AgentDesk`` does): ``agent:<id>``, ``agent:admin``."""
    return f"agent:{agent.id}"


def parse_instant(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(f"{name}: {value!r} is not an ISO 8601 date or time") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # a time without zone is UTC


class AuditRecordOut(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    conversation_id: str | None
    detail: dict[str, Any]


class AuditPage(BaseModel):
    items: list[AuditRecordOut]
    next_before_id: int | None = Field(description="Pass as before_id for the next (older) page")


def record_json(record: AuditRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "at": record.at.isoformat(),
        "actor": record.actor,
        "action": record.action,
        "conversation_id": record.conversation_id,
        "detail": record.detail,
    }


@router.get("", response_model=AuditPage, responses=ERRORS)
async def audit_log(
    _: AdminDep,
    privacy: PrivacyDep,
    actor: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
    action: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    conversation_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    since: Annotated[str | None, Query(max_length=40, description="ISO 8601, inclusive")] = None,
    until: Annotated[str | None, Query(max_length=40, description="ISO 8601, exclusive")] = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="Cursor: older than")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> dict[str, Any]:
    """Agent actions (claim, reply, transfer, end), tool side effects, review decisions, vault reads,
    conversation views, erasures and purges. Details never hold message text."""
    start, end = parse_instant("since", since), parse_instant("until", until)
    if start and end and start >= end:
        raise InvalidInput("since must be before until")
    query = AuditQuery(actor, action, conversation_id, start, end, before_id, limit)
    records = await anyio.to_thread.run_sync(privacy.audit.query, query)
    return {
        "items": [record_json(r) for r in records],
        "next_before_id": records[-1].id if len(records) == limit else None,
    }
