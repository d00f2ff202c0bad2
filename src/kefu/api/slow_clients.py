"""Slow clients (slowloris) under ``kefu serve``: uvicorn's h11 protocol with the deadlines it lacks.

- the request line and headers must arrive within ``header_timeout_s`` of the connection opening (or of
  the previous response on a kept-alive connection), else the connection is closed;
- the body must arrive within ``body_timeout_s`` after the headers;
- past ``max_connections`` open sockets, a new connection evicts the oldest one that has not finished
  sending its headers (a trickler), so clients that send a request at once keep being served; when no
  such connection exists the new one is closed.

Behind a reverse proxy these are a second line: the proxy's own timeouts come first (docs/security.md).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


class GuardedH11Protocol(H11Protocol):
    header_timeout_s = 10.0
    body_timeout_s = 60.0
    max_connections = 900

    _deadline: asyncio.TimerHandle | None = None
    _opened_at = 0.0
    _upgraded = False

    _configured = False

    @classmethod
    def configure(
        cls, header_timeout_s: float, body_timeout_s: float, max_connections: int
    ) -> type[GuardedH11Protocol]:
        """Set the limits (uvicorn takes a protocol *class*, so they live on it)."""
        cls.header_timeout_s, cls.body_timeout_s = header_timeout_s, body_timeout_s
        cls.max_connections = max_connections
        cls._configured = True
        return cls

    @classmethod
    def _from_settings(cls) -> None:
        """Worker processes of ``--workers N`` start afresh: they read the same KEFU_* settings."""
        from kefu.config import Settings

        found = Settings()
        cls.configure(found.header_timeout_s, found.body_timeout_s, found.max_connections)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if not GuardedH11Protocol._configured:
            GuardedH11Protocol._from_settings()
        super().connection_made(transport)
        self._opened_at = self.loop.time()
        self._arm(self.header_timeout_s, self._headers_due)
        if len(self.connections) > self.max_connections:
            self._evict()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm(self.header_timeout_s, self._headers_due)

    def handle_websocket_upgrade(self, event: h11.Request) -> None:
        self._upgraded = True
        self._disarm()
        super().handle_websocket_upgrade(event)

    def _arm(self, delay: float, callback: Any) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(delay, callback)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _waiting_for_headers(self) -> bool:
        return not self._upgraded and self.conn.their_state is h11.IDLE

    def _headers_due(self) -> None:
        self._deadline = None
        if self._upgraded or self.transport.is_closing():
            return
        if self._waiting_for_headers():
            self._drop("request headers not received in time")
        elif self.conn.their_state is h11.SEND_BODY:
            self._arm(self.body_timeout_s, self._body_due)

    def _body_due(self) -> None:
        self._deadline = None
        if not self._upgraded and not self.transport.is_closing() and self.conn.their_state is h11.SEND_BODY:
            self._drop("request body not received in time")

    def _drop(self, why: str) -> None:
        self.logger.debug("%s; closing the connection", why)
        self.transport.close()
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True
            self.cycle.message_event.set()

    def _evict(self) -> None:
        tricklers = [
            c
            for c in self.connections
            if isinstance(c, GuardedH11Protocol) and c is not self and c._waiting_for_headers()
        ]
        if not tricklers:
            self._drop("too many connections")
            return
        min(tricklers, key=lambda c: c._opened_at)._drop("too many connections; evicted a slow one")
