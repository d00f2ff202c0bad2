"""Confirmation answers: yes, no, or not an answer at all, in English and Chinese."""

from __future__ import annotations

import pytest

from kefu.nlu.yesno import yes_or_no


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "Yes please",
        "YES!",
        "Ｙｅｓ",
        "y",
        "yeah",
        "yep",
        "yup",
        "sure",
        "sure?",
        "ok",
        "Okay.",
        "okay, go ahead",
        "confirm",
        "confirmed",
        "correct",
        "right",
        "go ahead",
        "please do",
        "do it",
        "that's right",
        "absolutely",
        "of course",
        "proceed",
        "  yes  ",
    ],
)
def test_english_yes(text: str) -> None:
    assert yes_or_no(text) == "yes"


@pytest.mark.parametrize(
    "text",
    [
        "好的",
        "好",
        "好的，谢谢",
        "好的！",
        "是的",
        "是",
        "对",
        "对的",
        "确认",
        "确认。",
        "可以",
        "行",
        "没问题",
        "确定",
        "嗯",
        "嗯嗯",
        "要的",
        "同意",
    ],
)
def test_chinese_yes(text: str) -> None:
    assert yes_or_no(text) == "yes"


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "No thanks",
        "NO!",
        "n",
        "nope",
        "nah",
        "don't",
        "do not",
        "cancel that",
        "stop",
        "never mind",
        "nevermind",
        "wait",
        "not now",
        "wrong",
        "no, yes",
    ],
)
def test_english_no(text: str) -> None:
    assert yes_or_no(text) == "no"


@pytest.mark.parametrize(
    "text",
    [
        "不",
        "不要",
        "不要了",
        "不用",
        "不用了",
        "算了",
        "算了吧",
        "取消",
        "别",
        "错了",
        "不对",
        "不是",
        "等等",
        "先不",
    ],
)
def test_chinese_no(text: str) -> None:
    assert yes_or_no(text) == "no"


@pytest.mark.parametrize(
    "text",
    [
        "what?",
        "where is my order",
        "hello",
        "sorry",
        "nothing",
        "now",
        "yesterday",
        "notice",
        "I want to cancel",
        "can you check #W2611340",
        "你好",
        "我的订单在哪",
        "为什么",
        "",
        "   ",
        "!!!",
        "。",
    ],
)
def test_not_a_confirmation(text: str) -> None:
    assert yes_or_no(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("对不起", None),  # "sorry" starts with 对 (yes)
        ("不好意思，我想问一下", None),  # "excuse me" starts with 不 (no)
        ("不错", "yes"),  # "not bad" is approval
        ("可以吗？", None),  # a question back is not an answer
        ("是不是已经发货了", None),
        ("不知道", None),
        ("is it?", None),
    ],
)
def test_words_that_start_like_an_answer(text: str, expected: str | None) -> None:
    assert yes_or_no(text) == expected
