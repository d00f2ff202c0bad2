"""Routing around the handoff: transfer between agents, presence, out-of-hours tickets, amount limits, VIP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from customer_client import Customer
from kefu.app import create_app
from kefu.demo import seed_demo
from kefu.packs.retail.shop import ShopData
from kefu_test_support import ADMIN, make_settings

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def add_agent(client: TestClient, name: str, capacity: int = 5) -> tuple[str, dict[str, str]]:
    agent, token = client.app.state.services.handoffs.add_agent(name, capacity=capacity)  # type: ignore[attr-defined]
    return agent.id, {"Authorization": f"Bearer {token}"}


def test_transfer_to_a_colleague(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    c.say("talk to a human please")
    _, ann = add_agent(demo_app, "Ann")
    bob_id, bob = add_agent(demo_app, "Bob")
    demo_app.post(f"/v1/agent/conversations/{c.id}/claim", headers=ann)
    colleagues = {a["name"]: a["id"] for a in demo_app.get("/v1/agent/agents", headers=ann).json()}
    assert colleagues["Bob"] == bob_id
    moved = demo_app.post(f"/v1/agent/conversations/{c.id}/transfer", json={"agent_id": bob_id}, headers=ann)
    assert moved.status_code == 200 and "Bob" in moved.json()["messages"][0]["text"]
    assert (
        demo_app.post(f"/v1/agent/conversations/{c.id}/messages", json={"text": "x"}, headers=ann).status_code
        == 403
    )
    assert (
        demo_app.post(
            f"/v1/agent/conversations/{c.id}/messages", json={"text": "Bob here"}, headers=bob
        ).status_code
        == 200
    )
    unknown = demo_app.post(
        f"/v1/agent/conversations/{c.id}/transfer", json={"agent_id": "nobody"}, headers=bob
    )
    assert unknown.status_code == 404


def test_capacity_is_respected(demo_app: TestClient) -> None:
    _, busy = add_agent(demo_app, "Busy", capacity=1)
    first, second = Customer(demo_app), Customer(demo_app)
    first.say("agent please")
    second.say("agent please")
    assert demo_app.post(f"/v1/agent/conversations/{first.id}/claim", headers=busy).status_code == 200
    refused = demo_app.post(f"/v1/agent/conversations/{second.id}/claim", headers=busy)
    assert refused.status_code == 409 and "capacity" in refused.json()["error"]["message"]


def test_presence(demo_app: TestClient) -> None:
    _, ann = add_agent(demo_app, "Ann")
    assert demo_app.post("/v1/agent/presence", json={"presence": "online"}, headers=ann).status_code == 200
    assert demo_app.get("/v1/agent/me", headers=ann).json()["presence"] == "online"
    assert demo_app.post("/v1/agent/presence", json={"presence": "asleep"}, headers=ann).status_code == 422


@pytest.fixture
def closed_shop(tmp_path: Path) -> Iterator[TestClient]:
    """Support hours (UTC) that exclude the current time, whatever it is."""
    start = (datetime.now(UTC).hour + 2) % 24
    settings = make_settings(
        f"sqlite:///{tmp_path}/kefu.db", support_hours=f"{start:02d}:00-{start:02d}:59", timezone="UTC"
    )
    seed_demo(settings)
    with TestClient(create_app(settings)) as client:
        yield client


def test_out_of_hours_handoff_becomes_a_ticket(closed_shop: TestClient) -> None:
    c = Customer(closed_shop, locale="zh")
    reply = c.say("转人工")
    assert "工单" in reply and c.status == "waiting_human"
    waiting = closed_shop.get("/v1/agent/queue", headers=ADMIN_AUTH).json()["waiting"]
    assert waiting[0]["summary"]["ticket"] is True


def test_bad_support_hours_are_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="09:00-21:00"):
        make_settings("sqlite://", support_hours="9 to 5")


def test_large_amounts_go_to_a_human(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    c.say("I was charged $5,000 twice for my order")
    assert c.status == "waiting_human"
    waiting = demo_app.get("/v1/agent/queue", headers=ADMIN_AUTH).json()["waiting"]
    assert waiting[0]["summary"]["detail"] == "amount_above_limit"


def test_vip_customers_jump_the_queue(demo_app: TestClient) -> None:
    services = demo_app.app.state.services  # type: ignore[attr-defined]
    shop = services.conversations.pack("retail").shop
    regular = Customer(demo_app, locale="en")
    regular.say("human please")
    user = shop.get_user(shop.find_user_by_email("emma.moore2374@example.com"))
    user["vip"] = True  # the business marks a customer as VIP in its own system
    shop.load(ShopData(users={user["user_id"]: user}), replace=False)
    vip = Customer(demo_app, locale="en", customer_token=services.tokens.sign_customer_token(user["user_id"]))
    vip.say("human please")
    waiting = demo_app.get("/v1/agent/queue", headers=ADMIN_AUTH).json()["waiting"]
    assert [w["conversation_id"] for w in waiting] == [vip.id, regular.id]
    assert waiting[0]["priority"] == 2
