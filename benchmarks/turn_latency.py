"""Turn latency and throughput of a real ``kefu serve``, next to a bare FastAPI echo app as the floor.

Run from the repository root::

    .venv/bin/python benchmarks/turn_latency.py [--conversations 50] [--turns 6] [--json]

It seeds a fresh temporary SQLite database (``kefu demo seed``), starts ``kefu serve`` and a bare
``POST /echo`` app (``benchmarks/echo_app.py``) under uvicorn on free ports, drives N concurrent
conversations of ``--turns`` sequential messages against each, and prints turns/s, p50 and p99.
Exit status: 0 on success, 1 if a server fails to start or any request fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

HERE = Path(__file__).resolve().parent
KEFU = Path(sys.executable).parent / "kefu"
SECRET_KEY = "benchmark-secret-key-0123456789abcdef0123456789"
ADMIN_TOKEN = "benchmark-admin-token-0123456789"
CUSTOMER_LINE = re.compile(r"<(?P<email>[^<>\s]+@[^<>\s]+)>.*\bdelivered (?P<order>#\w+)")
STARTUP_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 60.0
WARMUP_ECHO_REQUESTS = 20
MAX_ERRORS_SHOWN = 10

# What a customer types: every conversation starts at the top of its script and cycles through it.
# "{email}" and "{order}" are a demo customer's address and delivered order, parsed from the output of
# ``kefu demo seed``: answering the identity check and the "which order?" question keeps the order lookup on
# the bot's happy path. Without them each later message counts as a failed verification, and the third one
# hands the conversation to a human, after which the bot (rightly) stops replying and a turn has no reply.
SCRIPTS: dict[str, list[str]] = {
    "en": [
        "hi",
        "where is my order?",
        "my email is {email}",
        "{order}",
        "what products do you sell?",
        "I want to talk about a complaint, the delivery was late",
        "thanks, bye",
        "do you have the water bottle in blue?",
    ],
    "zh": [
        "你好",
        "我的订单到哪了",
        "我的邮箱是 {email}",
        "订单号 {order}",
        "你们有什么商品",
        "快递太慢了，我要投诉",
        "谢谢，再见",
        "保温杯有蓝色的吗",
    ],
}


class BenchmarkError(Exception):
    """A server did not start, or the load run saw failed requests."""


@dataclass(frozen=True)
class Customer:
    email: str
    order: str


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes]
    base_url: str


@dataclass
class Run:
    """Latencies (seconds) of every measured turn, the wall time of the run, and any failures."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    client_cpu_s: float = 0.0  # CPU the load generator itself burned: near wall_s means it is the bottleneck

    def fail(self, what: str) -> None:
        self.errors.append(what)


@dataclass(frozen=True)
class Summary:
    turns: int
    wall_s: float
    turns_per_s: float
    p50_ms: float
    p99_ms: float
    client_cpu_pct: float


# --------------------------------------------------------------------------- subprocesses


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_env() -> dict[str, str]:
    """The parent's environment without any KEFU_* setting (no Redis, no LLM), plus fixed secrets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env["KEFU_SECRET_KEY"] = SECRET_KEY
    env["KEFU_ADMIN_TOKEN"] = ADMIN_TOKEN
    env["PYTHONUNBUFFERED"] = "1"
    return env


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(cannot read {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def start(name: str, argv: Sequence[str], port: int, workdir: Path, env: dict[str, str]) -> Server:
    log_path = workdir / f"{name}.log"
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        list(argv), cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT
    )
    return Server(name, process, log_path, log_file, f"http://127.0.0.1:{port}")


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)
    server.log_file.close()


def wait_until_ready(server: Server, paths: Sequence[str], timeout_s: float = STARTUP_TIMEOUT_S) -> float:
    """Poll each path in turn until it answers 200; return the seconds it took."""
    started = time.perf_counter()
    deadline = started + timeout_s
    last = "no answer yet"
    with httpx.Client(base_url=server.base_url, timeout=5.0) as client:
        for path in paths:
            while True:
                code = server.process.poll()
                if code is not None:
                    raise BenchmarkError(
                        f"{server.name} exited with status {code} before {path} was 200\n"
                        f"--- tail of {server.log_path} ---\n{tail(server.log_path)}"
                    )
                try:
                    response = client.get(path)
                    if response.status_code == 200:
                        break
                    last = f"{response.status_code} {response.text[:200]}"
                except httpx.HTTPError as exc:
                    last = f"{type(exc).__name__}: {exc}"
                if time.perf_counter() > deadline:
                    raise BenchmarkError(
                        f"{server.name}: {path} not 200 after {timeout_s:.0f}s "
                        f"(last: {last})\n"
                        f"--- tail of {server.log_path} ---\n{tail(server.log_path)}"
                    )
                time.sleep(0.1)
    return time.perf_counter() - started


def seed(db_url: str, workdir: Path, env: dict[str, str]) -> list[Customer]:
    """Run ``kefu demo seed`` and return the sample customers it prints (email + a delivered order)."""
    log_path = workdir / "seed.log"
    with log_path.open("wb") as log_file:
        result = subprocess.run(
            [str(KEFU), "demo", "seed", "--database-url", db_url],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            timeout=300,
            check=False,
        )
    if result.returncode != 0:
        raise BenchmarkError(
            f"kefu demo seed exited with status {result.returncode}\n"
            f"--- tail of {log_path} ---\n{tail(log_path)}"
        )
    output = log_path.read_text(encoding="utf-8", errors="replace")
    customers = [Customer(m["email"], m["order"]) for m in CUSTOMER_LINE.finditer(output)]
    if not customers:
        raise BenchmarkError(
            "found no '<email> … delivered #order' customer line in the output of "
            f"kefu demo seed\n--- {log_path} ---\n{tail(log_path)}"
        )
    return customers


# --------------------------------------------------------------------------- load


def new_client(base_url: str, concurrency: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=concurrency + 16, max_keepalive_connections=concurrency + 16)
    return httpx.AsyncClient(base_url=base_url, limits=limits, timeout=REQUEST_TIMEOUT_S)


def describe(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.path} → {response.status_code} {response.text[:200]}"


async def create_conversation(client: httpx.AsyncClient, locale: str, run: Run) -> tuple[str, str] | None:
    try:
        response = await client.post("/v1/conversations", json={"pack": "retail", "locale": locale})
    except httpx.HTTPError as exc:
        run.fail(f"POST /v1/conversations: {type(exc).__name__}: {exc}")
        return None
    if response.status_code != 201:
        run.fail(describe(response))
        return None
    body: dict[str, Any] = response.json()
    return str(body["id"]), str(body["token"])


async def kefu_turns(
    client: httpx.AsyncClient,
    conversation: tuple[str, str],
    locale: str,
    customer: Customer,
    turns: int,
    run: Run,
) -> None:
    """Send ``turns`` messages in sequence (the script cycles), timing each one into ``run``."""
    conversation_id, token = conversation
    headers = {"Authorization": f"Bearer {token}"}
    script = [line.format(email=customer.email, order=customer.order) for line in SCRIPTS[locale]]
    for turn in range(turns):
        text = script[turn % len(script)]
        payload = {"text": text, "client_msg_id": f"bench-{uuid.uuid4().hex}"}
        started = time.perf_counter()
        try:
            response = await client.post(
                f"/v1/conversations/{conversation_id}/messages", json=payload, headers=headers
            )
        except httpx.HTTPError as exc:
            run.fail(
                f"POST /v1/conversations/{conversation_id}/messages ({text!r}): {type(exc).__name__}: {exc}"
            )
            continue
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            run.fail(f"{describe(response)} (text {text!r})")
            continue
        messages = response.json().get("messages")
        if not isinstance(messages, list) or len(messages) < 2:
            run.fail(f"{describe(response)} (text {text!r}: expected the customer message and a reply)")
            continue
        run.latencies.append(elapsed)


async def echo_turns(client: httpx.AsyncClient, client_no: int, turns: int, run: Run) -> None:
    script = SCRIPTS[locale_of(client_no)]
    for turn in range(turns):
        text = script[turn % len(script)]
        started = time.perf_counter()
        try:
            response = await client.post("/echo", json={"text": text, "client_msg_id": uuid.uuid4().hex})
        except httpx.HTTPError as exc:
            run.fail(f"POST /echo: {type(exc).__name__}: {exc}")
            continue
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or response.json().get("messages") != [{"text": text}]:
            run.fail(describe(response))
            continue
        run.latencies.append(elapsed)


def locale_of(conversation_no: int) -> str:
    return "en" if conversation_no % 2 == 0 else "zh"


async def bench_kefu(
    base_url: str, customers: Sequence[Customer], conversations: int, turns: int
) -> tuple[Run, Run]:
    """Warm up, open all conversations concurrently, then time ``turns`` sequential sends in each of them."""
    async with new_client(base_url, conversations) as client:
        warmup = Run()
        for i, locale in enumerate(("en", "zh")):  # one pass through each script warms both languages' paths
            opened = await create_conversation(client, locale, warmup)
            if opened is not None:
                await kefu_turns(
                    client, opened, locale, customers[i % len(customers)], len(SCRIPTS[locale]), warmup
                )
        if warmup.errors:
            return warmup, Run()

        run = Run()
        opened_all = await asyncio.gather(
            *(create_conversation(client, locale_of(i), run) for i in range(conversations))
        )
        if run.errors:
            return warmup, run
        started, cpu_started = time.perf_counter(), time.process_time()
        await asyncio.gather(
            *(
                kefu_turns(client, conv, locale_of(i), customers[i % len(customers)], turns, run)
                for i, conv in enumerate(opened_all)
                if conv is not None
            )
        )
        run.wall_s = time.perf_counter() - started
        run.client_cpu_s = time.process_time() - cpu_started
        return warmup, run


async def bench_echo(base_url: str, clients: int, turns: int) -> Run:
    async with new_client(base_url, clients) as client:
        warmup = Run()
        for i in range(WARMUP_ECHO_REQUESTS):
            await echo_turns(client, i, 1, warmup)
        # one concurrent request per client opens the pool's connections (like kefu's conversation creation)
        await asyncio.gather(*(echo_turns(client, i, 1, warmup) for i in range(clients)))
        if warmup.errors:
            return warmup
        run = Run()
        started, cpu_started = time.perf_counter(), time.process_time()
        await asyncio.gather(*(echo_turns(client, i, turns, run) for i in range(clients)))
        run.wall_s = time.perf_counter() - started
        run.client_cpu_s = time.process_time() - cpu_started
        return run


# --------------------------------------------------------------------------- report


def summarize(run: Run) -> Summary:
    if len(run.latencies) < 2:
        raise BenchmarkError(f"only {len(run.latencies)} measured turn(s): need at least 2 for percentiles")
    cuts = statistics.quantiles(run.latencies, n=100, method="inclusive")
    return Summary(
        turns=len(run.latencies),
        wall_s=run.wall_s,
        turns_per_s=len(run.latencies) / run.wall_s,
        p50_ms=cuts[49] * 1000,
        p99_ms=cuts[98] * 1000,
        client_cpu_pct=100 * run.client_cpu_s / run.wall_s,
    )


def check(name: str, run: Run) -> None:
    if run.errors:
        shown = "\n  ".join(run.errors[:MAX_ERRORS_SHOWN])
        hidden = len(run.errors) - MAX_ERRORS_SHOWN
        more = f"\n  … and {hidden} more" if hidden > 0 else ""
        raise BenchmarkError(f"{name}: {len(run.errors)} failed request(s):\n  {shown}{more}")


def table(kefu: Summary, echo: Summary, conversations: int, turns: int) -> str:
    rows = [
        f"turn latency: {conversations} concurrent conversations × {turns} turns "
        f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs)",
        f"{'':6} {'turns':>7} {'wall s':>8} {'turns/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'client CPU':>11}",
    ]
    for name, s in (("kefu", kefu), ("echo", echo)):
        rows.append(
            f"{name:6} {s.turns:>7} {s.wall_s:>8.2f} {s.turns_per_s:>9.1f} "
            f"{s.p50_ms:>9.2f} {s.p99_ms:>9.2f} {s.client_cpu_pct:>10.0f}%"
        )
    rows.append(
        f"p50 kefu/echo: {kefu.p50_ms / echo.p50_ms:.1f}×   "
        f"throughput echo/kefu: {echo.turns_per_s / kefu.turns_per_s:.1f}×"
    )
    return "\n".join(rows)


def note(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--conversations", type=int, default=50, help="concurrent conversations (default 50)")
    parser.add_argument("--turns", type=int, default=6, help="messages per conversation (default 6)")
    parser.add_argument("--json", action="store_true", help="also print one JSON object on the last line")
    args = parser.parse_args(argv)
    if args.conversations < 1 or args.turns < 1 or args.conversations * args.turns < 2:
        parser.error("--conversations and --turns must be ≥ 1 and give at least 2 turns in all")
    if not KEFU.exists():
        print(
            f"bench: error: no kefu console script at {KEFU} (pip install -e . into this venv)",
            file=sys.stderr,
        )
        return 1

    workdir = Path(tempfile.mkdtemp(prefix="kefu-bench-"))
    env = clean_env()
    db_url = f"sqlite:///{workdir / 'kefu.db'}"
    servers: list[Server] = []
    keep_logs = False
    try:
        note(f"seeding {db_url}")
        customers = seed(db_url, workdir, env)
        kefu_port, echo_port = free_port(), free_port()
        while echo_port == kefu_port:
            echo_port = free_port()
        kefu = start(
            "kefu",
            [str(KEFU), "serve", "--host", "127.0.0.1", "--port", str(kefu_port), "--database-url", db_url],
            kefu_port,
            workdir,
            env,
        )
        servers.append(kefu)
        echo = start(
            "echo",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(HERE),
                "--host",
                "127.0.0.1",
                "--port",
                str(echo_port),
                "echo_app:app",
            ],
            echo_port,
            workdir,
            env,
        )
        servers.append(echo)
        note(f"kefu ready in {wait_until_ready(kefu, ['/healthz', '/readyz']):.1f}s at {kefu.base_url}")
        note(f"echo ready in {wait_until_ready(echo, ['/healthz']):.1f}s at {echo.base_url}")

        note(f"kefu: {args.conversations} conversations × {args.turns} turns")
        warmup, kefu_run = asyncio.run(bench_kefu(kefu.base_url, customers, args.conversations, args.turns))
        check("kefu warm-up", warmup)
        check("kefu", kefu_run)
        note(f"echo: {args.conversations} clients × {args.turns} requests")
        echo_run = asyncio.run(bench_echo(echo.base_url, args.conversations, args.turns))
        check("echo", echo_run)
        for server in servers:
            if server.process.poll() is not None:
                raise BenchmarkError(f"{server.name} exited during the run\n{tail(server.log_path)}")
    except BenchmarkError as exc:
        keep_logs = True
        print(f"bench: FAILED: {exc}", file=sys.stderr)
        return 1
    except BaseException:
        keep_logs = True
        raise
    finally:
        for server in servers:
            stop(server)
        if keep_logs:
            print(f"bench: logs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    kefu_summary, echo_summary = summarize(kefu_run), summarize(echo_run)
    print(table(kefu_summary, echo_summary, args.conversations, args.turns))
    if args.json:
        print(
            json.dumps(
                {
                    "kefu_turns_per_s": round(kefu_summary.turns_per_s, 2),
                    "kefu_p50_ms": round(kefu_summary.p50_ms, 3),
                    "kefu_p99_ms": round(kefu_summary.p99_ms, 3),
                    "echo_turns_per_s": round(echo_summary.turns_per_s, 2),
                    "echo_p50_ms": round(echo_summary.p50_ms, 3),
                    "echo_p99_ms": round(echo_summary.p99_ms, 3),
                    "p50_ratio": round(kefu_summary.p50_ms / echo_summary.p50_ms, 3),
                    "throughput_ratio": round(echo_summary.turns_per_s / kefu_summary.turns_per_s, 3),
                    "conversations": args.conversations,
                    "turns_per_conversation": args.turns,
                },
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
