"""Conversation endpoints: create, send, history, feedback."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from kefu.api.deps import BearerDep, ServicesDep
from kefu.api.schemas import (
    ConversationCreated,
    CreateConversation,
    ErrorOut,
    Feedback,
    Ok,
    SendMessage,
    TurnOut,
)
from kefu.domain.ids import ConversationId
from kefu.domain.messages import Message
from kefu.engine.conversations import message_payload

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 422, 429)  # 400: unparsable body
}
ConversationPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


def _messages(messages: list[Message]) -> list[dict[str, Any]]:
    return [message_payload(m) for m in messages]


@router.post("", status_code=201, response_model=ConversationCreated, responses=ERRORS)
async def create_conversation(body: CreateConversation, kefu: ServicesDep) -> dict[str, Any]:
    conversations = kefu.conversations
    conversations.pack(body.pack)  # unknown pack → 404 before anything is stored
    customer_ref = kefu.tokens.customer_from_token(body.customer_token) if body.customer_token else None
    conversation, messages = await conversations.start(body.pack, body.locale, customer_ref)
    return {
        "id": conversation.id,
        "pack": conversation.pack,
        "status": conversation.status.value,
        "token": kefu.tokens.issue_conversation_token(conversation.id),
        "messages": _messages(messages),
    }


@router.post("/{conversation_id}/messages", response_model=TurnOut, responses=ERRORS)
async def send_message(
    conversation_id: ConversationPath, body: SendMessage, kefu: ServicesDep, token: BearerDep
) -> dict[str, Any]:
    kefu.tokens.check_conversation_token(token, conversation_id)
    result = await kefu.conversations.send(ConversationId(conversation_id), body.text, body.client_msg_id)
    return {"messages": _messages(result.messages), "status": result.status.value}


@router.get("/{conversation_id}/messages", response_model=TurnOut, responses=ERRORS)
async def list_messages(
    conversation_id: ConversationPath,
    kefu: ServicesDep,
    token: BearerDep,
    after_seq: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> dict[str, Any]:
    kefu.tokens.check_conversation_token(token, conversation_id)
    result = await kefu.conversations.history(ConversationId(conversation_id), after_seq)
    return {"messages": _messages(result.messages), "status": result.status.value}


@router.post("/{conversation_id}/feedback", response_model=Ok, responses=ERRORS)
async def give_feedback(
    conversation_id: ConversationPath, body: Feedback, kefu: ServicesDep, token: BearerDep
) -> dict[str, Any]:
    kefu.tokens.check_conversation_token(token, conversation_id)
    await kefu.conversations.feedback(ConversationId(conversation_id), body.csat, body.comment)
    return {"ok": True}
