"""kefu's overhead around a model call, against the scripted OpenAI-compatible server (issue #11).

    .venv/bin/python benchmarks/llm_overhead.py [--calls 150] [--streams 200] [--json]

Three figures, each against a scripted model in its own process (``python -m kefu.testing.openai_server``):

1. **Added latency per call**: a use (``Rewording.reword``: redaction, fencing, the adapter, retries/
   breaker/budget, the facts check, restoring) against the same HTTP call made with a bare
   ``httpx.Client``, calls alternated and paired, against a model with a fixed 20 ms latency.
   Target: ≤ 10 ms p50 added.
2. **Time to first text**: the first sentence released by ``guarded_stream`` (checked before it is
   shown) against the first byte of the raw stream, model streaming a word every 10 ms.
3. **Concurrent streams**: ``--streams`` guarded streams at once on one event loop (one worker) against a
   model that waits 1 s before answering. Target: ≥ 200 with 0 errors.

The last line is one JSON object with every figure (``--json`` prints only that line's keys' summary too).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import anyio
import httpx
from httpx_sse import aconnect_sse

from kefu.llm.openai_compat import Endpoint, OpenAICompatModel
from kefu.llm.ports import closing
from kefu.llm.resilient import Policy, ResilientModel
from kefu.llm.rewording import Rewording
from kefu.llm.streaming import guarded_stream
from kefu.llm.types import ChatMessage, ChatRequest

TEXT = "I'm so sorry for the wait! Your refund of $129.99 for order #W2378156 is on its way."
TEMPLATE = "Refund of $129.99 for order #W2378156 issued. We will email li.wei@example.com."


@contextmanager
def scripted(*args: str) -> Iterator[str]:
    command = [sys.executable, "-m", "kefu.testing.openai_server", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http"):
            raise SystemExit("the scripted server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def added_latency(calls: int) -> dict[str, float]:
    reply = TEXT.replace("li.wei@example.com", "[EMAIL_1]")
    with scripted("--delay", "0.02", "--text", reply + " We will email [EMAIL_1].") as url:
        model = OpenAICompatModel(Endpoint(url, "scripted"))
        rewording = Rewording(ResilientModel(model, Policy(conversation_tokens=0)))
        bare = httpx.Client(base_url=url + "/")
        body = model.payload(ChatRequest((ChatMessage("user", TEMPLATE),)), stream=False)
        for _ in range(10):  # warm both connections
            bare.post("chat/completions", json=body).json()
            rewording.reword(TEMPLATE, "en")
        raw_ms, kefu_ms, used = [], [], 0
        for _ in range(calls):
            started = time.perf_counter()
            bare.post("chat/completions", json=body).json()
            raw_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            used += rewording.reword(TEMPLATE, "en").generated
            kefu_ms.append((time.perf_counter() - started) * 1000)
        added = [k - r for k, r in zip(kefu_ms, raw_ms, strict=True)]
        return {
            "raw_call_p50_ms": round(statistics.median(raw_ms), 2),
            "kefu_call_p50_ms": round(statistics.median(kefu_ms), 2),
            "added_p50_ms": round(statistics.median(added), 2),
            "added_p90_ms": round(pct(added, 0.9), 2),
            "rewordings_used": used,
            "calls": calls,
        }


async def _first_raw(url: str, request: ChatRequest, model: OpenAICompatModel) -> float:
    async with httpx.AsyncClient(base_url=url + "/") as client:
        started = time.perf_counter()
        body = model.payload(request, stream=True)
        async with (
            aconnect_sse(client, "POST", "chat/completions", json=body) as events,
            closing(events.aiter_sse()) as sse,
        ):
            async for event in sse:
                if '"content": "' in event.data and '"content": ""' not in event.data:
                    return time.perf_counter() - started
    raise RuntimeError("no content")


async def _first_kefu(model: ResilientModel, request: ChatRequest) -> float:
    async with closing(guarded_stream(model, request, lambda: "fallback")) as events:
        async for event in events:
            if event.first_token_s is not None:
                return event.first_token_s
    raise RuntimeError("no text")


def first_text(rounds: int = 20) -> dict[str, float]:
    with scripted("--chunk-delay", "0.01", "--text", TEXT) as url:
        raw = OpenAICompatModel(Endpoint(url, "scripted"))
        model = ResilientModel(raw, Policy(conversation_tokens=0))
        request = ChatRequest((ChatMessage("system", "Be kind."), ChatMessage("user", "refund?")))

        async def run() -> tuple[list[float], list[float]]:
            raws, kefus = [], []
            for _ in range(rounds):
                raws.append(await _first_raw(url, request, raw))
                kefus.append(await _first_kefu(model, request))
            return raws, kefus

        raws, kefus = anyio.run(run)
    return {
        "first_token_raw_p50_ms": round(statistics.median(raws) * 1000, 1),
        "first_sentence_kefu_p50_ms": round(statistics.median(kefus) * 1000, 1),
        "words_in_first_sentence": len(TEXT.split("!")[0].split()),
    }


def concurrent_streams(streams: int) -> dict[str, float]:
    with scripted("--delay", "1.0", "--text", TEXT) as url:
        model = ResilientModel(
            OpenAICompatModel(Endpoint(url, "scripted", timeout_s=30, max_connections=streams)),
            Policy(max_concurrency=streams, queue_timeout_s=30, conversation_tokens=0),
        )
        errors = 0
        done = 0

        async def one(n: int) -> None:
            nonlocal errors, done
            request = ChatRequest((ChatMessage("user", f"refund? {n}"),), conversation=f"c{n}")
            final = ""
            async for event in guarded_stream(model, request, lambda: "fallback"):
                if event.kind == "done":
                    final = event.text if event.generated else ""
            if final == TEXT:
                done += 1
            else:
                errors += 1

        async def run() -> float:
            started = time.perf_counter()
            async with anyio.create_task_group() as group:
                for n in range(streams):
                    group.start_soon(one, n)
            return time.perf_counter() - started

        seconds = anyio.run(run)
    return {"streams": streams, "completed": done, "errors": errors, "wall_s": round(seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=150)
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = {
        "added_latency": added_latency(args.calls),
        "first_text": first_text(),
        "concurrency": concurrent_streams(args.streams),
    }
    if not args.json:
        a, f, c = figures["added_latency"], figures["first_text"], figures["concurrency"]
        print(
            f"added latency per call: p50 {a['added_p50_ms']} ms, p90 {a['added_p90_ms']} ms "
            f"(raw {a['raw_call_p50_ms']} ms, through kefu {a['kefu_call_p50_ms']} ms, {a['calls']} calls)"
        )
        print(
            f"first text: raw first token {f['first_token_raw_p50_ms']} ms, kefu's first checked sentence "
            f"{f['first_sentence_kefu_p50_ms']} ms ({f['words_in_first_sentence']} words at 10 ms each)"
        )
        print(
            f"concurrent streams with a 1 s model: {c['completed']}/{c['streams']} completed, "
            f"{c['errors']} errors, {c['wall_s']} s wall"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
