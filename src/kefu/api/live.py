"""WebSocket ``/v1/conversations/{id}/ws``: live push of new messages, and sending over the socket."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from kefu.api.deps import services
from kefu.api.schemas import SendMessage
from kefu.domain.errors import KefuError
from kefu.domain.ids import ConversationId
from kefu.engine.ports import MessageBroker

router = APIRouter()
MAX_FRAME_BYTES = 64 * 1024


def _error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"code": code, "message": message}}


@router.websocket("/v1/conversations/{conversation_id}/ws")
async def conversation_socket(websocket: WebSocket, conversation_id: str) -> None:
    kefu = services(websocket)
    header = websocket.headers.get("authorization", "")
    token = websocket.query_params.get("token") or (
        header[7:].strip() if header.lower().startswith("bearer ") else None
    )
    try:
        kefu.tokens.check_conversation_token(token, conversation_id)
        await kefu.conversations.get(ConversationId(conversation_id))
    except KefuError as exc:
        await websocket.close(
            code=4401 if exc.code in ("unauthorized", "forbidden") else 4404, reason=exc.message
        )
        return
    await websocket.accept()
    cid = ConversationId(conversation_id)

    async def answer(raw: str) -> dict[str, Any] | None:
        return await _handle_frame(kefu.conversations, cid, raw)

    await relay(websocket, kefu.conversations.broker, cid, answer)


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
                reply = await answer(await websocket.receive_text())
                if reply is not None:
                    await websocket.send_json(reply)
        except WebSocketDisconnect:
            pass
        finally:
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pusher


async def _handle_frame(conversations: Any, cid: ConversationId, raw: str) -> dict[str, Any] | None:
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
        await conversations.send(cid, body.text, body.client_msg_id)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        return _error("invalid_input", f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
    except KefuError as exc:
        return _error(exc.code, exc.message)
    return None
