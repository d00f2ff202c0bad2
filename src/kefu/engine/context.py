"""What one turn knows while it runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.handoff import HandoffRequest
from kefu.domain.messages import ConversationStatus, OutgoingMessage


@dataclass(frozen=True)
class Understanding:
    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...] = ()
    entities: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HeldReply:
    """A reply an output rail held for human review: not sent until a reviewer approves it."""

    reply: OutgoingMessage
    risk: float
    reasons: tuple[str, ...]


@dataclass
class TurnContext:
    """Mutable scratchpad of one turn.

    ``text`` is what the customer sent (kept in memory only); ``stored_text`` is what input rails allow
    to be stored and shown (PII masked). ``idempotency_prefix`` is stable across retries of this turn.
    """

    conversation: Conversation
    state: DialogueState
    text: str
    lang: str
    idempotency_prefix: str
    stored_text: str = ""
    understanding: Understanding | None = None
    replies: list[OutgoingMessage] = field(default_factory=list)
    tool_events: list[dict[str, Any]] = field(default_factory=list)
    status: ConversationStatus = ConversationStatus.BOT
    rail_log: list[dict[str, Any]] = field(default_factory=list)
    halted: bool = False
    handoff: HandoffRequest | None = None
    unhelpful: bool = False  # the bot could not help with this message (fallback, failed lookup …)
    held: list[HeldReply] = field(default_factory=list)  # output rails said HOLD: kept for review, in order

    def __post_init__(self) -> None:
        if not self.stored_text:
            self.stored_text = self.text
        self.status = self.conversation.status

    def reply(self, text: str, suggestions: tuple[str, ...] = (), **meta: Any) -> None:
        self.replies.append(
            OutgoingMessage(text=text, lang=self.lang, suggestions=suggestions, meta=dict(meta))
        )

    def request_handoff(self, request: HandoffRequest) -> None:
        """Ask for a human. The first reason of a turn wins; a stronger priority replaces it."""
        if self.handoff is None or request.priority > self.handoff.priority:
            self.handoff = request
        if self.status is ConversationStatus.BOT:
            self.status = ConversationStatus.WAITING_HUMAN

    def idempotency_key(self, action: str) -> str:
        return f"{self.idempotency_prefix}:{action}"
