"""The review queue in SQL: replies held by output rails, and the reviewers' decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kefu.domain.errors import Conflict, InvalidInput, NotFound
from kefu.domain.handoff import HandoffRequest
from kefu.domain.messages import ConversationStatus, Message, OutgoingMessage
from kefu.engine.context import HeldReply
from kefu.engine.ports import REVIEW_STATUSES, ReviewDecision, ReviewItem
from kefu.store.sql.events import advance, as_utc, message_event, now_utc, to_message
from kefu.store.sql.handoffs import insert_handoff
from kefu.store.sql.schema import AuditRow, ConversationRow, EventRow, ReviewItemRow


def _reply_json(reply: OutgoingMessage) -> dict[str, Any]:
    out: dict[str, Any] = {"text": reply.text}
    if reply.suggestions:
        out["suggestions"] = list(reply.suggestions)
    if reply.citations:
        out["citations"] = [
            {"source": c.source, "title": c.title, **({"anchor": c.anchor} if c.anchor else {})}
            for c in reply.citations
        ]
    if reply.meta:
        out["meta"] = reply.meta
    return out


def insert_review_item(
    session: Session,
    conversation_id: str,
    pack: str,
    lang: str,
    reply_to: int,
    held: list[HeldReply],
    now: datetime,
) -> None:
    """Store the replies of one turn that were held, as one pending item (they are released together)."""
    reasons: list[str] = []
    for item in held:
        reasons.extend(r for r in item.reasons if r not in reasons)
    session.add(
        ReviewItemRow(
            conversation_id=conversation_id,
            pack=pack,
            lang=lang,
            status="pending",
            text="\n\n".join(h.reply.text for h in held),
            risk=max(h.risk for h in held),
            reasons=reasons,
            reply_to=reply_to,
            payload={"replies": [_reply_json(h.reply) for h in held]},
            created_at=now,
        )
    )


def _to_item(row: ReviewItemRow, customer_text: str | None) -> ReviewItem:
    return ReviewItem(
        id=row.id,
        conversation_id=row.conversation_id,
        pack=row.pack,
        lang=row.lang,
        status=row.status,
        text=row.text,
        risk=float(row.risk),
        reasons=tuple(str(r) for r in row.reasons or ()),
        reply_to=row.reply_to,
        payload=row.payload or {},
        created_at=as_utc(row.created_at),
        final_text=row.final_text,
        decided_at=as_utc(row.decided_at) if row.decided_at else None,
        decided_by=row.decided_by,
        customer_text=customer_text,
    )


class SqlReviewStore:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def _select(self) -> Any:
        customer = (
            select(EventRow.text)
            .where(
                and_(
                    EventRow.conversation_id == ReviewItemRow.conversation_id,
                    EventRow.seq == ReviewItemRow.reply_to,
                )
            )
            .correlate(ReviewItemRow)
            .scalar_subquery()
        )
        return select(ReviewItemRow, customer)

    def review_items(
        self, status: str | None = "pending", pack: str | None = None, limit: int = 200
    ) -> list[ReviewItem]:
        if status is not None and status not in REVIEW_STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(REVIEW_STATUSES)}")
        query = self._select()
        if status is not None:
            query = query.where(ReviewItemRow.status == status)
        if pack is not None:
            query = query.where(ReviewItemRow.pack == pack)
        # Pending items oldest first (a queue); decided ones newest first (a history).
        order = ReviewItemRow.id if status == "pending" else ReviewItemRow.id.desc()
        with self._sessions() as session:
            rows = session.execute(query.order_by(order).limit(limit)).all()
            return [_to_item(row, text) for row, text in rows]

    def review_item(self, item_id: int) -> ReviewItem:
        with self._sessions() as session:
            found = session.execute(self._select().where(ReviewItemRow.id == item_id)).first()
            if found is None:
                raise NotFound(f"review item {item_id} not found")
            return _to_item(found[0], found[1])

    def decide(
        self,
        item_id: int,
        decision: ReviewDecision,
        expected_last_seq: int,
        messages: list[OutgoingMessage],
        status: ConversationStatus,
        handoff: HandoffRequest | None = None,
    ) -> list[Message]:
        if decision.status not in ("approved", "rejected"):
            raise InvalidInput("a decision is 'approved' or 'rejected'")
        now = now_utc()
        try:
            with self._sessions() as session, session.begin():
                row = session.get(ReviewItemRow, item_id)
                if row is None:
                    raise NotFound(f"review item {item_id} not found")
                marked = session.execute(
                    update(ReviewItemRow)
                    .where(ReviewItemRow.id == item_id, ReviewItemRow.status == "pending")
                    .values(
                        status=decision.status,
                        final_text=decision.final_text,
                        decided_at=now,
                        decided_by=decision.reviewer,
                    )
                )
                if marked.rowcount != 1:  # type: ignore[attr-defined]
                    raise Conflict(f"review item {item_id} was already decided")
                conversation = session.get(ConversationRow, row.conversation_id)
                assert conversation is not None  # review items cascade with their conversation
                events = [
                    message_event(row.conversation_id, expected_last_seq + i + 1, m, row.reply_to, now)
                    for i, m in enumerate(messages)
                ]
                advance(
                    session,
                    row.conversation_id,
                    expected_last_seq,
                    expected_last_seq + len(events),
                    status=status.value,
                )
                session.add_all(events)
                if handoff is not None:
                    insert_handoff(session, row.conversation_id, conversation.pack, row.lang, handoff, now)
                detail: dict[str, Any] = {"review_id": item_id, "edited": decision.edited}
                if decision.reason:
                    detail["reason"] = decision.reason
                session.add(
                    AuditRow(
                        at=now,
                        actor=decision.reviewer,
                        action=f"review_{decision.status}",
                        conversation_id=row.conversation_id,
                        detail=detail,
                    )
                )
        except IntegrityError as exc:
            raise Conflict(f"conversation of review item {item_id} was changed by another writer") from exc
        return [to_message(e) for e in events]
