"""How the retail pack reads an answer to its confirmation question, and a request taken back."""

from __future__ import annotations

import pytest

from kefu.packs.retail.generator import confirmation_answer, keeps_as_is


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("啊等等……我再想想，还是留着吧，先不取消了。", "no"),
        ("Actually wait, let me keep it, don't cancel.", "no"),
        ("对了，我另一个订单里买了两件 T 恤，是哪两件？", None),  # "by the way": no yes
        ("对，确认。", "yes"),
        ("Yes, but don't cancel the other one", "yes"),
    ],
)
def test_confirmation_answers(text: str, answer: str | None) -> None:
    assert confirmation_answer(text) == answer


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("烤架先不取消了，留着。", True),
        ("Actually, don't cancel my order, I'll keep it.", True),
        ("Swap it for the cheapest speaker under $300, but don't cancel my whole order.", False),
        ("不取消了，帮我把地址改一下", False),
        ("I want to cancel my order", False),
    ],
)
def test_a_request_taken_back(text: str, kept: bool) -> None:
    assert keeps_as_is(text) is kept
