"""Dependencies: the wired services and the caller's bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from kefu.engine.conversations import ConversationService
from kefu.engine.ports import HandoffStore
from kefu.guard.authz import TokenService
from kefu.guard.erasure import AuditReader, PrivacyStore
from kefu.guard.vault import Vault
from kefu.handoff.desk import AgentDesk
from kefu.handoff.review import ReviewService
from kefu.knowledge.service import KnowledgeBase


@dataclass(frozen=True)
class Services:
    conversations: ConversationService
    tokens: TokenService
    readiness: dict[str, Any]
    handoffs: HandoffStore
    desk: AgentDesk
    knowledge: KnowledgeBase | None = None


def services(connection: HTTPConnection) -> Services:
    found: Services = connection.app.state.services
    return found


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


ServicesDep = Annotated[Services, Depends(services)]
BearerDep = Annotated[str | None, Depends(bearer_token)]


def review_service(connection: HTTPConnection) -> ReviewService:
    found: ReviewService = connection.app.state.review
    return found


ReviewDep = Annotated[ReviewService, Depends(review_service)]


@dataclass(frozen=True)
class Privacy:
    """The vault, erasure and retention, and the audit log reader."""

    vault: Vault
    store: PrivacyStore
    audit: AuditReader


def privacy(connection: HTTPConnection) -> Privacy:
    found: Privacy = connection.app.state.privacy
    return found


PrivacyDep = Annotated[Privacy, Depends(privacy)]
