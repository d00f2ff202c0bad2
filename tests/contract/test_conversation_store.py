"""The ConversationStore contract, run against SQLite and the real PostgreSQL (marker ``postgres``)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import inspect

from kefu.domain.conversation import DialogueState
from kefu.domain.errors import Conflict, NotFound
from kefu.domain.ids import ConversationId
from kefu.domain.messages import ConversationStatus, OutgoingMessage, Role
from kefu.engine.ports import IncomingMessage, TurnRecord
from kefu.store.sql.conversations import SqlConversationStore
from kefu.store.sql.database import make_engine, upgrade


@pytest.fixture
def store(database_url: str) -> SqlConversationStore:
    engine = make_engine(database_url)
    upgrade(engine)
    return SqlConversationStore(engine)


def turn(text: str, client_msg_id: str | None, replies: list[str], **state: object) -> TurnRecord:
    return TurnRecord(
        incoming=IncomingMessage(text=text, lang="en", client_msg_id=client_msg_id),
        replies=[OutgoingMessage(text=r, lang="en", suggestions=("a", "b")) for r in replies],
        state=DialogueState(lang="en", memory=dict(state)),
        status=ConversationStatus.BOT,
    )


def test_migration_creates_the_unique_constraints(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    uniques = {tuple(u["column_names"]) for u in inspect(engine).get_unique_constraints("events")}
    assert ("conversation_id", "seq") in uniques
    assert ("conversation_id", "client_msg_id") in uniques
    upgrade(engine)  # idempotent


def test_create_load_and_commit_a_turn(store: SqlConversationStore) -> None:
    conversation = store.create_conversation("retail", "zh", "shop-user-1", DialogueState(lang="zh"))
    assert conversation.status is ConversationStatus.BOT and conversation.customer_id
    welcome = store.append_bot_messages(conversation.id, [OutgoingMessage("欢迎", "zh")])
    assert [m.seq for m in welcome] == [1]
    stored = store.commit_turn(conversation.id, 1, turn("hi", "c1", ["hello", "how can I help?"], k="v"))
    assert [(m.seq, m.role) for m in stored] == [(2, Role.CUSTOMER), (3, Role.BOT), (4, Role.BOT)]
    assert stored[1].suggestions == ("a", "b")
    assert store.load_state(conversation.id).memory == {"k": "v"}
    assert store.get_conversation(conversation.id).last_seq == 4
    assert [m.text for m in store.list_messages(conversation.id, after_seq=2)] == ["hello", "how can I help?"]


def test_same_customer_reference_maps_to_one_customer(store: SqlConversationStore) -> None:
    a = store.create_conversation("retail", None, "ref-x", DialogueState())
    b = store.create_conversation("retail", None, "ref-x", DialogueState())
    assert a.customer_id == b.customer_id


def test_find_turn_returns_the_stored_turn(store: SqlConversationStore) -> None:
    c = store.create_conversation("retail", "en", None, DialogueState())
    store.commit_turn(c.id, 0, turn("hi", "c1", ["one", "two"]))
    store.commit_turn(c.id, 3, turn("again", "c2", ["three"]))
    found = store.find_turn(c.id, "c1")
    assert found is not None and [m.text for m in found] == ["hi", "one", "two"]
    assert store.find_turn(c.id, "nope") is None


def test_duplicate_client_msg_id_is_rejected_by_the_database(store: SqlConversationStore) -> None:
    c = store.create_conversation("retail", "en", None, DialogueState())
    store.commit_turn(c.id, 0, turn("hi", "dup", ["one"]))
    with pytest.raises(Conflict):
        store.commit_turn(c.id, 2, turn("hi", "dup", ["one"]))
    assert len(store.list_messages(c.id)) == 2  # nothing half-stored


def test_stale_writer_is_fenced_off(store: SqlConversationStore) -> None:
    c = store.create_conversation("retail", "en", None, DialogueState())
    store.commit_turn(c.id, 0, turn("first", "a", ["r1"]))
    with pytest.raises(Conflict):
        store.commit_turn(c.id, 0, turn("stale", "b", ["r2"]))
    assert [m.text for m in store.list_messages(c.id)] == ["first", "r1"]


def test_racing_writers_never_share_a_seq(store: SqlConversationStore) -> None:
    c = store.create_conversation("retail", "en", None, DialogueState())
    outcomes: list[str] = []

    def write(i: int) -> None:
        try:
            store.commit_turn(c.id, 0, turn(f"m{i}", f"id{i}", ["r"]))
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("conflict") == 7
    assert [m.seq for m in store.list_messages(c.id)] == [1, 2]


def test_feedback_and_audit(store: SqlConversationStore) -> None:
    c = store.create_conversation("retail", "en", None, DialogueState())
    store.record_feedback(c.id, 4, "ok")
    store.audit("admin", "viewed", c.id, {"why": "test"})
    assert store.get_conversation(c.id).last_seq == 1
    assert store.list_messages(c.id) == []  # feedback is an event, not a message


def test_unknown_conversation_is_not_found(store: SqlConversationStore) -> None:
    with pytest.raises(NotFound):
        store.get_conversation(ConversationId("missing"))
    with pytest.raises(NotFound):
        store.list_messages(ConversationId("missing"))
