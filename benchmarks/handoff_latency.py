"""How fast a handoff reaches the agent console: from the customer's "I want a human" to the agents'
live feed (``WS /v1/agent/ws``), against a real ``kefu serve``.

Run from the repository root::

    .venv/bin/python benchmarks/handoff_latency.py [--customers 40] [--concurrency 8] [--json]
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

REQUESTS = ("I want to talk to a human", "转人工", "agent please", "我要人工客服")


async def measure(base_url: str, customers: int, concurrency: int) -> list[float]:
    arrived: dict[str, float] = {}
    ws_url = base_url.replace("http://", "ws://") + f"/v1/agent/ws?token={ADMIN_TOKEN}"
    async with websockets.connect(ws_url) as feed, httpx.AsyncClient(base_url=base_url, timeout=30) as client:

        async def listen() -> None:
            async for raw in feed:
                event = json.loads(raw)
                if event.get("status") == "waiting_human":
                    arrived.setdefault(str(event["conversation_id"]), time.perf_counter())

        listener = asyncio.create_task(listen())
        await asyncio.sleep(0.2)
        gate = asyncio.Semaphore(concurrency)
        sent: dict[str, float] = {}

        async def customer(i: int) -> None:
            async with gate:
                created = (await client.post("/v1/conversations", json={"pack": "retail"})).json()
                auth = {"Authorization": f"Bearer {created['token']}"}
                sent[created["id"]] = time.perf_counter()
                body = {"text": REQUESTS[i % len(REQUESTS)], "client_msg_id": f"h{i}"}
                response = await client.post(
                    f"/v1/conversations/{created['id']}/messages", json=body, headers=auth
                )
                if response.json().get("status") != "waiting_human":
                    raise RuntimeError(f"no handoff for {body['text']!r}: {response.text[:200]}")

        await asyncio.gather(*(customer(i) for i in range(customers)))
        deadline = time.perf_counter() + 10
        while len(arrived) < len(sent) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        listener.cancel()
    missing = set(sent) - set(arrived)
    if missing:
        raise RuntimeError(f"{len(missing)} handoffs never reached the agents' feed")
    return [arrived[c] - sent[c] for c in sent]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    env = clean_env()
    with tempfile.TemporaryDirectory(prefix="kefu-handoff-") as tmp:
        workdir = Path(tmp)
        db_url = f"sqlite:///{workdir}/kefu.db"
        seed(db_url, workdir, env)
        port = free_port()
        server = start(
            "kefu", [str(KEFU), "serve", "--port", str(port), "--database-url", db_url], port, workdir, env
        )
        try:
            wait_until_ready(server, ["/healthz", "/readyz"])
            latencies = asyncio.run(measure(server.base_url, args.customers, args.concurrency))
        finally:
            stop(server)
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000
    print(
        f"handoff → agent feed: {len(ordered)} handoffs, {args.concurrency} concurrent customers: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {ordered[-1] * 1000:.1f} ms"
    )
    if args.json:
        print(
            json.dumps(
                {
                    "handoffs": len(ordered),
                    "p50_ms": round(p50, 1),
                    "p95_ms": round(p95, 1),
                    "max_ms": round(ordered[-1] * 1000, 1),
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
