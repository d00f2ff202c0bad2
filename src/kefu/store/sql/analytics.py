"""Fetch the analytics records of a period (and pack) from SQL, then compute the summary.

The cohort is the conversations whose ``created_at`` lies in ``[period.start, period.end)``; every other
query is restricted to the cohort by a sub-select, so nothing is passed as a long list of ids.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Select, func, or_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from kefu.analytics.summary import (
    FOLLOW_UP_WINDOW,
    ContactRecord,
    ConversationRecord,
    FeedbackRecord,
    HandoffRecord,
    MessageRecord,
    Period,
    Records,
    Summary,
    ToolCallRecord,
    summarize,
)
from kefu.domain.messages import EventKind, Role
from kefu.store.sql.schema import ConversationRow, EventRow, HandoffRow

Cohort = Select[Any]  # SELECT conversations.id of the cohort, used as a sub-select


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; kefu stores UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _maybe_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else _utc(moment)


def _scores(state: dict[str, Any] | None) -> tuple[float, ...]:
    memory = (state or {}).get("memory") or {}
    raw = memory.get("sentiment_scores") if isinstance(memory, dict) else None
    if not isinstance(raw, list):
        return ()
    values = [float(v) for v in raw if isinstance(v, int | float) and not isinstance(v, bool)]
    return tuple(v for v in values if math.isfinite(v))


def _csat(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class SqlAnalytics:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def summary(
        self, period: Period, pack: str | None, fallback_texts: Sequence[str], top_n: int = 10
    ) -> Summary:
        return summarize(
            self.records(period, pack, fallback_texts),
            period,
            pack=pack,
            fallback_texts=fallback_texts,
            top_n=top_n,
        )

    def records(self, period: Period, pack: str | None, fallback_texts: Sequence[str] = ()) -> Records:
        # Bind UTC instants: SQLite compares stored UTC wall-clock strings, PostgreSQL timestamptz.
        start, end = period.start.astimezone(UTC), period.end.astimezone(UTC)
        cohort = select(ConversationRow.id).where(
            ConversationRow.created_at >= start, ConversationRow.created_at < end
        )
        if pack is not None:
            cohort = cohort.where(ConversationRow.pack == pack)
        with self._sessions() as session:
            return Records(
                conversations=self._conversations(session, cohort),
                handoffs=self._handoffs(session, cohort),
                tool_calls=self._tool_calls(session, cohort),
                feedback=self._feedback(session, cohort),
                messages=self._unanswered(session, cohort, fallback_texts),
                contacts=self._contacts(session, cohort, start, end),
            )

    @staticmethod
    def _conversations(session: Session, cohort: Cohort) -> list[ConversationRecord]:
        asked: dict[str, int] = {
            conversation_id: count
            for conversation_id, count in session.execute(
                select(EventRow.conversation_id, func.count())
                .where(
                    EventRow.conversation_id.in_(cohort),
                    EventRow.kind == EventKind.MESSAGE_RECEIVED.value,
                )
                .group_by(EventRow.conversation_id)
            )
        }
        rows = session.execute(
            select(
                ConversationRow.id,
                ConversationRow.pack,
                ConversationRow.status,
                ConversationRow.created_at,
                ConversationRow.customer_id,
                ConversationRow.csat,
                ConversationRow.state,
            ).where(ConversationRow.id.in_(cohort))
        ).all()
        return [
            ConversationRecord(
                id=r.id,
                pack=r.pack,
                status=r.status,
                created_at=_utc(r.created_at),
                customer_id=r.customer_id,
                csat=_csat(r.csat),
                sentiment_scores=_scores(r.state),
                customer_messages=int(asked.get(r.id, 0)),
            )
            for r in rows
        ]

    @staticmethod
    def _handoffs(session: Session, cohort: Cohort) -> list[HandoffRecord]:
        rows = session.execute(
            select(
                HandoffRow.conversation_id,
                HandoffRow.reason,
                HandoffRow.requested_at,
                HandoffRow.claimed_at,
                HandoffRow.ended_at,
                HandoffRow.outcome,
            )
            .where(HandoffRow.conversation_id.in_(cohort))
            .order_by(HandoffRow.id)
        ).all()
        return [
            HandoffRecord(
                conversation_id=r.conversation_id,
                reason=r.reason,
                requested_at=_utc(r.requested_at),
                claimed_at=_maybe_utc(r.claimed_at),
                ended_at=_maybe_utc(r.ended_at),
                outcome=r.outcome,
            )
            for r in rows
        ]

    @staticmethod
    def _events(session: Session, cohort: Cohort, kind: EventKind) -> list[Any]:
        return list(
            session.execute(
                select(EventRow.conversation_id, EventRow.seq, EventRow.payload).where(
                    EventRow.conversation_id.in_(cohort), EventRow.kind == kind.value
                )
            ).all()
        )

    def _tool_calls(self, session: Session, cohort: Cohort) -> list[ToolCallRecord]:
        return [
            ToolCallRecord(r.conversation_id, str((r.payload or {}).get("tool") or "unknown"))
            for r in self._events(session, cohort, EventKind.TOOL_CALLED)
        ]

    def _feedback(self, session: Session, cohort: Cohort) -> list[FeedbackRecord]:
        found = []
        for r in self._events(session, cohort, EventKind.FEEDBACK_GIVEN):
            score = _csat((r.payload or {}).get("csat"))
            if score is not None:
                found.append(FeedbackRecord(r.conversation_id, r.seq, score))
        return found

    @staticmethod
    def _unanswered(session: Session, cohort: Cohort, fallback_texts: Sequence[str]) -> list[MessageRecord]:
        """Bot replies that contain a fallback text or are flagged ``knowledge_gap`` in their payload's
        meta (the knowledge base's "I don't know"), and the customer messages they reply to.

        The filter only narrows what is fetched; ``summary.knowledge_gaps`` decides exactly."""
        fallbacks = [f.strip() for f in fallback_texts if f.strip()]
        customer, bot = aliased(EventRow), aliased(EventRow)
        flagged = bot.payload["meta"]["knowledge_gap"].as_boolean()
        rows = session.execute(
            select(
                customer.conversation_id,
                customer.seq,
                customer.text,
                bot.seq.label("bot_seq"),
                bot.text.label("bot_text"),
                flagged.label("gap"),
            )
            .join(bot, (bot.conversation_id == customer.conversation_id) & (bot.reply_to == customer.seq))
            .where(
                customer.conversation_id.in_(cohort),
                customer.kind == EventKind.MESSAGE_RECEIVED.value,
                customer.role == Role.CUSTOMER.value,
                bot.kind == EventKind.MESSAGE_SENT.value,
                bot.role == Role.BOT.value,
                or_(flagged.is_(True), *(bot.text.contains(f, autoescape=True) for f in fallbacks)),
            )
        ).all()
        found: dict[tuple[str, int], MessageRecord] = {}
        for r in rows:
            found[(r.conversation_id, r.seq)] = MessageRecord(
                r.conversation_id, r.seq, "customer", r.text or ""
            )
            found[(r.conversation_id, r.bot_seq)] = MessageRecord(
                r.conversation_id,
                r.bot_seq,
                "bot",
                r.bot_text or "",
                reply_to=r.seq,
                knowledge_gap=bool(r.gap),
            )
        return list(found.values())

    @staticmethod
    def _contacts(session: Session, cohort: Cohort, start: datetime, end: datetime) -> list[ContactRecord]:
        """Conversations (any pack) of the cohort's customers, up to the follow-up window after the end."""
        customers = (
            select(ConversationRow.customer_id)
            .where(ConversationRow.id.in_(cohort), ConversationRow.customer_id.is_not(None))
            .distinct()
        )
        rows = session.execute(
            select(ConversationRow.id, ConversationRow.customer_id, ConversationRow.created_at).where(
                ConversationRow.customer_id.in_(customers),
                ConversationRow.created_at >= start,
                ConversationRow.created_at < end + FOLLOW_UP_WINDOW,
            )
        ).all()
        return [
            ContactRecord(r.id, r.customer_id, _utc(r.created_at)) for r in rows if r.customer_id is not None
        ]
