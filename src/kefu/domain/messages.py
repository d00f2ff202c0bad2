"""Messages and events of a conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from kefu.domain.ids import ConversationId, MessageId


class Role(StrEnum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class ConversationStatus(StrEnum):
    BOT = "bot"
    WAITING_HUMAN = "waiting_human"
    HUMAN = "human"
    CLOSED = "closed"


class EventKind(StrEnum):
    MESSAGE_RECEIVED = "message_received"
    MESSAGE_SENT = "message_sent"
    TOOL_CALLED = "tool_called"
    HANDOFF_REQUESTED = "handoff_requested"
    FEEDBACK_GIVEN = "feedback_given"


@dataclass(frozen=True)
class Citation:
    """Where an answer came from: the document's source (path, URL or id), its title, and the section."""

    source: str
    title: str = ""
    anchor: str | None = None  # "#section" within the source


@dataclass(frozen=True)
class OutgoingMessage:
    """A reply the engine wants to send; it gets an id and a seq when it is stored."""

    text: str
    lang: str
    role: Role = Role.BOT
    suggestions: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    # What the customer sees in this turn's own response when ``text`` (what is stored, shown in the
    # history and to agents) had their own personal data masked, e.g. a new address read back for
    # confirmation. Never stored.
    live_text: str | None = None


@dataclass(frozen=True)
class Message:
    id: MessageId
    conversation_id: ConversationId
    seq: int
    role: Role
    text: str
    lang: str
    created_at: datetime
    client_msg_id: str | None = None
    suggestions: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
