"""Dependencies: the wired services and the caller's bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from kefu.engine.conversations import ConversationService
from kefu.engine.ports import HandoffStore
from kefu.guard.authz import TokenService
from kefu.handoff.desk import AgentDesk


@dataclass(frozen=True)
class Services:
    conversations: ConversationService
    tokens: TokenService
    readiness: dict[str, Any]
    handoffs: HandoffStore
    desk: AgentDesk


def services(connection: HTTPConnection) -> Services:
    found: Services = connection.app.state.services
    return found


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


ServicesDep = Annotated[Services, Depends(services)]
BearerDep = Annotated[str | None, Depends(bearer_token)]
