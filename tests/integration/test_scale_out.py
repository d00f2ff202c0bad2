"""Two stateless workers sharing the real PostgreSQL and Redis serve one conversation.

Needs PostgreSQL at 127.0.0.1:5432 (database ``test``) and Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from kefu.app import create_app
from kefu.demo import seed_demo
from kefu.domain.ids import ConversationId
from kefu.store.redis_coordination import RedisTurnLock, redis_client
from kefu_test_support import REDIS_URL, make_settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.mark.anyio
async def test_concurrent_sends_across_two_workers_lose_nothing(postgres_url: str) -> None:
    settings = make_settings(postgres_url, redis_url=REDIS_URL)
    seed_demo(settings)
    workers = [create_app(settings), create_app(settings, migrate=False)]
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=w), base_url="http://kefu") for w in workers
    ]
    try:
        created = (await clients[0].post("/v1/conversations", json={"pack": "retail", "locale": "en"})).json()
        auth = {"Authorization": f"Bearer {created['token']}"}
        url = f"/v1/conversations/{created['id']}/messages"

        async def send(i: int) -> dict[str, Any]:
            response = await clients[i % 2].post(
                url, headers=auth, json={"text": f"hi {i}", "client_msg_id": f"m{i}"}
            )
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        results = await asyncio.gather(*(send(i) for i in range(30)))
        retried = await asyncio.gather(*(send(i) for i in range(30)))
        stored = (await clients[1].get(url, headers=auth)).json()["messages"]
    finally:
        for client in clients:
            await client.aclose()
    assert retried == results
    assert [m["seq"] for m in stored] == list(range(1, len(stored) + 1))
    assert sorted(m["text"] for m in stored if m["role"] == "customer") == sorted(
        f"hi {i}" for i in range(30)
    )
    assert len(stored) == 1 + sum(len(r["messages"]) for r in results)


def test_live_push_crosses_workers_through_redis(postgres_url: str) -> None:
    settings = make_settings(postgres_url, redis_url=REDIS_URL)
    with TestClient(create_app(settings)) as a, TestClient(create_app(settings, migrate=False)) as b:
        created = a.post("/v1/conversations", json={"pack": "retail", "locale": "en"}).json()
        with a.websocket_connect(f"/v1/conversations/{created['id']}/ws?token={created['token']}") as socket:
            time.sleep(0.2)  # let the subscription reach Redis
            sent = b.post(
                f"/v1/conversations/{created['id']}/messages",
                json={"text": "hello from b"},
                headers={"Authorization": f"Bearer {created['token']}"},
            )
            assert sent.status_code == 200
            pushed = socket.receive_json()
            assert pushed["message"]["text"] == "hello from b"
            assert socket.receive_json()["message"]["role"] == "bot"


@pytest.mark.anyio
async def test_redis_lock_serialises_holders_and_fences(anyio_backend: str) -> None:
    client = redis_client(REDIS_URL)
    locks = [RedisTurnLock(client), RedisTurnLock(client)]  # two "workers"
    conversation = ConversationId(uuid.uuid4().hex)
    inside = 0
    most_inside = 0
    fences: list[int] = []

    async def hold(i: int) -> None:
        nonlocal inside, most_inside
        async with locks[i % 2].hold(conversation) as fence:
            inside += 1
            most_inside = max(most_inside, inside)
            fences.append(fence)
            await asyncio.sleep(0.005)
            inside -= 1

    await asyncio.gather(*(hold(i) for i in range(20)))
    await client.aclose()
    assert most_inside == 1
    assert fences == sorted(fences) and len(set(fences)) == 20
