"""Handoff queue and agents in SQL."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kefu.domain.errors import Conflict, InvalidInput, NotFound
from kefu.domain.handoff import Handoff, HandoffRequest
from kefu.engine.ports import Agent
from kefu.store.sql.schema import AgentRow, HandoffRow

ROLES = ("agent", "admin")
PRESENCE = ("online", "away", "offline")


def utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def to_handoff(row: HandoffRow) -> Handoff:
    return Handoff(
        id=row.id,
        conversation_id=row.conversation_id,
        pack=row.pack,
        lang=row.lang,
        reason=row.reason,
        priority=row.priority,
        requested_at=utc(row.requested_at) or datetime.now(UTC),
        summary=row.summary or {},
        claimed_by=row.claimed_by,
        claimed_at=utc(row.claimed_at),
        ended_at=utc(row.ended_at),
        outcome=row.outcome,
    )


def open_handoff(session: Session, conversation_id: str) -> HandoffRow | None:
    return session.scalar(
        select(HandoffRow)
        .where(HandoffRow.conversation_id == conversation_id, HandoffRow.ended_at.is_(None))
        .order_by(HandoffRow.id.desc())
        .limit(1)
    )


def insert_handoff(
    session: Session, conversation_id: str, pack: str, lang: str, request: HandoffRequest, now: datetime
) -> None:
    existing = open_handoff(session, conversation_id)
    if existing is not None:  # already waiting or with an agent: only ever more urgent
        if int(request.priority) > existing.priority:
            existing.priority = int(request.priority)
            existing.reason = request.reason.value
            existing.summary = {**(existing.summary or {}), **request.summary}
        return
    session.add(
        HandoffRow(
            conversation_id=conversation_id,
            pack=pack,
            lang=lang,
            reason=request.reason.value,
            priority=int(request.priority),
            summary=request.summary,
            requested_at=now,
        )
    )


def claim_handoff(session: Session, conversation_id: str, agent_id: str, now: datetime) -> HandoffRow:
    row = open_handoff(session, conversation_id)
    if row is None:
        raise Conflict(f"conversation {conversation_id} is not waiting for a human")
    if row.claimed_by not in (None, agent_id):
        raise Conflict(f"conversation {conversation_id} is already with agent {row.claimed_by}")
    if row.claimed_by is None:
        row.claimed_by, row.claimed_at = agent_id, now
    return row


def transfer_handoff(session: Session, conversation_id: str, to_agent: str, now: datetime) -> None:
    row = open_handoff(session, conversation_id)
    if row is None or row.claimed_by is None:
        raise Conflict(f"conversation {conversation_id} is not with an agent")
    row.claimed_by, row.claimed_at = to_agent, now


def end_handoff(session: Session, conversation_id: str, outcome: str, now: datetime) -> None:
    row = open_handoff(session, conversation_id)
    if row is not None:
        row.ended_at, row.outcome = now, outcome


class SqlHandoffStore:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def waiting(self, pack: str | None = None) -> list[Handoff]:
        """Unclaimed handoffs, most urgent first, then oldest first."""
        with self._sessions() as session:
            query = select(HandoffRow).where(HandoffRow.ended_at.is_(None), HandoffRow.claimed_by.is_(None))
            if pack:
                query = query.where(HandoffRow.pack == pack)
            rows = session.scalars(
                query.order_by(HandoffRow.priority.desc(), HandoffRow.requested_at, HandoffRow.id)
            ).all()
            return [to_handoff(r) for r in rows]

    def active(self, agent_id: str | None = None) -> list[Handoff]:
        with self._sessions() as session:
            query = select(HandoffRow).where(
                HandoffRow.ended_at.is_(None), HandoffRow.claimed_by.is_not(None)
            )
            if agent_id:
                query = query.where(HandoffRow.claimed_by == agent_id)
            return [to_handoff(r) for r in session.scalars(query.order_by(HandoffRow.claimed_at)).all()]

    def current(self, conversation_id: str) -> Handoff | None:
        with self._sessions() as session:
            row = open_handoff(session, conversation_id)
            return to_handoff(row) if row else None

    def position(self, conversation_id: str) -> int | None:
        queue = self.waiting()
        return next((i + 1 for i, h in enumerate(queue) if h.conversation_id == conversation_id), None)

    def average_wait_s(self, last: int = 50) -> float | None:
        """Mean seconds from request to claim over the last ``last`` claimed handoffs."""
        with self._sessions() as session:
            rows = session.execute(
                select(HandoffRow.requested_at, HandoffRow.claimed_at)
                .where(HandoffRow.claimed_at.is_not(None))
                .order_by(HandoffRow.claimed_at.desc())
                .limit(last)
            ).all()
        waits = [
            ((utc(c) or datetime.now(UTC)) - (utc(r) or datetime.now(UTC))).total_seconds() for r, c in rows
        ]
        return sum(waits) / len(waits) if waits else None

    # -- agents -------------------------------------------------------------------------------
    def add_agent(
        self, name: str, role: str = "agent", skills: dict[str, Any] | None = None, capacity: int = 5
    ) -> tuple[Agent, str]:
        """Create an agent; returns it and its bearer token (shown once, stored only as a hash)."""
        if role not in ROLES:
            raise InvalidInput(f"role must be one of {', '.join(ROLES)}")
        if not name.strip():
            raise InvalidInput("agent name must not be empty")
        token = "ka_" + secrets.token_urlsafe(32)
        row = AgentRow(
            id=secrets.token_hex(8),
            name=name.strip(),
            role=role,
            token_hash=token_hash(token),
            skills=skills or {},
            capacity=capacity,
            created_at=datetime.now(UTC),
        )
        try:
            with self._sessions() as session, session.begin():
                session.add(row)
        except IntegrityError as exc:
            raise Conflict(f"an agent named {name!r} already exists") from exc
        return Agent(row.id, row.name, row.role, row.skills, row.capacity, row.presence), token

    def remove_agent(self, name: str) -> bool:
        with self._sessions() as session, session.begin():
            row = session.scalar(select(AgentRow).where(AgentRow.name == name))
            if row is None:
                return False
            session.delete(row)
            return True

    def agent_for_token(self, token: str) -> Agent | None:
        with self._sessions() as session, session.begin():
            row = session.scalar(select(AgentRow).where(AgentRow.token_hash == token_hash(token)))
            if row is None:
                return None
            row.last_seen = datetime.now(UTC)
            return Agent(row.id, row.name, row.role, row.skills or {}, row.capacity, row.presence)

    def agent(self, agent_id: str) -> Agent:
        with self._sessions() as session:
            row = session.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f"agent {agent_id} not found")
            return Agent(row.id, row.name, row.role, row.skills or {}, row.capacity, row.presence)

    def agents(self) -> list[Agent]:
        with self._sessions() as session:
            rows = session.scalars(select(AgentRow).order_by(AgentRow.name)).all()
            return [Agent(r.id, r.name, r.role, r.skills or {}, r.capacity, r.presence) for r in rows]

    def set_presence(self, agent_id: str, presence: str) -> None:
        if presence not in PRESENCE:
            raise InvalidInput(f"presence must be one of {', '.join(PRESENCE)}")
        with self._sessions() as session, session.begin():
            row = session.get(AgentRow, agent_id)
            if row is None:
                raise NotFound(f"agent {agent_id} not found")
            row.presence = presence
            row.last_seen = datetime.now(UTC)

    def online_agents(self) -> int:
        with self._sessions() as session:
            return (
                session.scalar(
                    select(func.count()).select_from(AgentRow).where(AgentRow.presence == "online")
                )
                or 0
            )

    def load(self, agent_id: str) -> int:
        with self._sessions() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(HandoffRow)
                    .where(HandoffRow.claimed_by == agent_id, HandoffRow.ended_at.is_(None))
                )
                or 0
            )
