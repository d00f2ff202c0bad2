"""The review store contract, on SQLite and the real PostgreSQL: held replies are stored with their turn,
and a decision appends its messages, marks the item and audits it in one transaction, exactly once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine

from kefu.domain.conversation import DialogueState
from kefu.domain.errors import Conflict, InvalidInput, NotFound
from kefu.domain.handoff import HandoffReason, HandoffRequest
from kefu.domain.ids import ConversationId
from kefu.domain.messages import Citation, ConversationStatus, OutgoingMessage, Role
from kefu.engine.context import HeldReply
from kefu.engine.ports import IncomingMessage, ReviewDecision, TurnRecord
from kefu.store.sql.conversations import SqlConversationStore
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.handoffs import SqlHandoffStore
from kefu.store.sql.review import SqlReviewStore


@pytest.fixture
def engine(database_url: str) -> Engine:
    engine = make_engine(database_url)
    upgrade(engine)
    return engine


@pytest.fixture
def conversations(engine: Engine) -> SqlConversationStore:
    return SqlConversationStore(engine)


@pytest.fixture
def reviews(engine: Engine) -> SqlReviewStore:
    return SqlReviewStore(engine)


def held_turn(
    conversations: SqlConversationStore, pack: str = "retail", lang: str = "en"
) -> tuple[ConversationId, int]:
    """A conversation whose second turn had two replies held; returns its id and the customer's seq."""
    conversation = conversations.create_conversation(pack, lang, None, DialogueState(lang=lang))
    conversations.append_bot_messages(conversation.id, [OutgoingMessage("welcome", lang)])
    record = TurnRecord(
        incoming=IncomingMessage(text="will my fund grow?", lang=lang, client_msg_id="c1"),
        replies=[
            OutgoingMessage("Let me look.", lang),
            OutgoingMessage("A specialist is checking.", lang, meta={"review": "held"}),
        ],
        state=DialogueState(lang=lang),
        status=ConversationStatus.BOT,
        held=[
            HeldReply(
                OutgoingMessage(
                    "Returns are guaranteed.",
                    lang,
                    suggestions=("ok",),
                    citations=(Citation("faq.md", "FAQ"),),
                ),
                0.9,
                ("compliance: guaranteed returns",),
            ),
            HeldReply(OutgoingMessage("Anything else?", lang), 0.2, ()),
        ],
    )
    stored = conversations.commit_turn(conversation.id, 1, record)
    return conversation.id, stored[0].seq


def test_a_held_turn_is_stored_as_one_pending_item(
    conversations: SqlConversationStore, reviews: SqlReviewStore
) -> None:
    conversation_id, asked = held_turn(conversations)
    messages = conversations.list_messages(conversation_id)
    assert [m.text for m in messages] == [
        "welcome",
        "will my fund grow?",
        "Let me look.",
        "A specialist is checking.",
    ]
    [item] = reviews.review_items()
    assert item.conversation_id == conversation_id and item.pack == "retail" and item.lang == "en"
    assert item.status == "pending" and item.reply_to == asked == 2
    assert item.text == "Returns are guaranteed.\n\nAnything else?"
    assert item.risk == pytest.approx(0.9)
    assert item.reasons == ("compliance: guaranteed returns",)
    assert item.customer_text == "will my fund grow?"
    assert [r["text"] for r in item.payload["replies"]] == ["Returns are guaranteed.", "Anything else?"]
    assert item.payload["replies"][0]["citations"] == [{"source": "faq.md", "title": "FAQ"}]
    assert reviews.review_item(item.id) == item


def test_filters_by_status_and_pack(conversations: SqlConversationStore, reviews: SqlReviewStore) -> None:
    held_turn(conversations, "retail")
    held_turn(conversations, "finance", "zh")
    assert [i.pack for i in reviews.review_items()] == ["retail", "finance"]  # oldest first
    assert [i.lang for i in reviews.review_items(pack="finance")] == ["zh"]
    assert reviews.review_items(status="approved") == []
    assert len(reviews.review_items(status=None)) == 2
    with pytest.raises(InvalidInput):
        reviews.review_items(status="maybe")
    with pytest.raises(NotFound):
        reviews.review_item(999_999)


def test_approve_appends_after_the_last_message_once(
    conversations: SqlConversationStore, reviews: SqlReviewStore
) -> None:
    conversation_id, asked = held_turn(conversations)
    [item] = reviews.review_items()
    last = conversations.get_conversation(conversation_id).last_seq
    decision = ReviewDecision("approved", "agent:a1", final_text="Returns are not guaranteed.", edited=True)
    sent = reviews.decide(
        item.id,
        decision,
        last,
        [OutgoingMessage("Returns are not guaranteed.", "en")],
        ConversationStatus.BOT,
    )
    assert [(m.seq, m.role, m.text) for m in sent] == [(last + 1, Role.BOT, "Returns are not guaranteed.")]
    assert conversations.get_conversation(conversation_id).last_seq == last + 1
    decided = reviews.review_item(item.id)
    assert (decided.status, decided.decided_by, decided.final_text) == (
        "approved",
        "agent:a1",
        "Returns are not guaranteed.",
    )
    assert decided.decided_at is not None
    assert reviews.review_items() == [] and [i.id for i in reviews.review_items("approved")] == [item.id]
    # The approved reply answers the customer's message: a retried send returns it too.
    replay = conversations.find_turn(conversation_id, "c1")
    assert replay is not None and replay[-1].text == "Returns are not guaranteed." and replay[0].seq == asked
    audit = conversations.audit_trail(conversation_id)
    assert audit[-1]["actor"] == "agent:a1" and audit[-1]["action"] == "review_approved"
    assert audit[-1]["detail"] == {"review_id": item.id, "edited": True}

    with pytest.raises(Conflict):
        reviews.decide(item.id, ReviewDecision("rejected", "agent:a2"), last + 1, [], ConversationStatus.BOT)
    assert conversations.get_conversation(conversation_id).last_seq == last + 1
    assert reviews.review_item(item.id).decided_by == "agent:a1"


def test_reject_opens_a_handoff_in_the_same_transaction(
    engine: Engine, conversations: SqlConversationStore, reviews: SqlReviewStore
) -> None:
    conversation_id, _ = held_turn(conversations)
    [item] = reviews.review_items()
    last = conversations.get_conversation(conversation_id).last_seq
    handoff = HandoffRequest(HandoffReason.POLICY, detail="review_rejected", summary={"review_id": item.id})
    sent = reviews.decide(
        item.id,
        ReviewDecision("rejected", "agent:a1", reason="wrong promise"),
        last,
        [OutgoingMessage("A human agent will follow up.", "en")],
        ConversationStatus.WAITING_HUMAN,
        handoff,
    )
    assert [m.seq for m in sent] == [last + 1]
    assert conversations.get_conversation(conversation_id).status is ConversationStatus.WAITING_HUMAN
    [waiting] = SqlHandoffStore(engine).waiting()
    assert waiting.conversation_id == conversation_id and waiting.reason == "policy"
    assert waiting.summary == {"review_id": item.id}
    assert conversations.audit_trail(conversation_id)[-1]["detail"] == {
        "review_id": item.id,
        "edited": False,
        "reason": "wrong promise",
    }


def test_a_stale_writer_changes_nothing(conversations: SqlConversationStore, reviews: SqlReviewStore) -> None:
    conversation_id, _ = held_turn(conversations)
    [item] = reviews.review_items()
    last = conversations.get_conversation(conversation_id).last_seq
    with pytest.raises(Conflict):
        reviews.decide(
            item.id,
            ReviewDecision("approved", "agent:a1"),
            last - 1,
            [OutgoingMessage("x", "en")],
            ConversationStatus.BOT,
        )
    assert reviews.review_item(item.id).status == "pending"
    assert conversations.get_conversation(conversation_id).last_seq == last
    assert [a["action"] for a in conversations.audit_trail(conversation_id)] == []


def test_two_reviewers_racing_decide_once(
    conversations: SqlConversationStore, reviews: SqlReviewStore
) -> None:
    conversation_id, _ = held_turn(conversations)
    [item] = reviews.review_items()
    last = conversations.get_conversation(conversation_id).last_seq
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def decide(reviewer: str) -> None:
        start.wait()
        try:
            reviews.decide(
                item.id,
                ReviewDecision("approved", reviewer),
                last,
                [OutgoingMessage(f"from {reviewer}", "en")],
                ConversationStatus.BOT,
            )
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=decide, args=(f"agent:{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 3 + ["ok"]
    texts = [m.text for m in conversations.list_messages(conversation_id, after_seq=last)]
    assert len(texts) == 1 and texts[0] == f"from {reviews.review_item(item.id).decided_by}"


def test_deleting_a_conversation_removes_its_items(
    engine: Engine, conversations: SqlConversationStore, reviews: SqlReviewStore
) -> None:
    from sqlalchemy import delete

    from kefu.store.sql.schema import ConversationRow

    conversation_id, _ = held_turn(conversations)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.execute(delete(ConversationRow).where(ConversationRow.id == conversation_id))
    assert reviews.review_items(status=None) == []
