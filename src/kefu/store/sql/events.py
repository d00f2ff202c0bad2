"""Rows of a conversation's event log shared by the SQL stores: messages in, messages out, fencing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from kefu.domain.errors import Conflict
from kefu.domain.ids import ConversationId, MessageId, new_message_id
from kefu.domain.messages import Citation, EventKind, Message, OutgoingMessage, Role
from kefu.store.sql.schema import ConversationRow, EventRow

MESSAGE_KINDS = (EventKind.MESSAGE_RECEIVED.value, EventKind.MESSAGE_SENT.value)


def now_utc() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; kefu stores UTC, so say so."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_message(row: EventRow) -> Message:
    payload = row.payload or {}
    return Message(
        id=MessageId(row.id),
        conversation_id=ConversationId(row.conversation_id),
        seq=row.seq,
        role=Role(row.role or Role.SYSTEM.value),
        text=row.text or "",
        lang=row.lang or "en",
        created_at=as_utc(row.created_at),
        client_msg_id=row.client_msg_id,
        suggestions=tuple(payload.get("suggestions", ())),
        citations=tuple(Citation(**c) for c in payload.get("citations", ())),
    )


def message_event(
    conversation_id: str, seq: int, reply: OutgoingMessage, reply_to: int | None, now: datetime
) -> EventRow:
    payload: dict[str, Any] = {}
    if reply.suggestions:
        payload["suggestions"] = list(reply.suggestions)
    if reply.citations:
        payload["citations"] = [
            {"source": c.source, "title": c.title, **({"anchor": c.anchor} if c.anchor else {})}
            for c in reply.citations
        ]
    if reply.meta:
        payload["meta"] = reply.meta
    return EventRow(
        id=new_message_id(),
        conversation_id=conversation_id,
        seq=seq,
        kind=EventKind.MESSAGE_SENT.value,
        role=reply.role.value,
        text=reply.text,
        lang=reply.lang,
        reply_to=reply_to,
        payload=payload,
        created_at=now,
    )


def advance(
    session: Session,
    conversation_id: str,
    expected: int,
    new_last: int,
    fence: int | None = None,
    **values: Any,
) -> None:
    """Move the conversation's ``last_seq`` from ``expected`` to ``new_last``. With a ``fence`` (the turn
    lock's token; 0 or None = none) the write is also refused if a newer lock holder has written, and
    records the token."""
    where = [ConversationRow.id == conversation_id, ConversationRow.last_seq == expected]
    if fence:
        where.append(ConversationRow.fence <= fence)
        values["fence"] = fence
    result = session.execute(
        update(ConversationRow).where(*where).values(last_seq=new_last, updated_at=now_utc(), **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"conversation {conversation_id} was changed by another writer; retry")
