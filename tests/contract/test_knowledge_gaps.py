"""Knowledge gaps from stored events, on SQLite and the real PostgreSQL: a bot reply flagged
``knowledge_gap`` in its meta marks the customer message it answers, whatever its wording."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kefu.analytics.summary import Period
from kefu.domain.conversation import DialogueState
from kefu.domain.messages import ConversationStatus, OutgoingMessage
from kefu.engine.ports import IncomingMessage, TurnRecord
from kefu.store.sql.analytics import SqlAnalytics
from kefu.store.sql.conversations import SqlConversationStore
from kefu.store.sql.database import make_engine, upgrade


def turn(text: str, reply: str, **meta: object) -> TurnRecord:
    return TurnRecord(
        incoming=IncomingMessage(text=text, lang="en", client_msg_id=None),
        replies=[OutgoingMessage(text=reply, lang="en", meta=dict(meta))],
        state=DialogueState(lang="en"),
        status=ConversationStatus.BOT,
    )


def test_flagged_replies_are_knowledge_gaps(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    store = SqlConversationStore(engine)
    conversation = store.create_conversation("retail", "en", None, DialogueState(lang="en"))
    store.commit_turn(
        conversation.id, 0, turn("Do you sell gift wrap?", "No idea, sorry.", knowledge_gap=True)
    )
    store.commit_turn(conversation.id, 2, turn("How long do refunds take?", "5 to 7 days.", knowledge=True))
    store.commit_turn(conversation.id, 4, turn("hello", "Hi!"))
    today = datetime.now(UTC).date()
    period = Period(today - timedelta(days=1), today + timedelta(days=1), UTC)
    summary = SqlAnalytics(engine).summary(period, None, fallback_texts=[])
    assert [(g.label, g.count) for g in summary.knowledge_gaps] == [("do you sell gift wrap?", 1)]
    engine.dispose()
