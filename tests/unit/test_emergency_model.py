"""The learned second opinion behind the emergency patterns."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kefu.guard.emergency import detect, detect_emergency

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我爸胸前压得慌，冒虚汗，脸都灰了", "cardiac"),  # wordings the patterns do not know
        ("grandma woke up and one side of her face won't move", "stroke"),
        ("i want to disappear forever and never wake up", "self_harm"),
        ("my girlfriend swallowed her whole prescription and is slurring", "poisoning"),
        ("厕所里我爸滑倒了头磕破了，血流个不停", "bleeding"),
    ],
)
def test_catches_emergencies_the_patterns_miss_and_names_their_kind(text: str, kind: str) -> None:
    assert detect_emergency(text) is None
    match = detect(text)
    assert match is not None and match.evidence.startswith("learned detector")
    assert match.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "我没有想自杀，只是心情不好",
        "this price is killing me",
        "where is my order",
        "亲 在不",
        "转人工",
        "笑死我了",
    ],
)
def test_patterns_that_ruled_a_message_out_are_not_overridden(text: str) -> None:
    assert detect(text) is None


def test_pattern_matches_keep_their_kind() -> None:
    match = detect("我胸口剧痛，喘不上气")
    assert match is not None and match.kind in ("cardiac", "breathing")


@pytest.mark.parametrize(
    "text",
    [
        "wake me up at five thirty",
        "I'm all set",
        "亲，在不在",
        "hand me over to a human",
        "goodbye",
        "这是我最后一次在你们家买东西",
        "i want to end my subscription tonight",
        "my transfer didn't go through",
        "屏幕摔碎了能保修吗",
    ],
)
def test_ordinary_customer_messages_do_not_reach_the_threshold(text: str) -> None:
    assert detect(text) is None


def test_no_retail_intent_example_fires() -> None:
    intents = yaml.safe_load((ROOT / "src/kefu/packs/retail/intents.yaml").read_text(encoding="utf-8"))
    examples = [text for langs in intents["intents"].values() for texts in langs.values() for text in texts]
    assert len(examples) > 500
    fired = [text for text in examples if detect(text) is not None]
    assert len(fired) <= len(examples) // 200, fired  # ≤ 0.5 %: 0 or 1 today
