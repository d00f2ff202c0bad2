"""Load benchmark with Locust (headless, bounded users and time, thresholds that fail the run).

Run from the repository root::

    .venv/bin/python benchmarks/load/run.py [--setup sqlite|postgres] [--users 200] [--seconds 20] [--json]

It starts a fresh server set-up on loopback ports — ``sqlite``: one ``kefu serve`` on a new SQLite file
(the default set-up); ``postgres``: two ``kefu serve`` workers on a new PostgreSQL schema and Redis — with
the demo shop seeded, and the bare FastAPI echo (``benchmarks/echo_app.py``) beside it. Three phases, each
``--seconds`` long, measured in the same run:

1. echo: ``--echo-users`` Locust users post to the echo as fast as it answers (the ceiling, requests/s);
2. throughput: ``--users`` customers each send their next message as soon as the last was answered
   (turns/s, and its ratio to the echo);
3. paced: ``--users`` customers each send one message per ``--pace`` seconds (p50/p95/p99, errors).

Each customer plays a retail dialogue: verification, order status, a return. Exit status 1 when a
threshold fails (``--max-p99-ms``, ``--max-error-rate``, ``--min-ratio``; 0 switches one off), 2 on bad
arguments.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from servers import (
    BIN,
    REDIS_URL,
    Customer,
    HarnessError,
    Worker,
    base_env,
    free_port,
    postgres_schema,
    script_for,
    seed,
    start_workers,
    stop_all,
    tail,
)

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"
MAX_SECONDS = 60  # each phase is bounded: the machine is shared


@dataclass(frozen=True)
class Phase:
    name: str
    users: int
    requests: int
    failures: int
    per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 1.0


def _locust(
    user_class: str, host: str, users: int, seconds: int, env: dict[str, str], workdir: Path, name: str
) -> Phase:
    prefix = workdir / name
    argv = [
        str(BIN / "locust"),
        "-f", str(LOCUSTFILE), "--headless", "--only-summary", "--host", host,
        "-u", str(users), "-r", str(max(users, 1)), "-t", f"{seconds}s", "--stop-timeout", "5",
        "--csv", str(prefix), "--loglevel", "WARNING", user_class,
    ]  # fmt: skip
    log_path = workdir / f"locust-{name}.log"
    with log_path.open("wb") as log:
        subprocess.run(argv, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 60, check=False)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise HarnessError(f"locust wrote no statistics for {name}\n{tail(log_path)}")
    measured = "echo" if user_class == "Echo" else "turn"
    with stats.open(encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    if measured not in rows:
        raise HarnessError(f"locust measured no {measured!r} request in {name}\n{tail(log_path)}")
    row = rows[measured]
    return Phase(
        name=name,
        users=users,
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        per_s=round(float(row["Requests/s"]), 1),
        p50_ms=float(row["50%"]),
        p95_ms=float(row["95%"]),
        p99_ms=float(row["99%"]),
    )


@contextmanager
def _echo_server(workdir: Path, env: dict[str, str]) -> Iterator[Worker]:
    port = free_port()
    worker = Worker("echo", port, env, workdir)
    worker.log = worker.log_path.open("ab")
    worker.process = subprocess.Popen(
        [str(BIN / "uvicorn"), "--app-dir", str(HERE.parent), "echo_app:app", "--port", str(port),
         "--host", "127.0.0.1", "--no-access-log"],
        cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=worker.log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield worker
    finally:
        worker.stop()


@contextmanager
def _kefu(setup: str, workdir: Path) -> Iterator[tuple[list[Worker], list[tuple[str, str]]]]:
    with ExitStack() as stack:
        if setup == "sqlite":
            env = base_env(f"sqlite:///{workdir}/kefu.db", None)
            count = 1
        else:
            env = base_env(stack.enter_context(postgres_schema()), REDIS_URL)
            count = 2
        customers = [(c.email, c.order) for c in seed(env, workdir)]
        workers = start_workers(count, env, workdir)
        stack.callback(stop_all, workers)
        yield workers, customers


@dataclass(frozen=True)
class Result:
    setup: str
    workers: int
    echo: Phase
    throughput: Phase
    paced: Phase

    @property
    def ratio_to_echo(self) -> float:
        return round(self.throughput.per_s / self.echo.per_s, 4) if self.echo.per_s else 0.0

    @property
    def error_rate(self) -> float:
        return round(max(self.throughput.error_rate, self.paced.error_rate), 4)


def run(args: argparse.Namespace) -> Result:
    workdir = Path(tempfile.mkdtemp(prefix="kefu-load-"))
    with _kefu(args.setup, workdir) as (workers, customers):
        env = dict(workers[0].env)
        env["KEFU_LOAD_CUSTOMERS"] = json.dumps(customers)
        for worker in workers:
            warm_up(worker, Customer(*customers[0]))
        with _echo_server(workdir, env) as echo:
            wait_ready_echo(echo)
            echo_phase = _locust("Echo", echo.url, args.echo_users, args.seconds, env, workdir, "echo")
        throughput = _spread("throughput", workers, args, {**env, "KEFU_LOAD_PACE_S": "0"}, workdir)
        paced = _spread("paced", workers, args, {**env, "KEFU_LOAD_PACE_S": str(args.pace)}, workdir)
    return Result(args.setup, len(workers), echo_phase, throughput, paced)


def _spread(
    name: str, workers: Sequence[Worker], args: argparse.Namespace, env: dict[str, str], workdir: Path
) -> Phase:
    """One Locust process per worker (users split evenly), run at the same time; their figures merged."""
    share = [
        args.users // len(workers) + (1 if i < args.users % len(workers) else 0) for i in range(len(workers))
    ]
    if len(workers) == 1:
        return _locust("Customer", workers[0].url, args.users, args.seconds, env, workdir, name)
    with ThreadPoolExecutor(len(workers)) as pool:
        parts = list(
            pool.map(
                lambda i: _locust(
                    "Customer", workers[i].url, share[i], args.seconds, env, workdir, f"{name}-{i}"
                ),
                range(len(workers)),
            )
        )
    requests = sum(p.requests for p in parts)
    weight = [p.requests / requests if requests else 0 for p in parts]
    return Phase(
        name=name,
        users=args.users,
        requests=requests,
        failures=sum(p.failures for p in parts),
        per_s=round(sum(p.per_s for p in parts), 1),
        p50_ms=round(sum(w * p.p50_ms for w, p in zip(weight, parts, strict=True)), 1),
        p95_ms=max(p.p95_ms for p in parts),
        p99_ms=max(p.p99_ms for p in parts),
    )


def warm_up(worker: Worker, customer: Customer) -> None:
    """One conversation per language through the whole script: models, caches and connections warm."""
    with httpx.Client(base_url=worker.url, timeout=60) as client:
        for locale in ("en", "zh"):
            created = client.post("/v1/conversations", json={"pack": "retail", "locale": locale})
            if created.status_code != 201:
                raise HarnessError(f"warm-up: {created.status_code} {created.text[:200]}")
            url = f"/v1/conversations/{created.json()['id']}/messages"
            headers = {"Authorization": f"Bearer {created.json()['token']}"}
            for line in script_for(locale, customer):
                client.post(url, json={"text": line}, headers=headers)


def wait_ready_echo(echo: Worker) -> None:
    for _ in range(300):
        try:
            if httpx.get(echo.url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise HarnessError(f"echo app did not start\n{tail(echo.log_path)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--setup", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=200, help="concurrent conversations (default 200)")
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between a customer's messages")
    parser.add_argument("--echo-users", type=int, default=64, help="Locust users on the echo (default 64)")
    parser.add_argument("--seconds", type=int, default=15, help=f"length of each phase (≤ {MAX_SECONDS})")
    parser.add_argument("--max-p99-ms", type=float, default=100.0, help="paced p99 threshold (0 = off)")
    parser.add_argument("--max-error-rate", type=float, default=0.0, help="share of failed turns allowed")
    parser.add_argument("--min-ratio", type=float, default=0.10, help="turns/s ÷ echo requests/s (0 = off)")
    parser.add_argument("--json", action="store_true", help="also print one JSON object on the last line")
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 2000 and 1 <= args.seconds <= MAX_SECONDS and args.pace > 0):
        parser.error(f"need 1 ≤ --users ≤ 2000, 1 ≤ --seconds ≤ {MAX_SECONDS} and --pace > 0")
    try:
        result = run(args)
    except HarnessError as exc:
        print(f"load: error: {exc}", file=sys.stderr)
        return 1
    print(
        f"load benchmark: {args.setup}, {result.workers} worker(s), {args.users} conversations, "
        f"{args.seconds} s per phase, paced at one message per {args.pace} s"
    )
    columns = ("phase", "users", "requests", "failed", "per s", "p50 ms", "p95 ms", "p99 ms")
    print(f"{columns[0]:11}" + "".join(f"{c:>9}" for c in columns[1:]))
    for p in (result.echo, result.throughput, result.paced):
        print(
            f"{p.name:11}{p.users:>9}{p.requests:>9}{p.failures:>9}{p.per_s:>9.1f}"
            f"{p.p50_ms:>9.0f}{p.p95_ms:>9.0f}{p.p99_ms:>9.0f}"
        )
    failed = []
    if args.min_ratio and result.ratio_to_echo < args.min_ratio:
        failed.append(f"turns/s ÷ echo {result.ratio_to_echo} < {args.min_ratio}")
    if args.max_p99_ms and result.paced.p99_ms > args.max_p99_ms:
        failed.append(f"paced p99 {result.paced.p99_ms:.0f} ms > {args.max_p99_ms:.0f} ms")
    if result.error_rate > args.max_error_rate:
        failed.append(f"error rate {result.error_rate} > {args.max_error_rate}")
    verdict = "FAIL: " + "; ".join(failed) if failed else "PASS"
    print(f"throughput ÷ echo: {result.ratio_to_echo}×   error rate {result.error_rate}   {verdict}")
    if args.json:
        figures = {
            "setup": result.setup,
            "workers": result.workers,
            "phases": [asdict(p) for p in (result.echo, result.throughput, result.paced)],
            "ratio_to_echo": result.ratio_to_echo,
            "error_rate": result.error_rate,
            "passed": not failed,
            "failed": failed,
        }
        print(json.dumps(figures))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
