"""The bank of the finance pack in memory: τ² banking import/export, verification with any two facts,
procedures and their rules, gold-action replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.domain.errors import InvalidInput, ToolError
from kefu.packs.finance.bank import BankData
from kefu.packs.finance.identity import locate
from kefu.packs.finance.memory_bank import MemoryBank
from kefu.packs.finance.operations import BankOperations
from kefu.packs.finance.paths import tau_banking_dir
from kefu.packs.finance.tau_actions import apply_gold_actions
from kefu.packs.finance.tau_io import export_data, load_tau_banking, parse_db, with_task_data

DATA = tau_banking_dir()


@pytest.fixture(scope="module")
def data() -> BankData:
    if not (DATA / "db.json").is_file():
        pytest.fail(f"τ² banking data not found at {DATA} (set KEFU_TAU_BANKING_DIR)")
    return load_tau_banking(DATA)


@pytest.fixture
def ops(data: BankData) -> BankOperations:
    return BankOperations(MemoryBank(data))


def test_import_exports_the_same_json(data: BankData) -> None:
    assert export_data(data) == json.loads((DATA / "db.json").read_text(encoding="utf-8"))
    assert export_data(MemoryBank(data).dump()) == export_data(data)
    assert data.counts()["users"] == 39


def test_a_bad_db_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no 'users' table"):
        parse_db({"accounts": {"data": {}}})
    with pytest.raises(InvalidInput, match="record 'x' is not a JSON object"):
        parse_db({"users": {"data": {"x": 3}}})
    with pytest.raises(InvalidInput, match="not found"):
        load_tau_banking(tmp_path)


def test_any_two_facts_verify_and_a_name_never_does(ops: BankOperations) -> None:
    users = ops.users()
    mia = {"dob": "March 15, 1992", "phone": "(512) 555 0147"}
    assert locate(users, mia) == "123"
    assert locate(users, {"email": "MIA.SMITH8574@gmail.com", "address": "742 Maple St"}) == "123"
    assert locate(users, {"dob": "1992-03-15", "email": "someone@else.com"}) is None  # only one fact right
    assert locate(users, {"email": "mia.smith8574@gmail.com"}) is None  # one fact is not enough


def test_the_verification_log_is_written_like_tau(ops: BankOperations) -> None:
    record = ops.log_verification("123")
    assert record["time_verified"] == "2025-11-14 03:40:00 EST"
    assert ops.bank.get("verification_history", "123_20251114") == record


def test_procedures_and_their_refusals(ops: BankOperations) -> None:
    card = ops.debit_cards("lj82d4f1a9")[0]
    frozen = ops.set_debit_card_status("lj82d4f1a9", card["card_id"], frozen=True)
    assert frozen["status"] == "FROZEN"
    with pytest.raises(ToolError):
        ops.set_debit_card_status("lj82d4f1a9", card["card_id"], frozen=True)  # already frozen
    with pytest.raises(ToolError):
        ops.set_debit_card_status("123", card["card_id"], frozen=False)  # another customer's card
    assert ops.set_debit_card_status("lj82d4f1a9", card["card_id"], frozen=False)["status"] == "ACTIVE"
    app = ops.apply_for_credit_card("Gold Rewards Card", "Sarah Bosch", 100000, True)
    with pytest.raises(ToolError):
        ops.apply_for_credit_card("Gold Rewards Card", "Sarah Bosch", 100000, True)
    assert app["status"] == "PENDING" and app["date"] == "11/14/2025"


def test_gold_actions_replay_through_the_procedures(data: BankData) -> None:
    tasks = {t["id"]: t for t in json.loads((DATA / "tasks_dev.json").read_text(encoding="utf-8"))}
    task = tasks["task_010"]
    ops = BankOperations(MemoryBank(with_task_data(data, task["initial_state"])))
    before = len(ops.referrals("76ad9cc60e"))
    replay = apply_gold_actions(ops, task["evaluation_criteria"]["actions"])
    assert replay.applied == ["log_verification", "submit_referral"] and not replay.refused
    assert len(ops.referrals("76ad9cc60e")) == before + 1
    task = tasks["task_099"]  # its customer exists only in the task's own initial data
    ops = BankOperations(MemoryBank(with_task_data(data, task["initial_state"])))
    assert not apply_gold_actions(ops, task["evaluation_criteria"]["actions"]).refused


def test_an_unknown_procedure_makes_the_task_unscorable(ops: BankOperations) -> None:
    action = {
        "name": "call_discoverable_agent_tool",
        "arguments": {"agent_tool_name": "x_1", "arguments": "{}"},
    }
    with pytest.raises(InvalidInput, match="does not have"):
        apply_gold_actions(ops, [action])
