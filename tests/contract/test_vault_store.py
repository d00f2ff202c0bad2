"""The vault over SQL (SQLite and PostgreSQL): ciphertexts at rest, audited reads, rotation, erasure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select, update

from kefu.domain.errors import InvalidInput, NotFound
from kefu.guard.erasure import AuditQuery
from kefu.guard.vault import Keyring, Vault, VaultKeeper, VaultKeyUnknown, VaultTampered
from kefu.store.sql.audit import SqlAuditLog
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.schema import VaultEntryRow
from kefu.store.sql.vault import SqlVaultStore

OLD, NEW = "old-secret-key-of-at-least-32-bytes!!", "new-secret-key-of-at-least-32-bytes!!"


@dataclass(frozen=True)
class Span:  # what the PII rail hands its keep hook: a span with a kind
    kind: str
    start: int
    end: int


@dataclass
class Db:
    engine: Engine
    audit: SqlAuditLog

    def vault(self, secret: str, retired: str | None = None) -> Vault:
        return Vault(SqlVaultStore(self.engine), Keyring.from_settings(secret, retired), self.audit.record)

    def rows(self) -> list[VaultEntryRow]:
        from sqlalchemy.orm import Session

        with Session(self.engine) as session:
            return list(session.scalars(select(VaultEntryRow).order_by(VaultEntryRow.id)))


@pytest.fixture
def db(database_url: str) -> Iterator[Db]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield Db(engine, SqlAuditLog(engine))
    engine.dispose()


def test_values_are_stored_encrypted_and_every_read_is_audited(db: Db) -> None:
    vault = db.vault(NEW)
    entry = vault.put("PHONE", "13812345678", customer_id="c1", conversation_id="conv1")
    [row] = db.rows()
    assert row.id == entry and row.kind == "PHONE" and row.key_id == vault.keyring.current_id
    assert b"13812345678" not in bytes(row.ciphertext) and row.customer_id == "c1"
    assert vault.reveal(entry, "agent:a1", "verify the caller's phone") == "13812345678"
    [record] = db.audit.query(AuditQuery(action="vault.read"))
    assert record.actor == "agent:a1" and record.conversation_id == "conv1"
    assert record.detail == {
        "entry_id": entry,
        "kind": "PHONE",
        "purpose": "verify the caller's phone",
        "ok": True,
    }
    assert "13812345678" not in str(record.detail)


def test_bad_reads_and_puts_are_refused(db: Db) -> None:
    vault = db.vault(NEW)
    entry = vault.put("EMAIL", "a@example.com")
    with pytest.raises(NotFound):
        vault.reveal("nope", "agent:a1", "check")
    with pytest.raises(InvalidInput, match="purpose"):
        vault.reveal(entry, "agent:a1", " ")
    with pytest.raises(InvalidInput, match="actor"):
        vault.reveal(entry, "", "check")
    with pytest.raises(InvalidInput, match="kind"):
        vault.put("bad kind!", "x")
    with pytest.raises(InvalidInput, match="value"):
        vault.put("EMAIL", "")
    assert len(db.rows()) == 1 and db.audit.query(AuditQuery(action="vault.read")) == []


def test_a_ciphertext_swapped_into_another_row_does_not_open(db: Db) -> None:
    vault = db.vault(NEW)
    mine = vault.put("PHONE", "13812345678", customer_id="c1")
    theirs = vault.put("PHONE", "13987654321", customer_id="c2")
    stolen = next(bytes(r.ciphertext) for r in db.rows() if r.id == theirs)
    with db.engine.begin() as connection:
        connection.execute(update(VaultEntryRow).where(VaultEntryRow.id == mine).values(ciphertext=stolen))
    with pytest.raises(VaultTampered):
        vault.reveal(mine, "agent:a1", "verify")
    [record] = db.audit.query(AuditQuery(action="vault.read"))
    assert record.detail["ok"] is False and record.detail["error"] == "vault_tampered"


def test_rotation_re_encrypts_everything_under_the_new_key(db: Db) -> None:
    old = db.vault(OLD)
    ids = [old.put("PHONE", f"1381234{i:04d}", customer_id="c1") for i in range(5)]
    with pytest.raises(VaultKeyUnknown, match="KEFU_RETIRED_SECRET_KEYS"):
        db.vault(NEW).reveal(ids[0], "agent:a1", "verify")  # the old secret is not configured
    with pytest.raises(VaultKeyUnknown, match="cannot rotate"):
        db.vault(NEW).rotate()
    assert {r.key_id for r in db.rows()} == {old.keyring.current_id}  # a refused rotation changes nothing

    both = db.vault(NEW, retired=OLD)
    assert both.reveal(ids[1], "agent:a1", "verify") == "13812340001"  # retired keys still decrypt
    fresh = both.put("EMAIL", "b@example.com", customer_id="c2")
    report = both.rotate()
    assert (report.rotated, report.total, report.current_key_id) == (5, 6, both.keyring.current_id)
    assert {r.key_id for r in db.rows()} == {both.keyring.current_id}
    new_only = db.vault(NEW)  # the old secret can now be dropped
    assert [new_only.reveal(i, "agent:a1", "verify") for i in ids] == [f"1381234{i:04d}" for i in range(5)]
    assert new_only.reveal(fresh, "agent:a1", "verify") == "b@example.com"
    assert new_only.rotate().rotated == 0


def test_erasing_a_customer_removes_only_their_entries(db: Db) -> None:
    vault = db.vault(NEW)
    vault.put("PHONE", "13812345678", customer_id="c1")
    vault.put("EMAIL", "a@example.com", customer_id="c1", conversation_id="conv1")
    kept = vault.put("PHONE", "13987654321", customer_id="c2")
    assert vault.erase_customer("c1") == 2 and vault.erase_customer("c1") == 0
    assert [r.id for r in db.rows()] == [kept]


def test_the_keeper_adapter_keeps_the_listed_kinds_of_its_conversation(db: Db) -> None:
    keeper = VaultKeeper(db.vault(NEW), kinds={"PHONE", "CN_ID"}).for_conversation("conv9", "c9")
    keeper.keep(Span("PHONE", 3, 14), "13812345678")
    keeper.keep(Span("EMAIL", 0, 5), "a@example.com")  # not a kept kind
    [entry] = keeper.kept
    [row] = db.rows()
    assert (row.id, row.kind, row.customer_id, row.conversation_id) == (entry, "PHONE", "c9", "conv9")
    keeper.keep(Span("CN_ID", 0, 18), "11010519491231002X")
    vault = keeper.vault
    assert [(i, k) for i, k, _ in vault.entries("conv9")] == [(keeper.kept[1], "CN_ID"), (entry, "PHONE")]
    [(found, _, _)] = vault.entries("conv9", "PHONE")
    assert vault.reveal(found, "tool:verify_phone", "verify the phone number") == "13812345678"
    assert vault.entries("other") == []
