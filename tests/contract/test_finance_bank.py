"""The finance pack's bank against SQLite and PostgreSQL: τ² banking round-trip, the same behaviour as
the in-memory bank, idempotent mutations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.packs.finance.memory_bank import MemoryBank
from kefu.packs.finance.operations import BankOperations
from kefu.packs.finance.paths import tau_banking_dir
from kefu.packs.finance.tau_io import export_data, load_tau_banking, write_export
from kefu.store.sql.bank import SqlBank
from kefu.store.sql.database import make_engine, upgrade

DATA = tau_banking_dir()


@pytest.fixture
def bank(database_url: str) -> SqlBank:
    if not (DATA / "db.json").is_file():
        pytest.fail(f"τ² banking data not found at {DATA} (set KEFU_TAU_BANKING_DIR)")
    engine = make_engine(database_url)
    upgrade(engine)
    bank = SqlBank(engine)
    bank.load(load_tau_banking(DATA))
    return bank


def test_import_then_export_is_the_same_db_json(bank: SqlBank, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    counts = write_export(bank, out)
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        (DATA / "db.json").read_text(encoding="utf-8")
    )
    assert counts["credit_card_transaction_history"] == 338


def test_sql_and_memory_banks_agree(bank: SqlBank) -> None:
    memory = MemoryBank(bank.dump())
    for target in (bank, memory):
        ops = BankOperations(target)
        ops.log_verification("123")
        ops.change_email("123", "mia@new.example")
        card = ops.debit_cards("lj82d4f1a9")[0]
        ops.set_debit_card_status("lj82d4f1a9", card["card_id"], frozen=True)
        assert target.insert("debit_card_disputes", "d1", {"user_id": "123"})  # a table τ² creates on the fly
        assert not target.insert("debit_card_disputes", "d1", {"user_id": "123"})
    assert export_data(bank.dump()) == export_data(memory.dump())
    assert bank.find("users", email="mia@new.example")[0][0] == "123"


def test_an_applied_action_is_remembered_once(bank: SqlBank) -> None:
    assert bank.applied("k1") is None
    bank.remember("k1", {"ok": 1})
    bank.remember("k1", {"ok": 2})
    assert bank.applied("k1") == {"ok": 1}
    assert not bank.is_empty()
