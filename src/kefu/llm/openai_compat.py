"""The adapter for any server speaking OpenAI's chat-completions protocol: vLLM, Ollama, llama.cpp's
server, LM Studio, hosted APIs. httpx for HTTP, httpx-sse for the event stream.

Errors map onto the ``LLMError`` tree: connection failures, timeouts, 408/429/5xx are
``LLMUnavailable(retryable=True)``; 401/403/404 are ``LLMUnavailable`` (configuration: not retried);
an unparseable body, a reply without choices or tool arguments that are not JSON are ``LLMBadReply``.
A server that refuses ``response_format`` with a 400 is asked again without it, and not asked for it
again (the caller validates the JSON anyway).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from httpx_sse import SSEError, aconnect_sse

from kefu.llm.ports import closing
from kefu.llm.types import (
    ChatMessage,
    ChatReply,
    ChatRequest,
    LLMBadReply,
    LLMError,
    LLMUnavailable,
    RetryableUnavailable,
    StreamDelta,
    ToolCall,
    Usage,
)

RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Endpoint:
    """Where the model is. ``models`` maps a use (``commands``, ``answers`` …) to another model name."""

    base_url: str
    model: str
    api_key: str | None = None
    models: Mapping[str, str] = field(default_factory=dict)
    timeout_s: float = 20.0  # per read (the first token included) and per request write
    connect_timeout_s: float = 3.0
    json_schema: bool = True  # ask for ``response_format: json_schema`` when a schema is wanted
    max_connections: int = 256

    def model_for(self, use: str) -> str:
        return self.models.get(use) or self.model


class OpenAICompatModel:
    def __init__(
        self,
        endpoint: Endpoint,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.endpoint = endpoint
        self._json_schema = endpoint.json_schema
        self._async_transport = async_transport
        self._sync = httpx.Client(transport=transport, **self._client_options())
        self._async: dict[asyncio.AbstractEventLoop, httpx.AsyncClient] = {}

    def _client_options(self) -> dict[str, Any]:
        e = self.endpoint
        headers = {"Authorization": f"Bearer {e.api_key}"} if e.api_key else {}
        limits = httpx.Limits(max_connections=e.max_connections, max_keepalive_connections=e.max_connections)
        return {
            "base_url": e.base_url.rstrip("/") + "/",
            "headers": headers,
            "timeout": httpx.Timeout(e.timeout_s, connect=e.connect_timeout_s),
            "limits": limits,
        }

    def _async_client(self) -> httpx.AsyncClient:
        """One pool per event loop (a pool's connections belong to the loop that opened them)."""
        loop = asyncio.get_running_loop()
        client = self._async.get(loop)
        if client is None:
            for old in [lp for lp in self._async if lp.is_closed()]:
                del self._async[old]
            client = httpx.AsyncClient(transport=self._async_transport, **self._client_options())
            self._async[loop] = client
        return client

    def close(self) -> None:
        self._sync.close()

    async def aclose(self) -> None:
        for client in self._async.values():
            await client.aclose()
        self._async.clear()

    # ---- payloads --------------------------------------------------------------------------------

    def payload(self, request: ChatRequest, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.endpoint.model_for(request.use),
            "messages": [_message_json(m) for m in request.messages],
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
            "stream": stream,
        }
        if stream:
            body["stream_options"] = {"include_usage": True}
        if request.tools:
            body["tools"] = [
                {
                    "type": "function",
                    "function": {"name": t.name, "description": t.description, "parameters": t.parameters},
                }
                for t in request.tools
            ]
        if request.response_schema is not None and self._json_schema:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": f"kefu_{request.use}", "schema": request.response_schema},
            }
        return body

    # ---- one reply -------------------------------------------------------------------------------

    def complete(self, request: ChatRequest) -> ChatReply:
        body = self.payload(request, stream=False)
        response = self._post(body)
        if response.status_code == 400 and "response_format" in body:
            self._json_schema = False  # this server has no structured output: validate on our side
            body.pop("response_format")
            response = self._post(body)
        _raise_for_status(response)
        try:
            data = response.json()
            choice = data["choices"][0]
            message = choice["message"]
            text = message.get("content") or ""
            if not isinstance(text, str):
                raise TypeError("content is not a string")
            calls = tuple(_tool_call(c) for c in message.get("tool_calls") or ())
            usage = _usage(data.get("usage"))
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise LLMBadReply(f"not a chat completion: {exc!r}") from exc
        return ChatReply(text, calls, usage, str(data.get("model", "")), choice.get("finish_reason"))

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        try:
            return self._sync.post("chat/completions", json=body)
        except httpx.TimeoutException as exc:
            raise RetryableUnavailable(f"the model timed out: {exc!r}") from exc
        except httpx.HTTPError as exc:
            raise RetryableUnavailable(f"the model is unreachable: {exc!r}") from exc

    # ---- a stream --------------------------------------------------------------------------------

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamDelta]:
        body = self.payload(request, stream=True)
        calls: dict[int, dict[str, str]] = {}
        usage: Usage | None = None
        finish: str | None = None
        try:
            async with aconnect_sse(self._async_client(), "POST", "chat/completions", json=body) as events:
                if events.response.status_code != 200:
                    await events.response.aread()
                    _raise_for_status(events.response)
                async with closing(events.aiter_sse()) as sse:
                    async for event in sse:
                        if event.data.strip() == "[DONE]":
                            break
                        chunk = _chunk(event.data)
                        usage = _usage(chunk.get("usage")) if chunk.get("usage") else usage
                        for choice in chunk.get("choices") or ():
                            finish = choice.get("finish_reason") or finish
                            delta = choice.get("delta") or {}
                            for part in delta.get("tool_calls") or ():
                                _merge_tool_call(calls, part)
                            text = delta.get("content")
                            if isinstance(text, str) and text:
                                yield StreamDelta(text=text)
        except LLMError:
            raise
        except httpx.TimeoutException as exc:
            raise RetryableUnavailable(f"the model's stream timed out: {exc!r}") from exc
        except httpx.HTTPError as exc:
            raise RetryableUnavailable(f"the model's stream broke: {exc!r}") from exc
        except SSEError as exc:
            raise LLMBadReply(f"not an event stream: {exc}") from exc
        tools = tuple(_tool_call({"id": c["id"], "function": c}) for _, c in sorted(calls.items()))
        yield StreamDelta(tool_calls=tools, usage=usage, finish_reason=finish)


def _message_json(message: ChatMessage) -> dict[str, Any]:
    data: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        data["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(c.arguments, ensure_ascii=False)},
            }
            for c in message.tool_calls
        ]
    if message.tool_call_id:
        data["tool_call_id"] = message.tool_call_id
    return data


def _raise_for_status(response: httpx.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    detail = response.text[:200]
    if status in RETRYABLE_STATUS:
        raise RetryableUnavailable(f"the model answered HTTP {status}: {detail}")
    if status in (401, 403, 404):
        raise LLMUnavailable(f"the model refused the request (HTTP {status}; check KEFU_LLM_*): {detail}")
    raise LLMBadReply(f"the model answered HTTP {status}: {detail}")


def _chunk(data: str) -> dict[str, Any]:
    try:
        chunk = json.loads(data)
    except ValueError as exc:
        raise LLMBadReply(f"a stream event is not JSON: {data[:80]!r}") from exc
    if not isinstance(chunk, dict):
        raise LLMBadReply(f"a stream event is not an object: {data[:80]!r}")
    return chunk


def _merge_tool_call(calls: dict[int, dict[str, str]], part: dict[str, Any]) -> None:
    """Streamed tool calls come in pieces by ``index``: the id and name first, the arguments after."""
    slot = calls.setdefault(int(part.get("index", 0)), {"id": "", "name": "", "arguments": ""})
    slot["id"] = part.get("id") or slot["id"]
    function = part.get("function") or {}
    slot["name"] += function.get("name") or ""
    slot["arguments"] += function.get("arguments") or ""


def _tool_call(data: dict[str, Any]) -> ToolCall:
    function = data.get("function") or {}
    raw = function.get("arguments") or "{}"
    try:
        arguments = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise LLMBadReply(f"tool call arguments are not JSON: {raw[:80]!r}") from exc
    if not isinstance(arguments, dict):
        raise LLMBadReply("tool call arguments are not an object")
    return ToolCall(id=str(data.get("id") or ""), name=str(function.get("name") or ""), arguments=arguments)


def _usage(data: Any) -> Usage:
    if not isinstance(data, dict):
        return Usage()
    return Usage(int(data.get("prompt_tokens") or 0), int(data.get("completion_tokens") or 0))
