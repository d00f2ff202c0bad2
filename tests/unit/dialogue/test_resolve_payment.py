"""Payment methods of the customer: by source, brand, last four, "original", ordered preferences."""

from __future__ import annotations

import pytest
from resolve_support import tau_db

from kefu.dialogue.resolve.payment import resolve_payment_method

METHODS = {
    "credit_card_1": {"source": "credit_card", "brand": "visa", "last_four": "1234", "id": "credit_card_1"},
    "credit_card_2": {
        "source": "credit_card",
        "brand": "mastercard",
        "last_four": "9876",
        "id": "credit_card_2",
    },
    "gift_card_1": {"source": "gift_card", "balance": 50.0, "id": "gift_card_1"},
    "paypal_1": {"source": "paypal", "id": "paypal_1"},
}

RESOLVED = [
    ("my visa ending 1234", "credit_card_1"),
    ("the card ending in 9876", "credit_card_2"),
    ("尾号9876的卡", "credit_card_2"),
    ("the mastercard", "credit_card_2"),
    ("万事达卡", "credit_card_2"),
    ("paypal", "paypal_1"),
    ("PayPal please", "paypal_1"),
    ("退到贝宝", "paypal_1"),
    ("gift card", "gift_card_1"),
    ("礼品卡", "gift_card_1"),
    ("original payment method", "credit_card_2"),
    ("原路退回", "credit_card_2"),
    ("the same card I paid with", "credit_card_2"),
    ("PayPal is preferred, but otherwise credit card", "paypal_1"),
    ("not the gift card, my visa", "credit_card_1"),
    ("the other card", "credit_card_1"),
]


@pytest.mark.parametrize(("text", "expected"), RESOLVED)
def test_resolves_the_payment_method(text: str, expected: str) -> None:
    result = resolve_payment_method(text, "en", METHODS, original="credit_card_2")
    assert result.outcome == "resolved", (text, result)
    assert result.value == expected


@pytest.mark.parametrize("text", ["the credit card", "退到信用卡", "my card"])
def test_two_credit_cards_are_ambiguous_with_their_last_four(text: str) -> None:
    result = resolve_payment_method(text, "en", METHODS)
    assert result.outcome == "ambiguous"
    assert result.candidates == ("credit_card_1", "credit_card_2")
    assert result.distinguishing == ("brand", "last_four")


@pytest.mark.parametrize("text", ["yes", "I'd like a refund", "好的", "my zip is 12345"])
def test_nothing_named_stays_none(text: str) -> None:
    assert resolve_payment_method(text, "en", METHODS, original="credit_card_2").outcome == "none"


def test_a_method_not_on_file_is_reported() -> None:
    no_paypal = {k: v for k, v in METHODS.items() if k != "paypal_1"}
    result = resolve_payment_method("paypal", "en", no_paypal)
    assert (result.outcome, result.unavailable, result.note) == ("none", ("paypal",), "not_on_file:paypal")
    fallback = resolve_payment_method("paypal, otherwise the gift card", "en", no_paypal)
    assert (fallback.value, fallback.unavailable) == ("gift_card_1", ("paypal",))


def test_original_without_an_original_is_not_guessed() -> None:
    assert resolve_payment_method("original payment method", "en", METHODS).note == "no_original"


def test_real_tau_users() -> None:
    users = tau_db()["users"]
    noah = users["noah_brown_6181"]["payment_methods"]  # paypal + one mastercard ending 9212
    assert resolve_payment_method("my mastercard", "en", noah).value == "credit_card_7815826"
    assert resolve_payment_method("the credit card", "en", noah).value == "credit_card_7815826"
    assert resolve_payment_method("信用卡", "zh", noah).value == "credit_card_7815826"
    assert resolve_payment_method("ending 9212", "en", noah).value == "credit_card_7815826"
    assert resolve_payment_method("gift card", "en", noah).outcome == "none"
