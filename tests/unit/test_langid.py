"""Language identification: zh / en / other, on the short messages customers really send."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from kefu.nlu import langid
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


# --- scripts and Latin-script languages other than English -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "注文はどこですか",  # kanji with kana is Japanese, not Chinese
        "返品したいです",
        "ありがとうございます",
        "주문이 어디에 있나요?",
        "감사합니다",
        "Γεια σας, πού είναι η παραγγελία μου",
        "Спасибо большое",
        "Привет ok",
        "شكرا جزيلا",
        "ขอบคุณมาก",
    ],
)
def test_japanese_korean_and_other_scripts_are_other(text: str) -> None:
    assert detect_language(text) == "other"
    assert detect_language(text, default="zh") == "other"


def test_a_stray_kana_in_chinese_stays_chinese() -> None:
    assert detect_language("我の订单到了吗") == "zh"


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, où est ma commande ?",
        "Je veux annuler ma commande",
        "¿Dónde está mi pedido?",
        "Hola, tengo un problema con mi pedido",
        "Donde esta mi pedido",
        "Wo ist meine Bestellung?",
        "Ich habe ein Problem mit meiner Bestellung",
        "Danke schön",
        "¡Gracias!",
        "Onde está a minha encomenda?",
        "Dov'è il mio ordine?",
        "Waar is mijn bestelling?",
        "Di mana pesanan saya?",
        "Đơn hàng của tôi đâu rồi?",
        "Siparişim nerede?",
        "Gdzie jest moje zamówienie?",
    ],
)
def test_latin_script_languages_other_than_english_are_other(text: str) -> None:
    assert detect_language(text) == "other"
    assert detect_language(text, default="zh") == "other"


@pytest.mark.parametrize(
    "text",
    [
        "ok thanks",
        "where is my order",
        "hello",
        "refund pls",
        "Bonjour",  # one or two plain Latin words: English unless a letter says otherwise
        "Merci beaucoup",
        "refund status pls",
        "tracking number not working",
        "pls hlp asap my pkg not arrived",
        "Worst bank ever",
        "Please revert ASAP",
        "Voucher code invalid",
        "Awesome, cheers mate",
        "Kindly assist regarding transaction dispute",
        "the app keeps crashing on login",
        "I would like a refund for the café table",
        "ｗｈｅｒｅ ｉｓ ｍｙ ｏｒｄｅｒ",  # full-width letters from a Chinese keyboard
    ],
)
def test_short_and_terse_english_stays_english(text: str) -> None:
    assert detect_language(text) == "en"
    assert detect_language(text, default="zh") == "en"


@pytest.mark.parametrize("text", ["I want to 退货", "can you 帮我 check", "退货 please"])
def test_english_words_around_chinese_are_chinese(text: str) -> None:
    assert detect_language(text) == "zh"


@pytest.mark.parametrize(
    "text",
    [
        "退货",
        "在吗",
        "我要退货 order #W1234567",
        "こんにちは",
        "안녕하세요",
        "Привет",
        "where is my order",
        "ok thanks",
        "hi",
    ],
)
def test_script_and_common_english_are_decided_without_the_model(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = detect_language(text)

    def no_model() -> None:
        raise AssertionError("lingua should not be needed")

    monkeypatch.setattr(langid, "_detector", no_model)
    assert detect_language(text) == expected


def test_the_model_is_built_once_under_concurrent_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    import lingua

    builds = []
    real = lingua.LanguageDetectorBuilder.from_languages

    def counting(*languages: lingua.Language) -> lingua.LanguageDetectorBuilder:
        builds.append(1)
        return real(*languages)

    monkeypatch.setattr(langid, "_detector_instance", None)
    monkeypatch.setattr(lingua.LanguageDetectorBuilder, "from_languages", counting)
    texts = ["Wo ist meine Bestellung?", "¿Dónde está mi pedido?", "where is my order"] * 20
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(detect_language, texts))
    assert len(builds) == 1
    assert results == ["other", "other", "en"] * 20


def test_per_call_time_is_far_below_a_millisecond() -> None:
    texts = ["退货", "where is my order", "Wo ist meine Bestellung?", "Bonjour, où est ma commande ?", "ok"]
    for text in texts:
        detect_language(text)  # build the model outside the timing
    timings = []
    for _ in range(50):
        for text in texts:
            start = time.perf_counter()
            detect_language(text)
            timings.append(time.perf_counter() - start)
    timings.sort()
    assert timings[len(timings) // 2] < 0.001
