"""The OpenAI-compatible adapter against a real local server: replies, streams, tool calls, JSON-schema
output, and every way a model fails mapped onto the LLMError tree."""

from __future__ import annotations

import anyio
import pytest

from kefu.llm.openai_compat import Endpoint, OpenAICompatModel
from kefu.llm.types import (
    ChatMessage,
    ChatRequest,
    LLMBadReply,
    LLMUnavailable,
    RetryableUnavailable,
    StreamDelta,
    ToolSpec,
)
from kefu.testing.openai_server import ScriptedChatServer, ScriptedReply

HELLO = ChatRequest((ChatMessage("system", "Be brief."), ChatMessage("user", "hello")), use="answers")


def collect(model: OpenAICompatModel, request: ChatRequest) -> list[StreamDelta]:
    async def run() -> list[StreamDelta]:
        try:
            return [d async for d in model.stream(request)]
        finally:
            await model.aclose()

    return anyio.run(run)


def test_a_reply_with_its_usage_and_the_request_recorded(server: ScriptedChatServer, raw_model) -> None:
    server.script(ScriptedReply("Hello! How can I help?", usage=(12, 6)))
    reply = raw_model.complete(HELLO)
    assert reply.text == "Hello! How can I help?"
    assert reply.usage.total == 18 and reply.finish_reason == "stop"
    body = server.requests[0]
    assert body["model"] == "scripted" and body["stream"] is False
    assert [m["role"] for m in body["messages"]] == ["system", "user"]


def test_per_use_model_names(server: ScriptedChatServer) -> None:
    model = OpenAICompatModel(Endpoint(server.url, "big", models={"answers": "small"}))
    model.complete(HELLO)
    model.complete(ChatRequest(HELLO.messages, use="summaries"))
    assert [b["model"] for b in server.requests] == ["small", "big"]


def test_tool_calls_are_parsed_from_a_reply_and_a_stream(server: ScriptedChatServer, raw_model) -> None:
    call = {"name": "cancel_order", "arguments": {"order_id": "#W1", "reason": "no longer needed"}}
    server.script(ScriptedReply(tool_calls=(call,)), ScriptedReply("Checking.", tool_calls=(call,)))
    tools = (ToolSpec("cancel_order", "Cancel an order", {"type": "object"}),)
    reply = raw_model.complete(ChatRequest(HELLO.messages, tools=tools))
    assert reply.tool_calls[0].name == "cancel_order"
    assert reply.tool_calls[0].arguments == call["arguments"]
    assert server.requests[0]["tools"][0]["function"]["name"] == "cancel_order"
    deltas = collect(raw_model, ChatRequest(HELLO.messages, tools=tools))
    assert "".join(d.text for d in deltas) == "Checking."
    assert deltas[-1].tool_calls[0].arguments == call["arguments"]  # assembled from two pieces


def test_a_stream_arrives_in_pieces_with_usage(server: ScriptedChatServer, raw_model) -> None:
    server.script(ScriptedReply("Your refund was issued today. 退款已到账。"))
    deltas = collect(raw_model, HELLO)
    assert len([d for d in deltas if d.text]) > 5
    assert "".join(d.text for d in deltas) == "Your refund was issued today. 退款已到账。"
    assert deltas[-1].usage is not None and deltas[-1].usage.completion_tokens > 0
    assert server.requests[0]["stream"] is True


def test_json_schema_is_asked_for_and_dropped_when_the_server_refuses_it(server: ScriptedChatServer) -> None:
    model = OpenAICompatModel(Endpoint(server.url, "scripted"))
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    request = ChatRequest(HELLO.messages, response_schema=schema)
    server.script(ScriptedReply('{"a": 1}', refuse_response_format=True), ScriptedReply('{"a": 2}'))
    assert model.complete(request).json() == {"a": 2}  # the retry got the second scripted reply
    first, second = server.requests
    assert first["response_format"]["json_schema"]["schema"] == schema
    assert "response_format" not in second  # asked again without it …
    model.complete(request)
    assert "response_format" not in server.requests[-1]  # … and never again


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (ScriptedReply(status=503), RetryableUnavailable),
        (ScriptedReply(status=429), RetryableUnavailable),
        (ScriptedReply(status=401), LLMUnavailable),
        (ScriptedReply(status=422), LLMBadReply),
        (ScriptedReply(raw="<html>oops</html>"), LLMBadReply),
        (ScriptedReply(raw='{"choices": []}'), LLMBadReply),
        (ScriptedReply(tool_calls=({"name": "x", "arguments": "{not json"},)), LLMBadReply),
        (ScriptedReply("late", delay_s=2.0), RetryableUnavailable),
    ],
    ids=["503", "429", "401", "422", "garbage", "no-choices", "bad-tool-args", "timeout"],
)
def test_failures_map_onto_the_error_tree(server: ScriptedChatServer, raw_model, reply, error) -> None:
    server.script(reply)
    with pytest.raises(error):
        raw_model.complete(HELLO)


@pytest.mark.parametrize(
    "reply",
    [ScriptedReply(raw="data: {broken\n\n"), ScriptedReply(status=500), ScriptedReply("x", delay_s=2.0)],
    ids=["garbage-event", "500", "timeout"],
)
def test_stream_failures_are_llm_errors(server: ScriptedChatServer, raw_model, reply) -> None:
    server.script(reply)
    with pytest.raises((LLMBadReply, LLMUnavailable)):
        collect(raw_model, HELLO)


def test_nothing_listening_is_unavailable() -> None:
    model = OpenAICompatModel(Endpoint("http://127.0.0.1:9/v1", "x", connect_timeout_s=0.5))
    with pytest.raises(RetryableUnavailable):
        model.complete(HELLO)
