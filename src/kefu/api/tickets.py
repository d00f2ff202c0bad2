"""Short-lived, single-use WebSocket tickets, so no bearer token ever travels in a URL (or a log line).

``POST /v1/conversations/{id}/ws-ticket`` (conversation token) and ``POST /v1/agent/ws-ticket`` (agent or
admin token) return ``{ticket, expires_in}``; the socket is then opened with ``?ticket=…``. A ticket is
an HS256 JWT (audience ``kefu:ws``) naming the conversation or the agent, valid ``KEFU_WS_TICKET_TTL_S``
seconds, and its id is claimed on first use in the shared counters, so a replayed ticket is refused on
every worker.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import jwt
from fastapi import APIRouter, Request
from starlette.requests import HTTPConnection

from kefu.api.agents import ADMIN, AgentDep
from kefu.api.conversations import ERRORS, ConversationPath
from kefu.api.deps import BearerDep, ServicesDep
from kefu.api.limits import abuse_limits
from kefu.domain.errors import Unauthorized
from kefu.engine.ports import Agent

TICKET_AUDIENCE = "kefu:ws"
router = APIRouter(tags=["live"])


def _secret(connection: HTTPConnection) -> str:
    secret: str = connection.app.state.settings.secret_key
    return secret


def issue_ticket(connection: HTTPConnection, subject: str) -> dict[str, Any]:
    ttl = abuse_limits(connection).ws_ticket_ttl_s
    now = int(time.time())
    claims = {"aud": TICKET_AUDIENCE, "sub": subject, "jti": secrets.token_urlsafe(12), "iat": now}
    claims["exp"] = now + ttl
    return {"ticket": jwt.encode(claims, _secret(connection), algorithm="HS256"), "expires_in": ttl}


async def redeem_ticket(connection: HTTPConnection, ticket: str) -> str:
    """The subject of a valid, unused ticket; ``Unauthorized`` otherwise."""
    try:
        claims = jwt.decode(
            ticket,
            _secret(connection),
            algorithms=["HS256"],
            audience=TICKET_AUDIENCE,
            options={"require": ["exp", "jti", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid socket ticket: {exc}") from exc
    limits = abuse_limits(connection)
    used = await limits.counters.put_if_absent(
        f"kefu:ticket:{claims['jti']}", "used", limits.ws_ticket_ttl_s + 5
    )
    if used is not None:
        raise Unauthorized("this socket ticket was already used; ask for a new one")
    subject: str = claims["sub"]
    return subject


def agent_subject(agent: Agent) -> str:
    return f"agent:{agent.id}"


def agent_of_subject(connection: HTTPConnection, subject: str) -> Agent:
    agent_id = subject.removeprefix("agent:")
    if not subject.startswith("agent:"):
        raise Unauthorized("this socket ticket is not an agent's")
    if agent_id == ADMIN.id:
        return ADMIN
    agent: Agent = connection.app.state.services.handoffs.agent(agent_id)
    return agent


@router.post("/v1/conversations/{conversation_id}/ws-ticket", responses=ERRORS)
async def conversation_ticket(
    conversation_id: ConversationPath, request: Request, kefu: ServicesDep, token: BearerDep
) -> dict[str, Any]:
    """A ticket for ``WS /v1/conversations/{id}/ws?ticket=…`` (single use, short-lived)."""
    kefu.tokens.check_conversation_token(token, conversation_id)
    return issue_ticket(request, f"conversation:{conversation_id}")


@router.post("/v1/agent/ws-ticket", responses=ERRORS)
async def agent_ticket(request: Request, agent: AgentDep) -> dict[str, Any]:
    """A ticket for ``WS /v1/agent/ws?ticket=…`` (single use, short-lived)."""
    return issue_ticket(request, agent_subject(agent))
