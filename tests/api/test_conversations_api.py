"""The conversation HTTP interface: contract, idempotency, ordering under concurrency, bad input."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from customer_client import Customer
from kefu.app import create_app
from kefu.demo import seed_demo
from kefu_test_support import make_settings


def history(client: TestClient, c: Customer, after: int = 0) -> list[dict[str, Any]]:
    response = client.get(f"/v1/conversations/{c.id}/messages", params={"after_seq": after}, headers=c.auth)
    assert response.status_code == 200, response.text
    return list(response.json()["messages"])


def test_create_returns_id_token_and_welcome(demo_app: TestClient) -> None:
    response = demo_app.post("/v1/conversations", json={"pack": "retail", "locale": "zh"})
    assert response.status_code == 201
    body = response.json()
    assert body["pack"] == "retail" and body["status"] == "bot" and body["token"]
    welcome = body["messages"][0]
    assert welcome["role"] == "bot" and welcome["seq"] == 1 and welcome["lang"] == "zh"
    assert "客服" in welcome["text"] and welcome["suggestions"]


def test_send_and_list_messages_in_seq_order(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    replies = c.send("hello")
    assert replies and replies[0]["role"] == "bot" and replies[0]["lang"] == "en"
    c.send("你好")
    messages = history(demo_app, c)
    assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))
    assert [m["role"] for m in messages[:3]] == ["bot", "customer", "bot"]
    assert messages[3]["text"] == "你好" and messages[4]["lang"] == "zh"
    later = history(demo_app, c, after=3)
    assert [m["seq"] for m in later] == [m["seq"] for m in messages[3:]]


def test_retry_with_same_client_msg_id_returns_same_reply_and_runs_once(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    first = demo_app.post(
        f"/v1/conversations/{c.id}/messages",
        headers=c.auth,
        json={"text": "hello", "client_msg_id": "retry-1"},
    )
    before = history(demo_app, c)
    again = demo_app.post(
        f"/v1/conversations/{c.id}/messages",
        headers=c.auth,
        json={"text": "hello", "client_msg_id": "retry-1"},
    )
    assert again.status_code == 200
    assert again.json() == first.json()
    assert history(demo_app, c) == before


def test_pii_is_masked_before_storage(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    c.send("my card is 4111 1111 1111 1111 and phone 13812345678")
    stored = history(demo_app, c)[1]["text"]
    assert "4111" not in stored and "13812345678" not in stored
    assert "[CARD ••••1111]" in stored and "[PHONE]" in stored


def test_feedback(demo_app: TestClient) -> None:
    c = Customer(demo_app)
    ok = demo_app.post(
        f"/v1/conversations/{c.id}/feedback", json={"csat": 5, "comment": "great"}, headers=c.auth
    )
    assert ok.status_code == 200 and ok.json() == {"ok": True}
    bad = demo_app.post(f"/v1/conversations/{c.id}/feedback", json={"csat": 6}, headers=c.auth)
    assert bad.status_code == 422 and "csat" in bad.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n\t "}, "empty"),
        ({"text": "x" * 2001}, "limit"),
        ({"text": 5}, "text"),
        ({"text": ["a"]}, "text"),
        ({}, "text"),
        ({"text": "hi", "client_msg_id": "bad id with spaces"}, "client_msg_id"),
        ({"text": "hi", "unexpected": 1}, "unexpected"),
        ({"text": "a\x00b"}, "NUL"),
    ],
)
def test_bad_messages_get_422_and_store_nothing(
    demo_app: TestClient, body: dict[str, Any], fragment: str
) -> None:
    c = Customer(demo_app)
    before = history(demo_app, c)
    response = demo_app.post(f"/v1/conversations/{c.id}/messages", json=body, headers=c.auth)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and fragment in error["message"]
    assert history(demo_app, c) == before


def test_malformed_json_is_a_clear_422(demo_app: TestClient) -> None:
    c = Customer(demo_app)
    response = demo_app.post(
        f"/v1/conversations/{c.id}/messages",
        content=b'{"text": "hi"',
        headers={**c.auth, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["error"]["message"]


def test_unknown_pack_and_bad_create_bodies(demo_app: TestClient) -> None:
    unknown = demo_app.post("/v1/conversations", json={"pack": "casino"})
    assert unknown.status_code == 404 and "casino" in unknown.json()["error"]["message"]
    assert demo_app.post("/v1/conversations", json={"pack": "retail", "locale": "fr"}).status_code == 422
    assert demo_app.post("/v1/conversations", json={"pack": 1}).status_code == 422
    forged = demo_app.post("/v1/conversations", json={"pack": "retail", "customer_token": "not-a-jwt"})
    assert forged.status_code == 401


def test_tokens_are_checked(demo_app: TestClient) -> None:
    a, b = Customer(demo_app), Customer(demo_app)
    url = f"/v1/conversations/{a.id}/messages"
    assert demo_app.post(url, json={"text": "hi"}).status_code == 401
    assert (
        demo_app.post(url, json={"text": "hi"}, headers={"Authorization": "Bearer nonsense"}).status_code
        == 401
    )
    assert demo_app.post(url, json={"text": "hi"}, headers=b.auth).status_code == 403
    assert demo_app.get(url, headers=b.auth).status_code == 403


def test_unknown_conversation_is_404(demo_app: TestClient) -> None:
    admin = {"Authorization": "Bearer test-admin-token"}
    response = demo_app.post("/v1/conversations/doesnotexist/messages", json={"text": "hi"}, headers=admin)
    assert response.status_code == 404
    assert demo_app.get("/v1/conversations/doesnotexist/messages", headers=admin).status_code == 404


def test_health_and_readiness(demo_app: TestClient) -> None:
    assert demo_app.get("/healthz").json()["status"] == "ok"
    ready = demo_app.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"


def test_readiness_reports_an_unreachable_database(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path}/kefu.db")
    app = create_app(settings)
    app.state.services.conversations.store._engine.dispose()
    (tmp_path / "kefu.db").unlink()
    (tmp_path / "kefu.db").mkdir()  # a directory where the database file was: every connect fails
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


@pytest.mark.anyio
async def test_50_concurrent_sends_to_one_conversation_keep_order_and_lose_nothing(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path}/kefu.db")
    seed_demo(settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://kefu") as client:
        created = (await client.post("/v1/conversations", json={"pack": "retail", "locale": "en"})).json()
        auth = {"Authorization": f"Bearer {created['token']}"}
        url = f"/v1/conversations/{created['id']}/messages"

        async def send(i: int) -> dict[str, Any]:
            response = await client.post(
                url, headers=auth, json={"text": f"hello {i}", "client_msg_id": f"m{i}"}
            )
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        results = await asyncio.gather(*(send(i) for i in range(50)))
        stored = (await client.get(url, headers=auth)).json()["messages"]
        retried = await asyncio.gather(*(send(i) for i in range(50)))

    assert [m["seq"] for m in stored] == list(range(1, len(stored) + 1))
    customer = [m for m in stored if m["role"] == "customer"]
    assert sorted(m["text"] for m in customer) == sorted(f"hello {i}" for i in range(50))
    by_seq = {m["seq"]: m for m in stored}
    for result in results:
        turn = result["messages"]
        seqs = [m["seq"] for m in turn]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # one turn's messages are contiguous
        assert all(by_seq[m["seq"]]["text"] == m["text"] for m in turn)
    assert retried == results  # retries return the same replies …
    after = len(stored)
    assert after == 1 + sum(len(r["messages"]) for r in results)  # … and ran nothing twice


@pytest.mark.anyio
async def test_sequential_sends_keep_exact_order(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path}/kefu.db")
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kefu") as client:
        created = (await client.post("/v1/conversations", json={"pack": "retail"})).json()
        auth = {"Authorization": f"Bearer {created['token']}"}
        url = f"/v1/conversations/{created['id']}/messages"
        for i in range(10):
            await client.post(url, headers=auth, json={"text": f"hi {i}", "client_msg_id": uuid.uuid4().hex})
        stored = (await client.get(url, headers=auth)).json()["messages"]
    assert [m["text"] for m in stored if m["role"] == "customer"] == [f"hi {i}" for i in range(10)]


def test_websocket_pushes_replies_and_accepts_messages(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    with demo_app.websocket_connect(f"/v1/conversations/{c.id}/ws?token={c.token}") as socket:
        socket.send_json({"type": "message", "text": "hello", "client_msg_id": "ws-1"})
        pushed = [socket.receive_json() for _ in range(3)]
        assert [p["type"] for p in pushed] == ["message", "message", "status"]
        assert pushed[0]["message"]["role"] == "customer" and pushed[0]["message"]["text"] == "hello"
        assert pushed[1]["message"]["role"] == "bot"
        c.send("where is my order?")  # a message sent over REST is pushed to the socket too
        assert socket.receive_json()["message"]["text"] == "where is my order?"
        assert socket.receive_json()["message"]["role"] == "bot"
        assert socket.receive_json()["type"] == "status"
        socket.send_text("not json")
        assert socket.receive_json()["error"]["code"] == "invalid_input"
        socket.send_json({"type": "message", "text": "   "})
        assert "empty" in socket.receive_json()["error"]["message"]


def test_websocket_rejects_bad_tokens(demo_app: TestClient) -> None:
    from starlette.websockets import WebSocketDisconnect

    c = Customer(demo_app)
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        demo_app.websocket_connect(f"/v1/conversations/{c.id}/ws?token=wrong") as socket,
    ):
        socket.receive_json()
    assert closed.value.code == 4401


def test_turns_over_the_websocket_are_counted_in_metrics(demo_app: TestClient) -> None:
    c = Customer(demo_app, locale="en")
    with demo_app.websocket_connect(f"/v1/conversations/{c.id}/ws?token={c.token}") as socket:
        socket.send_json({"type": "message", "text": "I want to talk to a human", "client_msg_id": "ws-m1"})
        assert socket.receive_json()["message"]["role"] == "customer"
    text = demo_app.get("/metrics").text
    assert 'kefu_turns_total{pack="retail"} 1.0' in text
    assert 'kefu_handoffs_total{pack="retail",reason="customer_request"} 1.0' in text
