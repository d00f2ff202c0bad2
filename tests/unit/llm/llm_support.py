"""Helpers for the LLM tests: a turn context without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.ids import ConversationId
from kefu.domain.messages import ConversationStatus
from kefu.engine.context import TurnContext


def turn(text: str, lang: str = "en", **state: Any) -> TurnContext:
    conversation = Conversation(
        ConversationId("c-llm-1"), "retail", lang, ConversationStatus.BOT, None, datetime.now(UTC)
    )
    return TurnContext(conversation, DialogueState(lang=lang, **state), text, lang, "turn-1")


def user_texts(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content") or "") for m in body.get("messages") or [])
