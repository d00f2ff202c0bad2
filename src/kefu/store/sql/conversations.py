"""The SQLAlchemy ConversationStore: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.errors import Conflict, NotFound, StoreUnavailable
from kefu.domain.ids import ConversationId, CustomerId, new_conversation_id, new_message_id
from kefu.domain.messages import ConversationStatus, EventKind, Message, OutgoingMessage, Role
from kefu.engine.ports import HandoffChange, TurnRecord
from kefu.guard.sealed_state import StateSealer
from kefu.store.sql.events import MESSAGE_KINDS, advance, message_event, to_message
from kefu.store.sql.events import as_utc as _utc
from kefu.store.sql.events import now_utc as _now
from kefu.store.sql.handoffs import claim_handoff, end_handoff, insert_handoff, transfer_handoff
from kefu.store.sql.review import insert_review_item
from kefu.store.sql.schema import AuditRow, ConversationRow, CustomerRow, EventRow


def _to_conversation(row: ConversationRow) -> Conversation:
    return Conversation(
        id=ConversationId(row.id),
        pack=row.pack,
        locale=row.locale,
        status=ConversationStatus(row.status),
        customer_id=CustomerId(row.customer_id) if row.customer_id else None,
        created_at=_utc(row.created_at),
        last_seq=row.last_seq,
    )


class SqlConversationStore:
    def __init__(self, engine: Engine, sealer: StateSealer | None = None) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._sealer = sealer  # seals the personal parts of dialogue state at rest

    def _state_out(self, conversation_id: str, state: DialogueState) -> dict[str, Any]:
        raw = state.to_json()
        return self._sealer.seal(conversation_id, raw) if self._sealer else raw

    def _state_in(self, conversation_id: str, stored: dict[str, Any] | None) -> DialogueState:
        raw = stored or {}
        return DialogueState.from_json(self._sealer.unseal(conversation_id, raw) if self._sealer else raw)

    def _session(self) -> Session:
        return self._sessions()

    def ping(self) -> None:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise StoreUnavailable(f"database unreachable: {exc.orig}") from exc

    def _customer_for(self, session: Session, customer_ref: str) -> str:
        existing = session.scalar(select(CustomerRow.id).where(CustomerRow.external_ref == customer_ref))
        if existing:
            return existing
        row = CustomerRow(id=new_conversation_id(), external_ref=customer_ref, created_at=_now())
        session.add(row)
        session.flush()
        return row.id

    def create_conversation(
        self, pack: str, locale: str | None, customer_ref: str | None, state: DialogueState
    ) -> Conversation:
        now = _now()
        conversation_id = new_conversation_id()
        with self._session() as session, session.begin():
            customer_id = self._customer_for(session, customer_ref) if customer_ref else None
            row = ConversationRow(
                id=conversation_id,
                pack=pack,
                locale=locale,
                status=ConversationStatus.BOT.value,
                customer_id=customer_id,
                state=self._state_out(conversation_id, state),
                last_seq=0,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
        return _to_conversation(row)

    def _get_row(self, session: Session, conversation_id: str) -> ConversationRow:
        row = session.get(ConversationRow, conversation_id)
        if row is None:
            raise NotFound(f"conversation {conversation_id} not found")
        return row

    def get_conversation(self, conversation_id: ConversationId) -> Conversation:
        with self._session() as session:
            return _to_conversation(self._get_row(session, conversation_id))

    def customer_id_for(self, conversation_id: ConversationId) -> CustomerId | None:
        return self.get_conversation(conversation_id).customer_id

    def load_state(self, conversation_id: ConversationId) -> DialogueState:
        with self._session() as session:
            return self._state_in(conversation_id, self._get_row(session, conversation_id).state)

    def _advance(
        self,
        session: Session,
        conversation_id: str,
        expected: int,
        new_last: int,
        fence: int | None = None,
        **values: Any,
    ) -> None:
        advance(session, conversation_id, expected, new_last, fence, **values)

    def append_bot_messages(
        self, conversation_id: ConversationId, replies: list[OutgoingMessage]
    ) -> list[Message]:
        now = _now()
        try:
            with self._session() as session, session.begin():
                last = self._get_row(session, conversation_id).last_seq
                rows = [
                    message_event(conversation_id, last + i + 1, r, None, now) for i, r in enumerate(replies)
                ]
                self._advance(session, conversation_id, last, last + len(rows))
                session.add_all(rows)
        except IntegrityError as exc:
            raise Conflict(f"conversation {conversation_id} was changed by another writer; retry") from exc
        return [to_message(r) for r in rows]

    def find_turn(self, conversation_id: ConversationId, client_msg_id: str) -> list[Message] | None:
        with self._session() as session:
            incoming = session.scalar(
                select(EventRow).where(
                    EventRow.conversation_id == conversation_id, EventRow.client_msg_id == client_msg_id
                )
            )
            if incoming is None:
                return None
            replies = session.scalars(
                select(EventRow)
                .where(
                    EventRow.conversation_id == conversation_id,
                    EventRow.reply_to == incoming.seq,
                    EventRow.kind.in_(MESSAGE_KINDS),
                )
                .order_by(EventRow.seq)
            ).all()
            return [to_message(incoming), *(to_message(r) for r in replies)]

    def commit_turn(
        self, conversation_id: ConversationId, expected_last_seq: int, record: TurnRecord
    ) -> list[Message]:
        now = _now()
        seq = expected_last_seq + 1
        incoming = EventRow(
            id=new_message_id(),
            conversation_id=conversation_id,
            seq=seq,
            kind=EventKind.MESSAGE_RECEIVED.value,
            role=Role.CUSTOMER.value,
            text=record.incoming.text,
            lang=record.incoming.lang,
            client_msg_id=record.incoming.client_msg_id,
            payload={"meta": record.incoming.meta} if record.incoming.meta else {},
            created_at=now,
        )
        rows = [incoming]
        for tool_event in record.tool_events:
            rows.append(
                EventRow(
                    id=new_message_id(),
                    conversation_id=conversation_id,
                    seq=seq + len(rows),
                    kind=EventKind.TOOL_CALLED.value,
                    reply_to=seq,
                    payload=tool_event,
                    created_at=now,
                )
            )
        for reply in record.replies:
            rows.append(message_event(conversation_id, seq + len(rows), reply, seq, now))
        try:
            with self._session() as session, session.begin():
                self._advance(
                    session,
                    conversation_id,
                    expected_last_seq,
                    seq + len(rows) - 1,
                    fence=record.fence,
                    state=self._state_out(conversation_id, record.state),
                    status=record.status.value,
                )
                session.add_all(rows)
                pack = self._get_row(session, conversation_id).pack
                if record.handoff is not None:
                    insert_handoff(session, conversation_id, pack, record.incoming.lang, record.handoff, now)
                if record.held:
                    insert_review_item(
                        session, conversation_id, pack, record.incoming.lang, seq, record.held, now
                    )
                session.add_all(
                    AuditRow(
                        at=now,
                        actor="bot",
                        action=str(event.get("tool", "tool")),
                        conversation_id=conversation_id,
                        detail=event,
                    )
                    for event in record.tool_events
                )
        except IntegrityError as exc:
            raise Conflict(f"conversation {conversation_id}: this turn was already stored") from exc
        return [to_message(r) for r in rows if r.kind in MESSAGE_KINDS]

    def transition(
        self,
        conversation_id: ConversationId,
        expected_last_seq: int,
        status: ConversationStatus,
        messages: list[OutgoingMessage],
        change: HandoffChange | None,
    ) -> list[Message]:
        now = _now()
        rows = [
            message_event(conversation_id, expected_last_seq + i + 1, m, None, now)
            for i, m in enumerate(messages)
        ]
        try:
            with self._session() as session, session.begin():
                self._advance(
                    session,
                    conversation_id,
                    expected_last_seq,
                    expected_last_seq + len(rows),
                    status=status.value,
                )
                if change is not None and change.kind == "claim":
                    claim_handoff(session, conversation_id, str(change.agent_id), now)
                elif change is not None and change.kind == "transfer":
                    transfer_handoff(session, conversation_id, str(change.agent_id), now)
                elif change is not None and change.kind == "end":
                    end_handoff(session, conversation_id, change.outcome or "ended", now)
                session.add_all(rows)
        except IntegrityError as exc:
            raise Conflict(f"conversation {conversation_id} was changed by another writer; retry") from exc
        return [to_message(r) for r in rows]

    def list_messages(
        self, conversation_id: ConversationId, after_seq: int = 0, limit: int = 500
    ) -> list[Message]:
        with self._session() as session:
            self._get_row(session, conversation_id)
            rows = session.scalars(
                select(EventRow)
                .where(
                    EventRow.conversation_id == conversation_id,
                    EventRow.seq > after_seq,
                    EventRow.kind.in_(MESSAGE_KINDS),
                )
                .order_by(EventRow.seq)
                .limit(limit)
            ).all()
            return [to_message(r) for r in rows]

    def record_feedback(self, conversation_id: ConversationId, csat: int, comment: str | None) -> None:
        with self._session() as session, session.begin():
            row = self._get_row(session, conversation_id)
            last = row.last_seq
            self._advance(session, conversation_id, last, last + 1, csat=csat)
            session.add(
                EventRow(
                    id=new_message_id(),
                    conversation_id=conversation_id,
                    seq=last + 1,
                    kind=EventKind.FEEDBACK_GIVEN.value,
                    payload={"csat": csat, "comment": comment},
                    created_at=_now(),
                )
            )

    def audit(self, actor: str, action: str, conversation_id: str | None, detail: dict[str, Any]) -> None:
        with self._session() as session, session.begin():
            session.add(
                AuditRow(
                    at=_now(), actor=actor, action=action, conversation_id=conversation_id, detail=detail
                )
            )

    def audit_trail(self, conversation_id: ConversationId) -> list[dict[str, Any]]:
        with self._session() as session:
            rows = session.scalars(
                select(AuditRow).where(AuditRow.conversation_id == conversation_id).order_by(AuditRow.id)
            ).all()
            return [
                {"at": _utc(r.at).isoformat(), "actor": r.actor, "action": r.action, "detail": r.detail}
                for r in rows
            ]

    def count_events(self, conversation_id: ConversationId) -> int:
        with self._session() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(EventRow)
                    .where(EventRow.conversation_id == conversation_id)
                )
                or 0
            )
