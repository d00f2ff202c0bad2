"""The optional LLM capability (issue #11): a ``ChatModel`` port, an OpenAI-compatible adapter, and the
uses that sit outside the dialogue toolkit.

kefu works fully without a model (the default). With ``KEFU_LLM_BASE_URL`` set, ``app.py`` builds a
model (``factory.build_chat_models``) and hands it to packs as ``PackEnvironment.systems["llm"]``.

Modules, one purpose each:

- ``types``: the contract (messages, tool specs, replies, stream deltas) and the error tree.
- ``ports``: ``ChatModel`` — sync ``complete`` (turns run in a worker thread) and async ``stream``.
- ``openai_compat``: the adapter for vLLM, Ollama, llama.cpp's server, LM Studio and hosted APIs.
- ``resilience`` + ``resilient``: retries with back-off, circuit breaker, concurrency limit,
  per-conversation token budget, wrapped around any ``ChatModel``.
- ``redaction``: numbered PII placeholders for everything a model sees; kefu keeps the mapping.
- ``prompts``: fencing of untrusted text (customer messages, documents) and the system-prompt leak check.
- ``streaming``: an async iterator of deltas with the output check applied as it goes.
- ``command_generator``, ``summaries``, ``rewording``: the uses (and ``kefu.knowledge.generative``).

Every use falls back to the deterministic path on any ``LLMError``: the customer notices nothing.
Importing this package imports no HTTP library; only ``openai_compat`` does.
"""

from kefu.llm.types import (
    ChatMessage,
    ChatReply,
    ChatRequest,
    LLMBadReply,
    LLMBudgetExceeded,
    LLMError,
    LLMUnavailable,
    StreamDelta,
    ToolCall,
    ToolSpec,
    Usage,
)

__all__ = [
    "ChatMessage",
    "ChatReply",
    "ChatRequest",
    "LLMBadReply",
    "LLMBudgetExceeded",
    "LLMError",
    "LLMUnavailable",
    "StreamDelta",
    "ToolCall",
    "ToolSpec",
    "Usage",
]
