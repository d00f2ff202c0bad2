"""Ports the engine depends on; adapters in ``kefu.store`` implement them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.handoff import Handoff, HandoffRequest
from kefu.domain.ids import ConversationId, CustomerId
from kefu.domain.messages import ConversationStatus, Message, OutgoingMessage
from kefu.engine.context import HeldReply


@dataclass(frozen=True)
class IncomingMessage:
    text: str
    lang: str
    client_msg_id: str | None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TurnRecord:
    """Everything one turn appends, written in one transaction."""

    incoming: IncomingMessage
    replies: list[OutgoingMessage]
    state: DialogueState
    status: ConversationStatus
    tool_events: list[dict[str, Any]] = field(default_factory=list)
    handoff: HandoffRequest | None = None
    held: list[HeldReply] = field(default_factory=list)  # stored as one pending review item
    fence: int | None = None  # the turn lock's fencing token; the store refuses a write older than the last


class ConversationStore(Protocol):
    def create_conversation(
        self, pack: str, locale: str | None, customer_ref: str | None, state: DialogueState
    ) -> Conversation: ...

    def get_conversation(self, conversation_id: ConversationId) -> Conversation: ...

    def load_state(self, conversation_id: ConversationId) -> DialogueState: ...

    def append_bot_messages(
        self, conversation_id: ConversationId, replies: list[OutgoingMessage]
    ) -> list[Message]: ...

    def find_turn(self, conversation_id: ConversationId, client_msg_id: str) -> list[Message] | None:
        """The stored customer message with this ``client_msg_id`` and the replies to it, if any."""
        ...

    def commit_turn(
        self, conversation_id: ConversationId, expected_last_seq: int, record: TurnRecord
    ) -> list[Message]:
        """Append the turn atomically; raise ``Conflict`` if another writer moved ``last_seq``."""
        ...

    def list_messages(
        self, conversation_id: ConversationId, after_seq: int = 0, limit: int = 500
    ) -> list[Message]: ...

    def record_feedback(self, conversation_id: ConversationId, csat: int, comment: str | None) -> None: ...

    def transition(
        self,
        conversation_id: ConversationId,
        expected_last_seq: int,
        status: ConversationStatus,
        messages: list[OutgoingMessage],
        change: HandoffChange | None,
    ) -> list[Message]:
        """Change status, append messages (agent or system) and update the open handoff, atomically."""
        ...

    def audit(self, actor: str, action: str, conversation_id: str | None, detail: dict[str, Any]) -> None: ...

    def customer_id_for(self, conversation_id: ConversationId) -> CustomerId | None: ...

    def ping(self) -> None: ...


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    role: str
    skills: dict[str, Any]
    capacity: int
    presence: str = "offline"


@dataclass(frozen=True)
class HandoffChange:
    """What a transition does to the conversation's open handoff: ``claim`` it for ``agent_id``, or
    ``end`` it with ``outcome`` (``returned`` to the bot, ``closed``)."""

    kind: str
    agent_id: str | None = None
    outcome: str | None = None


class HandoffStore(Protocol):
    def waiting(self, pack: str | None = None) -> list[Handoff]: ...

    def active(self, agent_id: str | None = None) -> list[Handoff]: ...

    def current(self, conversation_id: str) -> Handoff | None: ...

    def position(self, conversation_id: str) -> int | None: ...

    def average_wait_s(self, last: int = 50) -> float | None: ...

    def agent_for_token(self, token: str) -> Agent | None: ...

    def agent(self, agent_id: str) -> Agent: ...

    def load(self, agent_id: str) -> int: ...

    def set_presence(self, agent_id: str, presence: str) -> None: ...

    def agents(self) -> list[Agent]: ...

    def online_agents(self) -> int: ...


REVIEW_STATUSES = ("pending", "approved", "rejected")


@dataclass(frozen=True)
class ReviewItem:
    """Replies of one turn held for review. ``text`` is what the reviewer sees (PII already masked);
    ``payload["replies"]`` keeps each held reply (text, suggestions, citations) to send as they were."""

    id: int
    conversation_id: str
    pack: str
    lang: str
    status: str
    text: str
    risk: float
    reasons: tuple[str, ...]
    reply_to: int | None
    payload: dict[str, Any]
    created_at: datetime
    final_text: str | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    customer_text: str | None = None  # the customer's message the held reply answers


@dataclass(frozen=True)
class ReviewDecision:
    """A reviewer's verdict, stored with the messages it sends in one transaction."""

    status: str  # approved | rejected
    reviewer: str  # "agent:<id>", also the audit actor
    final_text: str | None = None
    reason: str | None = None
    edited: bool = False


class ReviewStore(Protocol):
    def review_items(
        self, status: str | None = "pending", pack: str | None = None, limit: int = 200
    ) -> list[ReviewItem]: ...

    def review_item(self, item_id: int) -> ReviewItem:
        """Raise ``NotFound`` for an unknown id."""
        ...

    def decide(
        self,
        item_id: int,
        decision: ReviewDecision,
        expected_last_seq: int,
        messages: list[OutgoingMessage],
        status: ConversationStatus,
        handoff: HandoffRequest | None = None,
    ) -> list[Message]:
        """Mark the item decided, append ``messages`` (replying to the item's customer message), set the
        conversation's status, open ``handoff`` and audit it, atomically; ``Conflict`` if already decided."""
        ...


class TurnLock(Protocol):
    """Serialises the turns of one conversation (per process, or across workers)."""

    def hold(self, conversation_id: ConversationId) -> AbstractAsyncContextManager[int]:
        """Hold the conversation's lock; yields a fencing token that grows with every holder (0 from a
        lock that cannot lapse, such as the in-process one: then the store checks none)."""
        ...


class MessageBroker(Protocol):
    """Pushes a conversation's new messages to its live subscribers (WebSocket clients)."""

    async def publish(self, conversation_id: ConversationId, payload: dict[str, Any]) -> None: ...

    def subscribe(
        self, conversation_id: ConversationId
    ) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]: ...
