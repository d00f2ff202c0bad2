"""The audit log in SQL: writing one record, and reading them newest first with filters and a cursor.

Records are written by several stores (``AuditRow``): agent actions in ``conversations.transition``'s
callers, side-effect tool calls in ``commit_turn``, vault reads, erasures and purges here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from kefu.guard.erasure import AuditQuery, AuditRecord
from kefu.store.sql.schema import AuditRow

MAX_LIMIT = 500


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_record(row: AuditRow) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=_utc(row.at),
        actor=row.actor,
        action=row.action,
        conversation_id=row.conversation_id,
        detail=dict(row.detail or {}),
    )


class SqlAuditLog:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def record(self, actor: str, action: str, conversation_id: str | None, detail: dict[str, Any]) -> None:
        with self._sessions() as session, session.begin():
            session.add(
                AuditRow(
                    at=datetime.now(UTC),
                    actor=actor,
                    action=action,
                    conversation_id=conversation_id,
                    detail=detail,
                )
            )

    def query(self, query: AuditQuery) -> list[AuditRecord]:
        statement = select(AuditRow)
        if query.actor is not None:
            statement = statement.where(AuditRow.actor == query.actor)
        if query.action is not None:
            statement = statement.where(AuditRow.action == query.action)
        if query.conversation_id is not None:
            statement = statement.where(AuditRow.conversation_id == query.conversation_id)
        # Bind UTC instants: SQLite compares stored UTC wall-clock strings, PostgreSQL timestamptz.
        if query.since is not None:
            statement = statement.where(AuditRow.at >= query.since.astimezone(UTC))
        if query.until is not None:
            statement = statement.where(AuditRow.at < query.until.astimezone(UTC))
        if query.before_id is not None:
            statement = statement.where(AuditRow.id < query.before_id)
        limit = max(1, min(query.limit, MAX_LIMIT))
        with self._sessions() as session:
            rows = session.scalars(statement.order_by(AuditRow.id.desc()).limit(limit)).all()
            return [to_record(r) for r in rows]
