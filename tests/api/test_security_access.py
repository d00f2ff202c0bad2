"""Issue #16, item 6: a plain agent acts only on conversations in their queue (skills) or assigned to them;
admins keep full access; every denial is a 403 and audited; vault values only for the assigned agent."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from customer_client import Customer
from kefu_test_support import ADMIN

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def agent(client: TestClient, name: str, **skills: list[str]) -> dict[str, str]:
    _, token = client.app.state.services.handoffs.add_agent(name, skills=skills)  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}"}


def denials(client: TestClient, conversation_id: str) -> list[dict[str, Any]]:
    """The ``access.denied`` audit records of a conversation, oldest first."""
    params = {"action": "access.denied", "conversation_id": conversation_id}
    page = client.get("/v1/audit", params=params, headers=ADMIN_AUTH).json()
    return list(reversed(page["items"]))


def vault_entry(client: TestClient, conversation_id: str, auth: dict[str, str]) -> str:
    entries = client.get(f"/v1/agent/conversations/{conversation_id}/vault", headers=auth).json()["entries"]
    return str(entries[0]["id"])


def test_a_conversation_never_handed_off_is_out_of_reach_of_agents(demo_app: TestClient) -> None:
    customer = Customer(demo_app, locale="en")
    customer.send("my phone is +1 415 555 0134")
    ann = agent(demo_app, "Ann")
    base = f"/v1/agent/conversations/{customer.id}"
    entry = vault_entry(demo_app, customer.id, ADMIN_AUTH)
    attempts = [
        demo_app.get(base, headers=ann),
        demo_app.get(f"{base}/vault", headers=ann),
        demo_app.post(f"{base}/vault/{entry}/reveal", json={"purpose": "curious"}, headers=ann),
        demo_app.post(f"{base}/close", headers=ann),
    ]
    assert [r.status_code for r in attempts] == [403] * 4
    assert all(r.json()["error"]["code"] == "forbidden" for r in attempts)
    assert [d["detail"]["action"] for d in denials(demo_app, customer.id)] == [
        "view",
        "vault.list",
        "vault.reveal",
        "close",
    ]
    assert customer.say("hello") != ""  # still open: the close was refused
    assert demo_app.get(base, headers=ADMIN_AUTH).status_code == 200  # admins keep full access


def test_the_queue_decides_by_skills_and_only_the_assignee_reveals(demo_app: TestClient) -> None:
    customer = Customer(demo_app, locale="en")
    customer.send("my phone is +1 415 555 0134")
    customer.say("I want to talk to a human")
    assert customer.status == "waiting_human"
    ann, zhang = agent(demo_app, "Ann", langs=["en"]), agent(demo_app, "Zhang", langs=["zh"])
    bob = agent(demo_app, "Bob")
    base = f"/v1/agent/conversations/{customer.id}"

    assert demo_app.get(base, headers=zhang).status_code == 403  # not in a Chinese-only agent's queue
    assert demo_app.post(f"{base}/claim", headers=zhang).status_code == 403
    assert demo_app.get(base, headers=ann).status_code == 200  # in Ann's queue
    entry = vault_entry(demo_app, customer.id, ann)
    reveal = f"{base}/vault/{entry}/reveal"
    not_yet_hers = demo_app.post(reveal, json={"purpose": "call back"}, headers=ann)
    assert not_yet_hers.status_code == 403

    assert demo_app.post(f"{base}/claim", headers=ann).status_code == 200
    revealed = demo_app.post(reveal, json={"purpose": "call back"}, headers=ann)
    assert revealed.status_code == 200 and revealed.json()["value"] == "+1 415 555 0134"
    for attempt in (
        demo_app.get(base, headers=bob),
        demo_app.post(reveal, json={"purpose": "call back"}, headers=bob),
        demo_app.post(f"{base}/messages", json={"text": "hi, Bob here"}, headers=bob),
        demo_app.post(f"{base}/close", headers=bob),
    ):
        assert attempt.status_code == 403, attempt.text
    actions = [d["detail"]["action"] for d in denials(demo_app, customer.id)]
    assert actions == ["view", "claim", "vault.reveal", "view", "vault.reveal", "reply", "close"]
    assert demo_app.post(f"{base}/close", headers=ann).status_code == 200
