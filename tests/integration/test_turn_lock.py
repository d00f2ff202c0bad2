"""The Redis turn lock on the real Redis: FIFO across workers, short leases kept by a heartbeat, a dead
worker's lock gone within seconds, fencing tokens that grow across a flush and are checked by the store.

Needs Redis at 127.0.0.1:6379 (and PostgreSQL at 127.0.0.1:5432 for the store's fence check there).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from kefu.app import create_app
from kefu.domain.conversation import DialogueState
from kefu.domain.errors import Conflict
from kefu.domain.ids import ConversationId
from kefu.domain.messages import ConversationStatus, OutgoingMessage
from kefu.engine.ports import IncomingMessage, TurnRecord
from kefu.store.redis_coordination import RedisTurnLock, redis_client
from kefu.store.sql.conversations import SqlConversationStore
from kefu.store.sql.database import make_engine, upgrade
from kefu_test_support import REDIS_URL, make_settings

pytestmark = [pytest.mark.redis]

HOLD_AND_HANG = """
import asyncio, sys
from kefu.domain.ids import ConversationId
from kefu.store.redis_coordination import RedisTurnLock, redis_client

async def main() -> None:
    lock = RedisTurnLock(redis_client(sys.argv[1]), lease_ms=int(sys.argv[3]))
    async with lock.hold(ConversationId(sys.argv[2])) as fence:
        print(fence, flush=True)
        await asyncio.sleep(3600)

asyncio.run(main())
"""


def _hold_in_a_process(conversation: str, lease_ms: int) -> tuple[subprocess.Popen[str], int]:
    """Another "worker": a process that takes the conversation's lock and hangs; returns it and its fence."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_HANG, REDIS_URL, conversation, str(lease_ms)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
    )
    assert holder.stdout is not None
    return holder, int(holder.stdout.readline())


def _conversation() -> ConversationId:
    return ConversationId(f"test-{uuid.uuid4().hex}")


@pytest.mark.anyio
async def test_holders_enter_in_arrival_order_across_workers(anyio_backend: str) -> None:
    clients = [redis_client(REDIS_URL), redis_client(REDIS_URL)]
    locks = [RedisTurnLock(clients[0]), RedisTurnLock(clients[1])]  # two "workers"
    conversation = _conversation()
    order: list[int] = []
    fences: list[int] = []
    first_in = asyncio.Event()

    async def turn(i: int) -> None:
        async with locks[i % 2].hold(conversation) as fence:
            order.append(i)
            fences.append(fence)
            first_in.set()
            await asyncio.sleep(0.02)

    tasks = [asyncio.create_task(turn(0))]
    await first_in.wait()
    for i in range(1, 12):  # each arrives while the others wait; workers alternate
        tasks.append(asyncio.create_task(turn(i)))
        await asyncio.sleep(0.005)
    await asyncio.gather(*tasks)
    for client in clients:
        await client.aclose()
    assert order == list(range(12))
    assert fences == sorted(fences) and len(set(fences)) == 12


@pytest.mark.anyio
async def test_release_wakes_the_next_worker_at_once(anyio_backend: str) -> None:
    clients = [redis_client(REDIS_URL), redis_client(REDIS_URL)]
    a, b = RedisTurnLock(clients[0], lease_ms=4000), RedisTurnLock(clients[1], lease_ms=4000)
    conversation = _conversation()
    released_at = 0.0
    entered_at = 0.0

    async def waiter() -> None:
        nonlocal entered_at
        async with b.hold(conversation):
            entered_at = time.perf_counter()

    async with a.hold(conversation):
        task = asyncio.create_task(waiter())
        await asyncio.sleep(0.3)  # the waiter is blocked on its wake-up list, not polling
        released_at = time.perf_counter()
    await task
    for client in clients:
        await client.aclose()
    # a heartbeat is 1 s here: entering within 0.2 s means the release woke the waiter
    assert 0 <= entered_at - released_at < 0.2


@pytest.mark.anyio
async def test_heartbeat_keeps_a_long_turn_locked(anyio_backend: str) -> None:
    clients = [redis_client(REDIS_URL), redis_client(REDIS_URL)]
    a, b = RedisTurnLock(clients[0], lease_ms=400), RedisTurnLock(clients[1], lease_ms=400)
    conversation = _conversation()
    events: list[str] = []

    async def waiter() -> None:
        async with b.hold(conversation):
            events.append("b in")

    async with a.hold(conversation):
        task = asyncio.create_task(waiter())
        await asyncio.sleep(1.5)  # almost four leases
        events.append("a out")
    await task
    for client in clients:
        await client.aclose()
    assert events == ["a out", "b in"] and a.lost == 0


@pytest.mark.anyio
async def test_a_killed_workers_lock_is_gone_within_its_lease(anyio_backend: str) -> None:
    conversation = _conversation()
    lease_ms = 1500
    holder, dead_fence = _hold_in_a_process(conversation, lease_ms)
    try:
        time.sleep(0.5)  # a few heartbeats of the holder
        holder.send_signal(signal.SIGKILL)
        holder.wait(5)
        killed_at = time.perf_counter()
        client = redis_client(REDIS_URL)
        async with RedisTurnLock(client, lease_ms=lease_ms, wait_s=10).hold(conversation) as fence:
            waited = time.perf_counter() - killed_at
        await client.aclose()
    finally:
        if holder.poll() is None:
            holder.kill()
    assert fence > dead_fence
    assert waited < lease_ms / 1000 + 1.0, f"waited {waited:.2f} s for a dead worker's lock"


@pytest.mark.postgres
@pytest.mark.anyio
async def test_a_turn_waits_out_a_killed_workers_lock_and_answers(
    postgres_url: str, anyio_backend: str
) -> None:
    """A worker dies mid-turn holding the conversation's lock: the customer's next message, on another
    worker, is answered once the lease lapses — not 409, not a 60 s wait."""
    if anyio_backend != "asyncio":
        pytest.skip("kefu serves on asyncio")
    app = create_app(make_settings(postgres_url, redis_url=REDIS_URL, lock_lease_ms=1500))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://kefu", timeout=30
    ) as client:
        created = (await client.post("/v1/conversations", json={"pack": "retail", "locale": "en"})).json()
        url, auth = (
            f"/v1/conversations/{created['id']}/messages",
            {"Authorization": f"Bearer {created['token']}"},
        )
        assert (
            await client.post(url, json={"text": "hello"}, headers=auth)
        ).status_code == 200  # models warm
        holder, _ = _hold_in_a_process(created["id"], 1500)
        try:
            holder.send_signal(signal.SIGKILL)
            holder.wait(5)
            started = time.perf_counter()
            answered = await client.post(url, json={"text": "hi", "client_msg_id": "after"}, headers=auth)
            waited = time.perf_counter() - started
        finally:
            if holder.poll() is None:
                holder.kill()
    assert answered.status_code == 200, answered.text
    assert [m["role"] for m in answered.json()["messages"]][:2] == ["customer", "bot"]
    assert waited < 1.5 + 1.5, f"the customer waited {waited:.2f} s"


@pytest.mark.anyio
async def test_fences_keep_growing_after_redis_loses_the_keys(anyio_backend: str) -> None:
    client = redis_client(REDIS_URL)
    lock = RedisTurnLock(client)
    conversation = _conversation()
    async with lock.hold(conversation) as before:
        pass
    keys = [k async for k in client.scan_iter(match=f"kefu:lock:{{{conversation}}}:*")]
    if keys:
        await client.delete(*keys)  # what a FLUSHDB or a restart without persistence does to them
    async with lock.hold(conversation) as after:
        pass
    await client.aclose()
    assert after > before


def _record(fence: int, text: str) -> TurnRecord:
    return TurnRecord(
        incoming=IncomingMessage(text=text, lang="en", client_msg_id=None),
        replies=[OutgoingMessage(f"re: {text}", "en")],
        state=DialogueState(lang="en"),
        status=ConversationStatus.BOT,
        fence=fence,
    )


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_store_refuses_a_stale_lock_holders_write(
    db: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = f"sqlite:///{tmp_path}/kefu.db" if db == "sqlite" else request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    store = SqlConversationStore(engine)
    conversation = store.create_conversation("retail", "en", None, DialogueState(lang="en"))
    store.commit_turn(conversation.id, 0, _record(fence=200, text="new holder"))
    with pytest.raises(Conflict):  # the holder whose lease lapsed writes last, with the older token
        store.commit_turn(conversation.id, 2, _record(fence=100, text="stale holder"))
    store.commit_turn(conversation.id, 2, _record(fence=200, text="same holder, second write"))
    texts = [m.text for m in store.list_messages(conversation.id)]
    engine.dispose()
    second = "same holder, second write"
    assert texts == ["new holder", "re: new holder", second, f"re: {second}"]


@pytest.mark.anyio
async def test_many_short_holds_all_release_while_heartbeats_run(anyio_backend: str) -> None:
    """Two workers' short holds, ending at any point of their heartbeat, all release: nothing is left
    queued and no lease is renewed after its hold."""
    clients = [redis_client(REDIS_URL), redis_client(REDIS_URL)]
    locks = [RedisTurnLock(clients[0], lease_ms=300), RedisTurnLock(clients[1], lease_ms=300)]
    conversations = [_conversation() for _ in range(8)]
    done = 0

    async def turns(worker: int, conversation: ConversationId) -> None:
        nonlocal done
        for i in range(12):
            async with locks[worker].hold(conversation):
                await asyncio.sleep((i % 5) * 0.03)  # around one heartbeat (75 ms here)
            done += 1

    await asyncio.wait_for(asyncio.gather(*(turns(w, c) for c in conversations for w in (0, 1))), timeout=60)
    left = [c for c in conversations if await clients[0].exists(f"kefu:lock:{{{c}}}:q")]
    for client in clients:
        await client.aclose()
    assert done == 8 * 2 * 12 and left == []
