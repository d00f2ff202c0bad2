"""The port every use depends on. Adapters: ``openai_compat.OpenAICompatModel``; the wrapper
``resilient.ResilientModel`` adds retries, the breaker, the concurrency limit and the token budget."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol, TypeVar

from kefu.llm.types import ChatReply, ChatRequest, StreamDelta


class ChatModel(Protocol):
    """A chat model. ``complete`` is synchronous because a turn runs in a worker thread; ``stream``
    yields deltas on the event loop (for the chat page, WebSocket and SSE). Both raise only
    ``LLMError`` subclasses."""

    def complete(self, request: ChatRequest) -> ChatReply: ...

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamDelta]: ...


T = TypeVar("T")


@asynccontextmanager
async def closing(stream: AsyncIterator[T]) -> AsyncIterator[AsyncIterator[T]]:
    """Consume a stream and close it even when the consumer stops early (a rail refused it, the client
    went away), so the HTTP response under it is released at once, not when it is garbage-collected."""
    try:
        yield stream
    finally:
        aclose = getattr(stream, "aclose", None)
        if aclose is not None:
            await aclose()
