"""Bot → human → bot over the HTTP interface, with the real queue and agent actions."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from customer_client import Customer
from kefu_test_support import ADMIN

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def agent_token(client: TestClient, name: str, **skills: Any) -> dict[str, str]:
    store = client.app.state.services.handoffs  # type: ignore[attr-defined]
    _, token = store.add_agent(name, skills=skills)
    return {"Authorization": f"Bearer {token}"}


def history(client: TestClient, c: Customer) -> list[dict[str, Any]]:
    return list(client.get(f"/v1/conversations/{c.id}/messages", headers=c.auth).json()["messages"])


def test_request_claim_reply_hand_back(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="zh")
    waiting = c.say("帮我转人工")
    assert c.status == "waiting_human" and "排在第 1 位" in waiting
    agent = agent_token(demo_app, "小李", packs=["retail"], langs=["zh"])
    queue = demo_app.get("/v1/agent/queue", headers=agent).json()
    assert [w["conversation_id"] for w in queue["waiting"]] == [c.id]
    assert queue["waiting"][0]["reason"] == "customer_request"
    assert queue["waiting"][0]["summary"]["last_message"] == "帮我转人工"

    claimed = demo_app.post(f"/v1/agent/conversations/{c.id}/claim", headers=agent)
    assert claimed.status_code == 200 and "小李" in claimed.json()["messages"][0]["text"]
    assert demo_app.get("/v1/agent/queue", headers=agent).json()["waiting"] == []
    assert c.send("你好，在吗") == []  # with a human, the bot stays quiet
    sent = demo_app.post(
        f"/v1/conversations/{c.id}/messages".replace("/v1/conversations", "/v1/agent/conversations"),
        json={"text": "您好，我是小李，请问有什么可以帮您？"},
        headers=agent,
    )
    assert sent.status_code == 200
    roles = [m["role"] for m in history(demo_app, c)]
    assert roles[-3:] == ["system", "customer", "agent"]

    back = demo_app.post(f"/v1/agent/conversations/{c.id}/release", headers=agent)
    assert back.status_code == 200
    assert c.send("我的订单到哪了") != []  # the bot answers again
    assert c.status == "bot"
    seqs = [m["seq"] for m in history(demo_app, c)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_other_agents_cannot_take_over(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    c.say("I want to talk to a human")
    first, second = agent_token(demo_app, "Ann"), agent_token(demo_app, "Bob")
    assert demo_app.post(f"/v1/agent/conversations/{c.id}/claim", headers=first).status_code == 200
    assert demo_app.post(f"/v1/agent/conversations/{c.id}/claim", headers=second).status_code == 409
    reply = demo_app.post(f"/v1/agent/conversations/{c.id}/messages", json={"text": "hi"}, headers=second)
    assert reply.status_code == 403


def test_close_asks_for_rating_and_ends_the_conversation(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    c.say("agent please")
    demo_app.post(f"/v1/agent/conversations/{c.id}/claim", headers=ADMIN_AUTH)
    closed = demo_app.post(f"/v1/agent/conversations/{c.id}/close", headers=ADMIN_AUTH)
    assert closed.status_code == 200 and "rate" in closed.json()["messages"][0]["text"]
    late = demo_app.post(f"/v1/conversations/{c.id}/messages", json={"text": "hello?"}, headers=c.auth)
    assert late.status_code == 409
    rated = demo_app.post(f"/v1/conversations/{c.id}/feedback", json={"csat": 4}, headers=c.auth)
    assert rated.status_code == 200


def test_agent_endpoints_need_an_agent_token(demo_app: TestClient) -> None:
    c = Customer(demo_app)
    assert demo_app.get("/v1/agent/queue").status_code == 401
    assert (
        demo_app.get("/v1/agent/queue", headers=c.auth).status_code == 401
    )  # a customer token is not enough
    assert (
        demo_app.post(
            f"/v1/agent/conversations/{c.id}/claim", headers={"Authorization": "Bearer x"}
        ).status_code
        == 401
    )


def test_claiming_a_conversation_that_is_not_waiting_is_a_conflict(demo_app: TestClient) -> None:
    c = Customer(demo_app)
    assert demo_app.post(f"/v1/agent/conversations/{c.id}/claim", headers=ADMIN_AUTH).status_code == 409


def test_waiting_customer_keeps_talking_to_the_bot_and_sees_the_queue(demo_app: TestClient) -> None:
    first, second = Customer(demo_app, locale="en"), Customer(demo_app, locale="en")
    first.say("let me speak to a real person")
    assert "number 2 in the queue" in second.say("I need a human agent")
    assert second.status == "waiting_human"
    assert "Hello" in second.say("hello")  # the bot still answers while they wait
    assert "number 2 in the queue" in second.say("human please")  # asking again repeats the position


def test_repeated_failure_and_anger_hand_off(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    c.say("what's the weather on mars")
    assert c.status == "bot"
    c.say("tell me a joke about penguins")
    assert c.status == "waiting_human"
    queue = demo_app.get("/v1/agent/queue", headers=ADMIN_AUTH).json()["waiting"]
    assert {"repeated_failure"} <= {w["reason"] for w in queue}
    angry = Customer(demo_app, locale="zh")
    angry.say("你们这是骗子吧！！！气死我了，垃圾服务！！！")
    assert angry.status == "waiting_human"
    queue = demo_app.get("/v1/agent/queue", headers=ADMIN_AUTH).json()["waiting"]
    # anger first; the learned handoff model may read this outburst as asking for a person
    assert queue[0]["conversation_id"] == angry.id
    assert queue[0]["reason"] in ("negative_sentiment", "customer_request")


def test_an_angry_request_for_a_human_waits_less(demo_app: TestClient) -> None:
    calm = Customer(demo_app, locale="en")
    calm.say("could I talk to a human please")
    angry = Customer(demo_app, locale="en")
    angry.say("this is a scam, I am furious, get me a human NOW")
    queue = demo_app.get("/v1/agent/queue", headers=ADMIN_AUTH).json()["waiting"]
    assert [w["conversation_id"] for w in queue] == [angry.id, calm.id]
    assert queue[0]["reason"] == "customer_request" and queue[0]["priority"] == 1
