"""Issue #16, item 5 (socket tickets) and item 9 (the small ones): tickets are single-use, short-lived and
bound to their conversation; the chat page sends a Content-Security-Policy; a ``client_msg_id`` reused
with a different text is a 409; the OpenAPI document lists 400 for unparsable bodies."""

from __future__ import annotations

import time

import jwt
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from customer_client import Customer
from kefu_test_support import ADMIN, SECRET

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def ticket_for(client: TestClient, customer: Customer) -> str:
    response = client.post(f"/v1/conversations/{customer.id}/ws-ticket", headers=customer.auth)
    assert response.status_code == 200, response.text
    body = response.json()
    assert 0 < body["expires_in"] <= 60
    return str(body["ticket"])


def refused(client: TestClient, url: str) -> int:
    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect(url) as socket:
        socket.send_text("{}")
        socket.receive_json()
    return int(closed.value.code)


def test_a_socket_ticket_opens_its_conversation_once(demo_app: TestClient) -> None:
    mine, theirs = Customer(demo_app, locale="en"), Customer(demo_app, locale="en")
    ticket = ticket_for(demo_app, mine)
    assert mine.token not in ticket
    with demo_app.websocket_connect(f"/v1/conversations/{mine.id}/ws?ticket={ticket}") as socket:
        socket.send_json({"type": "message", "text": "hello", "client_msg_id": "t1"})
        assert socket.receive_json()["type"] in ("message", "status")
    assert refused(demo_app, f"/v1/conversations/{mine.id}/ws?ticket={ticket}") == 4401  # used
    other = ticket_for(demo_app, mine)
    assert refused(demo_app, f"/v1/conversations/{theirs.id}/ws?ticket={other}") == 4401  # not theirs
    expired = jwt.encode(
        {"aud": "kefu:ws", "sub": f"conversation:{mine.id}", "jti": "x", "exp": int(time.time()) - 5},
        SECRET,
        algorithm="HS256",
    )
    assert refused(demo_app, f"/v1/conversations/{mine.id}/ws?ticket={expired}") == 4401
    assert demo_app.post(f"/v1/conversations/{mine.id}/ws-ticket").status_code == 401


def test_an_agent_ticket_opens_the_agent_feed_once(demo_app: TestClient) -> None:
    ticket = demo_app.post("/v1/agent/ws-ticket", headers=ADMIN_AUTH).json()["ticket"]
    with demo_app.websocket_connect(f"/v1/agent/ws?ticket={ticket}") as feed:
        feed.send_text("ping")
    assert refused(demo_app, f"/v1/agent/ws?ticket={ticket}") == 4401
    customer = Customer(demo_app, locale="en")
    chat_ticket = ticket_for(demo_app, customer)
    assert refused(demo_app, f"/v1/agent/ws?ticket={chat_ticket}") == 4401  # a customer's is no agent's


def test_the_chat_page_sends_a_content_security_policy(demo_app: TestClient) -> None:
    policy = demo_app.get("/").headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_a_reused_client_msg_id_with_another_text_is_a_conflict(demo_app: TestClient) -> None:
    customer = Customer(demo_app, locale="en")
    first = customer.send("where is my order?", client_msg_id="same-id")
    assert customer.send("where is my order?", client_msg_id="same-id") == first  # a retry replays
    url = f"/v1/conversations/{customer.id}/messages"
    other = demo_app.post(url, json={"text": "cancel it", "client_msg_id": "same-id"}, headers=customer.auth)
    assert other.status_code == 409, other.text
    assert "client_msg_id" in other.json()["error"]["message"]
    with demo_app.websocket_connect(f"/v1/conversations/{customer.id}/ws?token={customer.token}") as socket:
        socket.send_json({"type": "message", "text": "cancel it", "client_msg_id": "same-id"})
        assert socket.receive_json()["error"]["code"] == "conflict"


def test_the_openapi_document_lists_400_for_unparsable_bodies(demo_app: TestClient) -> None:
    paths = demo_app.get("/openapi.json").json()["paths"]
    with_bodies = [
        (path, method)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert len(with_bodies) >= 10
    for path, method in with_bodies:
        assert "400" in paths[path][method]["responses"], (method, path)
    created = demo_app.post("/v1/conversations", content=b"{", headers={"Content-Type": "application/json"})
    assert created.status_code in (400, 422) and "error" in created.json()


def test_a_large_upload_is_a_job_with_progress(demo_app: TestClient) -> None:
    faq = "".join(
        f"# Question {i}\n\nAnswer number {i} about parcel lockers and pickup points.\n\n" for i in range(40)
    )
    faq += "# Parcel lockers\n\nParcel lockers keep a parcel for 72 hours before it goes back.\n"
    started = demo_app.post(
        "/v1/knowledge/documents/upload",
        params={"background": "true"},
        data={"pack": "retail"},
        files={"file": ("lockers.md", faq.encode(), "text/markdown")},
        headers=ADMIN_AUTH,
    )
    assert started.status_code == 202, started.text
    job = started.json()["job"]
    assert job["status"] in ("queued", "parsing", "indexing", "done") and 0 <= job["progress"] <= 1
    deadline = time.monotonic() + 60
    while job["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
        job = demo_app.get(f"/v1/knowledge/jobs/{job['id']}", headers=ADMIN_AUTH).json()
    assert job["status"] == "done" and job["progress"] == 1.0, job
    assert job["result"]["documents"][0]["source"] == "lockers.md"
    hits = demo_app.get(
        "/v1/knowledge/search",
        params={"pack": "retail", "q": "how long do parcel lockers keep a parcel"},
        headers=ADMIN_AUTH,
    ).json()["hits"]
    assert hits[0]["source"] == "lockers.md"
    assert demo_app.get("/v1/knowledge/jobs/0000", headers=ADMIN_AUTH).status_code == 404
