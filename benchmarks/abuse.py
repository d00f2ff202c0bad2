"""The abuse figures of issue #16 against a fresh ``kefu serve`` on loopback (bounded; nothing leaves the
machine): (1) wrong zip codes before a claimed identity is locked out, (2) 429s under floods,
(3) health checks while 1,100 clients trickle headers, (4) server memory under big bodies.

    .venv/bin/python benchmarks/abuse.py [--json]

Runs the server with the default limits (the figures show what a deployment gets out of the box).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
KEFU = Path(sys.executable).parent / "kefu"
TAU = Path(os.environ.get("KEFU_TAU_RETAIL_DIR", ROOT.parent / "shared" / "data" / "tau_bench_retail"))
ADMIN = "bench-admin-token-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(tmp: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    port = free_port()
    env = {
        **os.environ,
        "KEFU_DATABASE_URL": f"sqlite:///{tmp}/kefu.db",
        "KEFU_SECRET_KEY": "bench-secret-key-of-at-least-32-bytes!!",
        "KEFU_ADMIN_TOKEN": ADMIN,
    }
    if (TAU / "v1_orders.json").exists():
        subprocess.run(
            [str(KEFU), "data", "import", "tau-retail", str(TAU)],
            env=env,
            check=True,
            capture_output=True,
            cwd=tmp,
        )
    log = (tmp / "server.log").open("w")
    process = subprocess.Popen(
        [str(KEFU), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url, env
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("kefu serve did not start; see " + str(tmp / "server.log"))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- 1. verification brute force -------------------------------------------------------------------
def brute_force(url: str) -> dict[str, Any]:
    """Wrong zips for 'Ivan Santos' (τ-bench user, zip 75277), two per conversation, then the right one."""
    if not (TAU / "v1_orders.json").exists():
        return {"skipped": f"τ-bench retail data not at {TAU}"}
    wrong = 0
    with httpx.Client(base_url=url, timeout=60) as client:
        for batch in range(6):
            created = client.post("/v1/conversations", json={"pack": "retail", "locale": "en"}).json()
            auth = {"Authorization": f"Bearer {created['token']}"}
            path = f"/v1/conversations/{created['id']}/messages"
            client.post(path, json={"text": "where is my order?"}, headers=auth)
            for i in range(2):
                text = f"my name is Ivan Santos and my zip is {10000 + batch * 2 + i}"
                client.post(path, json={"text": text}, headers=auth)
                wrong += 1
        created = client.post("/v1/conversations", json={"pack": "retail", "locale": "en"}).json()
        auth = {"Authorization": f"Bearer {created['token']}"}
        path = f"/v1/conversations/{created['id']}/messages"
        client.post(path, json={"text": "where is my order?"}, headers=auth)
        reply = client.post(
            path, json={"text": "my name is Ivan Santos and my zip is 75277"}, headers=auth
        ).json()
        text = " ".join(m["text"] for m in reply["messages"][1:])
    return {
        "wrong_guesses_made": wrong,
        "right_zip_then_verified": "#W8770097" in text,
        "status_after_right_zip": reply["status"],
    }


def attempt_policy() -> dict[str, Any]:
    """What the default policy allows one claimed identity: attempts and seconds until the lock-out."""
    from kefu.guard.attempts import AttemptPolicy, AttemptRecord

    policy, elapsed, tries = AttemptPolicy(), 0.0, 0
    while tries < policy.lockout_after:
        tries += 1
        wait = policy.wait_s(AttemptRecord(tries, 0.0), 0.0)
        if tries < policy.lockout_after and wait:
            elapsed += wait
    return {
        "attempts_before_lockout": policy.lockout_after,
        "seconds_to_reach_it": round(elapsed, 1),
        "lockout_s": policy.lockout_s,
    }


# -- 2. floods --------------------------------------------------------------------------------------
async def floods(url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=httpx.Limits(max_connections=50)) as client:
        started = time.monotonic()
        creations = await asyncio.gather(
            *(client.post("/v1/conversations", json={"pack": "retail", "locale": "en"}) for _ in range(300))
        )
        create_s = time.monotonic() - started
        ok = [r.json() for r in creations if r.status_code == 201]
        conversation = ok[0]
        auth = {"Authorization": f"Bearer {conversation['token']}"}
        started = time.monotonic()
        messages = []
        for i in range(200):
            messages.append(
                await client.post(
                    f"/v1/conversations/{conversation['id']}/messages", json={"text": f"hi {i}"}, headers=auth
                )
            )
        message_s = time.monotonic() - started
        started = time.monotonic()
        wrong = await asyncio.gather(
            *(client.get("/v1/agent/me", headers={"Authorization": f"Bearer wrong-{i}"}) for i in range(500))
        )
        wrong_s = time.monotonic() - started

    def count(responses: list[httpx.Response], code: int) -> int:
        return sum(r.status_code == code for r in responses)

    retry_after = [int(r.headers["retry-after"]) for r in creations if r.status_code == 429]
    return {
        "conversations": {
            "sent": 300,
            "created": len(ok),
            "429": count(creations, 429),
            "s": round(create_s, 2),
            "retry_after_s": max(retry_after) if retry_after else None,
        },
        "messages_one_conversation": {
            "sent": 200,
            "200": count(messages, 200),
            "429": count(messages, 429),
            "s": round(message_s, 2),
        },
        "wrong_agent_tokens": {
            "sent": 500,
            "401": count(wrong, 401),
            "429": count(wrong, 429),
            "s": round(wrong_s, 2),
        },
    }


# -- 3. slow clients --------------------------------------------------------------------------------
def slow_clients(url: str, port: int, connections: int = 1100, seconds: float = 12.0) -> dict[str, Any]:
    tricklers: list[socket.socket] = []
    for _ in range(connections):
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=2)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: kefu\r\nX-Slow: ")
            tricklers.append(sock)
        except OSError:
            break
    latencies, failures = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for sock in tricklers[:50]:  # keep trickling a byte now and then
            with contextlib.suppress(OSError):
                sock.send(b"a")
        started = time.monotonic()
        try:
            ok = httpx.get(f"{url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            ok = False
        latencies.append(time.monotonic() - started)
        failures += not ok
        time.sleep(0.25)
    still_open = 0
    for sock in tricklers:
        sock.settimeout(0.01)
        try:
            still_open += sock.recv(1) != b""
        except TimeoutError:
            still_open += 1
        except OSError:
            pass
        sock.close()
    return {
        "trickling_connections": len(tricklers),
        "health_checks": len(latencies),
        "health_failures": failures,
        "health_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "health_max_ms": round(max(latencies) * 1000, 1),
        "tricklers_still_open_after_s": {"s": seconds, "open": still_open},
    }


# -- 4. big bodies ----------------------------------------------------------------------------------
def _raw_post(port: int, path: str, size: int, headers: str = "") -> str:
    """Send a body of ``size`` bytes (as far as the server reads it); returns the status line."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: kefu\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\n{headers}\r\n".encode()
        )
        chunk, sent = b"a" * 65536, 0
        try:
            while sent < size:
                sock.sendall(chunk[: min(len(chunk), size - sent)])
                sent += len(chunk)
        except OSError:
            pass  # the server answered and closed: the rest was never read
        sock.settimeout(10)
        return sock.recv(200).split(b"\r\n")[0].decode(errors="replace")
    except OSError as exc:
        return f"closed ({type(exc).__name__})"
    finally:
        sock.close()


async def big_bodies(url: str, port: int, pid: int) -> dict[str, Any]:
    created = httpx.post(f"{url}/v1/conversations", json={"pack": "retail", "locale": "en"}).json()
    path = f"/v1/conversations/{created['id']}/messages"
    before = rss_mb(pid)
    started = time.monotonic()
    one = await asyncio.to_thread(_raw_post, port, path, 100 * 1024 * 1024)
    one_s = time.monotonic() - started
    answers = await asyncio.gather(
        *(asyncio.to_thread(_raw_post, port, path, 20 * 1024 * 1024) for _ in range(20))
    )
    auth = f"Authorization: Bearer {created['token']}\r\n"
    authed = await asyncio.gather(
        *(asyncio.to_thread(_raw_post, port, path, 20 * 1024 * 1024, auth) for _ in range(20))
    )
    after = rss_mb(pid)
    return {
        "unauthenticated_100mb": {"status": one, "s": round(one_s, 2)},
        "unauthenticated_20x20mb": sorted(set(answers)),
        "authenticated_20x20mb": sorted(set(authed)),
        "server_rss_mb": {
            "before": round(before, 1),
            "after": round(after, 1),
            "added": round(after - before, 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kefu-abuse-") as tmp:
        process, url, _ = start_server(Path(tmp))
        port = int(url.rsplit(":", 1)[1])
        try:
            figures: dict[str, Any] = {
                "1_verification": {"policy": attempt_policy(), "over_http": brute_force(url)}
            }
            figures["4_big_bodies"] = asyncio.run(big_bodies(url, port, process.pid))
            figures["3_slow_clients"] = slow_clients(url, port)
            figures["2_floods"] = asyncio.run(floods(url))  # last: it uses up this address's limits
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    for section, values in sorted(figures.items()):
        print(f"{section}: {json.dumps(values, ensure_ascii=False)}")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
