"""Typed identifiers."""

from __future__ import annotations

import uuid
from typing import NewType

ConversationId = NewType("ConversationId", str)
MessageId = NewType("MessageId", str)
CustomerId = NewType("CustomerId", str)


def new_conversation_id() -> ConversationId:
    return ConversationId(uuid.uuid4().hex)


def new_message_id() -> MessageId:
    return MessageId(uuid.uuid4().hex)
