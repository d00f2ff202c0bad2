"""Issue #16 against a real ``kefu serve`` process (uvicorn, its own log): slow clients are cut off and the
health check keeps answering (item 3); after a console and a chat session no token or ticket is in the
server log (item 5); a client that drops mid-push or sends a binary frame logs no ASGI exception (item 9).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import websockets

from kefu_test_support import ADMIN, SECRET

KEFU = Path(sys.executable).parent / "kefu"


@dataclass(frozen=True)
class Served:
    url: str
    port: int
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("kefu-serve")
    port, log = _free_port(), tmp / "server.log"
    env = {
        **os.environ,
        "KEFU_DATABASE_URL": f"sqlite:///{tmp}/kefu.db",
        "KEFU_SECRET_KEY": SECRET,
        "KEFU_ADMIN_TOKEN": ADMIN,
        "KEFU_HEADER_TIMEOUT_S": "2",
        "KEFU_BODY_TIMEOUT_S": "2",
        "KEFU_MAX_CONNECTIONS": "60",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(KEFU), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"kefu serve did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield Served(url, port, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _trickler(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: kefu\r\nX-Slow: ")  # and never finishes the headers
    return sock


def _closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(0.5)
    try:
        return sock.recv(64) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_slow_clients_are_cut_off_and_health_checks_keep_answering(served: Served) -> None:
    tricklers = [_trickler(served.port) for _ in range(150)]  # more than KEFU_MAX_CONNECTIONS=60
    try:
        latencies = []
        for _ in range(10):
            started = time.monotonic()
            assert httpx.get(f"{served.url}/healthz", timeout=2).status_code == 200
            latencies.append(time.monotonic() - started)
        assert max(latencies) < 1.5
        time.sleep(2.5)  # past KEFU_HEADER_TIMEOUT_S=2
        assert all(_closed_by_server(sock) for sock in tricklers)
    finally:
        for sock in tricklers:
            sock.close()


def test_a_trickled_body_is_cut_off(served: Served) -> None:
    created = httpx.post(f"{served.url}/v1/conversations", json={"pack": "retail", "locale": "en"}).json()
    sock = socket.create_connection(("127.0.0.1", served.port))
    try:
        sock.sendall(
            f"POST /v1/conversations/{created['id']}/messages HTTP/1.1\r\nHost: kefu\r\n"
            f"Authorization: Bearer {created['token']}\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n{".encode()
        )
        time.sleep(4.5)  # header deadline, then KEFU_BODY_TIMEOUT_S=2
        sock.settimeout(1)
        try:
            answer = sock.recv(4096)
        except ConnectionResetError:
            answer = b""
        assert not answer.startswith(b"HTTP/1.1 200")
        assert _closed_by_server(sock) or answer == b""
    finally:
        sock.close()


async def _console_and_chat_session(served: Served) -> list[str]:
    """What the console and the chat page do; returns every credential that was used."""
    ws_url = served.url.replace("http://", "ws://")
    admin = {"Authorization": f"Bearer {ADMIN}"}
    async with httpx.AsyncClient(base_url=served.url) as client:
        assert (await client.get("/v1/agent/me", headers=admin)).status_code == 200
        ticket = (await client.post("/v1/agent/ws-ticket", headers=admin)).json()["ticket"]
        async with websockets.connect(f"{ws_url}/v1/agent/ws?ticket={ticket}") as feed:
            await feed.send("ping")
        with pytest.raises(websockets.InvalidStatus):  # single use
            async with websockets.connect(f"{ws_url}/v1/agent/ws?ticket={ticket}") as again:
                await again.recv()

        created = (await client.post("/v1/conversations", json={"pack": "retail", "locale": "en"})).json()
        auth = {"Authorization": f"Bearer {created['token']}"}
        chat_ticket = (await client.post(f"/v1/conversations/{created['id']}/ws-ticket", headers=auth)).json()
        async with websockets.connect(
            f"{ws_url}/v1/conversations/{created['id']}/ws?ticket={chat_ticket['ticket']}"
        ) as chat:
            await chat.send(json.dumps({"type": "message", "text": "hello", "client_msg_id": "m1"}))
            pushed = json.loads(await asyncio.wait_for(chat.recv(), 30))
            assert pushed["type"] in ("message", "status")
        # an old client still putting its token in the URL: accepted, but never logged
        async with websockets.connect(
            f"{ws_url}/v1/conversations/{created['id']}/ws?token={created['token']}"
        ) as legacy:
            await legacy.send("ping")
        await client.get("/v1/agent/queue", params={"token": ADMIN})  # a token in any URL
        return [ADMIN, created["token"], ticket, chat_ticket["ticket"]]


def test_no_token_or_ticket_reaches_the_server_log(served: Served) -> None:
    credentials = asyncio.run(_console_and_chat_session(served))
    time.sleep(0.5)
    log = served.log_text()
    assert "/v1/agent/ws?ticket=[redacted]" in log  # the lines are there, scrubbed
    for credential in credentials:
        assert credential not in log
        assert credential.split(".")[-1] not in log  # not even a JWT's signature


async def _drop_mid_push(served: Served) -> None:
    ws_url = served.url.replace("http://", "ws://")
    async with httpx.AsyncClient(base_url=served.url) as client:
        for i in range(6):  # a conversation each: aborted sockets count against the per-conversation cap
            created = (await client.post("/v1/conversations", json={"pack": "retail", "locale": "en"})).json()
            url = f"{ws_url}/v1/conversations/{created['id']}/ws?token={created['token']}"
            socket_ = await websockets.connect(url)
            await socket_.send(json.dumps({"type": "message", "text": f"where is my order {i}"}))
            socket_.transport.abort()  # gone without a close handshake while the reply is pushed
            if i < 2:
                socket_ = await websockets.connect(url)
                await socket_.send(b"\x00binary" if i == 0 else "not json")
                await asyncio.sleep(0.3)
                socket_.transport.abort()
    await asyncio.sleep(2)


def test_clients_that_drop_or_send_binary_frames_log_no_asgi_exception(served: Served) -> None:
    asyncio.run(_drop_mid_push(served))
    log = served.log_text()
    assert "Exception in ASGI application" not in log
    assert "Traceback" not in log
    assert httpx.get(f"{served.url}/healthz").status_code == 200
