"""Issue #16, items 2 and 4: rate limits (429 + Retry-After) per IP, per customer, per conversation and for
failed staff authentication, in-process and shared through Redis; WebSocket caps; body-size limits (413)
checked by Content-Length and while streaming, after authentication and before any parsing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from kefu.app import create_app
from kefu_test_support import ADMIN, REDIS_URL, make_settings

LIMITS: dict[str, Any] = {
    "rate_conversations_per_ip": "5/60",
    "rate_conversations_per_customer": "2/3600",
    "rate_messages_per_conversation": "4/60",
    "rate_staff_auth_failures_per_ip": "3/300",
    "ws_max_per_conversation": 2,
    "ws_frames_per_second": 3,
    "max_body_bytes": 4096,
    "max_upload_bytes": 64 * 1024,
}
ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("limits")
    application = create_app(make_settings(f"sqlite:///{tmp}/kefu.db", **LIMITS))
    with TestClient(application):  # runs the lifespan once
        yield application


def client_at(app: Any, ip: str) -> TestClient:
    return TestClient(app, client=(ip, 40000))


def create(client: TestClient, **body: Any) -> Any:
    return client.post("/v1/conversations", json={"pack": "retail", "locale": "en", **body})


def assert_429(response: Any) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 3600


def test_conversations_per_ip(app: Any) -> None:
    client = client_at(app, "10.0.0.1")
    assert [create(client).status_code for _ in range(5)] == [201] * 5
    assert_429(create(client))
    assert create(client_at(app, "10.0.0.2")).status_code == 201  # another address is not affected


def test_conversations_per_customer_across_addresses(app: Any) -> None:
    tokens = app.state.services.tokens
    mine, theirs = tokens.sign_customer_token("cust-a"), tokens.sign_customer_token("cust-b")
    assert create(client_at(app, "10.0.1.1"), customer_token=mine).status_code == 201
    assert create(client_at(app, "10.0.1.2"), customer_token=mine).status_code == 201
    assert_429(create(client_at(app, "10.0.1.3"), customer_token=mine))
    assert create(client_at(app, "10.0.1.3"), customer_token=theirs).status_code == 201


def test_messages_per_conversation(app: Any) -> None:
    client = client_at(app, "10.0.2.1")
    first, second = create(client).json(), create(client).json()

    def send(conversation: dict[str, Any], i: int) -> Any:
        return client.post(
            f"/v1/conversations/{conversation['id']}/messages",
            json={"text": f"hello {i}", "client_msg_id": f"m{i}"},
            headers={"Authorization": f"Bearer {conversation['token']}"},
        )

    assert [send(first, i).status_code for i in range(4)] == [200] * 4
    assert_429(send(first, 4))
    assert send(second, 0).status_code == 200


def test_failed_staff_authentication_per_ip(app: Any) -> None:
    client = client_at(app, "10.0.3.1")
    wrong = {"Authorization": "Bearer not-a-token"}
    assert [client.get("/v1/agent/me", headers=wrong).status_code for _ in range(3)] == [401] * 3
    assert_429(client.get("/v1/agent/me", headers=wrong))
    assert_429(client.get("/v1/agent/me", headers=ADMIN_AUTH))  # even the right token waits now
    assert client_at(app, "10.0.3.2").get("/v1/agent/me", headers=ADMIN_AUTH).status_code == 200


def test_websockets_per_conversation_and_frames_per_second(app: Any) -> None:
    client = client_at(app, "10.0.4.1")
    created = create(client).json()
    url = f"/v1/conversations/{created['id']}/ws?token={created['token']}"
    with client.websocket_connect(url) as one, client.websocket_connect(url):
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(url) as third:
            third.send_text("{}")
            third.receive_json()
        assert refused.value.code == 4429
        for _ in range(6):
            one.send_text("{}")
        codes = [one.receive_json()["error"]["code"] for _ in range(6)]
        assert codes.count("rate_limited") == 3 and codes.count("invalid_input") == 3
    with client.websocket_connect(url):  # closed sockets free their place
        pass


def test_a_body_over_the_limit_is_refused_by_content_length(app: Any) -> None:
    client = client_at(app, "10.0.5.1")
    big = json.dumps({"pack": "retail", "locale": "en", "customer_token": "x" * 10_000})
    response = client.post("/v1/conversations", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_streamed_body_over_the_limit_is_refused(app: Any) -> None:
    client = client_at(app, "10.0.5.2")
    created = create(client).json()

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        yield b'{"text": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    response = client.post(
        f"/v1/conversations/{created['id']}/messages",
        content=chunks(),
        headers={"Authorization": f"Bearer {created['token']}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_authentication_comes_before_the_body(app: Any) -> None:
    client = client_at(app, "10.0.5.3")
    created = create(client).json()
    garbage = {"content": b"{not json" + b" " * 3000, "headers": {"Content-Type": "application/json"}}
    assert client.post(f"/v1/conversations/{created['id']}/messages", **garbage).status_code == 401  # type: ignore[arg-type]
    assert client.post("/v1/knowledge/documents", **garbage).status_code == 401  # type: ignore[arg-type]
    huge = {"content": b"x" * 100_000, "headers": {"Content-Type": "application/json"}}
    assert client.post("/v1/review/1/approve", **huge).status_code == 401  # type: ignore[arg-type]


def test_knowledge_uploads_have_their_own_larger_limit(app: Any) -> None:
    client = client_at(app, "10.0.5.4")
    text = "# Returns\n\n" + "You can return unworn items within 30 days for a full refund. " * 150
    document = {"pack": "retail", "source": "returns.md", "content": text, "format": "md", "lang": "en"}
    assert len(json.dumps(document)) > LIMITS["max_body_bytes"]
    assert client.post("/v1/knowledge/documents", json=document, headers=ADMIN_AUTH).status_code == 201
    too_big = {**document, "content": text * 10}
    assert client.post("/v1/knowledge/documents", json=too_big, headers=ADMIN_AUTH).status_code == 413


@pytest.mark.redis
def test_limits_are_shared_by_workers_through_redis(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path}/kefu.db", redis_url=REDIS_URL, **LIMITS)
    workers = [create_app(settings), create_app(settings, migrate=False)]
    customer = workers[0].state.services.tokens.sign_customer_token(f"cust-{uuid.uuid4().hex}")
    with client_at(workers[0], "10.0.6.1") as first, client_at(workers[1], "10.0.6.2") as second:
        assert create(first, customer_token=customer).status_code == 201
        assert create(second, customer_token=customer).status_code == 201
        assert_429(create(first, customer_token=customer))
        assert_429(create(second, customer_token=customer))
