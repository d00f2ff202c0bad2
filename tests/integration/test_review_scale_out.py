"""Review across two workers sharing the real PostgreSQL and Redis: a reply held on one worker is
approved on the other while the customer keeps talking; the approved reply reaches the customer's
socket on the first worker, in order, exactly once.

Needs PostgreSQL at 127.0.0.1:5432 (database ``test``) and Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kefu.app import create_app
from kefu.demo import seed_demo
from kefu_test_support import ADMIN, REDIS_URL, make_settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def test_approve_on_another_worker_reaches_the_customer_in_order(postgres_url: str, tmp_path: Path) -> None:
    words = tmp_path / "sensitive.txt"
    words.write_text("verify you\n", encoding="utf-8")
    settings = make_settings(postgres_url, redis_url=REDIS_URL, sensitive_words_file=str(words))
    seed_demo(settings)
    with TestClient(create_app(settings)) as a, TestClient(create_app(settings, migrate=False)) as b:
        created = a.post("/v1/conversations", json={"pack": "retail", "locale": "en"}).json()
        cid, auth = created["id"], {"Authorization": f"Bearer {created['token']}"}
        url = f"/v1/conversations/{cid}/messages"
        told = a.post(url, json={"text": "where is my order?"}, headers=auth).json()["messages"]
        assert "specialist" in told[-1]["text"]
        [item] = [
            i for i in b.get("/v1/review", headers=ADMIN_AUTH).json()["items"] if i["conversation_id"] == cid
        ]
        with a.websocket_connect(f"/v1/conversations/{cid}/ws?token={created['token']}") as socket:
            time.sleep(0.2)  # let the subscription reach Redis
            assert a.post(url, json={"text": "hello"}, headers=auth).status_code == 200
            approved = b.post(f"/v1/review/{item['id']}/approve", headers=ADMIN_AUTH)
            assert approved.status_code == 200, approved.text
            assert b.post(f"/v1/review/{item['id']}/approve", headers=ADMIN_AUTH).status_code == 409
            assert a.post(f"/v1/review/{item['id']}/reject", headers=ADMIN_AUTH).status_code == 409
            texts = []
            while item["text"] not in texts:
                event = socket.receive_json()
                if event.get("type") == "message":
                    texts.append(event["message"]["text"])
        stored = a.get(url, headers=auth).json()["messages"]
    assert [m["seq"] for m in stored] == list(range(1, len(stored) + 1))
    assert [m["text"] for m in stored].count(item["text"]) == 1 and stored[-1]["text"] == item["text"]
