"""Items of one order: by name (zh/en, synonyms), option, count, position, everything, exclusion."""

from __future__ import annotations

from typing import Any

import pytest
from resolve_support import glossary, tau_db

from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.items import resolve_items


def _item(name: str, item_id: str, **options: str) -> dict[str, Any]:
    return {"name": name, "product_id": "p-" + name, "item_id": item_id, "price": 10.0, "options": options}


ORDER = [
    _item("T-Shirt", "shirt-black", color="black", size="M"),
    _item("T-Shirt", "shirt-white", color="white", size="M"),
    _item("Bluetooth Speaker", "speaker", color="red"),
    _item("Hiking Boots", "boots", size="9", material="leather"),
]

RESOLVED = [
    ("all of it except the speaker", ("shirt-black", "shirt-white", "boots")),
    ("everything but not the speaker", ("shirt-black", "shirt-white", "boots")),
    ("not the boots, everything else", ("shirt-black", "shirt-white", "speaker")),
    ("除了音箱都退", ("shirt-black", "shirt-white", "boots")),
    ("蓝牙音箱留着，其他都退", ("shirt-black", "shirt-white", "boots")),
    ("everything", ("shirt-black", "shirt-white", "speaker", "boots")),
    ("the whole order", ("shirt-black", "shirt-white", "speaker", "boots")),
    ("全部", ("shirt-black", "shirt-white", "speaker", "boots")),
    ("both shirts", ("shirt-black", "shirt-white")),
    ("the two t-shirts", ("shirt-black", "shirt-white")),
    ("两件T恤", ("shirt-black", "shirt-white")),
    ("the shirts and the boots", ("shirt-black", "shirt-white", "boots")),
    ("the black shirt", ("shirt-black",)),
    ("the white tee", ("shirt-white",)),
    ("the black one", ("shirt-black",)),
    ("白色的T恤", ("shirt-white",)),
    ("退黑色的T恤和登山靴", ("shirt-black", "boots")),
    ("the speaker", ("speaker",)),
    ("the bluetooth speker", ("speaker",)),  # one typo
    ("音箱", ("speaker",)),
    ("the boots", ("boots",)),
    ("the black t-shirt but not the speaker", ("shirt-black",)),
    ("the second one", ("shirt-white",)),
    ("第三个", ("speaker",)),
    ("the last one", ("boots",)),
    ("items 1 and 3", ("shirt-black", "speaker")),
]


@pytest.mark.parametrize(("text", "expected"), RESOLVED)
def test_resolves_the_items_named(text: str, expected: tuple[str, ...]) -> None:
    result = resolve_items(text, "en", ORDER, glossary=glossary())
    assert result.outcome == "resolved", (text, result)
    assert result.value == expected


@pytest.mark.parametrize("text", ["the shirt", "the t-shirt please", "T恤", "one of the shirts"])
def test_one_of_two_similar_items_is_ambiguous_with_the_options_that_differ(text: str) -> None:
    result = resolve_items(text, "en", ORDER, glossary=glossary())
    assert result.outcome == "ambiguous", result
    assert result.candidates == (("shirt-black",), ("shirt-white",))
    assert result.distinguishing == ("color",)


def test_ambiguous_choice_keeps_the_other_items_named() -> None:
    result = resolve_items("the shirt and the speaker", "en", ORDER, glossary=glossary())
    assert result.candidates == (("shirt-black", "speaker"), ("shirt-white", "speaker"))


NOTHING = [
    "that's all, thanks",
    "yes please",
    "I want a refund",
    "好的",
    "no",
]


@pytest.mark.parametrize("text", NOTHING)
def test_nothing_named_stays_none(text: str) -> None:
    result = resolve_items(text, "en", ORDER, glossary=glossary())
    assert result.outcome == "none", (text, result)


def test_an_item_that_is_not_in_this_order_is_reported() -> None:
    result = resolve_items("the mechanical keyboard", "en", ORDER, glossary=glossary())
    assert (result.outcome, result.unavailable) == ("none", ("Mechanical Keyboard",))
    assert result.note == "not_in_order:Mechanical Keyboard"
    partly = resolve_items("the speaker and the keyboard", "en", ORDER, glossary=glossary())
    assert (partly.value, partly.unavailable) == (("speaker",), ("Mechanical Keyboard",))


def test_repeated_item_ids_count_line_by_line() -> None:
    order = tau_db()["orders"]["#W1840144"]["items"]  # two identical fleece jackets
    both = resolve_items("both jackets", "en", order, glossary=glossary())
    assert both.value == ("8590708195", "8590708195")
    one = resolve_items("the fleece jacket", "en", order, glossary=glossary())
    assert one.value == ("8590708195",)
    rest = resolve_items("everything except the laptop", "en", order, glossary=glossary())
    assert rest.value == ("8384507844", "8590708195", "8590708195", "6534134392")


TAU = [
    # (order, text, expected) on the real τ² orders
    ("#W2378156", "the mechanical keyboard and the smart thermostat", ("1151293680", "4983901480")),
    ("#W2378156", "机械键盘和智能温控器", ("1151293680", "4983901480")),
    (
        "#W2378156",
        "the cleaner, the headphone, and the smart watch",
        ("4602305039", "4202497723", "9408160950"),
    ),
    ("#W2378156", "吸尘器、耳机和智能手表", ("4602305039", "4202497723", "9408160950")),
    ("#W5918442", "the 5K action camera", ("1586641416",)),
    ("#W9318778", "the HEPA air purifier", ("3076708684",)),
    ("#W9318778", "the small purifier", ("5669664287",)),
]


@pytest.mark.parametrize(("order_id", "text", "expected"), TAU)
def test_items_of_real_orders(order_id: str, text: str, expected: tuple[str, ...]) -> None:
    order = tau_db()["orders"][order_id]
    result = resolve_items(text, "en", order["items"], glossary=glossary())
    assert result.outcome == "resolved", result
    assert set(result.value or ()) == set(expected)


def test_two_action_cameras_differ_by_resolution() -> None:
    order = tau_db()["orders"]["#W5918442"]
    result = resolve_items("the action camera", "en", order["items"], glossary=glossary())
    assert result.outcome == "ambiguous"
    assert result.distinguishing == ("resolution",)


def test_an_english_catalogue_without_a_glossary_still_matches_english_words() -> None:
    result = resolve_items("the speaker", "en", ORDER, glossary=Glossary.empty())
    assert result.value == ("speaker",)
    assert resolve_items("音箱", "zh", ORDER, glossary=Glossary.empty()).outcome == "none"


def test_single_item_order_needs_the_item_named_or_all() -> None:
    order = [ORDER[2]]
    assert resolve_items("the speaker", "en", order, glossary=glossary()).value == ("speaker",)
    assert resolve_items("all of it", "en", order, glossary=glossary()).value == ("speaker",)
    assert resolve_items("ok", "en", order, glossary=glossary()).outcome == "none"


TARGETS = [
    ("exchange the black shirt for a white one", ("shirt-black",)),
    ("exchange the shirt for a white one", ("shirt-black",)),  # the white one is what they want
    ("把黑色T恤换成白色的", ("shirt-black",)),
    ("T恤换成白色的", ("shirt-black",)),
    ("swap the boots to size 10 and the black tee to white", ("shirt-black", "boots")),
    ("the shirt with the black colour", ("shirt-black",)),
]


@pytest.mark.parametrize(("text", "expected"), TARGETS)
def test_values_the_customer_wants_instead_do_not_describe_the_item(
    text: str, expected: tuple[str, ...]
) -> None:
    result = resolve_items(text, "en", ORDER, glossary=glossary())
    assert (result.outcome, result.value) == ("resolved", expected), result


def test_listed_options_describe_one_of_two_similar_items() -> None:
    jackets = [
        _item("Fleece Jacket", "navy-xl", size="XL", color="navy", zipper="full"),
        _item("Digital Camera", "camera", resolution="20MP"),
        _item("Fleece Jacket", "black-l", size="L", color="black", zipper="full"),
    ]
    text = "exchange Fleece Jacket {'size': 'L', 'color': 'black', 'zipper': 'full'} to {}"
    assert resolve_items(text, "en", jackets, glossary=glossary()).value == ("black-l",)
    assert resolve_items("the black jacket, size L", "en", jackets, glossary=glossary()).value == ("black-l",)
    assert resolve_items("the fleece jacket, the navy one", "en", jackets, glossary=glossary()).value == (
        "navy-xl",
    )


def test_a_message_about_several_orders_is_read_where_it_speaks_of_this_one() -> None:
    text = "Return #W1111111: the speaker; and for #W2222222 the boots and the black shirt"
    assert resolve_items(text, "en", ORDER, glossary=glossary(), order_id="#W1111111").value == ("speaker",)
    assert resolve_items(text, "en", ORDER, glossary=glossary(), order_id="#W2222222").value == (
        "shirt-black",
        "boots",
    )
    assert resolve_items("the speaker", "en", ORDER, glossary=glossary(), order_id="#W1111111").value == (
        "speaker",
    )


def test_every_return_and_exchange_of_the_v1_train_tasks() -> None:
    """The τ-bench v1 train instructions name the items of each order ("Return #W… via …: Pet Bed;
    Tablet;"): each action's items come back exactly."""
    import json

    from kefu_test_support import TAU_RETAIL

    tasks_path, orders_path = TAU_RETAIL / "v1_tasks_train.json", TAU_RETAIL / "v1_orders.json"
    if not tasks_path.is_file() or not orders_path.is_file():
        pytest.skip(f"τ-bench v1 data not at {TAU_RETAIL}")
    orders = json.loads(orders_path.read_text(encoding="utf-8"))
    wrong, total = [], 0
    for task in json.loads(tasks_path.read_text(encoding="utf-8")):
        for action in task["actions"]:
            if action["name"] not in ("return_delivered_order_items", "exchange_delivered_order_items",
                                      "modify_pending_order_items"):  # fmt: skip
                continue
            order_id = action["kwargs"]["order_id"]
            total += 1
            found = resolve_items(
                task["instruction"], "en", orders[order_id]["items"], glossary=glossary(), order_id=order_id
            )
            if sorted(found.value or ()) != sorted(action["kwargs"]["item_ids"]):
                wrong.append((order_id, found))
    assert total > 400
    assert len(wrong) <= total // 100, wrong[:3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Then leave the speaker as it is. Only return the boots, please.", ("boots",)),
        ("keep the speaker, just the boots", ("boots",)),
        ("音箱不退了，只退登山靴", ("boots",)),
        ("forget the speaker, only the boots", ("boots",)),
        ("keep the speaker and return the rest", ("shirt-black", "shirt-white", "boots")),
    ],
)
def test_items_taken_out_while_others_are_named(text: str, expected: tuple[str, ...]) -> None:
    assert resolve_items(text, "en", ORDER, glossary=glossary()).value == expected


@pytest.mark.parametrize(
    "text", ["never mind the speaker", "I no longer want to return the speaker", "音箱算了"]
)
def test_an_item_dropped_from_the_choice_is_named_in_the_note(text: str) -> None:
    result = resolve_items(text, "en", ORDER, glossary=glossary())
    assert (result.outcome, result.note) == ("none", "without:speaker")


def test_chinese_change_of_mind_about_one_item() -> None:
    result = resolve_items("另外音箱不改了，只改登山靴", "zh", ORDER, glossary=glossary())
    assert result.value == ("boots",)


def _priced(name: str, item_id: str, price: float, **options: str) -> dict[str, Any]:
    return {**_item(name, item_id, **options), "price": price}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the pricier tablet", ("t-450",)),
        ("return the more expensive one of the two tablets", ("t-450",)),
        ("the cheaper tablet and the skateboard", ("t-300", "skate")),
        ("贵的那个平板", ("t-450",)),
        ("the tablet, the more expensive one", ("t-450",)),
        ("both tablets", ("t-300", "t-450")),
    ],
)
def test_the_pricier_or_cheaper_of_similar_items(text: str, expected: tuple[str, ...]) -> None:
    order = [
        _priced("Tablet", "t-300", 300.0, color="black"),
        _priced("Tablet", "t-450", 450.0, color="silver"),
        _priced("Skateboard", "skate", 100.0),
    ]
    assert resolve_items(text, "en", order, glossary=glossary()).value == expected
