"""Which questions ask for a money total (the retail pack answers them from the conversation's refunds and
the customer's orders)."""

from __future__ import annotations

import pytest

from kefu.packs.retail.totals import about_total, asks_total


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("What's the total amount I'll get back for everything?", "refunds"),
        ("total refund amount?", "refunds"),
        ("一共能退多少？", "refunds"),
        ("After the return, how much did I pay in total for the remaining items in that order?", "order"),
        ("Great. What's the total price of my order now?", "order"),
        ("我最近那一单付了多少钱？", "order"),
    ],
)
def test_money_total_questions(text: str, kind: str) -> None:
    assert asks_total(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "I want to return the lamp and get a refund",  # a request, not a question
        "Where is my refund?",  # a refund's status
        "How long does a refund take?",
        "退款什么时候到账？",
    ],
)
def test_not_a_total(text: str) -> None:
    assert asks_total(text) is None


def test_a_part_without_its_question_mark() -> None:
    assert about_total("total refund amount") == "refunds"
