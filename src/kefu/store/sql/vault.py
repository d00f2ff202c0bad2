"""The VaultStore in SQL: table ``vault_entries`` (ciphertexts only; the keys never reach the database)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import sessionmaker

from kefu.guard.vault import VaultEntry
from kefu.store.sql.schema import VaultEntryRow


def _entry(row: VaultEntryRow) -> VaultEntry:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return VaultEntry(
        id=row.id,
        kind=row.kind,
        customer_id=row.customer_id,
        conversation_id=row.conversation_id,
        key_id=row.key_id,
        ciphertext=bytes(row.ciphertext),
        created_at=created,
    )


class SqlVaultStore:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def add(self, entry: VaultEntry) -> None:
        with self._sessions() as session, session.begin():
            session.add(
                VaultEntryRow(
                    id=entry.id,
                    customer_id=entry.customer_id,
                    conversation_id=entry.conversation_id,
                    kind=entry.kind,
                    key_id=entry.key_id,
                    ciphertext=entry.ciphertext,
                    created_at=entry.created_at or datetime.now(UTC),
                )
            )

    def get(self, entry_id: str) -> VaultEntry | None:
        with self._sessions() as session:
            row = session.get(VaultEntryRow, entry_id)
            return _entry(row) if row else None

    def key_counts(self) -> dict[str, int]:
        with self._sessions() as session:
            rows = session.execute(
                select(VaultEntryRow.key_id, func.count()).group_by(VaultEntryRow.key_id)
            ).all()
            return {key_id: count for key_id, count in rows}

    def not_under(self, key_id: str, limit: int) -> list[VaultEntry]:
        with self._sessions() as session:
            rows = session.scalars(
                select(VaultEntryRow)
                .where(VaultEntryRow.key_id != key_id)
                .order_by(VaultEntryRow.id)
                .limit(limit)
            ).all()
            return [_entry(r) for r in rows]

    def replace_ciphertexts(self, entries: list[VaultEntry]) -> int:
        updated = 0
        with self._sessions() as session, session.begin():
            for entry in entries:
                row = session.get(VaultEntryRow, entry.id)
                if row is not None:  # erased meanwhile: nothing to re-encrypt
                    row.key_id, row.ciphertext = entry.key_id, entry.ciphertext
                    updated += 1
        return updated

    def for_conversation(self, conversation_id: str) -> list[VaultEntry]:
        with self._sessions() as session:
            rows = session.scalars(
                select(VaultEntryRow)
                .where(VaultEntryRow.conversation_id == conversation_id)
                .order_by(VaultEntryRow.created_at, VaultEntryRow.id)
            ).all()
            return [_entry(r) for r in rows]

    def delete_for_customer(self, customer_id: str) -> int:
        with self._sessions() as session, session.begin():
            result = session.execute(delete(VaultEntryRow).where(VaultEntryRow.customer_id == customer_id))
            return int(result.rowcount)  # type: ignore[attr-defined]
