"""Training, calibration, out-of-scope, cross-lingual transfer and persistence of the intent model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kefu.domain.errors import InvalidInput
from kefu.nlu.intent_data import load_labelled
from kefu.nlu.intents import IntentClassifier
from kefu.packs.retail.pack import HERE as RETAIL_DIR

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "retail_intents_heldout.yaml"


def chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


@pytest.fixture(scope="module")
def retail() -> list[tuple[str, str]]:
    return load_labelled(RETAIL_DIR / "intents.yaml")


def test_trained_on_english_understands_chinese(retail: list[tuple[str, str]]) -> None:
    model = IntentClassifier().fit([e for e in retail if not chinese(e[0])])
    test = [e for e in load_labelled(HELDOUT) if chinese(e[0]) and e[1] != "out_of_scope"]
    correct = sum(model.predict(text).ranking[0][0] == label for text, label in test)
    assert correct / len(test) >= 0.85


def test_trained_on_chinese_understands_english(retail: list[tuple[str, str]]) -> None:
    model = IntentClassifier().fit([e for e in retail if chinese(e[0])])
    test = [e for e in load_labelled(HELDOUT) if not chinese(e[0]) and e[1] != "out_of_scope"]
    correct = sum(model.predict(text).ranking[0][0] == label for text, label in test)
    assert correct / len(test) >= 0.85


def test_confidences_are_probabilities_and_threshold_is_learned(retail: list[tuple[str, str]]) -> None:
    model = IntentClassifier().fit(retail)
    prediction = model.predict("where is my parcel")
    assert prediction.intent == "order_status"
    assert 0.5 < prediction.confidence <= 1.0
    assert sum(p for _, p in prediction.ranking) <= 1.0 + 1e-9
    assert 0.0 < model.oos_threshold < 1.0 and model.temperature != 1.0


def test_unknown_topics_are_out_of_scope_without_an_oos_class(retail: list[tuple[str, str]]) -> None:
    model = IntentClassifier().fit([e for e in retail if e[1] != "out_of_scope"])
    unknown = ["what is the capital of France", "今天股市怎么样", "write me a poem about cats"]
    assert sum(model.predict(t).intent == "out_of_scope" for t in unknown) >= 2


def test_save_and_load_give_the_same_answers(tmp_path: Path, retail: list[tuple[str, str]]) -> None:
    model = IntentClassifier().fit(retail)
    model.save(tmp_path / "model")
    loaded = IntentClassifier.load(tmp_path / "model")
    for text in ("我要退货", "cancel my order", "hello there", "转人工"):
        assert loaded.predict(text) == model.predict(text)
    assert loaded.oos_threshold == model.oos_threshold


def test_loading_something_else_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a kefu intent model"):
        IntentClassifier.load(tmp_path)


def test_ngram_only_model_still_works(retail: list[tuple[str, str]]) -> None:
    model = IntentClassifier(encoder=False).fit(retail)
    assert not model.uses_encoder
    assert model.predict("I want to return these shoes").intent == "return_items"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", "words,label\nhi,greet\n", "text"),
        ("b.csv", "text,label\nhi,\n", "empty"),
        ("c.jsonl", '{"text": "hi", "label": "greet"}\nnot json\n', "not JSON"),
        ("d.jsonl", '{"text": 5, "label": "greet"}\n', "non-empty string"),
        ("e.yaml", "intents: [1, 2]\n", "mapping"),
        ("f.csv", "", "text"),
    ],
)
def test_bad_training_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_labelled(path)


def test_csv_with_intent_or_category_columns(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("category,text\ncard_arrival,where is my card\n", encoding="utf-8")
    assert load_labelled(path) == [("where is my card", "card_arrival")]
