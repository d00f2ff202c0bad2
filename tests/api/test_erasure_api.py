"""``DELETE /v1/customers/{id}`` end to end: real conversations with a bot and an agent, then erasure."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import MetaData, update

from customer_client import Customer
from kefu.app import create_app
from kefu.domain.conversation import DialogueState
from kefu.guard.authz import TokenService
from kefu.store.sql.conversations import SqlConversationStore
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.schema import ConversationRow
from kefu_test_support import ADMIN, SECRET, make_settings

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}
TOKENS = TokenService(SECRET, ADMIN)


def scan(database_url: str) -> str:
    """Every row of every table, as text."""
    engine = make_engine(database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        found = "\n".join(
            repr(tuple(row)) for table in metadata.sorted_tables for row in connection.execute(table.select())
        )
    engine.dispose()
    return found


def agent_auth(client: TestClient, name: str, role: str = "agent") -> dict[str, str]:
    _, token = client.app.state.services.handoffs.add_agent(name, role=role)  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}"}


def converse(client: TestClient, ref: str, words: str, agent: dict[str, str]) -> Customer:
    """A customer (signed in by the business as ``ref``) talks to the bot, then to a human agent."""
    customer = Customer(client, locale="en", customer_token=TOKENS.sign_customer_token(ref))
    customer.say(f"Where is my parcel {words}?")
    customer.say(f"I want to talk to a human about {words}")
    assert customer.status == "waiting_human"
    assert client.post(f"/v1/agent/conversations/{customer.id}/claim", headers=agent).status_code == 200
    reply = client.post(
        f"/v1/agent/conversations/{customer.id}/messages",
        json={"text": f"Looking into {words}"},
        headers=agent,
    )
    assert reply.status_code == 200
    customer.send(f"thanks, {words} is urgent")
    state: Any = client.app.state  # type: ignore[attr-defined]
    kefu_id = state.services.conversations.store.customer_id_for(customer.id)
    state.privacy.vault.put("PHONE", "13812345678", kefu_id, customer.id)  # as the PII rail's keeper would
    return customer


def test_erasure_end_to_end(demo_app: TestClient, sqlite_url: str) -> None:
    agent = agent_auth(demo_app, "Ann")
    gone = [converse(demo_app, "biz-alice", "quokkaparcel", agent) for _ in range(2)]
    kept = converse(demo_app, "biz-bob", "wombatparcel", agent)
    assert "quokkaparcel" in scan(sqlite_url)
    url = "/v1/customers/biz-alice"

    assert demo_app.delete(url).status_code == 401
    assert demo_app.delete(url, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert demo_app.delete(url, headers=gone[0].auth).status_code == 401  # a customer token is no staff token
    forbidden = demo_app.delete(url, headers=agent)
    assert forbidden.status_code == 403 and "admin" in forbidden.json()["error"]["message"]
    assert "quokkaparcel" in scan(sqlite_url)  # refused: nothing removed

    erased = demo_app.delete(url, headers=ADMIN_AUTH)
    assert erased.status_code == 200, erased.text
    body: dict[str, Any] = erased.json()
    removed = body["removed"]
    assert removed["conversations"] == 2 and removed["customers"] == 1 and removed["vault_entries"] == 2
    assert (
        removed["handoffs"] == 2 and removed["messages"] >= 2 * 7 and removed["events"] >= removed["messages"]
    )

    for customer in gone:
        for headers in (customer.auth, ADMIN_AUTH):
            missing = demo_app.get(f"/v1/conversations/{customer.id}/messages", headers=headers)
            assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert demo_app.get(f"/v1/agent/conversations/{customer.id}", headers=agent).status_code == 404
    everything = scan(sqlite_url)
    assert "quokkaparcel" not in everything and "biz-alice" not in everything
    assert "wombatparcel" in everything  # the other customer keeps everything
    assert demo_app.get(f"/v1/conversations/{kept.id}/messages", headers=kept.auth).status_code == 200

    tombstone = demo_app.get("/v1/audit", params={"action": "customer.erased"}, headers=ADMIN_AUTH).json()
    [record] = tombstone["items"]
    assert record["id"] == body["tombstone_id"] and record["actor"] == "agent:admin"
    assert record["detail"]["counts"] == removed and "biz-alice" not in str(record)

    again = demo_app.delete(url, headers=ADMIN_AUTH)
    assert again.status_code == 404 and "already erased" in again.json()["error"]["message"]
    unknown = demo_app.delete("/v1/customers/never-seen", headers=ADMIN_AUTH)
    assert unknown.status_code == 404 and "no data is stored" in unknown.json()["error"]["message"]


def test_an_admin_agent_may_erase_by_kefu_customer_id(demo_app: TestClient) -> None:
    admin = agent_auth(demo_app, "Boss", role="admin")
    customer = Customer(demo_app, locale="en", customer_token=TOKENS.sign_customer_token("biz-carol"))
    customer.say("hello")
    store = demo_app.app.state.services.conversations.store  # type: ignore[attr-defined]
    kefu_id = store.customer_id_for(customer.id)
    erased = demo_app.delete(f"/v1/customers/{kefu_id}", headers=admin)
    assert erased.status_code == 200 and erased.json()["removed"]["conversations"] == 1
    assert demo_app.get(f"/v1/conversations/{customer.id}/messages", headers=customer.auth).status_code == 404
    assert demo_app.delete("/v1/customers/biz-carol", headers=admin).status_code == 404


def test_the_app_purges_at_startup_when_a_retention_period_is_set(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    store = SqlConversationStore(engine)
    idle, fresh = (store.create_conversation("retail", "en", None, DialogueState()) for _ in range(2))
    with engine.begin() as connection:
        connection.execute(
            update(ConversationRow)
            .where(ConversationRow.id == idle.id)
            .values(updated_at=datetime.now(UTC) - timedelta(days=91))
        )
    with TestClient(create_app(make_settings(sqlite_url, retention_days=90))) as client:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            records = client.get("/v1/audit", params={"action": "data.purged"}, headers=ADMIN_AUTH).json()
            if records["items"]:
                break
            time.sleep(0.05)
        [record] = records["items"]
        assert record["actor"] == "system:retention" and record["detail"]["counts"]["conversations"] == 1
        assert client.get(f"/v1/conversations/{idle.id}/messages", headers=ADMIN_AUTH).status_code == 404
        assert client.get(f"/v1/conversations/{fresh.id}/messages", headers=ADMIN_AUTH).status_code == 200
    engine.dispose()
