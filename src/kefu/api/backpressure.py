"""Back-pressure: past a number of HTTP requests in flight, a worker answers ``503`` with ``Retry-After`` at
once instead of queueing work until every customer waits (ASGI middleware, wired in ``app.py``).

Probes and metrics are never shed, so an overloaded pod stays alive and ready and the autoscaler sees
it. WebSocket sessions are not counted (their turns are short and already ordered by the conversation
lock). Any other ``503`` the app answers (database or Redis down, a lock that stayed busy) also gets a
``Retry-After``, so every client and proxy knows when to try again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

EXEMPT_PATHS = ("/healthz", "/readyz", "/metrics")


class Backpressure:
    def __init__(
        self,
        app: ASGIApp,
        max_inflight: int,
        retry_after_s: int = 1,
        exempt: Iterable[str] = EXEMPT_PATHS,
    ) -> None:
        self.app = app
        self.max_inflight = max_inflight  # 0 = no limit
        self.retry_after = str(max(1, retry_after_s)).encode()
        self.exempt = frozenset(exempt)
        self.inflight = 0
        self.shed = 0  # requests answered 503 because the worker was full

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.max_inflight and self.inflight >= self.max_inflight:
            self.shed += 1
            await self._overloaded(send)
            return
        self.inflight += 1
        try:
            await self.app(scope, receive, self._with_retry_after(send))
        finally:
            self.inflight -= 1

    def _with_retry_after(self, send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 503:
                headers = list(message.get("headers", ()))
                if not any(name.lower() == b"retry-after" for name, _ in headers):
                    message = {**message, "headers": [*headers, (b"retry-after", self.retry_after)]}
            await send(message)

        return sending

    async def _overloaded(self, send: Send) -> None:
        body = json.dumps(
            {
                "error": {
                    "code": "overloaded",
                    "message": f"this worker is serving {self.max_inflight} requests; retry shortly",
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", self.retry_after),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
