"""The emergency rail in the real pipeline: whatever the flow, a fixed reply with the local number and an
urgent handoff at the head of the queue."""

from __future__ import annotations

from fastapi.testclient import TestClient

from customer_client import Customer
from kefu_test_support import ADMIN

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}
EMAIL = "wu.na7545@example.com"  # demo shop customer with a pending order


def queue(client: TestClient) -> list[dict[str, object]]:
    return list(client.get("/v1/agent/queue", headers=ADMIN_AUTH).json()["waiting"])


def test_emergency_interrupts_a_pending_cancellation(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="zh")
    c.say("我要取消订单")
    c.say(EMAIL)
    ask = c.say("不需要了") if c.status == "bot" else ""
    assert c.status == "bot" and ask
    reply = c.say("我胸口剧痛，喘不上气")
    assert "120" in reply and c.status == "waiting_human"
    top = queue(demo_app)[0]
    assert top["conversation_id"] == c.id and top["priority"] == 3 and top["reason"] == "emergency"
    assert "cancelled" not in c.say("是").lower()  # the pending change was dropped, nothing to confirm


def test_english_self_harm_gets_crisis_numbers(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    reply = c.say("I want to kill myself")
    assert "911" in reply and "988" in reply and c.status == "waiting_human"


def test_an_emergency_while_waiting_jumps_the_queue(demo_app: TestClient) -> None:
    first, second = Customer(demo_app, locale="en"), Customer(demo_app, locale="en")
    first.say("human please")
    second.say("human please")
    assert [w["conversation_id"] for w in queue(demo_app)] == [first.id, second.id]
    assert "911" in second.say("my son swallowed a battery and is choking")
    assert [w["conversation_id"] for w in queue(demo_app)] == [second.id, first.id]


def test_an_emergency_with_an_agent_still_gets_the_number(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="zh")
    c.say("转人工")
    demo_app.post(f"/v1/agent/conversations/{c.id}/claim", headers=ADMIN_AUTH)
    assert c.send("你好") == []  # with a human, the bot is quiet …
    assert "110" in c.say("有人拿刀要杀我")  # … except for an emergency


def test_a_benign_medical_question_is_not_an_emergency(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="zh")
    c.say("高血压该吃什么药")
    assert c.status == "bot"
