"""No message is lost or reordered across bot → human → bot, with customer and agent writing at once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from kefu.app import create_app
from kefu.demo import seed_demo
from kefu_test_support import ADMIN, make_settings

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


@pytest.mark.anyio
async def test_concurrent_customer_and_agent_messages_keep_one_order(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path}/kefu.db")
    seed_demo(settings)
    app = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kefu") as client:
        created = (await client.post("/v1/conversations", json={"pack": "retail", "locale": "en"})).json()
        cid, auth = created["id"], {"Authorization": f"Bearer {created['token']}"}
        customer_url = f"/v1/conversations/{cid}/messages"
        agent_url = f"/v1/agent/conversations/{cid}"

        async def customer(i: int) -> dict[str, Any]:
            response = await client.post(
                customer_url, headers=auth, json={"text": f"c{i}", "client_msg_id": f"c{i}"}
            )
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        async def agent(i: int) -> None:
            response = await client.post(f"{agent_url}/messages", headers=ADMIN_AUTH, json={"text": f"a{i}"})
            assert response.status_code == 200, response.text

        await customer(-1)
        assert (await client.post(customer_url, headers=auth, json={"text": "human please"})).json()[
            "status"
        ] == ("waiting_human")
        waiting = asyncio.gather(*(customer(i) for i in range(10)))  # the bot answers while they wait
        claim = client.post(f"{agent_url}/claim", headers=ADMIN_AUTH)
        await asyncio.gather(waiting, claim)
        await asyncio.gather(*(customer(i) for i in range(10, 30)), *(agent(i) for i in range(20)))
        await client.post(f"{agent_url}/release", headers=ADMIN_AUTH)
        await asyncio.gather(*(customer(i) for i in range(30, 40)))
        stored = (await client.get(customer_url, headers=auth)).json()["messages"]

    assert [m["seq"] for m in stored] == list(range(1, len(stored) + 1))
    texts = [m["text"] for m in stored]
    assert sorted(t for t in texts if t.startswith("c") and t[1:].isdigit()) == sorted(
        f"c{i}" for i in range(40)
    )
    assert sorted(m["text"] for m in stored if m["role"] == "agent") == sorted(f"a{i}" for i in range(20))
    joined = next(m["seq"] for m in stored if m["role"] == "system")
    returned = max(m["seq"] for m in stored if m["role"] == "agent")
    # with the human: the bot said nothing between the agent joining and the hand back
    assert not [m for m in stored if joined < m["seq"] < returned and m["role"] == "bot"]
    after = [m for m in stored if m["seq"] > returned]
    assert {m["role"] for m in after} == {"bot", "customer"}  # back with the bot, which answers again
