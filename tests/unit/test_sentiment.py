"""Sentiment of customer-service messages: neutral questions, complaints, praise, in Chinese and English.

Labelling rule for the cases here and in tests/data/sentiment_eval.jsonl: a question, request or
factual report is neutral even when it names a problem (退货, cancel, lost card, 坏了能换吗); a message
that shows dissatisfaction, impatience or anger is negative (mild when hedged: 有点慢, a bit slow);
thanks, praise and satisfaction are positive.
"""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from kefu.nlu.sentiment import Sentiment, analyse_sentiment

EVAL = Path(__file__).resolve().parents[1] / "data" / "sentiment_eval.jsonl"


@pytest.mark.parametrize(
    "text",
    [
        "订单到哪了",
        "where is my order?",
        "我想退货",
        "how do I return this?",
        "can I cancel order #W1234567",
        "我想取消订单",
        "退款一般几天到账？",
        "信用卡丢了，怎么挂失",
        "商品坏了能换新的吗",
        "如果不满意可以退吗",
        "请问周六门诊上班吗",
        "孩子转学需要哪些材料",
        "I lost my debit card, how do I block it?",
        "Is there a problem with my account?",
        "What's the refund policy for damaged items?",
        "my son is sick, can I book an appointment",
        "I want a refund for order W7654321",
        "can you check my order please, thanks",
        "麻烦帮我查一下，谢谢",
        "好的，我知道了",
        "在吗",
        "人工客服",
        "ok",
        "",
    ],
)
def test_questions_and_requests_are_neutral(text: str) -> None:
    result = analyse_sentiment(text)
    assert result.label == "neutral", result
    assert result.intensity == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "太差了！！！",
        "你们这是骗子吧",
        "this is ridiculous, third time I ask",
        "worst service ever",
        "气死我了",
        "等了半个月还没到，怎么回事",
        "客服态度太差了，问三遍都不回",
        "I'm so angry right now 😡",
        "Absolutely terrible service, I want to speak to a manager NOW",
        "Still no refund. This is getting ridiculous!!",
        "你们的系统简直垃圾",
    ],
)
def test_complaints_and_anger_are_strongly_negative(text: str) -> None:
    result = analyse_sentiment(text)
    assert result.label == "negative", result
    assert result.intensity >= 0.6, result
    assert result.score <= -0.6


@pytest.mark.parametrize(
    "text",
    [
        "有点慢",
        "a bit disappointed",
        "物流有点慢",
        "The delivery was a bit slow this time",
        "不太好",
        "不太满意，尺码偏小",
    ],
)
def test_mild_dissatisfaction_is_negative_with_low_intensity(text: str) -> None:
    result = analyse_sentiment(text)
    assert result.label == "negative", result
    assert 0.0 < result.intensity < 0.5, result


@pytest.mark.parametrize(
    "text",
    [
        "谢谢，很满意",
        "great, thanks!",
        "非常感谢，问题解决了",
        "服务不错，下次还来",
        "not bad",
        "not bad at all, the fit is good",
        "thank you so much 🙂",
        "It works perfectly now :)",
        "办理很顺利，点赞👍",
        "客服妹子超级nice",
        "非常好的一次购物体验",
    ],
)
def test_thanks_and_praise_are_positive(text: str) -> None:
    result = analyse_sentiment(text)
    assert result.label == "positive", result
    assert result.intensity > 0.0
    assert result.score > 0.0


@pytest.mark.parametrize("text", ["没有问题", "没问题", "不差", "not too bad", "no problem"])
def test_negated_complaint_words_are_not_negative(text: str) -> None:
    assert analyse_sentiment(text).label in ("neutral", "positive")


@pytest.mark.parametrize(
    ("stronger", "weaker"),
    [
        ("太差了", "有点差"),
        ("非常慢", "慢"),
        ("特别失望", "失望"),
        ("太不满意了", "不太满意"),
        ("very slow", "slow"),
        ("really disappointed", "a bit disappointed"),
        ("so bad", "bad"),
        # exclamation marks, ALL CAPS, repeated question marks, emoji
        ("太差了！！！", "太差了"),
        ("terrible!!!", "terrible"),
        ("THIS IS BAD", "this is bad"),
        ("到现在还没人联系我 😡", "到现在还没人联系我"),
        ("订单到哪了？？？", "订单到哪了？"),
        ("where is my order???", "where is my order?"),
    ],
)
def test_intensifiers_and_emphasis_make_complaints_stronger(stronger: str, weaker: str) -> None:
    strong, weak = analyse_sentiment(stronger), analyse_sentiment(weaker)
    assert strong.score < weak.score, (strong, weak)
    assert strong.label == "negative"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("😡", "negative"),
        ("🤬🤬", "negative"),
        (":(", "negative"),
        ("🙂", "positive"),
        ("👍", "positive"),
        (":)", "positive"),
        ("^_^", "positive"),
        ("T_T", "negative"),
        ("❤️", "positive"),
    ],
)
def test_emoji_and_emoticons(text: str, label: str) -> None:
    assert analyse_sentiment(text).label == label


def test_repeated_question_marks_turn_a_plain_question_impatient() -> None:
    assert analyse_sentiment("where is my order?").label == "neutral"
    assert analyse_sentiment("where is my order???").label == "negative"
    assert analyse_sentiment("订单到哪了？？？").label == "negative"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("东西不错，但是物流太慢了", "negative"),
        ("The product is great but delivery was terrible", "negative"),
        ("物流有点慢，不过客服很耐心，谢谢", "positive"),
    ],
)
def test_the_clause_after_but_weighs_more(text: str, label: str) -> None:
    assert analyse_sentiment(text).label == label


@pytest.mark.parametrize(
    ("text", "hint", "label"),
    [
        ("thanks a lot!", "zh", "positive"),  # English in a Chinese conversation
        ("太差了", "en", "negative"),
        ("I want to 退货", "en", "neutral"),
        ("这个 app 太难用了", None, "negative"),
    ],
)
def test_the_text_decides_the_language_the_hint_does_not(text: str, hint: str | None, label: str) -> None:
    assert analyse_sentiment(text, hint).label == label


def test_result_shape() -> None:
    result = analyse_sentiment("太差了")
    assert isinstance(result, Sentiment)
    assert -1.0 <= result.score <= 1.0
    assert 0.0 <= result.intensity <= 1.0
    assert result.intensity == pytest.approx(abs(result.score))
    with pytest.raises(FrozenInstanceError):
        result.label = "positive"  # type: ignore[misc]
    assert analyse_sentiment("订单到哪了") == Sentiment("neutral", 0.0, 0.0)


def test_concurrent_use_gives_the_same_answers() -> None:
    texts = ["太差了！！！", "谢谢", "where is my order?", "worst service ever"] * 25
    expected = [analyse_sentiment(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(analyse_sentiment, texts)) == expected


# --- the evaluation set -----------------------------------------------------------------------


def _eval_rows() -> list[dict[str, str]]:
    with EVAL.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_eval_set_is_large_and_balanced() -> None:
    rows = _eval_rows()
    assert len(rows) >= 150
    assert len({r["text"] for r in rows}) == len(rows), "duplicate texts"
    counts = Counter((r["lang"], r["label"]) for r in rows)
    assert set(counts) == {
        (lang, label) for lang in ("zh", "en") for label in ("positive", "neutral", "negative")
    }
    assert max(counts.values()) - min(counts.values()) <= 2, counts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_macro_accuracy_per_language(lang: str) -> None:
    rows = [r for r in _eval_rows() if r["lang"] == lang]
    correct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for row in rows:
        predicted = analyse_sentiment(row["text"], lang).label
        total[row["label"]] += 1
        if predicted == row["label"]:
            correct[row["label"]] += 1
        else:
            misses.append((row["label"], predicted, row["text"]))
    macro = sum(correct[label] / total[label] for label in total) / len(total)
    assert macro >= 0.85, (macro, misses)


def test_no_neutral_message_is_read_as_a_strong_complaint() -> None:
    for row in _eval_rows():
        if row["label"] != "neutral":
            continue
        result = analyse_sentiment(row["text"], row["lang"])
        assert not (result.label == "negative" and result.intensity > 0.5), (row["text"], result)
