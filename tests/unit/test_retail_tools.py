"""The retail tools of the τ² actions added with issue #10, through the tool registry's rails: schema,
verified customer, confirmation, refusals from the rules, personal fields never stored as given."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.domain.errors import ToolError
from kefu.packs.retail.memory_shop import MemoryRetailShop
from kefu.packs.retail.shop import ShopData
from kefu.packs.retail.tools import build_registry
from kefu.tools.registry import REDACTED, ToolRegistry
from retail_records import (
    BOTTLE_BLUE_GLASS,
    BOTTLE_GREEN,
    BOTTLE_RED_GLASS,
    CHAIR_BLACK,
    CHAIR_GRAY,
    NEW_ADDRESS,
    PRODUCTS,
    order,
    user,
)

ME, OTHER = "james_li_5688", "ann_other_1"
ADDRESS: dict[str, Any] = dict(NEW_ADDRESS)


def make_shop(balance: float = 50.0) -> MemoryRetailShop:
    mine = {**order("pending", paid_with="gift_card_3"), "order_id": "#W0000001"}
    theirs = {**order("pending"), "order_id": "#W0000002", "user_id": OTHER}
    users = {ME: {**user(balance), "address": dict(mine["address"])}, OTHER: {**user(0.0), "address": {}}}
    return MemoryRetailShop(
        ShopData(users=users, orders={"#W0000001": mine, "#W0000002": theirs}, products=PRODUCTS)
    )


@pytest.fixture
def shop() -> MemoryRetailShop:
    return make_shop()


@pytest.fixture
def tools(shop: MemoryRetailShop) -> ToolRegistry:
    return build_registry(shop)


def call(
    tools: ToolRegistry, name: str, confirmed: bool = True, customer: str | None = ME, **args: Any
) -> Any:
    return tools.call(name, args, customer_id=customer, idempotency_key="turn-1", confirmed=confirmed)


def refusal(tools: ToolRegistry, name: str, **args: Any) -> str:
    with pytest.raises(ToolError) as refused:
        call(tools, name, **args)
    return refused.value.user_message


WRITES: dict[str, dict[str, Any]] = {
    "modify_pending_order_items": {
        "order_id": "#W0000001",
        "item_ids": [BOTTLE_BLUE_GLASS],
        "new_item_ids": [BOTTLE_RED_GLASS],
        "payment_method_id": "credit_card_1",
    },
    "modify_pending_order_payment": {"order_id": "#W0000001", "payment_method_id": "paypal_2"},
    "modify_user_address": ADDRESS,
}


@pytest.mark.parametrize("name", list(WRITES))
def test_the_new_write_tools_need_confirmation(
    tools: ToolRegistry, shop: MemoryRetailShop, name: str
) -> None:
    before = shop.snapshot()
    with pytest.raises(ToolError) as unconfirmed:
        call(tools, name, confirmed=False, **WRITES[name])
    assert unconfirmed.value.user_message == "confirmation_required"
    assert shop.snapshot() == before
    call(tools, name, **WRITES[name])
    assert shop.snapshot() != before


def test_modify_items_charges_the_gift_card(tools: ToolRegistry, shop: MemoryRetailShop) -> None:
    result = call(
        tools,
        "modify_pending_order_items",
        order_id="#W0000001",
        item_ids=[CHAIR_BLACK],
        new_item_ids=[CHAIR_GRAY],
        payment_method_id="gift_card_3",
    )
    assert result.output["status"] == "pending (item modified)"
    me = shop.get_user(ME)
    assert me is not None and me["payment_methods"]["gift_card_3"]["balance"] == 28.71


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ({"new_item_ids": [BOTTLE_GREEN]}, "variant_unavailable"),
        ({"new_item_ids": [BOTTLE_BLUE_GLASS]}, "same_item"),
        ({"payment_method_id": "paypal_999"}, "unknown_payment_method"),
        ({"order_id": "#W0000002"}, "order_not_found"),  # another customer's order
        ({"order_id": "W0000001"}, "invalid_arguments"),
    ],
)
def test_modify_items_refusals(tools: ToolRegistry, args: dict[str, Any], reason: str) -> None:
    base = {
        "order_id": "#W0000001",
        "item_ids": [BOTTLE_BLUE_GLASS],
        "new_item_ids": [BOTTLE_RED_GLASS],
        "payment_method_id": "credit_card_1",
    }
    assert refusal(tools, "modify_pending_order_items", **{**base, **args}) == reason


@pytest.mark.parametrize(("balance", "allowed"), [(21.28, False), (21.3, True)])
def test_modify_items_gift_card_covers_the_difference(balance: float, allowed: bool) -> None:
    """The chair costs 21.29 more."""
    tools = build_registry(make_shop(balance))
    args: dict[str, Any] = {"order_id": "#W0000001", "item_ids": [CHAIR_BLACK], "new_item_ids": [CHAIR_GRAY]}
    if allowed:
        call(tools, "modify_pending_order_items", payment_method_id="gift_card_3", **args)
    else:
        assert refusal(tools, "modify_pending_order_items", payment_method_id="gift_card_3", **args) == (
            "gift_card_balance"
        )


def test_modify_payment(tools: ToolRegistry, shop: MemoryRetailShop) -> None:
    assert refusal(
        tools, "modify_pending_order_payment", order_id="#W0000001", payment_method_id="gift_card_3"
    ) == ("same_payment_method")
    result = call(tools, "modify_pending_order_payment", order_id="#W0000001", payment_method_id="paypal_2")
    assert [p["payment_method_id"] for p in result.output["payment_history"]] == [
        "gift_card_3",
        "paypal_2",
        "gift_card_3",
    ]
    me = shop.get_user(ME)
    assert me is not None and me["payment_methods"]["gift_card_3"]["balance"] == 586.65
    assert refusal(
        tools, "modify_pending_order_payment", order_id="#W0000001", payment_method_id="credit_card_1"
    ) == ("payment_not_modifiable")


def test_modify_user_address_changes_only_the_verified_customer(
    tools: ToolRegistry, shop: MemoryRetailShop
) -> None:
    result = call(tools, "modify_user_address", user_id=OTHER, **ADDRESS)  # user_id is not a parameter
    assert result.output["address"] == NEW_ADDRESS
    other = shop.get_user(OTHER)
    assert other is not None and other["address"] == {}
    stored = result.event()["arguments"]
    assert stored["address1"] == REDACTED and stored["zip"] == REDACTED and stored["state"] == "TX"
    with pytest.raises(ToolError) as anonymous:
        call(tools, "modify_user_address", customer=None, **ADDRESS)
    assert anonymous.value.user_message == "not_verified"


def test_get_item_details(tools: ToolRegistry) -> None:
    found = call(tools, "get_item_details", confirmed=False, customer=None, item_id=CHAIR_GRAY).output
    assert found == {
        "item_id": CHAIR_GRAY,
        "options": {"color": "gray"},
        "available": True,
        "price": 510.10,
        "product_id": "4794339885",
        "name": "Office Chair",
    }
    with pytest.raises(ToolError) as missing:
        call(tools, "get_item_details", item_id="0000000000")
    assert missing.value.user_message == "item_not_found"
