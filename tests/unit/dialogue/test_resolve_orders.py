"""Orders by id, contents, status, position in the last list, "the other one", "that order"; plurals."""

from __future__ import annotations

from typing import Any

import pytest
from resolve_support import glossary, tau_db

from kefu.dialogue.resolve.orders import resolve_order, resolve_orders


def _yusuf() -> list[dict[str, Any]]:
    """Yusuf Rossi's five orders: #W6247578 pending (T-Shirt), #W9711842 cancelled (Sunglasses),
    #W4776164 pending (T-Shirt, Espresso Machine), #W6679257 delivered (Digital Camera), #W2378156
    delivered (Headphones, Vacuum Cleaner, Mechanical Keyboard, Smart Thermostat, Smart Watch)."""
    db = tau_db()
    return [db["orders"][o] for o in db["users"]["yusuf_rossi_9620"]["orders"]]


LISTED = ("#W6247578", "#W9711842", "#W4776164", "#W6679257", "#W2378156")

RESOLVED = [
    ("#W2378156", "#W2378156"),
    ("my order W2378156 please", "#W2378156"),
    ("订单号是2378156", "#W2378156"),
    ("w2378156", "#W2378156"),
    ("the one with the mechanical keyboard", "#W2378156"),
    ("the order with the cleaner and the headphones", "#W2378156"),
    ("有机械键盘的那个", "#W2378156"),
    ("the one with the espresso machine", "#W4776164"),
    ("the pending one with the espresso machine", "#W4776164"),
    ("the shirt order that also has the espresso maker", "#W4776164"),
    ("the cancelled one", "#W9711842"),
    ("已取消的那单", "#W9711842"),
    ("the delivered one with the camera", "#W6679257"),
    ("the second one", "#W9711842"),
    ("第二个", "#W9711842"),
    ("the last one", "#W2378156"),
    ("最后一个", "#W2378156"),
    ("the first order", "#W6247578"),
    ("not #W6247578 but #W4776164", "#W4776164"),
]


@pytest.mark.parametrize(("text", "expected"), RESOLVED)
def test_resolves_the_order_the_customer_means(text: str, expected: str) -> None:
    result = resolve_order(text, "en", _yusuf(), last_listed=LISTED, glossary=glossary())
    assert result.outcome == "resolved", (text, result)
    assert result.value == expected


AMBIGUOUS = [
    ("the pending one", ("#W6247578", "#W4776164"), ("items",)),
    ("待处理的那个订单", ("#W6247578", "#W4776164"), ("items",)),
    ("the delivered one", ("#W6679257", "#W2378156"), ("items",)),
    ("the one I received", ("#W6679257", "#W2378156"), ("items",)),
    ("the one with the t-shirt", ("#W6247578", "#W4776164"), ("items",)),
    ("the one I haven't received yet", ("#W6247578", "#W4776164"), ("items",)),
]


@pytest.mark.parametrize(("text", "candidates", "distinguishing"), AMBIGUOUS)
def test_ambiguous_references_say_what_tells_the_orders_apart(
    text: str, candidates: tuple[str, ...], distinguishing: tuple[str, ...]
) -> None:
    result = resolve_order(text, "en", _yusuf(), glossary=glossary())
    assert result.outcome == "ambiguous", (text, result)
    assert result.candidates == candidates
    assert result.distinguishing == distinguishing


def test_the_other_one_is_not_the_current_order() -> None:
    two = ("#W6679257", "#W2378156")
    result = resolve_order("the other one", "en", _yusuf(), last_listed=two, current="#W6679257")
    assert result.value == "#W2378156"
    talked = resolve_order(
        "and the other order too", "en", _yusuf(), current="#W2378156", mentioned=("#W6247578", "#W2378156")
    )
    assert talked.value == "#W6247578"
    zh = resolve_order("另一个订单呢", "zh", _yusuf(), last_listed=two, current="#W2378156")
    assert zh.value == "#W6679257"
    many = resolve_order("the other one", "en", _yusuf(), current="#W2378156")
    assert many.outcome == "ambiguous"
    assert "#W2378156" not in many.candidates
    pending = resolve_order("the other pending one", "en", _yusuf(), current="#W6247578")
    assert pending.value == "#W4776164"


def test_that_order_means_the_current_or_the_last_mentioned() -> None:
    assert resolve_order("that order", "en", _yusuf(), current="#W4776164").value == "#W4776164"
    assert (
        resolve_order("cancel it", "en", _yusuf(), mentioned=("#W6247578", "#W4776164")).value == "#W4776164"
    )
    assert resolve_order("上一个订单", "zh", _yusuf(), mentioned=("#W6679257",)).value == "#W6679257"
    assert resolve_order("that order", "en", _yusuf()).outcome == "none"


def test_an_item_in_none_of_the_orders_is_reported() -> None:
    result = resolve_order("the one with the hiking boots", "en", _yusuf(), glossary=glossary())
    assert (result.outcome, result.unavailable) == ("none", ("Hiking Boots",))
    assert result.note == "item_not_in_orders:Hiking Boots"
    zh = resolve_order("有登山靴的那个", "zh", _yusuf(), glossary=glossary())
    assert zh.unavailable == ("Hiking Boots",)


def test_a_status_no_order_has() -> None:
    result = resolve_order("the one that is on its way", "en", _yusuf(), glossary=glossary())
    assert result.outcome == "none"
    assert result.note == "no_order_with:processed"


def test_an_id_that_is_not_the_customers_is_flagged() -> None:
    result = resolve_order("#W1234567", "en", _yusuf())
    assert (result.value, result.note) == ("#W1234567", "not_customer_order")
    assert resolve_order("my zip is 1234567", "en", _yusuf()).outcome == "none"  # bare digits: only own ids


@pytest.mark.parametrize(
    "text", ["hello", "I want to return something", "yes", "my email is a@b.com", "好的"]
)
def test_nothing_named_stays_none(text: str) -> None:
    assert resolve_order(text, "en", _yusuf(), last_listed=LISTED, glossary=glossary()).outcome == "none"


def test_the_only_order() -> None:
    one = [_yusuf()[3]]
    assert resolve_order("my order", "en", one).value == "#W6679257"
    assert resolve_order("hello", "en", one).outcome == "none"


PLURAL = [
    ("all my pending orders", ("#W6247578", "#W4776164")),
    ("所有待处理的订单", ("#W6247578", "#W4776164")),
    ("both delivered orders", ("#W6679257", "#W2378156")),
    ("all of them", LISTED),
    ("#W2378156 and #W4776164", ("#W2378156", "#W4776164")),
    ("the orders with a t-shirt", ("#W6247578", "#W4776164")),
    ("the one with the camera", ("#W6679257",)),
]


@pytest.mark.parametrize(("text", "expected"), PLURAL)
def test_several_orders(text: str, expected: tuple[str, ...]) -> None:
    result = resolve_orders(text, "en", _yusuf(), glossary=glossary())
    assert result.outcome == "resolved", (text, result)
    assert result.value == expected


def test_both_orders_means_the_two_just_listed() -> None:
    two = ("#W6679257", "#W2378156")
    assert resolve_orders("both orders", "en", _yusuf(), last_listed=two).value == two
    assert resolve_orders("两个订单都退", "zh", _yusuf(), last_listed=two).value == two
    many = resolve_orders("both of them", "en", _yusuf())
    assert many.outcome == "ambiguous"


def test_orders_given_as_a_mapping() -> None:
    orders = {o["order_id"]: o for o in _yusuf()}
    assert resolve_order("the cancelled one", "en", orders).value == "#W9711842"


@pytest.mark.parametrize("text", ["上一单", "刚才那个订单", "that one", "the same order"])
def test_back_references_in_both_languages(text: str) -> None:
    assert resolve_order(text, "zh", _yusuf(), mentioned=("#W6679257",)).value == "#W6679257"


def test_the_pricier_order_by_the_item_named_or_the_total() -> None:
    db = tau_db()
    orders = [db["orders"][o] for o in ("#W3069600", "#W9571698")]  # a tablet in each: $938.92 and $989.70
    assert resolve_order("the pricier tablet", "en", orders, glossary=glossary()).value == "#W9571698"
    assert resolve_order("有平板的那单，便宜的那个", "zh", orders, glossary=glossary()).value == "#W3069600"
    listed = ("#W3069600", "#W9571698")
    by_total = resolve_order("the more expensive one of the two", "en", orders, last_listed=listed)
    assert by_total.note == "by_total"


@pytest.mark.parametrize(
    "text", ["I want all my pending t-shirts changed to purple", "所有待发货的T恤都改成紫色"]
)
def test_every_order_with_the_items_named(text: str) -> None:
    result = resolve_orders(text, "en", _yusuf(), glossary=glossary())
    assert result.value == ("#W6247578", "#W4776164")
