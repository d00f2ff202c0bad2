"""A real OpenAI-compatible HTTP server on 127.0.0.1 with scripted replies, for tests and benchmarks.

    with ScriptedChatServer([ScriptedReply("Hello!"), ScriptedReply(delay_s=5)]) as server:
        model = OpenAICompatModel(Endpoint(server.url, "scripted"))
        ...
        server.requests  # every request body received, in order

Replies are taken from the script in order; when it runs out, ``responder(body)`` decides (default:
``default``). A reply can stream (when the request asks), carry tool calls, wait before answering
(``delay_s``: a slow or hung model), answer an HTTP error (``status``) or send a raw body (``raw``:
garbage). Run standalone for a benchmark: ``python -m kefu.testing.openai_server --delay 1``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse


@dataclass(frozen=True)
class ScriptedReply:
    text: str = ""
    tool_calls: tuple[dict[str, Any], ...] = ()  # {"name": ..., "arguments": {...} | "raw string"}
    delay_s: float = 0.0  # before the first byte
    chunk_delay_s: float = 0.0  # between streamed chunks
    status: int = 200
    raw: str | None = None  # sent as the body instead of a completion (garbage, invalid JSON)
    usage: tuple[int, int] | None = None  # (prompt, completion); default: counted by words
    refuse_response_format: bool = False  # a server without structured output: 400 when asked


Responder = Callable[[dict[str, Any]], ScriptedReply | str]


def _words(text: str) -> list[str]:
    """Stream pieces: words with their trailing space, CJK characters one by one."""
    pieces: list[str] = []
    word = ""
    for ch in text:
        if "\u3400" <= ch <= "\u9fff":
            if word:
                pieces.append(word)
                word = ""
            pieces.append(ch)
        else:
            word += ch
            if ch == " ":
                pieces.append(word)
                word = ""
    if word:
        pieces.append(word)
    return pieces


class ScriptedChatServer:
    def __init__(
        self,
        script: Iterable[ScriptedReply | str] = (),
        responder: Responder | None = None,
        default: ScriptedReply | str = "OK",
        model: str = "scripted",
    ) -> None:
        self._script: deque[ScriptedReply | str] = deque(script)
        self.responder = responder
        self.default = default
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.app = self._build_app()

    # ---- scripting -------------------------------------------------------------------------------

    def script(self, *replies: ScriptedReply | str) -> None:
        with self._lock:
            self._script.extend(replies)

    def reset(self, responder: Responder | None = None) -> None:
        """Forget the script, the recorded requests and the responder (between tests)."""
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self.responder = responder

    def _next(self, body: dict[str, Any]) -> ScriptedReply:
        with self._lock:
            self.requests.append(body)
            if self._script:
                reply: ScriptedReply | str = self._script.popleft()
            elif self.responder is not None:
                reply = self.responder(body)
            else:
                reply = self.default
        return ScriptedReply(reply) if isinstance(reply, str) else reply

    # ---- the protocol ----------------------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI(title="kefu scripted chat model")

        @app.get("/v1/models")
        async def models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": self.model, "object": "model"}]}

        @app.post("/v1/chat/completions")
        async def completions(request: Request) -> Response:
            try:
                body = await request.json()
            except ValueError:
                return JSONResponse({"error": {"message": "body is not JSON"}}, status_code=400)
            reply = self._next(body)
            if reply.delay_s:
                await asyncio.sleep(reply.delay_s)
            if reply.refuse_response_format and "response_format" in body:
                return JSONResponse({"error": {"message": "response_format not supported"}}, status_code=400)
            if reply.status != 200:
                return JSONResponse({"error": {"message": f"scripted {reply.status}"}}, reply.status)
            if reply.raw is not None:
                media = "text/event-stream" if body.get("stream") else "application/json"
                return PlainTextResponse(reply.raw, media_type=media)
            if body.get("stream"):
                return StreamingResponse(self._events(reply, body), media_type="text/event-stream")
            return JSONResponse(self._completion(reply, body))

        return app

    def _usage(self, reply: ScriptedReply, body: dict[str, Any]) -> dict[str, int]:
        if reply.usage is not None:
            prompt, completion = reply.usage
        else:
            prompt = sum(len(str(m.get("content") or "").split()) for m in body.get("messages") or [])
            completion = len(_words(reply.text))
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    @staticmethod
    def _calls(reply: ScriptedReply) -> list[dict[str, Any]]:
        return [
            {
                "id": f"call_{n}",
                "type": "function",
                "function": {
                    "name": call["name"],
                    "arguments": call["arguments"]
                    if isinstance(call.get("arguments"), str)
                    else json.dumps(call.get("arguments") or {}),
                },
            }
            for n, call in enumerate(reply.tool_calls)
        ]

    def _completion(self, reply: ScriptedReply, body: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
        if reply.tool_calls:
            message["tool_calls"] = self._calls(reply)
        return {
            "id": f"chatcmpl-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                }
            ],
            "usage": self._usage(reply, body),
        }

    async def _events(self, reply: ScriptedReply, body: dict[str, Any]) -> AsyncIterator[str]:
        ident = f"chatcmpl-{next(self._ids)}"
        base = {"id": ident, "object": "chat.completion.chunk", "model": body.get("model", self.model)}

        def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            return f"data: {json.dumps({**base, 'choices': [choice], **extra})}\n\n"

        yield event({"role": "assistant", "content": ""})
        for piece in _words(reply.text):
            if reply.chunk_delay_s:
                await asyncio.sleep(reply.chunk_delay_s)
            yield event({"content": piece})
        for n, call in enumerate(self._calls(reply)):
            name = call["function"]["name"]
            head = {"index": n, "id": call["id"], "type": "function", "function": {"name": name}}
            yield event({"tool_calls": [head]})
            arguments = call["function"]["arguments"]
            for half in (arguments[: len(arguments) // 2], arguments[len(arguments) // 2 :]):
                yield event({"tool_calls": [{"index": n, "function": {"arguments": half}}]})
        yield event({}, "tool_calls" if reply.tool_calls else "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            yield f"data: {json.dumps({**base, 'choices': [], 'usage': self._usage(reply, body)})}\n\n"
        yield "data: [DONE]\n\n"

    # ---- running ---------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._socket is not None, "the server is not started"
        return int(self._socket.getsockname()[1])

    @property
    def url(self) -> str:
        """The base URL to give a client (``KEFU_LLM_BASE_URL``)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, port: int = 0) -> ScriptedChatServer:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        config = uvicorn.Config(
            self.app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1, backlog=2048
        )
        self._server = uvicorn.Server(config)
        sockets = [self._socket]
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": sockets}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the scripted chat server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._server.force_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> ScriptedChatServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A scripted OpenAI-compatible chat server on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each reply starts")
    parser.add_argument("--chunk-delay", type=float, default=0.0, help="seconds between streamed chunks")
    parser.add_argument("--text", default="Thanks for waiting. Your refund was issued today.")
    args = parser.parse_args(argv)
    reply = ScriptedReply(args.text, delay_s=args.delay, chunk_delay_s=args.chunk_delay)
    server = ScriptedChatServer(default=reply).start(args.port)
    print(server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
