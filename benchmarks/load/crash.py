"""Crash test: customers talk to N ``kefu serve`` workers on one PostgreSQL and one Redis while one worker
is killed with SIGKILL every few seconds (and restarted), and Redis is flushed once; then SQL checks.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, database ``test``; Redis at 127.0.0.1:6379)::

    .venv/bin/python benchmarks/load/crash.py [--conversations 40] [--messages 8] [--kills 4] [--json]

Every client retries a message with the same ``client_msg_id`` (on another worker) until it is
acknowledged. Afterwards the database must show: every acknowledged message stored exactly once with the
``seq`` it was acknowledged with, ``seq`` gap-free per conversation, every customer message answered (or
its conversation handed to a human, which is recorded), no business side effect applied twice.
Exit status 0 when every count of a failure is 0, 1 otherwise, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import redis
from servers import (
    REDIS_URL,
    Customer,
    HarnessError,
    Worker,
    base_env,
    postgres_schema,
    script_for,
    seed,
    start_workers,
    stop_all,
    wait_ready,
)
from sqlalchemy import create_engine, text

MESSAGE_DEADLINE_S = 90.0  # a client gives up on one message after this long


@dataclass
class Client:
    """What the customers saw: acknowledged messages (conversation, client_msg_id) → seq and reply seqs."""

    acknowledged: dict[tuple[str, str], tuple[int, list[int]]] = field(default_factory=dict)
    conversations: list[str] = field(default_factory=list)
    attempts: int = 0
    retries: int = 0
    gave_up: list[str] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    slowest_s: float = 0.0  # the longest a customer waited for one acknowledgement, retries included
    over_5s: int = 0  # acknowledgements that took longer than 5 s


@dataclass
class Report:
    conversations: int
    messages_sent: int
    acknowledged: int
    retries: int
    kills: int
    redis_flushes: int
    gave_up: int
    lost: int
    duplicated: int
    seq_mismatch: int
    seq_gaps: int
    unanswered: int
    handed_off_unanswered: int
    side_effects: int
    double_side_effects: int
    locks_left: int
    wall_s: float
    slowest_ack_s: float
    acks_over_5s: int
    failure_statuses: dict[str, int]

    @property
    def passed(self) -> bool:
        return not (
            self.gave_up
            or self.lost
            or self.duplicated
            or self.seq_mismatch
            or self.seq_gaps
            or self.unanswered
            or self.double_side_effects
            or self.locks_left
        )


async def _request(
    session: aiohttp.ClientSession,
    workers: list[Worker],
    path: str,
    body: dict[str, Any],
    headers: dict[str, str],
    expect: int,
    client: Client,
    what: str,
) -> dict[str, Any] | None:
    """POST until a worker answers ``expect``, trying the workers in turn; ``None`` after the deadline."""
    began = time.monotonic()
    deadline = began + MESSAGE_DEADLINE_S
    order = list(workers)
    random.shuffle(order)
    attempt = 0
    while time.monotonic() < deadline:
        worker = order[attempt % len(order)]
        attempt += 1
        client.attempts += 1
        if attempt > 1:
            client.retries += 1
        try:
            async with session.post(worker.url + path, json=body, headers=headers) as response:
                if response.status == expect:
                    found: dict[str, Any] = await response.json()
                    waited = time.monotonic() - began
                    client.slowest_s = max(client.slowest_s, waited)
                    client.over_5s += waited > 5
                    return found
                client.statuses[str(response.status)] += 1
        except (TimeoutError, aiohttp.ClientError) as exc:
            client.statuses[type(exc).__name__] += 1
        await asyncio.sleep(min(0.05 * attempt, 0.5))
    client.gave_up.append(what)
    return None


async def _converse(
    session: aiohttp.ClientSession,
    workers: list[Worker],
    number: int,
    customer: Customer,
    messages: int,
    client: Client,
) -> None:
    locale = "en" if number % 2 == 0 else "zh"
    created = await _request(
        session,
        workers,
        "/v1/conversations",
        {"pack": "retail", "locale": locale},
        {},
        201,
        client,
        f"conversation {number}",
    )
    if created is None:
        return
    conversation = str(created["id"])
    client.conversations.append(conversation)
    headers = {"Authorization": f"Bearer {created['token']}"}
    script = script_for(locale, customer)
    for k in range(messages):
        client_msg_id = f"crash-{number}-{k}"
        body = {"text": script[k % len(script)], "client_msg_id": client_msg_id}
        done = await _request(
            session,
            workers,
            f"/v1/conversations/{conversation}/messages",
            body,
            headers,
            200,
            client,
            f"{conversation}/{client_msg_id}",
        )
        if done is None:
            return
        [mine] = [m for m in done["messages"] if m.get("client_msg_id") == client_msg_id]
        replies = [m["seq"] for m in done["messages"] if m["role"] != "customer"]
        client.acknowledged[(conversation, client_msg_id)] = (int(mine["seq"]), replies)


async def _chaos(
    workers: list[Worker], kills: int, every_s: float, flush_at_s: float | None
) -> tuple[int, int]:
    """Kill one worker every ``every_s`` (each in turn), restart it; flush Redis once at ``flush_at_s``."""
    killed = flushed = 0
    started = time.monotonic()
    for n in range(kills):
        await asyncio.sleep(every_s)
        if flush_at_s is not None and not flushed and time.monotonic() - started >= flush_at_s:
            await asyncio.to_thread(redis.Redis.from_url(REDIS_URL).flushdb)
            flushed += 1
        victim = workers[n % len(workers)]
        for other in workers:  # never kill the last worker that serves
            if other is not victim:
                await asyncio.to_thread(wait_ready, other)
        victim.kill()
        killed += 1
        victim.start()
    if flush_at_s is not None and not flushed:
        await asyncio.to_thread(redis.Redis.from_url(REDIS_URL).flushdb)
        flushed += 1
    return killed, flushed


def _check(database_url: str, client: Client) -> dict[str, int]:
    """The SQL checks; counts of each kind of failure (and of side effects applied)."""
    engine = create_engine(database_url)
    ids = client.conversations
    with engine.connect() as db:
        rows = db.execute(
            text(
                "SELECT conversation_id, seq, kind, role, client_msg_id, reply_to FROM events "
                "WHERE conversation_id = ANY(:ids) ORDER BY conversation_id, seq"
            ),
            {"ids": ids},
        ).all()
        last_seq = dict(
            db.execute(
                text("SELECT id, last_seq FROM conversations WHERE id = ANY(:ids)"), {"ids": ids}
            ).all()
        )
        handed_off = {
            r[0]
            for r in db.execute(
                text("SELECT conversation_id FROM handoffs WHERE conversation_id = ANY(:ids)"), {"ids": ids}
            )
        }
        actions = db.execute(text("SELECT order_id, action FROM shop_actions")).all()
    engine.dispose()
    seqs: dict[str, list[int]] = defaultdict(list)
    stored: dict[tuple[str, str], list[int]] = defaultdict(list)
    answered: set[tuple[str, int]] = set()
    customer_messages: list[tuple[str, int]] = []
    for conversation_id, seq, kind, role, client_msg_id, reply_to in rows:
        seqs[conversation_id].append(seq)
        if kind == "message_received" and role == "customer":
            customer_messages.append((conversation_id, seq))
            if client_msg_id:
                stored[(conversation_id, client_msg_id)].append(seq)
        elif reply_to is not None:
            answered.add((conversation_id, reply_to))
    lost = sum(1 for key in client.acknowledged if key not in stored)
    duplicated = sum(len(found) - 1 for found in stored.values() if len(found) > 1)
    mismatch = sum(
        1 for key, (seq, _) in client.acknowledged.items() if key in stored and stored[key] != [seq]
    )
    gaps = sum(1 for c in ids if seqs.get(c, []) != list(range(1, last_seq.get(c, 0) + 1)))
    unanswered = [m for m in customer_messages if m not in answered]
    return {
        "lost": lost,
        "duplicated": duplicated,
        "seq_mismatch": mismatch,
        "seq_gaps": gaps,
        "unanswered": sum(1 for c, _ in unanswered if c not in handed_off),
        "handed_off_unanswered": sum(1 for c, _ in unanswered if c in handed_off),
        "side_effects": len(actions),
        "double_side_effects": sum(n - 1 for n in Counter(actions).values() if n > 1),
    }


async def _load(
    workers: list[Worker], customers: list[Customer], args: argparse.Namespace
) -> tuple[Client, int, int, float]:
    client = Client()
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=args.conversations + 8)
    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        chaos = asyncio.create_task(_chaos(workers, args.kills, args.kill_every, args.flush_at))
        await asyncio.gather(
            *(
                _converse(session, workers, i, customers[i % len(customers)], args.messages, client)
                for i in range(args.conversations)
            )
        )
        killed, flushed = await chaos
    return client, killed, flushed, time.perf_counter() - started


def _locks_left(conversations: list[str]) -> int:
    """Turn locks still queued once every customer has been answered: a hold that never released (its
    lease renewed forever) shows here. In-flight retries of the last kill get a few seconds to finish."""
    client = redis.Redis.from_url(REDIS_URL)
    deadline = time.monotonic() + 10
    while True:
        left = sum(client.exists(f"kefu:lock:{{{c}}}:q") for c in conversations)
        if not left or time.monotonic() > deadline:
            client.close()
            return int(left)
        time.sleep(0.5)


def run(args: argparse.Namespace) -> Report:
    workdir = Path(tempfile.mkdtemp(prefix="kefu-crash-"))
    with postgres_schema() as database_url:
        env = base_env(database_url, REDIS_URL)
        customers = seed(env, workdir)
        workers = start_workers(args.workers, env, workdir)
        try:
            client, killed, flushed, wall_s = asyncio.run(_load(workers, customers, args))
            locks_left = _locks_left(client.conversations)
        finally:
            stop_all(workers)
        counts = _check(database_url, client)
    sent = len(client.acknowledged) + len(client.gave_up)
    return Report(
        conversations=len(client.conversations),
        messages_sent=sent,
        acknowledged=len(client.acknowledged),
        retries=client.retries,
        kills=killed,
        redis_flushes=flushed,
        gave_up=len(client.gave_up),
        wall_s=round(wall_s, 2),
        locks_left=locks_left,
        slowest_ack_s=round(client.slowest_s, 2),
        acks_over_5s=client.over_5s,
        failure_statuses=dict(client.statuses),
        **counts,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--messages", type=int, default=8, help="messages per conversation")
    parser.add_argument("--kills", type=int, default=4, help="SIGKILLs in all (bounded)")
    parser.add_argument("--kill-every", type=float, default=3.0, help="seconds between kills")
    parser.add_argument(
        "--flush-at", type=float, default=5.0, help="flush Redis once after this many seconds"
    )
    parser.add_argument("--no-flush", action="store_true", help="do not flush Redis")
    parser.add_argument("--json", action="store_true", help="also print one JSON object on the last line")
    args = parser.parse_args(argv)
    if (
        args.workers < 2
        or args.conversations < 1
        or args.messages < 1
        or args.kills < 0
        or args.kill_every <= 0
    ):
        parser.error("need --workers ≥ 2, --conversations ≥ 1, --messages ≥ 1, --kills ≥ 0, --kill-every > 0")
    if args.no_flush:
        args.flush_at = None
    try:
        report = run(args)
    except HarnessError as exc:
        print(f"crash: error: {exc}", file=sys.stderr)
        return 1
    print(
        f"crash test: {report.conversations} conversations, {report.messages_sent} messages, "
        f"{args.workers} workers, {report.kills} × kill -9, {report.redis_flushes} Redis flush, "
        f"{report.wall_s} s"
    )
    print(
        f"  acknowledged {report.acknowledged}  retries {report.retries}  gave up {report.gave_up}  "
        f"slowest acknowledgement {report.slowest_ack_s} s ({report.acks_over_5s} over 5 s)  "
        f"(failed attempts by kind: {report.failure_statuses})"
    )
    print(
        f"  lost {report.lost}  duplicated {report.duplicated}  seq mismatches {report.seq_mismatch}  "
        f"conversations with seq gaps {report.seq_gaps}"
    )
    print(
        f"  unanswered {report.unanswered}  (handed to a human, unanswered by the bot: "
        f"{report.handed_off_unanswered})  side effects {report.side_effects}  "
        f"applied twice {report.double_side_effects}  locks still held {report.locks_left}"
    )
    print("  PASS" if report.passed else "  FAIL")
    if args.json:
        print(json.dumps({**asdict(report), "passed": report.passed}))
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
