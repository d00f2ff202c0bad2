"""WebSocket ``/v1/conversations/{id}/ws``: live push of new messages, and sending over the socket.

Open it with a single-use ``?ticket=`` from ``POST /v1/conversations/{id}/ws-ticket`` (or an
``Authorization`` header); ``?token=`` still works for old clients but puts a long-lived token in URLs,
so kefu scrubs it from its logs. At most ``KEFU_WS_MAX_PER_CONVERSATION`` sockets per conversation (per
worker), ``KEFU_WS_FRAMES_PER_SECOND`` frames a second per socket, and the conversation's message limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from kefu.api.deps import services
from kefu.api.limits import AbuseLimits, abuse_limits
from kefu.api.schemas import SendMessage
from kefu.domain.errors import Forbidden, KefuError
from kefu.domain.ids import ConversationId
from kefu.engine.ports import MessageBroker
from kefu.guard.rate_limits import RateLimited

router = APIRouter()
MAX_FRAME_BYTES = 64 * 1024


def _error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"code": code, "message": message}}


def socket_credential(websocket: WebSocket) -> tuple[Literal["ticket", "token"], str | None]:
    """A ``?ticket=``, else a bearer token from the ``Authorization`` header or (legacy) ``?token=``."""
    ticket = websocket.query_params.get("ticket")
    if ticket:
        return "ticket", ticket
    header = websocket.headers.get("authorization", "")
    token = websocket.query_params.get("token") or (
        header[7:].strip() if header.lower().startswith("bearer ") else None
    )
    return "token", token


@router.websocket("/v1/conversations/{conversation_id}/ws")
async def conversation_socket(websocket: WebSocket, conversation_id: str) -> None:
    from kefu.api.tickets import redeem_ticket  # tickets imports the agents router, which imports this

    kefu = services(websocket)
    limits = abuse_limits(websocket)
    kind, credential = socket_credential(websocket)
    try:
        if kind == "ticket":
            if await redeem_ticket(websocket, credential or "") != f"conversation:{conversation_id}":
                raise Forbidden("this socket ticket belongs to another conversation")
        else:
            kefu.tokens.check_conversation_token(credential, conversation_id)
        await kefu.conversations.get(ConversationId(conversation_id))
    except KefuError as exc:
        await websocket.close(
            code=4401 if exc.code in ("unauthorized", "forbidden") else 4404, reason=exc.message
        )
        return
    if not limits.sockets.enter(conversation_id, limits.ws_per_conversation):
        await websocket.close(code=4429, reason=f"at most {limits.ws_per_conversation} sockets")
        return
    try:
        await websocket.accept()
        cid = ConversationId(conversation_id)
        window = FrameWindow(limits.ws_frames_per_second)

        async def answer(raw: str) -> dict[str, Any] | None:
            if not window.admit():
                return _error("rate_limited", f"at most {limits.ws_frames_per_second} frames a second")
            return await _handle_frame(kefu.conversations, limits, cid, raw)

        await relay(websocket, kefu.conversations.broker, cid, answer)
    finally:
        limits.sockets.leave(conversation_id)


class FrameWindow:
    """At most ``per_second`` frames in any one-second window."""

    def __init__(self, per_second: int) -> None:
        self._per_second = per_second
        self._times: deque[float] = deque()

    def admit(self) -> bool:
        now = time.monotonic()
        while self._times and now - self._times[0] >= 1.0:
            self._times.popleft()
        if len(self._times) >= self._per_second:
            return False
        self._times.append(now)
        return True


async def relay(
    websocket: WebSocket,
    broker: MessageBroker,
    channel: ConversationId,
    answer: Callable[[str], Awaitable[dict[str, Any] | None]],
) -> None:
    """Push the channel's events to an accepted socket while answering its incoming frames, until the
    client goes away."""
    async with broker.subscribe(channel) as events:

        async def push() -> None:
            async for event in events:
                await websocket.send_json(event)

        pusher = asyncio.create_task(push())
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                text = message.get("text")
                if text is None:  # a binary frame
                    text = (message.get("bytes") or b"").decode("utf-8", "replace")
                reply = await answer(text)
                if reply is not None:
                    await websocket.send_json(reply)
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass  # the client went away, possibly in the middle of a push or a reply
        finally:
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pusher


async def _handle_frame(
    conversations: Any, limits: AbuseLimits, cid: ConversationId, raw: str
) -> dict[str, Any] | None:
    if len(raw.encode()) > MAX_FRAME_BYTES:
        return _error("invalid_input", f"frame larger than {MAX_FRAME_BYTES} bytes")
    try:
        frame = json.loads(raw)
    except json.JSONDecodeError:
        return _error("invalid_input", "frames must be JSON objects")
    if not isinstance(frame, dict) or frame.get("type") != "message":
        return _error("invalid_input", 'expected {"type": "message", "text": …, "client_msg_id": …}')
    try:
        body = SendMessage.model_validate({k: v for k, v in frame.items() if k != "type"})
        await limits.limiter.hit(limits.messages_per_conversation, cid)
        await limits.check_retry(cid, body.client_msg_id, body.text)
        await conversations.send(cid, body.text, body.client_msg_id)
        await limits.remember_retry(cid, body.client_msg_id, body.text)
    except RateLimited as exc:
        return {**_error(exc.code, exc.message), "retry_after": exc.retry_after}
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        return _error("invalid_input", f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
    except KefuError as exc:
        return _error(exc.code, exc.message)
    return None
