"""Real ``kefu serve`` processes for the load benchmark and the crash test: a fresh database (a SQLite file,
or a new schema in the PostgreSQL at 127.0.0.1:5432), the demo shop seeded, N workers on free loopback
ports, and a customer script that walks a retail dialogue (verification, order status, a return)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from sqlalchemy import create_engine, text

BIN = Path(sys.executable).parent
KEFU = BIN / "kefu"
SECRET_KEY = "load-test-secret-key-0123456789abcdef0123456789"
ADMIN_TOKEN = "load-test-admin-token-0123456789"
PG_ADMIN_URL = os.environ.get("KEFU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KEFU_LOAD_REDIS_URL", "redis://127.0.0.1:6379/13")
CUSTOMER_LINE = re.compile(r"<(?P<email>[^<>\s]+@[^<>\s]+)>.*\bdelivered (?P<order>#\w+)")
STARTUP_TIMEOUT_S = 90.0

# What a customer types, in order; "{email}" and "{order}" are a demo customer's and their delivered order.
SCRIPTS: dict[str, list[str]] = {
    "en": [
        "hi",
        "where is my order?",
        "my email is {email}",
        "{order}",
        "I want to return the items of order {order}",
        "all of them",
        "yes",
        "what products do you sell?",
        "thanks, bye",
    ],
    "zh": [
        "你好",
        "我的订单到哪了",
        "我的邮箱是 {email}",
        "订单号 {order}",
        "订单 {order} 我要退货",
        "全部",
        "是的",
        "你们有什么商品",
        "谢谢，再见",
    ],
}


class HarnessError(Exception):
    """A server did not start or the database could not be prepared."""


@dataclass(frozen=True)
class Customer:
    email: str
    order: str


@dataclass
class Worker:
    name: str
    port: int
    env: dict[str, str]
    workdir: Path
    process: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def start(self) -> None:
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(KEFU), "serve", "--port", str(self.port)],
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """``kill -9``: no shutdown, no lock release, in-flight turns cut off."""
        if self.process is not None and self.alive():
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.alive():
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.log is not None:
            self.log.close()
            self.log = None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(cannot read {path}: {exc})"


def base_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    """The parent's environment without KEFU_* settings, plus this run's database, Redis and secrets.
    The per-IP abuse limits are switched off: every simulated customer comes from 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env |= {
        "KEFU_DATABASE_URL": database_url,
        "KEFU_SECRET_KEY": SECRET_KEY,
        "KEFU_ADMIN_TOKEN": ADMIN_TOKEN,
        "KEFU_RATE_REQUESTS_PER_IP": "0/1",
        "KEFU_RATE_CONVERSATIONS_PER_IP": "0/1",
        "KEFU_RATE_MESSAGES_PER_CONVERSATION": "0/1",
        "PYTHONUNBUFFERED": "1",
    }
    if redis_url:
        env["KEFU_REDIS_URL"] = redis_url
    return env


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A new schema in the PostgreSQL ``test`` database, dropped afterwards; yields its URL."""
    schema = f"kefu_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        raise HarnessError(f"PostgreSQL at {PG_ADMIN_URL} unavailable: {exc}") from exc
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def seed(env: dict[str, str], workdir: Path) -> list[Customer]:
    """``kefu demo seed`` into the run's database; the sample customers it prints."""
    log_path = workdir / "seed.log"
    with log_path.open("wb") as log:
        done = subprocess.run(
            [str(KEFU), "demo", "seed"],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=300,
        )
    if done.returncode != 0:
        raise HarnessError(f"kefu demo seed exited {done.returncode}\n{tail(log_path)}")
    customers = [Customer(m["email"], m["order"]) for m in CUSTOMER_LINE.finditer(log_path.read_text())]
    if not customers:
        raise HarnessError(f"kefu demo seed printed no customer with a delivered order\n{tail(log_path)}")
    return customers


def wait_ready(worker: Worker, timeout_s: float = STARTUP_TIMEOUT_S) -> float:
    """Seconds until the worker's ``/readyz`` answers 200."""
    started = time.perf_counter()
    with httpx.Client(timeout=3.0) as client:
        while True:
            if not worker.alive():
                raise HarnessError(f"{worker.name} exited before it was ready\n{tail(worker.log_path)}")
            try:
                if client.get(worker.url + "/readyz").status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > timeout_s:
                raise HarnessError(
                    f"{worker.name} not ready after {timeout_s:.0f} s\n{tail(worker.log_path)}"
                )
            time.sleep(0.1)


def start_workers(count: int, env: dict[str, str], workdir: Path) -> list[Worker]:
    workers = [Worker(f"worker{i}", free_port(), env, workdir) for i in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        wait_ready(worker)
    return workers


def stop_all(workers: Sequence[Worker]) -> None:
    for worker in workers:
        worker.stop()


def script_for(locale: str, customer: Customer) -> list[str]:
    return [line.format(email=customer.email, order=customer.order) for line in SCRIPTS[locale]]
