"""Language identification: zh / en / other, on the short messages customers really send."""

from __future__ import annotations

import pytest

from kefu.nlu.langid import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "退货",
        "在吗",
        "好",
        "你好",
        "我要退货",
        "我的订单到哪了？",
        "怎么还没发货呀亲",
        "帮我取消一下",
        "换个蓝色的",
        "人工客服",
    ],
)
def test_chinese_including_one_and_two_characters(text: str) -> None:
    assert detect_language(text) == "zh"
    assert detect_language(text, default="en") == "zh"


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "where is my order",
        "I want to return the blue shirt",
        "Can I talk to a human please?",
        "cancel it, I ordered by mistake",
        "W1234567 status?",
        "my order W1234567 pls",
        "thanks, bye!",
    ],
)
def test_english(text: str) -> None:
    assert detect_language(text) == "en"
    assert detect_language(text, default="zh") == "en"


@pytest.mark.parametrize(
    "text",
    [
        "我要退货 order #W1234567",
        "#W1234567 怎么还没到",
        "订单 #W1234567 where is it now please",
        "hi 你好",
        "iPhone 15 退货",
        "我的邮箱是 james.li@example.com",
        "ok 好的",
        "我买的 T-shirt 能换吗",
    ],
)
def test_mixed_messages_carried_by_han_are_chinese(text: str) -> None:
    assert detect_language(text) == "zh"
    assert detect_language(text, default="en") == "zh"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One Han character among several English words does not make the message Chinese.
        ("好 ok thanks bye now", "en"),
        ("退 the blue shirt please now", "en"),
    ],
)
def test_a_single_han_character_in_english_text(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["ok", "OK", "yes", "no", "hi"])
def test_very_short_latin_words_are_english_by_default(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["ok", "OK", "yes", "no"])
def test_very_short_latin_words_keep_the_conversation_language(text: str) -> None:
    assert detect_language(text, default="zh") == "zh"


@pytest.mark.parametrize(
    "text",
    [
        "Привет",
        "Здравствуйте, где мой заказ",
        "สวัสดี",
        "ขอบคุณครับ",
        "こんにちは",
        "안녕하세요",
        "שלום",
        "مرحبا",
        "नमस्ते",
    ],
)
def test_other_scripts(text: str) -> None:
    assert detect_language(text) == "other"
    assert detect_language(text, default="zh") == "other"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "12345", "10083", "!!!", "？？", "#W1234567", "james.li@example.com", "https://x.com/a"],
)
@pytest.mark.parametrize("default", ["en", "zh"])
def test_no_language_signal_gives_the_default(text: str, default: str) -> None:
    assert detect_language(text, default=default) == default
