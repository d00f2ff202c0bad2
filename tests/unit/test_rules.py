"""The retail policy as code: cancel, modify address, return, exchange, and the price difference."""

from __future__ import annotations

import pytest

from kefu.packs.retail.rules import (
    CANCEL_REASONS,
    Refusal,
    check_cancel,
    check_exchange,
    check_modify_address,
    check_return,
    order_total,
    original_payment_method,
    price_difference,
)
from retail_records import (
    BOTTLE,
    BOTTLE_BLUE_GLASS,
    BOTTLE_BLUE_STEEL,
    BOTTLE_GREEN,
    BOTTLE_RED_GLASS,
    CHAIR,
    CHAIR_BLACK,
    CHAIR_CHEAP,
    CHAIR_GRAY,
    NEW_ADDRESS,
    PRODUCTS,
    STATUSES,
    Record,
    item,
    order,
    user,
)

# -- cancel -------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", CANCEL_REASONS)
def test_cancel_pending_for_an_allowed_reason(reason: str) -> None:
    assert check_cancel(order("pending"), reason) is None


@pytest.mark.parametrize("status", [s for s in STATUSES if s != "pending"])
def test_cancel_only_pending(status: str) -> None:
    assert check_cancel(order(status), "no longer needed") == Refusal("not_pending", {"status": status})


@pytest.mark.parametrize(
    "reason", ["", "too expensive", "No longer needed", "ordered by mistake ", "不需要了", "found it cheaper"]
)
def test_cancel_only_the_two_reasons(reason: str) -> None:
    assert check_cancel(order("pending"), reason) == Refusal("bad_cancel_reason", {"reason": reason})


def test_cancel_checks_the_status_first() -> None:
    assert check_cancel(order("delivered"), "too expensive") == Refusal(
        "not_pending", {"status": "delivered"}
    )


def test_cancel_an_order_without_status() -> None:
    assert check_cancel({}, "no longer needed") == Refusal("not_pending", {"status": ""})


def test_cancel_reasons_are_the_tau_bench_ones() -> None:
    assert CANCEL_REASONS == ("no longer needed", "ordered by mistake")


# -- modify address -----------------------------------------------------------------------------


def test_modify_address_of_a_pending_order() -> None:
    assert check_modify_address(order("pending"), NEW_ADDRESS) is None


def test_modify_address_after_the_items_were_modified() -> None:
    assert check_modify_address(order("pending (item modified)"), NEW_ADDRESS) is None  # as in τ²


@pytest.mark.parametrize("status", [s for s in STATUSES if "pending" not in s])
def test_modify_address_only_pending(status: str) -> None:
    assert check_modify_address(order(status), NEW_ADDRESS) == Refusal("not_pending", {"status": status})


@pytest.mark.parametrize("missing", ["address1", "city", "zip"])
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_modify_address_needs_street_city_and_zip(missing: str, blank: str | None) -> None:
    address = dict(NEW_ADDRESS)
    if blank is None:
        del address[missing]
    else:
        address[missing] = blank
    assert check_modify_address(order("pending"), address) == Refusal("bad_address", {"missing": missing})


@pytest.mark.parametrize("optional", ["address2", "state", "country"])
def test_modify_address_other_fields_are_optional(optional: str) -> None:
    address = {k: v for k, v in NEW_ADDRESS.items() if k != optional}
    assert check_modify_address(order("pending"), address) is None


# -- return -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_ids", "method"),
    [
        ([BOTTLE_BLUE_GLASS], "credit_card_1"),
        ([CHAIR_BLACK], "credit_card_1"),
        ([BOTTLE_BLUE_GLASS, CHAIR_BLACK], "credit_card_1"),
        ([BOTTLE_BLUE_GLASS], "gift_card_3"),  # a gift card is always allowed
        ([BOTTLE_BLUE_GLASS, CHAIR_BLACK], "gift_card_3"),
    ],
)
def test_return_allowed(item_ids: list[str], method: str) -> None:
    assert check_return(order("delivered"), user(), item_ids, method) is None


@pytest.mark.parametrize("status", [s for s in STATUSES if s != "delivered"])
def test_return_only_delivered(status: str) -> None:
    refusal = check_return(order(status), user(), [BOTTLE_BLUE_GLASS], "credit_card_1")
    assert refusal == Refusal("not_delivered", {"status": status})


def test_return_needs_items() -> None:
    assert check_return(order(), user(), [], "credit_card_1") == Refusal("no_items")


@pytest.mark.parametrize(
    ("item_ids", "bad"),
    [
        ([BOTTLE_RED_GLASS], BOTTLE_RED_GLASS),  # same product, other variant
        (["0000000000"], "0000000000"),
        ([BOTTLE_BLUE_GLASS, BOTTLE_BLUE_GLASS], BOTTLE_BLUE_GLASS),  # only one in the order
        ([CHAIR_BLACK, BOTTLE_BLUE_GLASS, CHAIR_BLACK], CHAIR_BLACK),
    ],
)
def test_return_items_must_be_in_the_order(item_ids: list[str], bad: str) -> None:
    refusal = check_return(order(), user(), item_ids, "credit_card_1")
    assert refusal == Refusal("item_not_in_order", {"item_id": bad})


def test_return_counts_duplicate_items() -> None:
    two_bottles = order(items=[item(BOTTLE, BOTTLE_BLUE_GLASS), item(BOTTLE, BOTTLE_BLUE_GLASS)])
    both = [BOTTLE_BLUE_GLASS, BOTTLE_BLUE_GLASS]
    assert check_return(two_bottles, user(), both, "credit_card_1") is None
    assert check_return(two_bottles, user(), [BOTTLE_BLUE_GLASS], "credit_card_1") is None
    three = [BOTTLE_BLUE_GLASS] * 3
    assert check_return(two_bottles, user(), three, "credit_card_1") == Refusal(
        "item_not_in_order", {"item_id": BOTTLE_BLUE_GLASS}
    )


@pytest.mark.parametrize(
    ("paid_with", "refund_to", "allowed"),
    [
        ("credit_card_1", "credit_card_1", True),
        ("credit_card_1", "gift_card_3", True),
        ("credit_card_1", "paypal_2", False),
        ("paypal_2", "paypal_2", True),
        ("paypal_2", "credit_card_1", False),
        ("paypal_2", "gift_card_3", True),
        ("gift_card_3", "gift_card_3", True),
        ("gift_card_3", "credit_card_1", False),
    ],
)
def test_refund_to_the_original_method_or_a_gift_card(paid_with: str, refund_to: str, allowed: bool) -> None:
    refusal = check_return(order(paid_with=paid_with), user(), [BOTTLE_BLUE_GLASS], refund_to)
    if allowed:
        assert refusal is None
    else:
        assert refusal == Refusal("refund_method_not_allowed", {"payment_method_id": refund_to})


@pytest.mark.parametrize("method", ["credit_card_999", "gift_card_999", ""])
def test_refund_to_an_unknown_method(method: str) -> None:
    refusal = check_return(order(paid_with=method), user(), [BOTTLE_BLUE_GLASS], method)
    assert refusal == Refusal("unknown_payment_method", {"payment_method_id": method})


# -- exchange -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "method"),
    [
        ([BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], "credit_card_1"),
        ([BOTTLE_BLUE_GLASS], [BOTTLE_BLUE_STEEL], "paypal_2"),  # any method of the user may pay
        ([CHAIR_BLACK], [CHAIR_GRAY], "gift_card_3"),  # 21.29 to pay, balance 100
        ([CHAIR_BLACK], [CHAIR_CHEAP], "gift_card_3"),  # money back
        ([BOTTLE_BLUE_GLASS, CHAIR_BLACK], [BOTTLE_RED_GLASS, CHAIR_GRAY], "credit_card_1"),
        ([CHAIR_BLACK, BOTTLE_BLUE_GLASS], [CHAIR_CHEAP, BOTTLE_BLUE_STEEL], "gift_card_3"),
        ([BOTTLE_BLUE_GLASS], [BOTTLE_BLUE_GLASS], "credit_card_1"),  # a new one of the same (τ² allows it)
        ([BOTTLE_BLUE_GLASS, CHAIR_BLACK], [BOTTLE_RED_GLASS, CHAIR_BLACK], "paypal_2"),
    ],
)
def test_exchange_allowed(old: list[str], new: list[str], method: str) -> None:
    assert check_exchange(order(), user(), PRODUCTS, old, new, method) is None


@pytest.mark.parametrize("status", [s for s in STATUSES if s != "delivered"])
def test_exchange_only_delivered(status: str) -> None:
    refusal = check_exchange(
        order(status), user(), PRODUCTS, [BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], "paypal_2"
    )
    assert refusal == Refusal("not_delivered", {"status": status})


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ([], []),
        ([BOTTLE_BLUE_GLASS], []),
        ([BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS, BOTTLE_BLUE_STEEL]),
        ([BOTTLE_BLUE_GLASS, CHAIR_BLACK], [BOTTLE_RED_GLASS]),
    ],
)
def test_exchange_needs_one_new_item_per_old_item(old: list[str], new: list[str]) -> None:
    assert check_exchange(order(), user(), PRODUCTS, old, new, "credit_card_1") == Refusal("no_items")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            [BOTTLE_RED_GLASS],
            [BOTTLE_BLUE_STEEL],
            Refusal("item_not_in_order", {"item_id": BOTTLE_RED_GLASS}),
        ),
        ([BOTTLE_BLUE_GLASS], [CHAIR_GRAY], Refusal("not_same_product", {"item_id": CHAIR_GRAY})),
        ([CHAIR_BLACK], [BOTTLE_RED_GLASS], Refusal("not_same_product", {"item_id": BOTTLE_RED_GLASS})),
        ([BOTTLE_BLUE_GLASS], ["0000000000"], Refusal("not_same_product", {"item_id": "0000000000"})),
        ([BOTTLE_BLUE_GLASS], [BOTTLE_GREEN], Refusal("variant_unavailable", {"item_id": BOTTLE_GREEN})),
    ],
)
def test_exchange_refusals(old: list[str], new: list[str], expected: Refusal) -> None:
    assert check_exchange(order(), user(), PRODUCTS, old, new, "credit_card_1") == expected


def test_exchange_counts_duplicate_items() -> None:
    one_bottle = order()
    twice = [BOTTLE_BLUE_GLASS, BOTTLE_BLUE_GLASS]
    new = [BOTTLE_RED_GLASS, BOTTLE_BLUE_STEEL]
    assert check_exchange(one_bottle, user(), PRODUCTS, twice, new, "credit_card_1") == Refusal(
        "item_not_in_order", {"item_id": BOTTLE_BLUE_GLASS}
    )
    two_bottles = order(items=[item(BOTTLE, BOTTLE_BLUE_GLASS), item(BOTTLE, BOTTLE_BLUE_GLASS)])
    assert check_exchange(two_bottles, user(), PRODUCTS, twice, new, "credit_card_1") is None


def test_exchange_with_an_unknown_payment_method() -> None:
    refusal = check_exchange(order(), user(), PRODUCTS, [BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], "paypal_999")
    assert refusal == Refusal("unknown_payment_method", {"payment_method_id": "paypal_999"})


@pytest.mark.parametrize(
    ("balance", "allowed"),
    [(0.0, False), (21.28, False), (21.29, True), (100.0, True)],
)
def test_gift_card_balance_must_cover_the_difference(balance: float, allowed: bool) -> None:
    refusal = check_exchange(order(), user(balance), PRODUCTS, [CHAIR_BLACK], [CHAIR_GRAY], "gift_card_3")
    if allowed:
        assert refusal is None
    else:
        assert refusal == Refusal("gift_card_balance", {"balance": balance, "needed": 21.29})


def test_an_empty_gift_card_may_take_money_back() -> None:
    assert check_exchange(order(), user(0.0), PRODUCTS, [CHAIR_BLACK], [CHAIR_CHEAP], "gift_card_3") is None


def test_only_gift_cards_have_a_balance_check() -> None:
    assert check_exchange(order(), user(0.0), PRODUCTS, [CHAIR_BLACK], [CHAIR_GRAY], "credit_card_1") is None


# -- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ([BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], 2.11),
        ([BOTTLE_BLUE_GLASS], [BOTTLE_BLUE_STEEL], 2.30),
        ([CHAIR_BLACK], [CHAIR_GRAY], 21.29),
        ([CHAIR_BLACK], [CHAIR_CHEAP], -8.80),
        ([BOTTLE_BLUE_GLASS, CHAIR_BLACK], [BOTTLE_RED_GLASS, CHAIR_CHEAP], -6.69),
        ([BOTTLE_BLUE_GLASS, CHAIR_BLACK], [BOTTLE_BLUE_STEEL, CHAIR_GRAY], 23.59),
        ([], [], 0.0),
    ],
)
def test_price_difference_sign(old: list[str], new: list[str], expected: float) -> None:
    difference = price_difference(order(), PRODUCTS, old, new)
    assert difference == pytest.approx(expected)
    assert difference == round(difference, 2)


def test_price_difference_of_the_same_variant_is_zero() -> None:
    assert price_difference(order(), PRODUCTS, [BOTTLE_BLUE_GLASS], [BOTTLE_BLUE_GLASS]) == 0.0


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([item(BOTTLE, BOTTLE_BLUE_GLASS), item(CHAIR, CHAIR_BLACK)], 536.65),
        ([item(BOTTLE, BOTTLE_BLUE_GLASS), item(BOTTLE, BOTTLE_BLUE_GLASS)], 95.68),
        ([], 0.0),
    ],
)
def test_order_total(items: list[Record], expected: float) -> None:
    assert order_total(order(items=items)) == pytest.approx(expected)


def test_original_payment_method() -> None:
    assert original_payment_method(order(paid_with="paypal_2")) == "paypal_2"
    refunded_first: Record = {
        "payment_history": [
            {"transaction_type": "refund", "amount": 10, "payment_method_id": "gift_card_3"},
            {"transaction_type": "payment", "amount": 10, "payment_method_id": "credit_card_1"},
        ]
    }
    assert original_payment_method(refunded_first) == "credit_card_1"
    assert original_payment_method({"payment_history": []}) is None
    assert original_payment_method({}) is None
