"""How fast the review queue moves, against a real ``kefu serve`` whose compliance rail holds the bot's
verification question (``KEFU_SENSITIVE_WORDS_FILE`` names its words):

- held → console: from the customer's send to the "review held" event on the agents' live feed;
- approve → customer: from the reviewer's ``POST /v1/review/{id}/approve`` to the approved reply on the
  customer's WebSocket.

Run from the repository root::

    .venv/bin/python benchmarks/review_latency.py [--customers 30] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets
from turn_latency import ADMIN_TOKEN, KEFU, clean_env, free_port, seed, start, stop, wait_until_ready

QUESTIONS = {"en": "where is my order?", "zh": "我的订单到哪了？"}
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def one(
    client: httpx.AsyncClient, base_url: str, i: int, held_at: dict[str, float]
) -> tuple[float, float]:
    lang = "en" if i % 2 == 0 else "zh"
    created = (await client.post("/v1/conversations", json={"pack": "retail", "locale": lang})).json()
    cid, auth = created["id"], {"Authorization": f"Bearer {created['token']}"}
    sent = time.perf_counter()
    reply = await client.post(
        f"/v1/conversations/{cid}/messages",
        json={"text": QUESTIONS[lang], "client_msg_id": f"r{i}"},
        headers=auth,
    )
    reply.raise_for_status()
    deadline = time.perf_counter() + 10
    while cid not in held_at and time.perf_counter() < deadline:
        await asyncio.sleep(0.002)
    if cid not in held_at:
        raise RuntimeError(f"no review event for conversation {cid}: {reply.text[:200]}")
    held = held_at[cid] - sent
    items = (await client.get("/v1/review", headers=ADMIN)).json()["items"]
    [item] = [x for x in items if x["conversation_id"] == cid]
    ws_url = base_url.replace("http://", "ws://") + f"/v1/conversations/{cid}/ws?token={created['token']}"
    async with websockets.connect(ws_url) as socket:
        started = time.perf_counter()
        approved = await client.post(f"/v1/review/{item['id']}/approve", headers=ADMIN)
        approved.raise_for_status()
        while True:
            event = json.loads(await asyncio.wait_for(socket.recv(), 10))
            if event.get("type") == "message" and event["message"]["text"] == item["text"]:
                return held, time.perf_counter() - started


async def measure(base_url: str, customers: int) -> tuple[list[float], list[float]]:
    held_at: dict[str, float] = {}
    feed_url = base_url.replace("http://", "ws://") + f"/v1/agent/ws?token={ADMIN_TOKEN}"
    async with (
        websockets.connect(feed_url) as feed,
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
    ):

        async def listen() -> None:
            async for raw in feed:
                event = json.loads(raw)
                if event.get("type") == "review" and event.get("event") == "held":
                    held_at.setdefault(str(event["conversation_id"]), time.perf_counter())

        listener = asyncio.create_task(listen())
        await asyncio.sleep(0.2)
        await one(client, base_url, -1, held_at)  # warm-up: the first turn loads models and the index
        results = [await one(client, base_url, i, held_at) for i in range(customers)]
        listener.cancel()
    return [r[0] for r in results], [r[1] for r in results]


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    env = clean_env()
    with tempfile.TemporaryDirectory(prefix="kefu-review-") as tmp:
        workdir = Path(tmp)
        words = workdir / "sensitive.txt"
        words.write_text("verify you\n验证身份\n", encoding="utf-8")
        env["KEFU_SENSITIVE_WORDS_FILE"] = str(words)
        db_url = f"sqlite:///{workdir}/kefu.db"
        seed(db_url, workdir, env)
        port = free_port()
        server = start(
            "kefu", [str(KEFU), "serve", "--port", str(port), "--database-url", db_url], port, workdir, env
        )
        try:
            wait_until_ready(server, ["/healthz", "/readyz"])
            held, approved = asyncio.run(measure(server.base_url, args.customers))
        finally:
            stop(server)
    figures = {
        "items": len(held),
        "held_to_console": percentiles(held),
        "approve_to_customer": percentiles(approved),
    }
    for name in ("held_to_console", "approve_to_customer"):
        f = figures[name]
        assert isinstance(f, dict)
        print(f"{name.replace('_', ' ')}: p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms, max {f['max_ms']} ms")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
