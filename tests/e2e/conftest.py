"""Fixtures for the real-browser end-to-end tests: a live kefu server and Debian's headless Chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 20_000


@dataclass(frozen=True)
class LiveServer:
    url: str
    port: int
    settings: Any


def _serve_in_thread(app: Any, sock: socket.socket) -> tuple[Any, threading.Thread]:
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="kefu-e2e", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the kefu test server exited during start-up (see the log above)")
        if time.monotonic() > deadline:
            raise RuntimeError("the kefu test server did not start within 30 s")
        time.sleep(0.05)
    return server, thread


def _bound_socket() -> socket.socket:
    # Bind first and hand the socket to uvicorn, so no other process can grab the port in between.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real kefu app (fresh SQLite database, demo shop seeded when available) on a free port."""
    from kefu.app import create_app
    from kefu.config import Settings

    tmp = tmp_path_factory.mktemp("kefu-e2e")
    settings = Settings(
        database_url=f"sqlite:///{tmp}/kefu.db",
        secret_key="test-secret-for-the-e2e-browser-tests",
        admin_token="test-admin",
    )
    app = create_app(settings)
    try:
        from kefu.demo import seed_demo
    except ImportError:
        seed_demo = None
    if seed_demo is not None:
        seed_demo(settings)

    sock = _bound_socket()
    port = sock.getsockname()[1]
    server, thread = _serve_in_thread(app, sock)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", port=port, settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def _new_context(browser: Any, **options: Any) -> Any:
    context = browser.new_context(**options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture()
def new_page(browser: Any) -> Iterator[Any]:
    """Factory: ``new_page(**context_options)`` opens a page in a fresh context (fresh sessionStorage).

    Uncaught JavaScript errors on any page fail the test.
    """
    contexts: list[Any] = []
    errors: list[str] = []

    def factory(**options: Any) -> Any:
        options.setdefault("locale", "en-US")
        context = _new_context(browser, **options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        return page

    yield factory
    for context in contexts:
        context.close()
    if errors:
        pytest.fail("uncaught JavaScript errors:\n" + "\n".join(errors))


@pytest.fixture(scope="module")
def make_agent(live_server: LiveServer) -> Iterator[Callable[..., str]]:
    """Factory: ``make_agent(name, role="agent", packs=[...], langs=[...])`` -> a fresh agent's bearer token.

    The agent is written through the app's own handoff store class into the live server's database (the
    server reads agents from there on every request), so the token works for the API and the console.
    """
    from kefu.store.sql.database import make_engine
    from kefu.store.sql.handoffs import SqlHandoffStore

    engine = make_engine(live_server.settings.database_url)
    store = SqlHandoffStore(engine)

    def factory(name: str, role: str = "agent", **skills: Any) -> str:
        _, token = store.add_agent(name, role=role, skills=skills or None)
        return token

    try:
        yield factory
    finally:
        engine.dispose()
