"""Reading retail slot values out of a message, given what the conversation already knows."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.packs.retail.slots import (
    best_variant,
    cancel_reason,
    chosen_items,
    order_reference,
    refers_back,
    refers_to_other,
    refund_method,
    wanted_values,
)

Record = dict[str, Any]

A, B, C = "#W1111111", "#W2222222", "#W3333333"
MEMORY: dict[str, Any] = {"orders": [A, B], "offered": [A, B, C]}


# -- order_reference ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        # an explicit id wins, the last one if several
        ("#W4444444", None, "#W4444444"),
        ("it's w4444444", B, "#W4444444"),
        ("not #W1111111, I mean #W4444444", A, "#W4444444"),
        ("订单号是Ｗ４４４４４４４", None, "#W4444444"),
        # "the other one": the most recent other order mentioned
        ("the other one", B, A),
        ("the other one", A, B),
        ("no, the other order", B, A),
        ("not that one", B, A),
        ("另一个订单", B, A),
        ("不是这个", B, A),
        ("另外一个", A, B),
        # ordinals over the offered list
        ("the first one", None, A),
        ("the second one", None, B),
        ("the 3rd", None, C),
        ("last one", None, C),
        ("第一个", None, A),
        ("第二个", None, B),
        ("第三个订单", None, C),
        ("最后一个", None, C),
        ("the first one", B, A),
        # back references: the last order mentioned, when no order is current
        ("that order", None, B),
        ("this one", None, B),
        ("same one", None, B),
        ("上一个订单", None, B),
        ("刚才那个", None, B),
        ("这单", None, B),
        # nothing to go on
        ("that order", A, None),
        ("hello", None, None),
        ("你好", None, None),
        ("the fifth one", None, None),
        ("第五个", None, None),
    ],
)
def test_order_reference(text: str, current: str | None, expected: str | None) -> None:
    assert order_reference(text, MEMORY, current) == expected


def test_the_other_one_falls_back_to_the_only_other_offered_order() -> None:
    memory = {"orders": [A], "offered": [A, B]}
    assert order_reference("the other one", memory, A) == B
    assert order_reference("另一个", memory, A) == B


def test_the_other_one_is_ambiguous_among_several_offered_orders() -> None:
    memory = {"orders": [], "offered": [A, B, C]}
    assert order_reference("the other one", memory, A) is None


@pytest.mark.parametrize("text", ["that order", "上一个订单", "the other one", "the second one", "第二个"])
def test_order_reference_with_an_empty_memory(text: str) -> None:
    assert order_reference(text, {}, None) is None


def test_order_reference_does_not_change_the_memory() -> None:
    memory = {"orders": [A, B], "offered": [A, B, C]}
    order_reference("the other one", memory, B)
    assert memory == {"orders": [A, B], "offered": [A, B, C]}


@pytest.mark.parametrize(
    ("text", "back", "other"),
    [
        ("that order", True, False),
        ("my last order", True, False),
        ("the most recent one", True, False),
        ("上个订单", True, False),
        ("那个包裹", True, False),
        ("the other one", False, True),
        ("another one", False, True),
        ("另一单", False, True),
        ("hello", False, False),
        ("我要退货", False, False),
    ],
)
def test_reference_words(text: str, back: bool, other: bool) -> None:
    assert refers_back(text) is back
    assert refers_to_other(text) is other


# -- cancel_reason ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I ordered it by mistake", "ordered by mistake"),
        ("ordered the wrong size", "ordered by mistake"),
        ("it was an accident", "ordered by mistake"),
        ("Mistake", "ordered by mistake"),
        ("买错了", "ordered by mistake"),
        ("拍错了", "ordered by mistake"),
        ("下错单了", "ordered by mistake"),
        ("不小心下的单", "ordered by mistake"),
        ("no longer needed", "no longer needed"),
        ("I don't need it anymore", "no longer needed"),
        ("I do not need it", "no longer needed"),
        ("changed my mind", "no longer needed"),
        ("don't want it", "no longer needed"),
        ("不需要了", "no longer needed"),
        ("不想要了", "no longer needed"),
        ("用不上了", "no longer needed"),
        ("我改主意了", "no longer needed"),
        ("why", None),
        ("too expensive", None),
        ("太贵了", None),
        ("", None),
    ],
)
def test_cancel_reason(text: str, expected: str | None) -> None:
    assert cancel_reason(text) == expected


# -- chosen_items -------------------------------------------------------------------------------


def line(item_id: str, name: str, name_zh: str) -> Record:
    return {"item_id": item_id, "name": name, "name_zh": name_zh, "product_id": f"p{item_id}", "price": 10.0}


ORDER: Record = {
    "order_id": A,
    "items": [
        line("1001", "Water Bottle", "水杯"),
        line("1002", "Office Chair", "办公椅"),
        line("1003", "T-Shirt", "T恤"),
        line("1004", "Wireless Earbuds", "无线耳机"),
    ],
}
ALL_ITEMS = ["1001", "1002", "1003", "1004"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("all", ALL_ITEMS),
        ("all of them", ALL_ITEMS),
        ("everything", ALL_ITEMS),
        ("the whole order", ALL_ITEMS),
        ("全部", ALL_ITEMS),
        ("全部退了", ALL_ITEMS),
        ("都退", ALL_ITEMS),
        ("所有的", ALL_ITEMS),
        ("1 and 3", ["1001", "1003"]),
        ("1, 2", ["1001", "1002"]),
        ("2 and 4", ["1002", "1004"]),
        ("第2个和第4个", ["1002", "1004"]),
        ("3", ["1003"]),
        ("the second one", ["1002"]),
        ("the 2nd", ["1002"]),
        ("the 2nd one and 3", ["1002", "1003"]),
        ("第二个", ["1002"]),
        ("last one", ["1004"]),
        ("最后一个", ["1004"]),
        ("the water bottle", ["1001"]),
        ("the chair", ["1002"]),
        ("the earbuds", ["1004"]),
        ("the t-shirt", ["1003"]),
        ("the bottle and the chair", ["1001", "1002"]),
        ("退水杯", ["1001"]),
        ("T恤", ["1003"]),
        ("退T恤", ["1003"]),
        ("水杯和T恤", ["1001", "1003"]),
        ("无线耳机", ["1004"]),
        ("hmm", None),
        ("7", None),
        ("#W1234567", None),
        ("", None),
    ],
)
def test_chosen_items(text: str, expected: list[str] | None) -> None:
    assert chosen_items(text, ORDER) == expected


@pytest.mark.parametrize("text", ["that one", "the chair", "2", "全部", ""])
def test_a_single_item_order_needs_no_choice(text: str) -> None:
    order = {"items": [line("9001", "Water Bottle", "水杯")]}
    assert chosen_items(text, order) == ["9001"]


def test_chosen_items_of_an_empty_order() -> None:
    assert chosen_items("all", {"items": []}) == []
    assert chosen_items("the first one", {"items": []}) is None


# -- best_variant -------------------------------------------------------------------------------


def variant(item_id: str, color: str, size: str, material: str = "cotton", available: bool = True) -> Record:
    return {
        "item_id": item_id,
        "options": {"color": color, "size": size, "material": material},
        "available": available,
        "price": 50.0,
    }


SHIRT: Record = {
    "name": "T-Shirt",
    "product_id": "9523456873",
    "variants": {
        v["item_id"]: v
        for v in (
            variant("red_m", "red", "M"),
            variant("blue_m", "blue", "M"),
            variant("blue_l", "blue", "L"),
            variant("blue_s", "blue", "S"),
            variant("blue_m_poly", "blue", "M", material="polyester"),
            variant("green_m", "green", "M", available=False),
            variant("black_s", "black", "S"),
            variant("red_l", "red", "L"),
            variant("purple_xl_poly", "purple", "XL", material="polyester"),
        )
    },
}
RED_M = SHIRT["variants"]["red_m"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("blue", "blue_m"),
        ("I want it in blue", "blue_m"),
        ("I'm after the blue one", "blue_m"),
        ("it's the blue one I want", "blue_m"),
        ("BLUE please", "blue_m"),
        ("蓝色", "blue_m"),
        ("换成蓝色的", "blue_m"),
        ("换成蓝的", "blue_m"),
        ("blue, size L", "blue_l"),
        ("蓝色L码", "blue_l"),
        ("blue polyester", "blue_m_poly"),
        ("size L", "red_l"),
        ("L", "red_l"),
        ("black", "black_s"),
        ("黑色 S", "black_s"),
        ("purple", "purple_xl_poly"),
        ("紫色", "purple_xl_poly"),
        ("polyester", "blue_m_poly"),
    ],
)
def test_best_variant(text: str, expected: str) -> None:
    chosen = best_variant(SHIRT, RED_M, text)
    assert chosen is not None
    assert chosen["item_id"] == expected
    assert chosen["available"]


@pytest.mark.parametrize(
    "text",
    [
        "green",  # not available
        "绿色",
        "yellow",  # no such variant
        "换个大一点的",  # nothing named
        "the same one",
        "",
    ],
)
def test_no_variant(text: str) -> None:
    assert best_variant(SHIRT, RED_M, text) is None


@pytest.mark.parametrize(
    "text",
    [
        "red M",  # the current item itself
        "blue XL",  # no blue XL in stock: never silently drop XL
    ],
)
def test_no_variant_has_every_named_value(text: str) -> None:
    assert best_variant(SHIRT, RED_M, text) is None


@pytest.mark.parametrize(
    "text",
    ["I'm after the blue one", "it's the blue one I'd like", "I’m after the blue one", "blue", "蓝色的"],
)
def test_contractions_do_not_name_a_size(text: str) -> None:
    chosen = best_variant(SHIRT, SHIRT["variants"]["red_l"], text)
    assert chosen is not None
    assert chosen["item_id"] == "blue_l"


def test_best_variant_never_returns_the_current_item() -> None:
    current = SHIRT["variants"]["blue_m"]
    chosen = best_variant(SHIRT, current, "blue")
    assert chosen is not None
    assert chosen["item_id"] == "blue_l"  # the closest other blue one; blue_m_poly ties and comes later


def test_best_variant_matches_the_first_word_of_a_value() -> None:
    bottle = {
        "variants": {
            "glass": {"item_id": "glass", "options": {"material": "glass"}, "available": True},
            "steel": {"item_id": "steel", "options": {"material": "stainless steel"}, "available": True},
        }
    }
    chosen = best_variant(bottle, bottle["variants"]["glass"], "stainless please")
    assert chosen is not None
    assert chosen["item_id"] == "steel"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("blue", {"blue"}),
        ("蓝色", {"blue"}),
        ("黑色或者白色", {"black", "white"}),
        ("Ｌ码", {"l"}),
        ("1000ml glass", {"1000ml", "glass"}),
        ("I'm", {"i"}),
    ],
)
def test_wanted_values(text: str, expected: set[str]) -> None:
    assert wanted_values(text) == expected


# -- refund_method ------------------------------------------------------------------------------


USER: Record = {
    "payment_methods": {
        "credit_card_1": {"source": "credit_card", "id": "credit_card_1"},
        "gift_card_2": {"source": "gift_card", "balance": 20.0, "id": "gift_card_2"},
    }
}
NO_GIFT_CARD: Record = {
    "payment_methods": {"credit_card_1": {"source": "credit_card", "id": "credit_card_1"}}
}


@pytest.mark.parametrize(
    ("text", "user", "original", "expected"),
    [
        ("gift card please", USER, "credit_card_1", "gift_card_2"),
        ("to my giftcard", USER, "credit_card_1", "gift_card_2"),
        ("退到礼品卡", USER, "credit_card_1", "gift_card_2"),
        ("购物卡", USER, "credit_card_1", "gift_card_2"),
        ("gift card", NO_GIFT_CARD, "credit_card_1", None),
        ("original method", USER, "credit_card_1", "credit_card_1"),
        ("same card please", USER, "credit_card_1", "credit_card_1"),
        ("原路退回", USER, "credit_card_1", "credit_card_1"),
        ("退到原来的卡", USER, "credit_card_1", "credit_card_1"),
        # no preference: the original method when the customer still has it
        ("whatever", USER, "credit_card_1", "credit_card_1"),
        ("随便", USER, "credit_card_1", "credit_card_1"),
        ("whatever", USER, "paypal_9", None),
        ("whatever", USER, None, None),
        ("original", USER, None, None),
    ],
)
def test_refund_method(text: str, user: Record, original: str | None, expected: str | None) -> None:
    assert refund_method(text, user, {}, original) == expected


def test_several_chinese_ordinals_pick_several_items() -> None:
    order = {"items": [{"item_id": str(i), "name": f"Thing {i}", "price": 1.0} for i in range(1, 5)]}
    assert chosen_items("第二个和第四个", order) == ["2", "4"]


@pytest.mark.parametrize("text", ["明白了", "金额不对", "送个红包"])
def test_chinese_words_containing_colour_characters_are_not_colours(text: str) -> None:
    assert not wanted_values(text) & {"white", "gold", "red"}
