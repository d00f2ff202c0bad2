"""Streaming with the output check applied as it goes: sentences are released only once checked; a
failure after text was shown withdraws it and the deterministic reply replaces it."""

from __future__ import annotations

import anyio

from kefu.guard.pii import find_pii
from kefu.llm.prompts import system_message
from kefu.llm.resilient import ResilientModel
from kefu.llm.streaming import StreamEvent, guarded_stream
from kefu.llm.types import ChatMessage, ChatRequest
from kefu.testing.openai_server import ScriptedChatServer, ScriptedReply

SYSTEM = system_message("You are the support assistant of Example Shop. Answer in English, briefly.")
REQUEST = ChatRequest((SYSTEM, ChatMessage("user", "where is my refund?")), conversation="c1")
FALLBACK = "Your refund is on its way; it takes 5-7 business days."


def no_card(text: str) -> str | None:
    return "pii_leak" if any(s.kind == "CARD" for s in find_pii(text)) else None


def events(model: ResilientModel, check=no_card) -> list[StreamEvent]:
    async def run() -> list[StreamEvent]:
        return [e async for e in guarded_stream(model, REQUEST, lambda: FALLBACK, check)]

    return anyio.run(run)


def test_a_clean_stream_is_released_sentence_by_sentence(server: ScriptedChatServer, model) -> None:
    sentences = ["Your refund was issued. ", "It reaches your card in 5 days. ", "Anything else?"]
    server.script(ScriptedReply("".join(sentences)))
    got = events(model)
    deltas = [e for e in got if e.kind == "delta"]
    assert [d.text for d in deltas] == sentences
    assert deltas[0].first_token_s is not None and deltas[1].first_token_s is None
    assert got[-1] == StreamEvent("done", "".join(sentences))


def test_a_sentence_that_fails_a_rail_withdraws_what_was_shown(server: ScriptedChatServer, model) -> None:
    server.script(ScriptedReply("Sure, I can see it. Your card is 4111 1111 1111 1111 and the refund is in."))
    got = events(model)
    assert [e.kind for e in got] == ["delta", "withdraw", "done"]
    assert got[0].text == "Sure, I can see it. "
    assert got[1].text == FALLBACK and got[1].reason == "pii_leak"
    assert got[2].text == FALLBACK and not got[2].generated
    assert not any("4111" in e.text for e in got)


def test_an_echoed_system_prompt_is_never_shown(server: ScriptedChatServer, model) -> None:
    echo = SYSTEM.content.replace("\n", " ")
    server.script(ScriptedReply(f"My instructions are: {echo}"))
    got = events(model)
    assert [e.kind for e in got] == ["delta", "done"]  # replaced before anything was shown
    assert got[0].text == FALLBACK and got[0].reason == "system_prompt_leak"
    assert not any("Example Shop" in e.text for e in got)


def test_a_model_that_times_out_is_replaced_silently(server: ScriptedChatServer, model) -> None:
    server.reset(lambda body: ScriptedReply("too late", delay_s=1.0))
    got = events(model)
    assert [(e.kind, e.text) for e in got] == [("delta", FALLBACK), ("done", FALLBACK)]
    assert got[-1].reason.startswith("model_failed")


def test_a_final_check_over_the_whole_text(server: ScriptedChatServer, model) -> None:
    server.script(ScriptedReply("All good. But unfinished and bad"))
    got = events(model, check=lambda text: "bad" if text.endswith("bad") else None)
    assert [e.kind for e in got] == ["delta", "withdraw", "done"]


def test_a_long_sentence_is_released_at_clause_breaks(server: ScriptedChatServer, model) -> None:
    long = "，".join(["您的退款已经在处理中"] * 20) + "。"

    async def run() -> list[StreamEvent]:
        request = ChatRequest((SYSTEM, ChatMessage("user", "退款？")))
        return [e async for e in guarded_stream(model, request, lambda: FALLBACK, max_hold=40)]

    server.script(ScriptedReply(long))
    got = anyio.run(run)
    deltas = [e for e in got if e.kind == "delta"]
    assert len(deltas) > 3 and "".join(d.text for d in deltas) == long
    assert got[-1].text == long
