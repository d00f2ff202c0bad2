"""``GET /v1/audit``: agent actions and personal-data reads are recorded, filtered and paged, newest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient

from customer_client import Customer
from kefu.api.read_audit import ReadAudit
from kefu_test_support import ADMIN

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}
AUDIT = "/v1/audit"


def staff(client: TestClient, name: str, role: str = "agent") -> tuple[str, dict[str, str]]:
    agent, token = client.app.state.services.handoffs.add_agent(name, role=role)  # type: ignore[attr-defined]
    return agent.id, {"Authorization": f"Bearer {token}"}


def audit(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(AUDIT, params=params, headers=ADMIN_AUTH)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_only_admins_read_the_audit_log(demo_app: TestClient) -> None:
    _, agent = staff(demo_app, "Ann")
    _, boss = staff(demo_app, "Boss", role="admin")
    customer = Customer(demo_app)
    assert demo_app.get(AUDIT).status_code == 401
    assert demo_app.get(AUDIT, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert demo_app.get(AUDIT, headers=customer.auth).status_code == 401
    forbidden = demo_app.get(AUDIT, headers=agent)
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    assert demo_app.get(AUDIT, headers=boss).status_code == 200
    assert demo_app.get(AUDIT, headers=ADMIN_AUTH).status_code == 200


def test_agent_actions_and_personal_data_reads_are_audited(demo_app: TestClient) -> None:
    ann_id, ann = staff(demo_app, "Ann")
    bob_id, bob = staff(demo_app, "Bob")
    customer = Customer(demo_app, locale="en")
    customer.say("I want to talk to a human, my parcel platypus-42 is lost")
    base = f"/v1/agent/conversations/{customer.id}"
    assert demo_app.get(base, headers=ann).status_code == 200  # reading the messages
    assert demo_app.post(f"{base}/claim", headers=ann).status_code == 200
    said = demo_app.post(f"{base}/messages", json={"text": "Checking platypus-42 now"}, headers=ann)
    assert said.status_code == 200
    assert demo_app.post(f"{base}/transfer", json={"agent_id": bob_id}, headers=ann).status_code == 200
    assert demo_app.post(f"{base}/release", headers=bob).status_code == 200
    assert demo_app.post(f"{base}/close", headers=ADMIN_AUTH).status_code == 200
    vault = demo_app.app.state.privacy.vault  # type: ignore[attr-defined]
    entry = vault.put("PHONE", "13812345678", None, customer.id)
    assert vault.reveal(entry, f"agent:{bob_id}", "call the customer back") == "13812345678"

    items = audit(demo_app, conversation_id=customer.id)["items"]
    trail = [(r["actor"], r["action"]) for r in reversed(items)]
    assert trail == [
        (f"agent:{ann_id}", "conversation.viewed"),
        (f"agent:{ann_id}", "claim"),
        (f"agent:{ann_id}", "reply"),
        (f"agent:{ann_id}", "transfer"),
        (f"agent:{bob_id}", "end"),
        ("agent:admin", "end"),
        (f"agent:{bob_id}", "vault.read"),
    ]
    assert [r["detail"].get("status") for r in reversed(items)][4:6] == ["bot", "closed"]  # release, close
    read = items[0]["detail"]
    assert (
        read["entry_id"] == entry and read["kind"] == "PHONE" and read["purpose"] == "call the customer back"
    )
    text = str(items)
    assert "13812345678" not in text and "platypus" not in text  # never a value or message text
    assert [r["id"] for r in items] == sorted((r["id"] for r in items), reverse=True)  # newest first
    by_actor = audit(demo_app, actor=f"agent:{bob_id}")["items"]
    assert {r["action"] for r in by_actor} == {"end", "vault.read"}
    assert [r["action"] for r in audit(demo_app, action="claim")["items"]] == ["claim"]


def test_time_filters_limit_and_cursor(demo_app: TestClient) -> None:
    store = demo_app.app.state.services.conversations.store  # type: ignore[attr-defined]
    for i in range(7):
        store.audit("system:test", "test.event", None, {"n": i})
    first = audit(demo_app, action="test.event", limit=3)
    assert [r["detail"]["n"] for r in first["items"]] == [6, 5, 4] and first["next_before_id"]
    second = audit(demo_app, action="test.event", limit=3, before_id=first["next_before_id"])
    assert [r["detail"]["n"] for r in second["items"]] == [3, 2, 1]
    last = audit(demo_app, action="test.event", limit=3, before_id=second["next_before_id"])
    assert [r["detail"]["n"] for r in last["items"]] == [0] and last["next_before_id"] is None

    now = datetime.now(UTC)
    hour = timedelta(hours=1)
    assert len(audit(demo_app, action="test.event", since=(now - hour).isoformat())["items"]) == 7
    assert audit(demo_app, action="test.event", since=(now + hour).isoformat())["items"] == []
    assert audit(demo_app, action="test.event", until=(now - hour).isoformat())["items"] == []
    zulu = (now - hour).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(audit(demo_app, action="test.event", since=zulu, until=(now + hour).isoformat())["items"]) == 7
    local = (now - hour).astimezone(timezone(timedelta(hours=8))).isoformat()  # an hour ago, in UTC+8
    assert len(audit(demo_app, action="test.event", since=local)["items"]) == 7


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"since": "yesterday"}, "ISO 8601"),
        ({"until": "2026-13-40"}, "ISO 8601"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "before"),
        ({"before_id": 0}, "before_id"),
    ],
)
def test_bad_filters_are_422_with_a_clear_message(
    demo_app: TestClient, params: dict[str, Any], message: str
) -> None:
    response = demo_app.get(AUDIT, params=params, headers=ADMIN_AUTH)
    assert response.status_code == 422 and message in response.json()["error"]["message"]


def test_a_console_reloading_a_conversation_is_one_read_per_window() -> None:
    reads = ReadAudit(window_s=600)
    assert reads.due("agent:a", "c1", now=0.0) and not reads.due("agent:a", "c1", now=599.0)
    assert reads.due("agent:b", "c1", now=1.0) and reads.due("agent:a", "c2", now=2.0)
    assert reads.due("agent:a", "c1", now=600.0)
    small = ReadAudit(window_s=600, remember=2)
    assert small.due("a", "1", now=0.0) and small.due("a", "2", now=0.0) and small.due("a", "3", now=0.0)
    assert small.due("a", "1", now=1.0)  # forgotten (bounded memory): recorded again, never lost


def test_repeated_views_by_the_console_are_recorded_once(demo_app: TestClient) -> None:
    ann_id, ann = staff(demo_app, "Ann")
    customer = Customer(demo_app, locale="en")
    customer.say("I want to talk to a human")  # agents see only conversations in their queue (#16)
    for _ in range(5):
        assert demo_app.get(f"/v1/agent/conversations/{customer.id}", headers=ann).status_code == 200
    views = audit(demo_app, action="conversation.viewed", conversation_id=customer.id)["items"]
    assert [(v["actor"], v["detail"]["agent"]) for v in views] == [(f"agent:{ann_id}", "Ann")]
