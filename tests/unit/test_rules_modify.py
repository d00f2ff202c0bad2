"""The rules of the pending-order changes (items, payment) and of the default address, as τ² enforces
them: each refusal, and the same call allowed once the reason is gone."""

from __future__ import annotations

import pytest

from kefu.packs.retail.rules import (
    Refusal,
    check_modify_items,
    check_modify_payment,
    check_modify_user_address,
    check_return,
    item_price_difference,
)
from retail_records import (
    BOTTLE,
    BOTTLE_BLUE_GLASS,
    BOTTLE_BLUE_STEEL,
    BOTTLE_GREEN,
    BOTTLE_RED_GLASS,
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


def modify(
    old: list[str],
    new: list[str],
    method: str = "credit_card_1",
    status: str = "pending",
    balance: float = 100.0,
) -> Refusal | None:
    return check_modify_items(order(status), user(balance), PRODUCTS, old, new, method)


# -- modify items -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "method"),
    [
        ([BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], "credit_card_1"),
        ([BOTTLE_BLUE_GLASS], [BOTTLE_BLUE_STEEL], "paypal_2"),
        ([CHAIR_BLACK], [CHAIR_GRAY], "gift_card_3"),  # 21.29 to pay, balance 100
        ([CHAIR_BLACK], [CHAIR_CHEAP], "gift_card_3"),  # money back
        ([BOTTLE_BLUE_GLASS, CHAIR_BLACK], [BOTTLE_RED_GLASS, CHAIR_GRAY], "credit_card_1"),
    ],
)
def test_modify_items_allowed(old: list[str], new: list[str], method: str) -> None:
    assert modify(old, new, method) is None


def test_modify_items_only_once() -> None:
    refusal = modify([BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], status="pending (item modified)")
    assert refusal == Refusal("items_already_modified", {"status": "pending (item modified)"})


@pytest.mark.parametrize("status", [s for s in STATUSES if "pending" not in s])
def test_modify_items_only_pending(status: str) -> None:
    refusal = modify([BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], status=status)
    assert refusal == Refusal("not_pending", {"status": status})


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ([], [], Refusal("no_items")),
        ([BOTTLE_BLUE_GLASS], [], Refusal("no_items")),
        ([BOTTLE_BLUE_GLASS, CHAIR_BLACK], [BOTTLE_RED_GLASS], Refusal("no_items")),
        (
            [BOTTLE_RED_GLASS],
            [BOTTLE_BLUE_STEEL],
            Refusal("item_not_in_order", {"item_id": BOTTLE_RED_GLASS}),
        ),
        (
            [BOTTLE_BLUE_GLASS, BOTTLE_BLUE_GLASS],
            [BOTTLE_RED_GLASS, BOTTLE_BLUE_STEEL],
            Refusal("item_not_in_order", {"item_id": BOTTLE_BLUE_GLASS}),
        ),
        ([BOTTLE_BLUE_GLASS], [CHAIR_GRAY], Refusal("not_same_product", {"item_id": CHAIR_GRAY})),
        ([BOTTLE_BLUE_GLASS], [BOTTLE_BLUE_GLASS], Refusal("same_item", {"item_id": BOTTLE_BLUE_GLASS})),
        ([BOTTLE_BLUE_GLASS], [BOTTLE_GREEN], Refusal("variant_unavailable", {"item_id": BOTTLE_GREEN})),
    ],
)
def test_modify_items_refusals(old: list[str], new: list[str], expected: Refusal) -> None:
    assert modify(old, new) == expected


def test_modify_items_counts_duplicates() -> None:
    two_bottles = order("pending", items=[item(BOTTLE, BOTTLE_BLUE_GLASS), item(BOTTLE, BOTTLE_BLUE_GLASS)])
    twice, new = [BOTTLE_BLUE_GLASS, BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS, BOTTLE_BLUE_STEEL]
    assert check_modify_items(two_bottles, user(), PRODUCTS, twice, new, "paypal_2") is None


def test_modify_items_with_an_unknown_method() -> None:
    refusal = modify([BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], "paypal_999")
    assert refusal == Refusal("unknown_payment_method", {"payment_method_id": "paypal_999"})


@pytest.mark.parametrize(("balance", "allowed"), [(0.0, False), (21.28, False), (21.3, True), (100.0, True)])
def test_modify_items_gift_card_must_cover_a_positive_difference(balance: float, allowed: bool) -> None:
    refusal = modify([CHAIR_BLACK], [CHAIR_GRAY], "gift_card_3", balance=balance)
    assert (
        refusal is None
        if allowed
        else refusal == Refusal("gift_card_balance", {"balance": balance, "needed": 21.29})
    )


def test_modify_items_to_a_cheaper_item_needs_no_balance() -> None:
    assert modify([CHAIR_BLACK], [CHAIR_CHEAP], "gift_card_3", balance=0.0) is None


def test_the_item_difference_is_tau2s_unrounded_sum() -> None:
    difference = item_price_difference(order("pending"), PRODUCTS, [CHAIR_BLACK], [CHAIR_GRAY])
    assert difference == 510.10 - 488.81 and difference != 21.29  # τ² stores 21.290000000000020


# -- modify payment -----------------------------------------------------------------------------


@pytest.mark.parametrize(("paid_with", "new"), [("credit_card_1", "paypal_2"), ("paypal_2", "credit_card_1")])
def test_modify_payment_allowed(paid_with: str, new: str) -> None:
    assert check_modify_payment(order("pending", paid_with=paid_with), user(), new) is None


@pytest.mark.parametrize("status", [s for s in STATUSES if "pending" not in s])
def test_modify_payment_only_pending(status: str) -> None:
    refusal = check_modify_payment(order(status), user(), "paypal_2")
    assert refusal == Refusal("not_pending", {"status": status})


def test_modify_payment_to_the_same_method() -> None:
    refusal = check_modify_payment(order("pending"), user(), "credit_card_1")
    assert refusal == Refusal("same_payment_method", {"payment_method_id": "credit_card_1"})


def test_modify_payment_to_an_unknown_method() -> None:
    refusal = check_modify_payment(order("pending"), user(), "gift_card_999")
    assert refusal == Refusal("unknown_payment_method", {"payment_method_id": "gift_card_999"})


def test_modify_payment_once_and_not_after_an_item_change() -> None:
    changed: Record = order("pending")
    changed["payment_history"].append(
        {"transaction_type": "payment", "amount": 2.11, "payment_method_id": "credit_card_1"}
    )
    refusal = check_modify_payment(changed, user(), "paypal_2")
    assert refusal == Refusal("payment_not_modifiable", {"transactions": 2})
    changed["status"] = "pending (item modified)"
    assert check_modify_payment(changed, user(), "paypal_2") == refusal


@pytest.mark.parametrize(("balance", "allowed"), [(536.64, False), (536.65, True), (1000.0, True)])
def test_modify_payment_gift_card_covers_the_total(balance: float, allowed: bool) -> None:
    refusal = check_modify_payment(order("pending"), user(balance), "gift_card_3")  # total 536.65
    assert (
        refusal is None
        if allowed
        else refusal == Refusal("gift_card_balance", {"balance": balance, "needed": 536.65})
    )


# -- default address ----------------------------------------------------------------------------


def test_modify_user_address() -> None:
    assert check_modify_user_address(user(), NEW_ADDRESS) is None
    assert check_modify_user_address(None, NEW_ADDRESS) == Refusal("not_verified")
    blank_city = {**NEW_ADDRESS, "city": " "}
    assert check_modify_user_address(user(), blank_city) == Refusal("bad_address", {"missing": "city"})


# -- return: τ²'s original method is the first transaction --------------------------------------


def test_return_refund_goes_to_the_first_payment_method() -> None:
    paid_twice = order(paid_with="paypal_2")
    paid_twice["payment_history"].append(
        {"transaction_type": "payment", "amount": 5.0, "payment_method_id": "credit_card_1"}
    )
    assert check_return(paid_twice, user(), [BOTTLE_BLUE_GLASS], "paypal_2") is None
    refusal = check_return(paid_twice, user(), [BOTTLE_BLUE_GLASS], "credit_card_1")
    assert refusal == Refusal("refund_method_not_allowed", {"payment_method_id": "credit_card_1"})
