"""A streamed reply with the output rails applied as it goes.

``guarded_stream`` yields ``StreamEvent``s for a channel to forward: ``delta`` (text to append),
``withdraw`` (take back everything shown so far and show ``text`` instead) and, last, ``done`` with the
final text — the one to store, and to run through the turn's output rails once more like any reply.

Text is released a sentence at a time (or at a clause break once ``max_hold`` characters wait without a
sentence end): the whole text so far is checked (``check`` → a reason to
refuse, or ``None``; the system-prompt leak check always runs) before a sentence is shown, so most
failures never reach the screen. A failure found later (the end-of-stream check, a model that breaks
mid-answer) withdraws what was shown and replaces it with the deterministic ``fallback``. A model that
fails before its first sentence is replaced silently: the customer sees only the fallback.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from kefu.llm.ports import ChatModel, closing
from kefu.llm.prompts import leaks_system_prompt
from kefu.llm.types import ChatRequest, LLMError

Check = Callable[[str], str | None]  # the text so far → a reason it must not be sent, or None
_BOUNDARY = re.compile(r"[.!?。！？；;\n]\s*")
_SOFT = re.compile(r"[,，、:：]\s*|\s+")


@dataclass(frozen=True)
class StreamEvent:
    kind: Literal["delta", "withdraw", "done"]
    text: str
    reason: str = ""
    generated: bool = True  # False: the final text is the deterministic fallback
    first_token_s: float | None = None  # on the first delta: seconds since the stream was asked for
    meta: dict[str, Any] = field(default_factory=dict)  # on ``done``: what a use adds (citations …)

    def to_json(self) -> dict[str, Any]:
        """The frame a channel sends (WebSocket JSON, or an SSE ``data:`` line): ``type`` delta | withdraw
        | done; a ``withdraw`` replaces everything shown so far with ``text``."""
        frame: dict[str, Any] = {"type": self.kind, "text": self.text}
        if self.first_token_s is not None:
            frame["first_token_ms"] = round(self.first_token_s * 1000, 1)
        if self.kind != "delta":
            frame["generated"] = self.generated
        return frame


def _cut(text: str, shown: int, max_hold: int) -> int:
    """Where the released text may end: after the last complete sentence; or, when more than
    ``max_hold`` characters wait without one, after the last clause break or space."""
    end = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
    if end <= shown and len(text) - shown > max_hold:
        for match in _SOFT.finditer(text, shown):
            end = match.end()
    return end


async def guarded_stream(
    model: ChatModel,
    request: ChatRequest,
    fallback: Callable[[], str],
    check: Check | None = None,
    system: str = "",
    max_hold: int = 120,
) -> AsyncIterator[StreamEvent]:
    started = time.perf_counter()
    system = system or next((m.content for m in request.messages if m.role == "system"), "")

    def refused(text: str) -> str | None:
        if system and leaks_system_prompt(text, system):
            return "system_prompt_leak"
        return check(text) if check is not None else None

    received = ""
    shown = 0  # characters of ``received`` already released
    first: float | None = None
    reason: str | None = None
    try:
        async with closing(model.stream(request)) as deltas:
            async for delta in deltas:
                received += delta.text
                cut = _cut(received, shown, max_hold)
                if cut <= shown:
                    continue
                reason = refused(received[:cut])
                if reason is not None:
                    break
                if first is None:
                    first = time.perf_counter() - started
                    yield StreamEvent("delta", received[shown:cut], first_token_s=first)
                else:
                    yield StreamEvent("delta", received[shown:cut])
                shown = cut
        if reason is None:
            reason = refused(received) if received.strip() else "empty"
    except LLMError as exc:
        reason = f"model_failed: {exc.code}"
    if reason is None:
        if len(received) > shown:
            tail_first = time.perf_counter() - started if first is None else None
            yield StreamEvent("delta", received[shown:], first_token_s=tail_first)
        yield StreamEvent("done", received)
        return
    replacement = fallback()
    if shown:
        yield StreamEvent("withdraw", replacement, reason=reason, generated=False)
    else:
        yield StreamEvent("delta", replacement, reason=reason, generated=False)
    yield StreamEvent("done", replacement, reason=reason, generated=False)
