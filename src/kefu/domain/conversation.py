"""A conversation and the dialogue state it carries between turns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kefu.domain.ids import ConversationId, CustomerId
from kefu.domain.messages import ConversationStatus


@dataclass(frozen=True)
class Conversation:
    id: ConversationId
    pack: str
    locale: str | None
    status: ConversationStatus
    customer_id: CustomerId | None
    created_at: datetime
    last_seq: int = 0


@dataclass
class DialogueState:
    """Mutable per-conversation state, stored as JSON after each turn.

    ``slots`` holds what the customer told us (order id, reason, …) for the active flow;
    ``memory`` holds facts that outlive a flow (the orders mentioned so far, the verified user);
    ``pending`` holds an action waiting for the customer's explicit confirmation; ``private`` holds
    what the dialogue engine keeps about the requests themselves (the queue of requests still to do, the
    words that asked for the active one, identity facts given so far): sealed at rest like ``slots``.
    """

    lang: str = "en"
    verified_customer: str | None = None
    flow: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    asking: str | None = None
    pending: dict[str, Any] | None = None
    memory: dict[str, Any] = field(default_factory=dict)
    turns: int = 0
    private: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "verified_customer": self.verified_customer,
            "flow": self.flow,
            "slots": self.slots,
            "asking": self.asking,
            "pending": self.pending,
            "memory": self.memory,
            "turns": self.turns,
            "private": self.private,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DialogueState:
        if not data:
            return cls()
        return cls(
            lang=str(data.get("lang", "en")),
            verified_customer=data.get("verified_customer"),
            flow=data.get("flow"),
            slots=dict(data.get("slots") or {}),
            asking=data.get("asking"),
            pending=data.get("pending"),
            memory=dict(data.get("memory") or {}),
            turns=int(data.get("turns", 0)),
            private=dict(data.get("private") or {}),
        )

    def start_flow(self, flow: str) -> None:
        self.flow = flow
        self.slots = {}
        self.asking = None
        self.pending = None

    def end_flow(self) -> None:
        self.flow = None
        self.slots = {}
        self.asking = None
        self.pending = None

    def remember_orders(self, order_ids: list[str]) -> None:
        """Keep the order ids mentioned so far, newest last, for "that order" / "上一个订单"."""
        seen: list[str] = list(self.memory.get("orders", []))
        for oid in order_ids:
            if oid in seen:
                seen.remove(oid)
            seen.append(oid)
        self.memory["orders"] = seen[-20:]

    @property
    def mentioned_orders(self) -> list[str]:
        return list(self.memory.get("orders", []))
