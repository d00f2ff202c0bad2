"""The demo business system against SQLite and PostgreSQL: rules enforced, side effects applied once."""

from __future__ import annotations

import pytest

from kefu.domain.errors import ToolError
from kefu.packs.retail.demo_data import generate_demo_shop
from kefu.packs.retail.shop import ShopData
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.shop import SqlRetailShop


@pytest.fixture
def demo() -> ShopData:
    return generate_demo_shop(seed=3)


@pytest.fixture
def shop(database_url: str, demo: ShopData) -> SqlRetailShop:
    engine = make_engine(database_url)
    upgrade(engine)
    found = SqlRetailShop(engine)
    found.load(demo)
    return found


def first(demo: ShopData, status: str) -> str:
    return next(oid for oid, o in demo.orders.items() if o["status"] == status)


def test_lookup_by_email_and_name_zip(shop: SqlRetailShop, demo: ShopData) -> None:
    user_id, user = next(iter(demo.users.items()))
    assert shop.find_user_by_email(user["email"].upper()) == user_id
    name = user["name"]
    assert (
        shop.find_user_by_name_zip(name["first_name"], name["last_name"], user["address"]["zip"]) == user_id
    )
    assert shop.find_user_by_name_zip(name["first_name"], name["last_name"], "00000") is None
    assert {o["order_id"] for o in shop.list_orders(user_id)} == set(user["orders"])


def test_cancel_is_applied_once_per_idempotency_key(shop: SqlRetailShop, demo: ShopData) -> None:
    order_id = first(demo, "pending")
    once = shop.cancel_order(order_id, "no longer needed", "key-1")
    twice = shop.cancel_order(order_id, "no longer needed", "key-1")
    assert once == twice and once["status"] == "cancelled"
    refunds = [p for p in shop.get_order(order_id)["payment_history"] if p["transaction_type"] == "refund"]  # type: ignore[index]
    assert len(refunds) == 1


def test_rules_are_enforced_by_the_shop_itself(shop: SqlRetailShop, demo: ShopData) -> None:
    delivered, pending = first(demo, "delivered"), first(demo, "pending")
    with pytest.raises(ToolError) as refused:
        shop.cancel_order(delivered, "no longer needed", "k2")
    assert refused.value.user_message == "not_pending"
    with pytest.raises(ToolError):
        shop.cancel_order(pending, "too expensive", "k3")
    order = demo.orders[pending]
    with pytest.raises(ToolError) as not_delivered:
        shop.return_items(
            pending, [order["items"][0]["item_id"]], order["payment_history"][0]["payment_method_id"], "k4"
        )
    assert not_delivered.value.user_message == "not_delivered"
    assert shop.get_order(delivered)["status"] == "delivered"  # type: ignore[index]


def test_return_and_address_change(shop: SqlRetailShop, demo: ShopData) -> None:
    delivered = demo.orders[first(demo, "delivered")]
    method = delivered["payment_history"][0]["payment_method_id"]
    result = shop.return_items(delivered["order_id"], [delivered["items"][0]["item_id"]], method, "k5")
    assert result["status"] == "return requested"
    pending = first(demo, "pending")
    address = {
        "address1": "1 Test Rd",
        "address2": "",
        "city": "Austin",
        "state": "TX",
        "country": "USA",
        "zip": "78701",
    }
    assert shop.modify_address(pending, address, "k6")["address"]["zip"] == "78701"
    assert shop.get_order(pending)["address"]["city"] == "Austin"  # type: ignore[index]
