"""What each retail action writes, against τ²'s tools: status names, fields, payment history entries and
gift-card balances (credited at once on a cancellation or any refund to a gift card)."""

from __future__ import annotations

import copy

import pytest

from kefu.domain.errors import ToolError
from kefu.packs.retail import changes
from retail_records import (
    BOTTLE,
    BOTTLE_BLUE_GLASS,
    BOTTLE_BLUE_STEEL,
    BOTTLE_RED_GLASS,
    CHAIR,
    CHAIR_BLACK,
    CHAIR_CHEAP,
    CHAIR_GRAY,
    NEW_ADDRESS,
    PRODUCTS,
    Record,
    item,
    order,
    user,
)


def balance(customer: Record) -> float:
    return float(customer["payment_methods"]["gift_card_3"]["balance"])


# -- cancel -------------------------------------------------------------------------------------


def test_cancel_credits_a_gift_card_at_once() -> None:
    paid, customer = order("pending", paid_with="gift_card_3"), user(10.0)
    changes.cancel(paid, customer, "ordered by mistake")
    assert paid["status"] == "cancelled" and paid["cancel_reason"] == "ordered by mistake"
    assert paid["payment_history"][1:] == [
        {"transaction_type": "refund", "amount": 536.65, "payment_method_id": "gift_card_3"}
    ]
    assert balance(customer) == 546.65


def test_cancel_to_a_card_leaves_gift_cards_alone() -> None:
    paid, customer = order("pending"), user(10.0)
    changes.cancel(paid, customer, "no longer needed")
    assert paid["payment_history"][-1] == {
        "transaction_type": "refund",
        "amount": 536.65,
        "payment_method_id": "credit_card_1",
    }
    assert balance(customer) == 10.0


def test_a_refused_cancel_changes_nothing() -> None:
    delivered, customer = order("delivered", paid_with="gift_card_3"), user(10.0)
    before = copy.deepcopy((delivered, customer))
    with pytest.raises(ToolError) as refused:
        changes.cancel(delivered, customer, "no longer needed")
    assert refused.value.user_message == "not_pending"
    assert (delivered, customer) == before


def test_cancel_after_a_payment_change_refunds_what_is_still_paid() -> None:
    paid, customer = order("pending", paid_with="credit_card_1"), user(1000.0)
    changes.modify_payment(paid, customer, "gift_card_3")
    assert balance(customer) == 463.35
    changes.cancel(paid, customer, "no longer needed")
    assert paid["payment_history"][3:] == [
        {"transaction_type": "refund", "amount": 536.65, "payment_method_id": "gift_card_3"}
    ]
    assert balance(customer) == 1000.0


# -- modify items -------------------------------------------------------------------------------


def test_modify_items_charges_the_difference_to_a_gift_card() -> None:
    pending, customer = order("pending"), user(100.0)
    changes.modify_items(pending, customer, PRODUCTS, [CHAIR_BLACK], [CHAIR_GRAY], "gift_card_3")
    assert pending["status"] == "pending (item modified)"
    assert pending["payment_history"][-1] == {
        "transaction_type": "payment",
        "amount": abs(510.10 - 488.81),  # τ²'s unrounded amount
        "payment_method_id": "gift_card_3",
    }
    assert balance(customer) == 78.71
    chair = pending["items"][1]
    assert chair == {**item(CHAIR, CHAIR_GRAY), "name": "Office Chair"}


def test_modify_items_to_cheaper_ones_refunds_and_credits_a_gift_card() -> None:
    pending, customer = order("pending"), user(0.0)
    changes.modify_items(pending, customer, PRODUCTS, [CHAIR_BLACK], [CHAIR_CHEAP], "gift_card_3")
    entry = pending["payment_history"][-1]
    assert entry["transaction_type"] == "refund" and entry["amount"] == pytest.approx(8.80)
    assert balance(customer) == 8.8


def test_modify_items_writes_each_items_own_variant() -> None:
    """τ² writes the last listed variant into every item (tau2-bench #318); each keeps its own here."""
    pending, customer = order("pending"), user()
    changes.modify_items(
        pending,
        customer,
        PRODUCTS,
        [BOTTLE_BLUE_GLASS, CHAIR_BLACK],
        [BOTTLE_RED_GLASS, CHAIR_CHEAP],
        "paypal_2",
    )
    assert [(i["item_id"], i["price"], i["options"]) for i in pending["items"]] == [
        (BOTTLE_RED_GLASS, 49.95, {"color": "red", "material": "glass"}),
        (CHAIR_CHEAP, 480.01, {"color": "blue"}),
    ]
    assert pending["payment_history"][-1]["payment_method_id"] == "paypal_2"
    assert balance(customer) == 100.0


def test_modify_two_of_the_same_item_to_different_variants() -> None:
    pending = order("pending", items=[item(BOTTLE, BOTTLE_BLUE_GLASS), item(BOTTLE, BOTTLE_BLUE_GLASS)])
    changes.modify_items(
        pending,
        user(),
        PRODUCTS,
        [BOTTLE_BLUE_GLASS, BOTTLE_BLUE_GLASS],
        [BOTTLE_RED_GLASS, BOTTLE_BLUE_STEEL],
        "credit_card_1",
    )
    assert [i["item_id"] for i in pending["items"]] == [BOTTLE_RED_GLASS, BOTTLE_BLUE_STEEL]


def test_modify_items_twice_is_refused() -> None:
    pending, customer = order("pending"), user()
    changes.modify_items(pending, customer, PRODUCTS, [CHAIR_BLACK], [CHAIR_GRAY], "credit_card_1")
    with pytest.raises(ToolError) as refused:
        changes.modify_items(
            pending, customer, PRODUCTS, [BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], "credit_card_1"
        )
    assert refused.value.user_message == "items_already_modified"


# -- modify payment -----------------------------------------------------------------------------


def test_modify_payment_from_a_gift_card_to_a_card() -> None:
    pending, customer = order("pending", paid_with="gift_card_3"), user(10.0)
    changes.modify_payment(pending, customer, "credit_card_1")
    assert pending["status"] == "pending"
    assert pending["payment_history"] == [
        {"transaction_type": "payment", "amount": 536.65, "payment_method_id": "gift_card_3"},
        {"transaction_type": "payment", "amount": 536.65, "payment_method_id": "credit_card_1"},
        {"transaction_type": "refund", "amount": 536.65, "payment_method_id": "gift_card_3"},
    ]
    assert balance(customer) == 546.65


def test_modify_payment_to_a_gift_card_takes_its_balance() -> None:
    pending, customer = order("pending"), user(600.0)
    changes.modify_payment(pending, customer, "gift_card_3")
    assert balance(customer) == 63.35
    with pytest.raises(ToolError) as refused:
        changes.modify_payment(pending, customer, "paypal_2")
    assert refused.value.user_message == "payment_not_modifiable"


# -- addresses ----------------------------------------------------------------------------------


def test_addresses_are_written_in_tau2s_field_order() -> None:
    pending, customer = order("pending"), user()
    changes.modify_address(pending, NEW_ADDRESS)
    changes.modify_user_address(customer, {**NEW_ADDRESS, "address2": None})
    assert list(pending["address"]) == ["address1", "address2", "city", "country", "state", "zip"]
    assert pending["address"] == NEW_ADDRESS
    assert customer["address"] == {**NEW_ADDRESS, "address2": ""}


# -- return and exchange ------------------------------------------------------------------------


def test_return_records_the_items_and_the_refund_method_only() -> None:
    delivered, customer = order("delivered", paid_with="gift_card_3"), user(10.0)
    changes.return_items(delivered, customer, [CHAIR_BLACK, BOTTLE_BLUE_GLASS], "gift_card_3")
    assert delivered["status"] == "return requested"
    assert delivered["return_items"] == sorted([CHAIR_BLACK, BOTTLE_BLUE_GLASS])
    assert delivered["return_payment_method_id"] == "gift_card_3"
    assert len(delivered["payment_history"]) == 1 and balance(customer) == 10.0  # refunded on arrival


def test_exchange_records_the_rounded_difference_and_moves_no_money() -> None:
    delivered, customer = order("delivered"), user(100.0)
    changes.exchange_items(
        delivered,
        customer,
        PRODUCTS,
        [CHAIR_BLACK, BOTTLE_BLUE_GLASS],
        [CHAIR_GRAY, BOTTLE_BLUE_GLASS],
        "gift_card_3",
    )
    assert delivered["status"] == "exchange requested"
    assert delivered["exchange_items"] == sorted([CHAIR_BLACK, BOTTLE_BLUE_GLASS])
    assert delivered["exchange_new_items"] == sorted([CHAIR_GRAY, BOTTLE_BLUE_GLASS])
    assert delivered["exchange_payment_method_id"] == "gift_card_3"
    assert delivered["exchange_price_difference"] == 21.29
    assert balance(customer) == 100.0 and len(delivered["payment_history"]) == 1
