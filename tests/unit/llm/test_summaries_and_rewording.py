"""Handoff briefs and rewording against the local scripted server: facts never change, invented ones are
dropped, every failure keeps the deterministic text."""

from __future__ import annotations

import json

import pytest

from kefu.guard.pii import find_pii
from kefu.llm.facts import facts_of, same_facts
from kefu.llm.rewording import Rewording
from kefu.llm.summaries import HandoffSummarizer
from kefu.testing.openai_server import ScriptedChatServer, ScriptedReply

TRANSCRIPT = [
    ("customer", "My order #W2378156 never arrived. My email is li.wei@example.com"),
    ("bot", "I'm sorry. I can see order #W2378156 was shipped on 2024-05-03."),
    ("customer", "I want a refund of $129.99, call me at 13812345678"),
]


def test_facts_are_normalised_and_counted() -> None:
    assert facts_of("Refund $1,299.00 for #W12345 to [CARD ••••1234]") == facts_of(
        "To [CARD ••••1234], for #w12345, we refund 1299.0"
    )
    assert not same_facts("Refund 35 yuan", "Refund 53 yuan")
    assert not same_facts("Order #W1 and #W2", "Order #W1")


def test_a_brief_with_checked_facts_and_suggestions(server: ScriptedChatServer, model) -> None:
    brief = {
        "summary": "Order #W2378156 did not arrive; the customer ([EMAIL_1]) wants a refund of $129.99.",
        "customer_wants": "a refund",
        "facts": ["order #W2378156", "refund $129.99", "order #W9999999", "phone [PHONE_1]"],
        "suggested_replies": ["I'll refund $129.99 for #W2378156 now.", "I'll add a $50 voucher too."],
    }
    server.script(json.dumps(brief))
    result = HandoffSummarizer(model).brief(TRANSCRIPT, "en", "customer_request", "conv-1")
    assert result.generated
    assert (
        result.summary == "Order #W2378156 did not arrive; the customer ([EMAIL]) wants a refund of $129.99."
    )
    assert result.facts == ("order #W2378156", "refund $129.99", "phone [PHONE]")  # the invented id dropped
    assert result.suggested_replies == ("I'll refund $129.99 for #W2378156 now.",)  # no invented voucher
    sent = json.dumps(server.requests, ensure_ascii=False)
    assert "li.wei@example.com" not in sent and "13812345678" not in sent
    assert all(find_pii(m["content"]) == [] for m in server.requests[0]["messages"])
    assert server.requests[0]["response_format"]["type"] == "json_schema"


@pytest.mark.parametrize(
    "reply",
    [
        ScriptedReply("The customer is upset."),  # not JSON
        ScriptedReply(
            json.dumps({"summary": "Order #W1111111 was lost.", "customer_wants": "x"})
        ),  # invented
        ScriptedReply(json.dumps(["a list"])),
        ScriptedReply(status=503),
    ],
    ids=["prose", "invented-id", "not-an-object", "503"],
)
def test_a_bad_brief_gives_the_deterministic_one(server: ScriptedChatServer, model, reply) -> None:
    server.reset(lambda body: reply)
    result = HandoffSummarizer(model).brief(TRANSCRIPT, "en", "customer_request")
    assert not result.generated
    assert result.summary.startswith("Handed off (customer_request)")
    assert "13812345678" not in result.summary  # the deterministic brief is masked too


def test_no_model_means_the_deterministic_brief() -> None:
    result = HandoffSummarizer(None).brief(TRANSCRIPT, "zh", "投诉")
    assert result.summary.startswith("转人工原因：投诉") and not result.generated


def test_rewording_that_keeps_the_facts_is_used(server: ScriptedChatServer, model) -> None:
    server.script("I'm so sorry for the wait! Your refund of $129.99 for order #W2378156 is on its way.")
    template = "Refund of $129.99 for order #W2378156 issued."
    result = Rewording(model).reword(template, "en", "conv-1")
    assert result.generated and result.text.startswith("I'm so sorry")
    assert "warm, calm and concise" in server.requests[0]["messages"][0]["content"]


@pytest.mark.parametrize(
    "candidate",
    [
        "I'm so sorry! Your refund of $130 for order #W2378156 is on its way.",  # amount changed
        "Sorry! Your refund for order #W2378156 is on its way.",  # amount dropped
        "Sorry! Refund of $129.99 for order #W2378156, plus a $10 voucher.",  # a fact added
        "抱歉！订单 #W2378156 的退款 $129.99 已发出。",  # another language
        "",
    ],
)
def test_rewording_that_changes_anything_keeps_the_template(
    server: ScriptedChatServer, model, candidate
) -> None:
    server.script(candidate)
    template = "Refund of $129.99 for order #W2378156 issued."
    result = Rewording(model).reword(template, "en")
    assert result.text == template and not result.generated


def test_rewording_sends_placeholders_and_restores_them(server: ScriptedChatServer, model) -> None:
    server.script("Of course! We'll ship it to [ADDRESS_1] — we'll write to [EMAIL_1] once it leaves.")
    template = "Shipping to 12 Elm Street, Springfield. Confirmation goes to li.wei@example.com."
    result = Rewording(model).reword(template, "en")
    sent = json.dumps(server.requests, ensure_ascii=False)
    assert "li.wei@example.com" not in sent and "12 Elm Street" not in sent
    assert result.generated
    assert (
        result.text
        == "Of course! We'll ship it to 12 Elm Street — we'll write to li.wei@example.com once it leaves."
    )


def test_rewording_survives_a_timeout(server: ScriptedChatServer, model) -> None:
    server.reset(lambda body: ScriptedReply("late", delay_s=1.0))
    assert Rewording(model).reword("Done.", "en").text == "Done."
