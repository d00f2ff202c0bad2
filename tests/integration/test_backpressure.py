"""Back-pressure: a full worker answers 503 with Retry-After at once, keeps its probes answering, and serves
the requests it took once they can go on."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from kefu.app import create_app
from kefu.domain.ids import ConversationId
from kefu_test_support import make_settings


@pytest.mark.anyio
async def test_a_full_worker_sheds_load_with_retry_after(tmp_path: Path, anyio_backend: str) -> None:
    if anyio_backend != "asyncio":
        pytest.skip("the turn lock is asyncio's")
    app = create_app(make_settings(f"sqlite:///{tmp_path}/kefu.db", max_inflight=2))
    service = app.state.services.conversations
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://kefu", timeout=30) as client:
        created = (await client.post("/v1/conversations", json={"pack": "retail", "locale": "en"})).json()
        auth = {"Authorization": f"Bearer {created['token']}"}
        url = f"/v1/conversations/{created['id']}/messages"
        async with service.lock.hold(ConversationId(created["id"])):  # both turns wait inside the worker
            taken = [asyncio.create_task(client.post(url, headers=auth, json={"text": t})) for t in "ab"]
            await asyncio.sleep(0.3)
            shed = await client.post(url, headers=auth, json={"text": "one too many"})
            health = await client.get("/healthz")
        served = await asyncio.gather(*taken)
    assert shed.status_code == 503
    assert shed.headers["retry-after"] == "1"
    assert shed.json()["error"]["code"] == "overloaded"
    assert health.status_code == 200
    assert [r.status_code for r in served] == [200, 200]
