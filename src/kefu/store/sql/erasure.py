"""Erasure of a customer and retention purges in SQL (the ``PrivacyStore`` port).

A conversation is removed with everything hanging off it, in one transaction: its events (messages,
tool calls, feedback), handoffs, review items and vault entries; its audit records stay, scrubbed to
content-free keys. Knowledge gaps and the other analytics are computed from events at query time, so
they go with the events. On SQLite the deleted pages are zeroed (``secure_delete``) and the WAL is
checkpointed afterwards, so the text is gone from the database files too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Delete, Engine, delete, func, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from kefu.domain.errors import InvalidInput, NotFound
from kefu.domain.messages import EventKind
from kefu.guard.erasure import (
    ERASED_ACTION,
    PURGED_ACTION,
    ErasureReport,
    PurgeReport,
    RemovalCounts,
    scrub_detail,
)
from kefu.store.sql.schema import (
    AuditRow,
    ConversationRow,
    CustomerRow,
    EventRow,
    HandoffRow,
    ReviewItemRow,
    VaultEntryRow,
)

MESSAGE_KINDS = (EventKind.MESSAGE_RECEIVED.value, EventKind.MESSAGE_SENT.value)
CHUNK = 200


def _deleted(session: Session, statement: Delete) -> int:
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def remove_conversations(session: Session, ids: Collection[str]) -> RemovalCounts:
    """Delete these conversations and everything hanging off them; scrub their audit records."""
    if not ids:
        return RemovalCounts()
    ids = list(ids)
    messages = session.scalar(
        select(func.count())
        .select_from(EventRow)
        .where(EventRow.conversation_id.in_(ids), EventRow.kind.in_(MESSAGE_KINDS))
    )
    scrubbed = 0
    for row in session.scalars(select(AuditRow).where(AuditRow.conversation_id.in_(ids))):
        if not (row.detail or {}).get("scrubbed"):
            row.detail = scrub_detail(row.detail)
            scrubbed += 1
    return RemovalCounts(
        events=_deleted(session, delete(EventRow).where(EventRow.conversation_id.in_(ids))),
        messages=int(messages or 0),
        handoffs=_deleted(session, delete(HandoffRow).where(HandoffRow.conversation_id.in_(ids))),
        review_items=_deleted(session, delete(ReviewItemRow).where(ReviewItemRow.conversation_id.in_(ids))),
        vault_entries=_deleted(session, delete(VaultEntryRow).where(VaultEntryRow.conversation_id.in_(ids))),
        conversations=_deleted(session, delete(ConversationRow).where(ConversationRow.id.in_(ids))),
        audit_scrubbed=scrubbed,
    )


def _scrub_vault_reads(session: Session, entry_ids: list[str]) -> int:
    """Vault reads of entries that belonged to no conversation carry their purpose: scrub it."""
    if not entry_ids:
        return 0
    rows = session.scalars(
        select(AuditRow).where(
            AuditRow.action == "vault.read",
            AuditRow.conversation_id.is_(None),
            AuditRow.detail["entry_id"].as_string().in_(entry_ids),
        )
    ).all()
    for row in rows:
        row.detail = scrub_detail(row.detail)
    return len(rows)


class SqlPrivacyStore:
    def __init__(self, engine: Engine, hash_subject: Callable[[str], str]) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._hash = hash_subject
        self._sqlite = engine.dialect.name == "sqlite"

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            if self._sqlite:  # zero deleted content in the file instead of leaving it in free pages
                session.execute(text("PRAGMA secure_delete=ON"))
            yield session

    def _checkpoint(self) -> None:
        """SQLite keeps the old pages in the WAL until a checkpoint; fold them in and truncate it."""
        if self._sqlite:
            with self._engine.connect() as connection:
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    # -- erasure --------------------------------------------------------------------------------
    def erase_customer(self, customer_ref: str, actor: str) -> ErasureReport:
        ref = customer_ref.strip()
        if not ref or len(ref) > 255:
            raise InvalidInput("customer id must be 1-255 characters")
        now = datetime.now(UTC)
        with self._transaction() as session:
            customers = session.scalars(
                select(CustomerRow).where(or_(CustomerRow.id == ref, CustomerRow.external_ref == ref))
            ).all()
            kefu_ids = [c.id for c in customers]
            business_refs = sorted({ref, *(c.external_ref for c in customers if c.external_ref)})
            conversation_ids = session.scalars(
                select(ConversationRow.id).where(
                    or_(
                        ConversationRow.customer_id.in_(kefu_ids),
                        ConversationRow.state["verified_customer"].as_string().in_(business_refs),
                    )
                )
            ).all()
            owner_ids = sorted({*kefu_ids, *business_refs})
            loose_entries = session.scalars(
                select(VaultEntryRow.id).where(
                    VaultEntryRow.customer_id.in_(owner_ids), VaultEntryRow.conversation_id.is_(None)
                )
            ).all()
            if not customers and not conversation_ids and not loose_entries:
                raise NotFound(self._nothing_stored(session, ref))
            counts = remove_conversations(session, conversation_ids)
            vault = _deleted(session, delete(VaultEntryRow).where(VaultEntryRow.customer_id.in_(owner_ids)))
            scrubbed = _scrub_vault_reads(session, list(loose_entries))
            removed = _deleted(session, delete(CustomerRow).where(CustomerRow.id.in_(kefu_ids)))
            counts = counts.plus(
                RemovalCounts(vault_entries=vault, customers=removed, audit_scrubbed=scrubbed)
            )
            subject = self._hash(ref)
            tombstone = AuditRow(
                at=now,
                actor=actor,
                action=ERASED_ACTION,
                conversation_id=None,
                detail={
                    "subject": subject,
                    "subjects": sorted({self._hash(s) for s in (*owner_ids, ref)}),
                    "counts": counts.as_dict(),
                },
            )
            session.add(tombstone)
            session.flush()
            tombstone_id = tombstone.id
        self._checkpoint()
        return ErasureReport(tombstone_id, now, subject, counts)

    def _nothing_stored(self, session: Session, ref: str) -> str:
        subject = self._hash(ref)
        for at, detail in session.execute(
            select(AuditRow.at, AuditRow.detail)
            .where(AuditRow.action == ERASED_ACTION)
            .order_by(AuditRow.id.desc())
        ):
            if subject in (detail or {}).get("subjects", ()):
                moment = at if at.tzinfo else at.replace(tzinfo=UTC)
                return f"customer {ref} was already erased at {moment.isoformat(timespec='seconds')}"
        return f"no data is stored for customer {ref} (neither a kefu customer id nor a customer_token sub)"

    # -- retention ------------------------------------------------------------------------------
    def purge(self, days: int, actor: str, now: datetime | None = None) -> PurgeReport:
        if days < 1:
            raise InvalidInput("retention days must be at least 1")
        cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
        bound = cutoff.astimezone(UTC)  # SQLite compares UTC wall-clock strings
        total = RemovalCounts()
        while True:
            with self._transaction() as session:
                ids = session.scalars(
                    select(ConversationRow.id).where(ConversationRow.updated_at < bound).limit(CHUNK)
                ).all()
                if not ids:
                    break
                total = total.plus(remove_conversations(session, ids))
        with self._transaction() as session:
            loose = session.scalars(
                select(VaultEntryRow.id).where(
                    VaultEntryRow.conversation_id.is_(None), VaultEntryRow.created_at < bound
                )
            ).all()
            scrubbed = _scrub_vault_reads(session, list(loose))
            vault = _deleted(session, delete(VaultEntryRow).where(VaultEntryRow.id.in_(loose)))
            orphans = select(CustomerRow.id).where(
                CustomerRow.created_at < bound,
                ~select(ConversationRow.id).where(ConversationRow.customer_id == CustomerRow.id).exists(),
                ~select(VaultEntryRow.id).where(VaultEntryRow.customer_id == CustomerRow.id).exists(),
            )
            orphan_ids = session.scalars(orphans).all()
            customers = _deleted(session, delete(CustomerRow).where(CustomerRow.id.in_(orphan_ids)))
            total = total.plus(
                RemovalCounts(vault_entries=vault, customers=customers, audit_scrubbed=scrubbed)
            )
            record = AuditRow(
                at=datetime.now(UTC),
                actor=actor,
                action=PURGED_ACTION,
                conversation_id=None,
                detail={"days": days, "cutoff": cutoff.isoformat(), "counts": total.as_dict()},
            )
            session.add(record)
            session.flush()
            audit_id = record.id
        self._checkpoint()
        return PurgeReport(days, cutoff, total, audit_id)
