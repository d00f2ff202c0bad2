"""Personal values the customer typed are stored as placeholders and kept encrypted in the vault; an
agent reveals one only with a purpose, and every reveal is audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from customer_client import Customer
from kefu_test_support import ADMIN

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def agent_auth(client: TestClient, name: str) -> dict[str, str]:
    _, token = client.app.state.services.handoffs.add_agent(name, skills={})  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}"}


def assign(client: TestClient, customer: Customer, agent: dict[str, str]) -> None:
    """Only the agent a conversation is assigned to may reveal its values (issue #16)."""
    customer.send("I want to talk to a human" if customer.welcome[0]["lang"] == "en" else "帮我转人工")
    claimed = client.post(f"/v1/agent/conversations/{customer.id}/claim", headers=agent)
    assert claimed.status_code == 200, claimed.text


def test_agent_reveals_a_kept_phone_number_with_a_purpose_and_it_is_audited(demo_app: TestClient) -> None:
    customer = Customer(demo_app, locale="zh")
    customer.send("请打我电话 13812345678 联系我")
    stored = demo_app.get(f"/v1/conversations/{customer.id}/messages", headers=customer.auth).json()
    assert all("13812345678" not in m["text"] for m in stored["messages"])

    agent = agent_auth(demo_app, "小王")
    assign(demo_app, customer, agent)
    base = f"/v1/agent/conversations/{customer.id}/vault"
    entries = demo_app.get(base, headers=agent).json()["entries"]
    assert [e["kind"] for e in entries] == ["PHONE"]
    assert "value" not in entries[0]

    entry = entries[0]["id"]
    revealed = demo_app.post(f"{base}/{entry}/reveal", json={"purpose": "call back"}, headers=agent)
    assert revealed.status_code == 200
    assert revealed.json() == {"id": entry, "kind": "PHONE", "value": "13812345678"}

    audit = demo_app.get(
        "/v1/audit", params={"action": "vault.read", "conversation_id": customer.id}, headers=ADMIN_AUTH
    ).json()
    records = audit["items"]
    assert len(records) == 1
    assert records[0]["detail"]["purpose"] == "call back"
    assert "13812345678" not in str(records[0])


def test_the_vault_holds_only_ciphertext(demo_app: TestClient) -> None:
    customer = Customer(demo_app, locale="en")
    customer.send("my email is jane.roe@example.com, please write to me")
    url = str(demo_app.app.state.settings.database_url)  # type: ignore[attr-defined]
    engine = create_engine(url)
    with engine.connect() as connection:
        blobs = [row[0] for row in connection.execute(text("SELECT ciphertext FROM vault_entries"))]
    engine.dispose()
    assert blobs and all(b"jane.roe" not in bytes(blob) for blob in blobs)


def test_reveal_needs_an_agent_a_purpose_and_an_entry_of_that_conversation(demo_app: TestClient) -> None:
    first, second = Customer(demo_app, locale="en"), Customer(demo_app, locale="en")
    first.send("call me on +1 415 555 0134")
    agent = agent_auth(demo_app, "Ann")
    assign(demo_app, first, agent)
    assign(demo_app, second, agent)
    listed = demo_app.get(f"/v1/agent/conversations/{first.id}/vault", headers=agent).json()
    entry = listed["entries"][0]["id"]
    path = f"/v1/agent/conversations/{first.id}/vault/{entry}/reveal"
    assert demo_app.post(path, json={"purpose": "call back"}).status_code == 401
    assert demo_app.post(path, json={"purpose": "call back"}, headers=first.auth).status_code == 401
    assert demo_app.post(path, json={}, headers=agent).status_code == 422
    assert demo_app.post(path, json={"purpose": ""}, headers=agent).status_code == 422
    other = f"/v1/agent/conversations/{second.id}/vault/{entry}/reveal"
    assert demo_app.post(other, json={"purpose": "call back"}, headers=agent).status_code == 404
    assert demo_app.get("/v1/agent/conversations/nope/vault", headers=agent).status_code == 404
