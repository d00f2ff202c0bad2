"""The abuse limits of one app, read from the settings (docs/security.md lists them)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from starlette.requests import HTTPConnection

from kefu.config import Settings
from kefu.domain.errors import Conflict
from kefu.guard.rate_limits import Counters, Limit, RateLimiter

RETRY_FINGERPRINT_TTL_S = 24 * 3600


@dataclass
class SocketCounts:
    """Open WebSockets per conversation in this process (the cap is per worker)."""

    open: dict[str, int] = field(default_factory=dict)

    def enter(self, key: str, cap: int) -> bool:
        if self.open.get(key, 0) >= cap:
            return False
        self.open[key] = self.open.get(key, 0) + 1
        return True

    def leave(self, key: str) -> None:
        left = self.open.get(key, 1) - 1
        if left > 0:
            self.open[key] = left
        else:
            self.open.pop(key, None)


@dataclass(frozen=True)
class AbuseLimits:
    limiter: RateLimiter
    conversations_per_ip: Limit
    conversations_per_customer: Limit
    messages_per_conversation: Limit
    requests_per_ip: Limit
    staff_auth_failures_per_ip: Limit
    ws_per_conversation: int
    ws_frames_per_second: int
    max_body_bytes: int
    max_upload_bytes: int
    ws_ticket_ttl_s: int
    sockets: SocketCounts = field(default_factory=SocketCounts)

    @classmethod
    def from_settings(cls, settings: Settings, counters: Counters) -> AbuseLimits:
        return cls(
            limiter=RateLimiter(counters),
            conversations_per_ip=Limit.parse("conversations_per_ip", settings.rate_conversations_per_ip),
            conversations_per_customer=Limit.parse(
                "conversations_per_customer", settings.rate_conversations_per_customer
            ),
            messages_per_conversation=Limit.parse(
                "messages_per_conversation", settings.rate_messages_per_conversation
            ),
            requests_per_ip=Limit.parse("requests_per_ip", settings.rate_requests_per_ip),
            staff_auth_failures_per_ip=Limit.parse(
                "staff_auth_failures_per_ip", settings.rate_staff_auth_failures_per_ip
            ),
            ws_per_conversation=settings.ws_max_per_conversation,
            ws_frames_per_second=settings.ws_frames_per_second,
            max_body_bytes=settings.max_body_bytes,
            max_upload_bytes=settings.max_upload_bytes,
            ws_ticket_ttl_s=settings.ws_ticket_ttl_s,
        )

    @property
    def counters(self) -> Counters:
        return self.limiter.counters

    async def check_retry(self, conversation_id: str, client_msg_id: str | None, text: str) -> None:
        """A ``client_msg_id`` seen before with a *different* text is a client bug, not a retry: 409."""
        if not client_msg_id:
            return
        seen = await self.counters.value(_retry_key(conversation_id, client_msg_id))
        if seen is not None and seen != _fingerprint(text):
            raise Conflict(f"client_msg_id {client_msg_id!r} was already used for a different text")

    async def remember_retry(self, conversation_id: str, client_msg_id: str | None, text: str) -> None:
        if client_msg_id:
            await self.counters.put_if_absent(
                _retry_key(conversation_id, client_msg_id), _fingerprint(text), RETRY_FINGERPRINT_TTL_S
            )


def _retry_key(conversation_id: str, client_msg_id: str) -> str:
    return f"kefu:cmid:{conversation_id}:{client_msg_id}"


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:32]


def abuse_limits(connection: HTTPConnection) -> AbuseLimits:
    found: AbuseLimits = connection.app.state.limits
    return found


def client_ip(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else "unknown"
