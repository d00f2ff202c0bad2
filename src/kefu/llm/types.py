"""The contract between kefu and a chat model: what is sent, what comes back, and how it fails.

Everything here is a frozen dataclass; the adapter turns it into the OpenAI chat-completions JSON and
back. Every failure a use must survive is an ``LLMError``: the model is down or slow (``LLMUnavailable``),
the conversation spent its tokens (``LLMBudgetExceeded``), or the reply is unusable (``LLMBadReply``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from kefu.domain.errors import KefuError

Role = Literal["system", "user", "assistant", "tool"]


class LLMError(KefuError):
    """The model could not be used for this call; the caller takes its deterministic path."""

    code = "llm_error"


class LLMUnavailable(LLMError):
    """Connection refused, timeout, 5xx/429 after the retries, or the circuit breaker is open."""

    code = "llm_unavailable"


class RetryableUnavailable(LLMUnavailable):
    """A failure worth retrying after a back-off: timeout, connection refused, 429, 5xx."""


class LLMBudgetExceeded(LLMError):
    """The conversation has used its token budget (``KEFU_LLM_CONVERSATION_TOKENS``)."""

    code = "llm_budget_exceeded"


class LLMBadReply(LLMError):
    """The model answered, but not usably: garbage, invalid JSON, a schema violation, a leak."""

    code = "llm_bad_reply"


@dataclass(frozen=True)
class ToolSpec:
    """A function the model may propose to call; ``parameters`` is its JSON schema."""

    name: str
    description: str
    parameters: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})


@dataclass(frozen=True)
class ToolCall:
    """A call the model proposed. A proposal only: kefu's tool rails and the customer decide."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None


@dataclass(frozen=True)
class ChatRequest:
    """One call. ``use`` names the purpose (``commands``, ``answers``, ``summaries``, ``rewording``) so a
    deployment can route it to another model; ``conversation`` is charged for the tokens.
    ``response_schema`` asks for JSON matching it (the server's structured output where it has one)."""

    messages: tuple[ChatMessage, ...]
    use: str = "default"
    conversation: str | None = None
    tools: tuple[ToolSpec, ...] = ()
    response_schema: dict[str, Any] | None = None
    temperature: float = 0.0
    max_tokens: int = 512


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class ChatReply:
    text: str
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage = Usage()
    model: str = ""
    finish_reason: str | None = None

    def json(self) -> Any:
        """The reply parsed as JSON (a fenced ```json block is accepted); ``LLMBadReply`` otherwise."""
        text = self.text.strip()
        if text.startswith("```"):
            text = text.strip("`").removeprefix("json").strip()
        try:
            return json.loads(text)
        except ValueError as exc:
            raise LLMBadReply(f"the model's reply is not JSON: {exc}") from exc


@dataclass(frozen=True)
class StreamDelta:
    """A piece of a streamed reply: ``text`` to append; tool calls and usage arrive with the last."""

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage | None = None
    finish_reason: str | None = None


def estimate_tokens(text: str) -> int:
    """A cheap upper-ish estimate when a server reports no usage: ~4 chars/token, 1 per CJK char."""
    cjk = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    return cjk + (len(text) - cjk + 3) // 4
