"""The finance pack through the HTTP API on the τ² bank: verification by any two facts without
leaking whether someone is a customer, card freeze with confirmation, a dispute recognised without the
word, balances, the knowledge base, and a human on request, in English and Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kefu.app import create_app
from kefu.packs.finance.paths import tau_banking_dir
from kefu.packs.finance.tau_io import load_tau_banking
from kefu.store.sql.bank import SqlBank
from kefu.store.sql.database import make_engine, upgrade
from kefu_test_support import make_settings


@pytest.fixture(scope="module")
def bank_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, SqlBank]]:
    if not (tau_banking_dir() / "db.json").is_file():
        pytest.fail(f"τ² banking data not found at {tau_banking_dir()} (set KEFU_TAU_BANKING_DIR)")
    tmp: Path = tmp_path_factory.mktemp("finance")
    url = f"sqlite:///{tmp}/kefu.db"
    engine = make_engine(url)
    upgrade(engine)
    bank = SqlBank(engine)
    bank.load(load_tau_banking(tau_banking_dir()))
    settings = make_settings(url, default_pack="finance", knowledge_dir=str(tmp / "knowledge"))
    with TestClient(create_app(settings)) as client:
        yield client, bank


def talk(client: TestClient, lang: str, *lines: str) -> tuple[list[str], str]:
    created = client.post("/v1/conversations", json={"pack": "finance", "locale": lang}).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    replies, status = [], created["status"]
    for line in lines:
        data: dict[str, Any] = client.post(
            f"/v1/conversations/{created['id']}/messages", json={"text": line}, headers=headers
        ).json()
        replies.append("\n".join(m["text"] for m in data["messages"] if m["role"] != "customer"))
        status = data["status"]
    return replies, status


def test_freeze_needs_two_facts_and_a_yes(bank_app: tuple[TestClient, SqlBank]) -> None:
    client, bank = bank_app
    replies, _ = talk(
        client,
        "en",
        "Hi, I want to freeze my debit card",
        "my email is jinhai.liang@techventures.com",
        "my phone is 312-555-0847",
        "the one ending in 4821",
        "yes",
    )
    assert "two of" in replies[0]
    assert "one more" in replies[1]  # one fact never verifies
    assert "verified" in replies[2]
    assert "freeze your debit card …4821" in replies[3] and "go ahead" in replies[3]
    assert "frozen" in replies[4]
    assert (bank.get("debit_cards", "dbc_lj82d4f1a9_bluest") or {})["status"] == "FROZEN"
    assert bank.get("verification_history", "lj82d4f1a9_20251114") is not None  # τ²'s verification log


def test_a_wrong_pair_reveals_nothing(bank_app: tuple[TestClient, SqlBank]) -> None:
    client, _ = bank_app
    replies, _ = talk(client, "en", "what's my balance", "kenji.tanaka@gmail.com and 206-555-0293")
    assert "couldn't verify" in replies[1]
    assert "Kenji" not in replies[1] and "outlook" not in replies[1]


def test_double_charge_is_a_dispute(bank_app: tuple[TestClient, SqlBank]) -> None:
    client, bank = bank_app
    replies, _ = talk(
        client,
        "en",
        "I was charged twice at Costco",
        "11/22/1983 and midnight_runner_42@gmail.com",
        "the one for $198.23 on 11/11",
        "a full refund",
        "no",
        "yes",
    )
    assert "duplicate charge" in replies[4]
    assert "is filed" in replies[5]
    disputes = bank.find("transaction_disputes", user_id="01f21c9970")
    assert [d["dispute_reason"] for _, d in disputes] == ["duplicate_charge"]
    assert disputes[0][1]["transaction_id"] == "txn_02bf2e9dcfa7"


def test_chinese_balance_knowledge_and_human(bank_app: tuple[TestClient, SqlBank]) -> None:
    client, _ = bank_app
    replies, status = talk(
        client, "zh", "查一下我的余额", "生日1985年7月22日，电话206-555-0293", "金卡的年费是多少？", "转人工"
    )
    assert "身份已核实" in replies[1] and "账户情况" in replies[1]
    assert replies[2]  # answered from the bank's documents (or an honest don't-know)
    assert status == "waiting_human"


def test_the_web_chat_serves_the_bank(bank_app: tuple[TestClient, SqlBank]) -> None:
    client, _ = bank_app
    assert client.get("/?pack=finance").status_code == 200
    created = client.post("/v1/conversations", json={"pack": "finance", "locale": "zh"}).json()
    assert "Rho-Bank" in created["messages"][0]["text"]
