"""The retail intent classifier: held-out accuracy per language, out-of-scope, and input errors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from kefu.domain.errors import InvalidInput
from kefu.nlu.intents import OUT_OF_SCOPE, IntentClassifier, load_examples
from kefu.packs.retail.pack import HERE as RETAIL_DIR
from kefu.packs.retail.pack import train_classifier

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "retail_intents_heldout.yaml"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
MIN_ACCURACY = 0.85


def _language(text: str) -> str:
    return "zh" if _HAN.search(text) else "en"


def _in_language(examples: Sequence[tuple[str, str]], lang: str) -> list[tuple[str, str]]:
    return [(text, label) for text, label in examples if _language(text) == lang]


@pytest.fixture(scope="module")
def classifier() -> IntentClassifier:
    return train_classifier()


@pytest.fixture(scope="module")
def heldout() -> list[tuple[str, str]]:
    return load_examples(HELDOUT)


def test_heldout_file_is_not_training_data(heldout: list[tuple[str, str]]) -> None:
    training = {text for text, _ in load_examples(RETAIL_DIR / "intents.yaml")}
    assert heldout
    assert not [text for text, _ in heldout if text in training]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_heldout_accuracy_per_language(
    classifier: IntentClassifier, heldout: list[tuple[str, str]], lang: str
) -> None:
    examples = _in_language(heldout, lang)
    assert len(examples) >= 50
    misses = [
        (text, label, classifier.predict(text).intent)
        for text, label in examples
        if classifier.predict(text).intent != label
    ]
    accuracy = 1 - len(misses) / len(examples)
    assert accuracy >= MIN_ACCURACY, f"{lang} accuracy {accuracy:.3f}; misses: {misses}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_heldout_intent_is_a_known_label(
    classifier: IntentClassifier, heldout: list[tuple[str, str]], lang: str
) -> None:
    labels = {label for _, label in _in_language(heldout, lang)}
    assert labels <= set(classifier.labels)
    assert len(labels) >= 10


@pytest.mark.parametrize(
    "text",
    [
        "what's the weather tomorrow",
        "who won the football game",
        "what is the capital of France",
        "给我讲个笑话",
        "明天天气怎么样",
        "推荐一部电影",
    ],
)
def test_out_of_scope(classifier: IntentClassifier, text: str) -> None:
    assert classifier.predict(text).intent == OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I want to cancel my order", "cancel_order"),
        ("我要取消订单", "cancel_order"),
        ("where is my package", "order_status"),
        ("我的快递到哪了", "order_status"),
        ("I'd like to return an item", "return_items"),
        ("我要退货", "return_items"),
        ("can I talk to a human", "human_request"),
        ("转人工", "human_request"),
    ],
)
def test_clear_requests(classifier: IntentClassifier, text: str, intent: str) -> None:
    assert classifier.predict(text).intent == intent


@pytest.mark.parametrize("text", ["hello", "我要退货", "asdf qwer", ""])
def test_prediction_shape(classifier: IntentClassifier, text: str) -> None:
    prediction = classifier.predict(text)
    assert 0.0 <= prediction.confidence <= 1.0
    assert 1 <= len(prediction.ranking) <= 5
    assert prediction.confidence == prediction.ranking[0][1]
    scores = [score for _, score in prediction.ranking]
    assert scores == sorted(scores, reverse=True)
    if prediction.intent != OUT_OF_SCOPE:
        assert prediction.intent == prediction.ranking[0][0]


def test_low_confidence_falls_back_to_out_of_scope() -> None:
    examples = [("cancel my order", "cancel_order"), ("where is my order", "order_status")]
    strict = IntentClassifier(oos_threshold=1.01).fit(examples)
    prediction = strict.predict("cancel my order")
    assert prediction.intent == OUT_OF_SCOPE
    assert prediction.ranking[0][0] == "cancel_order"


def test_custom_out_of_scope_label() -> None:
    examples = [("cancel my order", "cancel_order"), ("where is my order", "order_status")]
    strict = IntentClassifier(oos_threshold=1.01, oos_label="fallback").fit(examples)
    assert strict.predict("anything").intent == "fallback"


def test_predict_before_fit() -> None:
    with pytest.raises(RuntimeError):
        IntentClassifier().predict("hello")


@pytest.mark.parametrize(
    "examples",
    [
        [],
        [("cancel my order", "cancel_order")],
        [("cancel my order", "cancel_order"), ("取消订单", "cancel_order"), ("stop it", "cancel_order")],
    ],
)
def test_fit_needs_two_labels(examples: list[tuple[str, str]]) -> None:
    with pytest.raises(InvalidInput):
        IntentClassifier().fit(examples)


def test_load_examples_reads_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "intents.yaml"
    path.write_text(
        "intents:\n  greeting:\n    en: [hello, hi]\n    zh: [你好]\n  goodbye:\n    en: [bye]\n    zh:\n",
        encoding="utf-8",
    )
    assert load_examples(path) == [
        ("hello", "greeting"),
        ("hi", "greeting"),
        ("你好", "greeting"),
        ("bye", "goodbye"),
    ]


@pytest.mark.parametrize(
    "content",
    [
        "intents: [unclosed",  # not YAML
        "intents:\n  greeting:\n    en: [hello\n",  # not YAML
        "greeting:\n  en: [hello]\n",  # no `intents`
        "intents: {}\n",  # empty
        "intents: [greeting, goodbye]\n",  # not a mapping
        "- just\n- a list\n",
        "",
        "intents:\n  greeting: [hello, hi]\n",  # intent without languages
    ],
)
def test_load_examples_rejects_malformed_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput):
        load_examples(path)


def test_load_examples_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        load_examples(tmp_path / "missing.yaml")
