"""Numbered placeholders for everything a model sees, restored only by kefu."""

from __future__ import annotations

from kefu.guard.pii import find_pii
from kefu.llm.redaction import Redactor
from kefu.llm.streaming import StreamEvent


def test_free_text_gets_numbered_placeholders_and_the_same_value_the_same_one() -> None:
    r = Redactor()
    text = r.text(
        "Mail a@example.com or b@example.com; again a@example.com. Card 4111 1111 1111 1111, CVV 123"
    )
    assert text == "Mail [EMAIL_1] or [EMAIL_2]; again [EMAIL_1]. Card [CARD_1]"  # the CVV is dropped
    assert r.mapping["[EMAIL_2]"] == "b@example.com"
    assert "123" not in str(r.mapping)


def test_structured_data_is_redacted_by_key_and_then_in_free_text() -> None:
    r = Redactor()
    data = r.data(
        {"name": "Ivan Santos", "address": {"address1": "12 Elm Street", "zip": "94105"}, "id": "#W1"}
    )
    assert data == {"name": "[NAME_1]", "address": {"address1": "[ADDRESS_1]", "zip": "[ZIP_1]"}, "id": "#W1"}
    assert (
        r.text("我是ivan santos，住在12 Elm Street，邮编94105")
        == "我是[NAME_1]，住在[ADDRESS_1]，邮编[ZIP_1]"
    )
    assert r.text("order 1941056") == "order 1941056"  # not inside another number


def test_cues_the_guard_does_not_cover() -> None:
    r = Redactor()
    assert r.text("my zip code is 10001-1234") == "my zip code is [ZIP_1]"
    assert r.text("我叫Maria Lopez") == "我叫[NAME_1]"
    assert find_pii(r.text("邮编：200120")) == []


def test_restore_and_invented_placeholders() -> None:
    r = Redactor()
    r.text("call 13812345678")
    assert r.restore({"phone": "[PHONE_1]", "list": ["[PHONE_1]", "[PHONE_9]"]}) == {
        "phone": "13812345678",
        "list": ["13812345678", "[PHONE_9]"],
    }
    assert r.invented({"a": ["[PHONE_1]", "[EMAIL_3]"]}) == ["[EMAIL_3]"]


def test_stream_frames() -> None:
    assert StreamEvent("delta", "Hi. ", first_token_s=0.0123).to_json() == {
        "type": "delta",
        "text": "Hi. ",
        "first_token_ms": 12.3,
    }
    assert StreamEvent("withdraw", "Sorry.", "pii_leak", False).to_json() == {
        "type": "withdraw",
        "text": "Sorry.",
        "generated": False,
    }
