"""Handing a conversation to a human agent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any


class HandoffReason(StrEnum):
    CUSTOMER_REQUEST = "customer_request"
    REPEATED_FAILURE = "repeated_failure"
    NEGATIVE_SENTIMENT = "negative_sentiment"
    EMERGENCY = "emergency"
    POLICY = "policy"
    VERIFICATION_FAILED = "verification_failed"


class Priority(IntEnum):
    NORMAL = 0
    ANGER = 1
    VIP = 2
    EMERGENCY = 3


@dataclass(frozen=True)
class HandoffRequest:
    reason: HandoffReason
    priority: Priority = Priority.NORMAL
    detail: str = ""
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    pack: str
    lang: str
    reason: str
    priority: int
    requested_at: datetime
    summary: dict[str, Any]
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    ended_at: datetime | None = None
    outcome: str | None = None
