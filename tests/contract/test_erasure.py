"""Erasure of a customer and retention purges, against SQLite and the real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, update
from sqlalchemy.orm import Session

from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.errors import NotFound
from kefu.domain.handoff import HandoffReason, HandoffRequest
from kefu.domain.messages import ConversationStatus, OutgoingMessage, Role
from kefu.engine.ports import HandoffChange, IncomingMessage, TurnRecord
from kefu.guard.erasure import ERASED_ACTION, PURGED_ACTION, AuditQuery, subject_hasher
from kefu.guard.vault import Keyring, Vault
from kefu.store.sql.audit import SqlAuditLog
from kefu.store.sql.conversations import SqlConversationStore
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.erasure import SqlPrivacyStore
from kefu.store.sql.schema import ConversationRow, CustomerRow, ReviewItemRow
from kefu.store.sql.vault import SqlVaultStore

SECRET = "erasure-secret-key-of-at-least-32-bytes"


@dataclass
class World:
    engine: Engine
    conversations: SqlConversationStore
    privacy: SqlPrivacyStore
    audit: SqlAuditLog
    vault: Vault

    def talk(self, customer_ref: str | None, words: str, verified: str | None = None) -> Conversation:
        """A conversation with two turns, a side-effect tool call, a handoff claimed by an agent, a
        review item and a vault entry, every text carrying ``words``."""
        store = self.conversations
        conversation = store.create_conversation("retail", "en", customer_ref, DialogueState())
        state = DialogueState(lang="en", verified_customer=verified, memory={"request_text": f"{words} m"})
        store.commit_turn(
            conversation.id,
            0,
            TurnRecord(
                incoming=IncomingMessage(f"{words} first message", "en", "m1"),
                replies=[OutgoingMessage(f"bot answers {words}", "en")],
                state=state,
                status=ConversationStatus.BOT,
                tool_events=[
                    {
                        "tool": "modify_pending_order_address",
                        "arguments": {"address1": f"{words} St"},
                        "ok": True,
                    }
                ],
            ),
        )
        store.commit_turn(
            conversation.id,
            3,
            TurnRecord(
                incoming=IncomingMessage(f"{words} wants a human", "en", "m2"),
                replies=[OutgoingMessage("connecting you", "en")],
                state=state,
                status=ConversationStatus.WAITING_HUMAN,
                handoff=HandoffRequest(HandoffReason.CUSTOMER_REQUEST, summary={"last": f"{words} wants"}),
            ),
        )
        last = store.get_conversation(conversation.id).last_seq
        store.transition(
            conversation.id,
            last,
            ConversationStatus.HUMAN,
            [OutgoingMessage(f"agent says {words}", "en", role=Role.AGENT)],
            HandoffChange("claim", agent_id="a1"),
        )
        store.audit("agent:a1", "claim", conversation.id, {"agent": "Ann", "status": "human"})
        with Session(self.engine) as session, session.begin():
            session.add(
                ReviewItemRow(
                    conversation_id=conversation.id,
                    pack="retail",
                    lang="en",
                    status="pending",
                    text=f"held reply about {words}",
                    risk=0.9,
                    reasons=["sensitive"],
                    payload={"replies": [{"text": f"held reply about {words}"}]},
                    created_at=datetime.now(UTC),
                )
            )
        entry = self.vault.put("PHONE", f"{words}-phone", conversation.customer_id, conversation.id)
        self.vault.reveal(entry, "agent:a1", "verify the phone")
        return conversation

    def dump(self) -> str:
        """Every row of every table, as text: what a scan of the database finds."""
        metadata = MetaData()
        metadata.reflect(self.engine)
        with self.engine.connect() as connection:
            return "\n".join(
                repr(tuple(row))
                for table in metadata.sorted_tables
                for row in connection.execute(table.select())
            )


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    engine = make_engine(database_url)
    upgrade(engine)
    conversations = SqlConversationStore(engine)
    vault = Vault(SqlVaultStore(engine), Keyring(SECRET), conversations.audit)
    yield World(
        engine, conversations, SqlPrivacyStore(engine, subject_hasher(SECRET)), SqlAuditLog(engine), vault
    )
    engine.dispose()


def test_erasure_removes_everything_of_the_customer_and_nothing_else(world: World) -> None:
    first = world.talk("shop-user-alice", "Alicewords")
    second = world.talk("shop-user-alice", "Alicewords")
    verified_in_chat = world.talk(None, "Alicewords", verified="shop-user-alice")
    loose = world.vault.put("EMAIL", "alice-loose@example.com", first.customer_id)
    world.vault.reveal(loose, "agent:a1", "email Alicewords a receipt")
    bob = world.talk("shop-user-bob", "Bobwords")
    before = world.dump()
    assert "Alicewords" in before and "shop-user-alice" in before

    report = world.privacy.erase_customer("shop-user-alice", "agent:admin")

    counts = report.counts.as_dict()
    assert counts == {
        "conversations": 3,
        "events": 3 * 6,  # per conversation: 2 customer messages, 2 bot replies, 1 agent reply, 1 tool call
        "messages": 3 * 5,
        "handoffs": 3,
        "review_items": 3,
        "vault_entries": 4,
        "customers": 1,
        "audit_scrubbed": 3 * 3 + 1,  # tool call, agent claim, vault read per conversation; the loose read
    }
    after = world.dump()
    assert "Alicewords" not in after and "shop-user-alice" not in after and "alice-loose" not in after
    assert after.count("Bobwords") == before.count("Bobwords")  # the other customer is untouched
    assert len(world.conversations.list_messages(bob.id)) == 5
    for conversation in (first, second, verified_in_chat):
        with pytest.raises(NotFound):
            world.conversations.list_messages(conversation.id)

    [tombstone] = world.audit.query(AuditQuery(action=ERASED_ACTION))
    assert tombstone.id == report.tombstone_id and tombstone.actor == "agent:admin"
    assert tombstone.conversation_id is None
    assert tombstone.detail["subject"] == subject_hasher(SECRET)("shop-user-alice") == report.subject_hash
    assert tombstone.detail["counts"] == counts
    trail = world.audit.query(AuditQuery(conversation_id=first.id))
    assert {r.action for r in trail} >= {"claim", "vault.read", "modify_pending_order_address"}
    assert all(r.detail.get("scrubbed") for r in trail)  # who did what stays; what it was about goes


def test_erasure_counts_are_exact(world: World) -> None:
    conversation = world.talk("ref-1", "Carolwords")
    events = world.conversations.count_events(conversation.id)
    messages = len(world.conversations.list_messages(conversation.id))
    report = world.privacy.erase_customer("ref-1", "agent:admin")
    assert report.counts.as_dict() == {
        "conversations": 1,
        "events": events,
        "messages": messages,
        "handoffs": 1,
        "review_items": 1,
        "vault_entries": 1,
        "customers": 1,
        "audit_scrubbed": 3,
    }


def test_kefu_customer_id_works_too_and_a_repeat_says_already_erased(world: World) -> None:
    conversation = world.talk("ref-2", "Davewords")
    assert conversation.customer_id
    report = world.privacy.erase_customer(conversation.customer_id, "agent:admin")
    assert report.counts.conversations == 1 and report.counts.customers == 1
    with pytest.raises(NotFound, match="already erased"):
        world.privacy.erase_customer(conversation.customer_id, "agent:admin")
    with pytest.raises(NotFound, match="already erased"):
        world.privacy.erase_customer("ref-2", "agent:admin")  # the business's id of the same customer
    with pytest.raises(NotFound, match="no data is stored for customer nobody"):
        world.privacy.erase_customer("nobody", "agent:admin")
    assert len(world.audit.query(AuditQuery(action=ERASED_ACTION))) == 1  # refusals leave no tombstone


def test_audit_details_never_hold_message_text(world: World) -> None:
    world.talk("ref-3", "Evewords")
    for record in world.audit.query(AuditQuery(limit=500)):
        assert "Evewords first" not in str(record.detail) and "agent says" not in str(record.detail)


def _age(world: World, conversation: Conversation, days: int) -> None:
    old = datetime.now(UTC) - timedelta(days=days)
    with world.engine.begin() as connection:
        connection.execute(
            update(ConversationRow).where(ConversationRow.id == conversation.id).values(updated_at=old)
        )
        if conversation.customer_id:
            connection.execute(
                update(CustomerRow).where(CustomerRow.id == conversation.customer_id).values(created_at=old)
            )


def test_retention_purges_idle_conversations_only(world: World) -> None:
    stale = world.talk("ref-old", "Oldwords")
    stale_anonymous = world.talk(None, "Anonwords")
    recent = world.talk("ref-new", "Newwords")
    _age(world, stale, 40)
    _age(world, stale_anonymous, 31)

    report = world.privacy.purge(30, "cli:data-purge")

    assert report.counts.conversations == 2 and report.counts.customers == 1  # ref-old has nothing left
    assert (
        report.counts.vault_entries == 2 and report.counts.handoffs == 2 and report.counts.review_items == 2
    )
    after = world.dump()
    assert "Oldwords" not in after and "Anonwords" not in after and "ref-old" not in after
    assert "Newwords" in after and "ref-new" in after
    assert world.conversations.get_conversation(recent.id).id == recent.id
    [record] = world.audit.query(AuditQuery(action=PURGED_ACTION))
    assert record.id == report.audit_id and record.actor == "cli:data-purge"
    assert record.detail["days"] == 30 and record.detail["counts"] == report.counts.as_dict()
    again = world.privacy.purge(30, "system:retention")
    assert again.counts.conversations == 0 and len(world.audit.query(AuditQuery(action=PURGED_ACTION))) == 2


def test_sqlite_files_keep_no_erased_text(sqlite_url: str) -> None:
    """Beyond the rows: SQLite's deleted pages are zeroed and the WAL folded in, so the bytes are gone."""
    engine = make_engine(sqlite_url)
    upgrade(engine)
    conversations = SqlConversationStore(engine)
    world = World(
        engine,
        conversations,
        SqlPrivacyStore(engine, subject_hasher(SECRET)),
        SqlAuditLog(engine),
        Vault(SqlVaultStore(engine), Keyring(SECRET), conversations.audit),
    )
    world.talk("ref-file", "Filewordsxyz")
    world.talk("ref-keep", "Keepwordsxyz")
    world.privacy.erase_customer("ref-file", "agent:admin")
    engine.dispose()
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    raw = b"".join(p.read_bytes() for p in files)
    assert b"Keepwordsxyz" in raw and b"Filewordsxyz" not in raw
