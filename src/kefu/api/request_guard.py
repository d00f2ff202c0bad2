"""An ASGI middleware in front of every HTTP route: rate limits, authentication and the body-size limit,
in that order and all *before* the body is read, so an unauthenticated or oversized body costs nothing.

- per IP: every ``/v1`` request, conversation creation, and failed staff authentication (after too many
  failures even the right token gets 429 until the window ends);
- per customer (the ``sub`` of a ``customer_token``): conversation creation;
- per conversation: messages;
- a body larger than its route's limit is refused with 413, by ``Content-Length`` or, when streamed,
  as soon as it passes the limit (knowledge uploads have their own, larger limit);
- a ``client_msg_id`` reused with a different text is refused with 409.

The routes check the same tokens again (cheap); the staff agent found here is handed to them in the
request state, so the token is looked up once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

import anyio.to_thread
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kefu.api.errors import error_response, response_for
from kefu.api.limits import AbuseLimits, client_ip
from kefu.domain.errors import KefuError

Auth = Literal["none", "conversation", "staff"]
STAFF_PREFIXES = ("/v1/agent", "/v1/review", "/v1/audit", "/v1/customers", "/v1/analytics", "/v1/knowledge")
AGENT_STATE_KEY = "kefu_agent"
_CONVERSATION = re.compile(r"^/v1/conversations/(?P<id>[^/]+)(?P<rest>/.*)?$")


@dataclass(frozen=True)
class RouteRule:
    auth: Auth
    conversation_id: str | None = None
    kind: str = "other"  # "create" | "message" | "upload" | "other"


def classify(method: str, path: str) -> RouteRule:
    if path.rstrip("/") == "/v1/conversations":
        return RouteRule("none", kind="create" if method == "POST" else "other")
    found = _CONVERSATION.match(path)
    if found:
        kind = "message" if method == "POST" and found["rest"] == "/messages" else "other"
        return RouteRule("conversation", found["id"], kind)
    if path.startswith(STAFF_PREFIXES):
        return RouteRule("staff", kind="upload" if path.startswith("/v1/knowledge/documents") else "other")
    return RouteRule("none")


def _bearer(connection: HTTPConnection) -> str | None:
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class _TooLarge(Exception):
    pass


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/v1"):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        limits: AbuseLimits = connection.app.state.limits
        rule = classify(scope["method"], scope["path"])
        try:
            await self._before_body(connection, limits, rule)
            body = await self._read_body(connection, limits, rule, receive)
            text, client_msg_id = await self._inspect(connection, limits, rule, body)
        except KefuError as exc:
            await response_for(exc)(scope, receive, send)
            return
        except _TooLarge as exc:
            await error_response(413, "payload_too_large", str(exc))(scope, receive, send)
            return
        if body is None:
            return  # the client went away while sending
        await self._forward(scope, receive, send, body, limits, rule, text, client_msg_id)

    async def _before_body(self, connection: HTTPConnection, limits: AbuseLimits, rule: RouteRule) -> None:
        limiter, ip = limits.limiter, client_ip(connection)
        await limiter.hit(limits.requests_per_ip, ip)
        if rule.kind == "create":
            await limiter.hit(limits.conversations_per_ip, ip)
        kefu = connection.app.state.services
        if rule.auth == "conversation" and rule.conversation_id is not None:
            kefu.tokens.check_conversation_token(_bearer(connection), rule.conversation_id)
            if rule.kind == "message":
                await limiter.hit(limits.messages_per_conversation, rule.conversation_id)
        elif rule.auth == "staff":
            await authenticate_staff(connection, limits, _bearer(connection))

    async def _read_body(
        self, connection: HTTPConnection, limits: AbuseLimits, rule: RouteRule, receive: Receive
    ) -> bytes | None:
        limit = limits.max_upload_bytes if rule.kind == "upload" else limits.max_body_bytes
        declared = connection.headers.get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            raise _TooLarge(f"the body is {int(declared)} bytes; this endpoint takes at most {limit}")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge(f"the body is over {limit} bytes, the limit of this endpoint")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _inspect(
        self, connection: HTTPConnection, limits: AbuseLimits, rule: RouteRule, body: bytes | None
    ) -> tuple[str | None, str | None]:
        if body is None or rule.kind not in ("create", "message"):
            return None, None
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None, None  # the route answers 400
        if not isinstance(payload, dict):
            return None, None
        if rule.kind == "create":
            customer_token = payload.get("customer_token")
            if isinstance(customer_token, str) and customer_token:
                try:
                    customer = connection.app.state.services.tokens.customer_from_token(customer_token)
                except KefuError:
                    return None, None  # the route answers 401
                await limits.limiter.hit(limits.conversations_per_customer, customer)
            return None, None
        text, client_msg_id = payload.get("text"), payload.get("client_msg_id")
        if not isinstance(text, str) or not isinstance(client_msg_id, str) or rule.conversation_id is None:
            return None, None
        await limits.check_retry(rule.conversation_id, client_msg_id, text)
        return text, client_msg_id

    async def _forward(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        body: bytes,
        limits: AbuseLimits,
        rule: RouteRule,
        text: str | None,
        client_msg_id: str | None,
    ) -> None:
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def watch(message: Message) -> None:
            if (
                message["type"] == "http.response.start"
                and message["status"] == 200
                and text is not None
                and rule.conversation_id is not None
            ):
                await limits.remember_retry(rule.conversation_id, client_msg_id, text)
            await send(message)

        await self.app(scope, replay, watch)


async def authenticate_staff(connection: HTTPConnection, limits: AbuseLimits, token: str | None) -> Any:
    """The agent of ``token``; failures count against the caller's IP, and past the limit every attempt
    (even with the right token) is refused with 429 until the window ends."""
    from kefu.api.agents import authenticate  # the agents router imports this module's names

    ip = client_ip(connection)
    await limits.limiter.check(limits.staff_auth_failures_per_ip, ip)
    kefu = connection.app.state.services
    try:
        agent = await anyio.to_thread.run_sync(authenticate, kefu, token)
    except KefuError:
        if token:  # a wrong token is a guess; a missing one is not
            await limits.limiter.hit(limits.staff_auth_failures_per_ip, ip)
        raise
    connection.scope.setdefault("state", {})[AGENT_STATE_KEY] = agent
    return agent
