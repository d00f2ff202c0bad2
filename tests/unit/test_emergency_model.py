"""The learned second opinion behind the emergency patterns."""

from __future__ import annotations

import pytest

from kefu.guard.emergency import detect_emergency
from kefu.guard.emergency_model import detect


@pytest.mark.parametrize(
    "text",
    [
        "我爸刚才说胸口像被大石头压着，现在满身是汗",  # wording the patterns do not know
        "grandma woke up and one side of her face won't move",
        "i want to disappear forever and never wake up",
    ],
)
def test_catches_emergencies_the_patterns_miss(text: str) -> None:
    assert detect_emergency(text) is None
    match = detect(text)
    assert match is not None and match.evidence.startswith("learned detector")


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
