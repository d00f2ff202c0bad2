"""Request and response bodies of the public HTTP interface (DESIGN.md §3)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CreateConversation(Strict):
    pack: str = Field(min_length=1, max_length=64, description="Industry pack, e.g. 'retail'")
    locale: Literal["zh", "en"] | None = Field(
        default=None, description="Preferred language; detected if unset"
    )
    customer_token: str | None = Field(
        default=None, max_length=4096, description="HS256 JWT signed by the business, 'sub' = its customer id"
    )


class SendMessage(Strict):
    text: str = Field(min_length=1, max_length=100_000, description="What the customer typed")
    client_msg_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9._:\-]+$",
        description="Idempotency key: a retry with the same id returns the same reply and never runs twice",
    )


class Feedback(Strict):
    csat: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=2000)


class CitationOut(BaseModel):
    source: str
    title: str = ""
    anchor: str | None = None


class MessageOut(BaseModel):
    id: str
    seq: int
    role: Literal["customer", "bot", "agent", "system"]
    text: str
    lang: str
    created_at: str
    client_msg_id: str | None = None
    citations: list[CitationOut] | None = None
    suggestions: list[str] | None = None


Status = Literal["bot", "waiting_human", "human", "closed"]


class ConversationCreated(BaseModel):
    id: str
    pack: str
    status: Status
    token: str
    messages: list[MessageOut]


class TurnOut(BaseModel):
    messages: list[MessageOut]
    status: Status


class Ok(BaseModel):
    ok: bool = True


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class Ready(BaseModel):
    status: Literal["ready", "unavailable"]
    checks: dict[str, str]
