"""The demo business system against SQLite and PostgreSQL: rules enforced, side effects applied once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.domain.errors import ToolError
from kefu.packs.retail.demo_data import generate_demo_shop
from kefu.packs.retail.memory_shop import MemoryRetailShop
from kefu.packs.retail.shop import ShopData
from kefu.packs.retail.tau_actions import apply_gold_actions, is_write
from kefu.packs.retail.tau_export import export_shop
from kefu.packs.retail.tau_import import load_tau_retail
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.shop import SqlRetailShop
from retail_records import (
    BOTTLE_BLUE_GLASS,
    BOTTLE_RED_GLASS,
    CHAIR_BLACK,
    CHAIR_CHEAP,
    CHAIR_GRAY,
    NEW_ADDRESS,
    PRODUCTS,
    order,
    user,
)


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


# -- the τ² actions added with issue #10: state as τ² writes it, gift cards settled at once ----------


def small_shop(database_url: str, paid_with: str, balance: float) -> SqlRetailShop:
    """One customer (card, PayPal, gift card) with a pending order ``#W1`` and a delivered ``#W2``."""
    pending = {**order("pending", paid_with=paid_with), "order_id": "#W1"}
    delivered = {**order("delivered", paid_with=paid_with), "order_id": "#W2"}
    customer = {**user(balance), "address": dict(pending["address"]), "orders": ["#W1", "#W2"]}
    engine = make_engine(database_url)
    upgrade(engine)
    found = SqlRetailShop(engine)
    found.load(
        ShopData(
            users={"james_li_5688": customer}, orders={"#W1": pending, "#W2": delivered}, products=PRODUCTS
        )
    )
    return found


def gift_balance(shop: SqlRetailShop) -> float:
    found = shop.get_user("james_li_5688")
    assert found is not None
    return float(found["payment_methods"]["gift_card_3"]["balance"])


def test_cancel_credits_the_gift_card_at_once(database_url: str) -> None:
    shop = small_shop(database_url, "gift_card_3", 10.0)
    shop.cancel_order("#W1", "no longer needed", "c1")
    shop.cancel_order("#W1", "no longer needed", "c1")  # a retry
    assert gift_balance(shop) == 546.65


def test_modify_items_charges_a_gift_card_once(database_url: str) -> None:
    shop = small_shop(database_url, "credit_card_1", 100.0)
    first = shop.modify_items("#W1", [CHAIR_BLACK], [CHAIR_GRAY], "gift_card_3", "m1")
    again = shop.modify_items("#W1", [CHAIR_BLACK], [CHAIR_GRAY], "gift_card_3", "m1")
    assert first == again and first["status"] == "pending (item modified)"
    assert gift_balance(shop) == 78.71
    with pytest.raises(ToolError) as refused:
        shop.modify_items("#W1", [BOTTLE_BLUE_GLASS], [BOTTLE_RED_GLASS], "credit_card_1", "m2")
    assert refused.value.user_message == "items_already_modified"
    with pytest.raises(ToolError) as payment:
        shop.modify_payment("#W1", "paypal_2", "m3")
    assert payment.value.user_message == "payment_not_modifiable"
    assert shop.modify_address("#W1", NEW_ADDRESS, "m4")["address"] == NEW_ADDRESS  # still allowed


def test_modify_payment_moves_the_money_between_gift_card_and_card(database_url: str) -> None:
    shop = small_shop(database_url, "gift_card_3", 0.0)
    changed = shop.modify_payment("#W1", "credit_card_1", "p1")
    assert [(p["transaction_type"], p["payment_method_id"]) for p in changed["payment_history"]] == [
        ("payment", "gift_card_3"),
        ("payment", "credit_card_1"),
        ("refund", "gift_card_3"),
    ]
    assert gift_balance(shop) == 536.65
    with pytest.raises(ToolError) as same:
        shop.modify_payment("#W2", "gift_card_3", "p2")
    assert same.value.user_message == "not_pending"


def test_modify_user_address_changes_the_lookup_by_zip(database_url: str) -> None:
    shop = small_shop(database_url, "credit_card_1", 0.0)
    changed = shop.modify_user_address("james_li_5688", NEW_ADDRESS, "u1")
    assert changed["address"] == NEW_ADDRESS
    assert shop.modify_user_address("james_li_5688", {**NEW_ADDRESS, "zip": "99999"}, "u1") == changed
    assert shop.find_user_by_name_zip("James", "Li", "78701") == "james_li_5688"
    assert shop.find_user_by_name_zip("James", "Li", "10083") is None
    with pytest.raises(ToolError) as blank:
        shop.modify_user_address("james_li_5688", {**NEW_ADDRESS, "address1": ""}, "u2")
    assert blank.value.user_message == "bad_address"


def test_exchange_and_return_write_tau2s_fields(database_url: str) -> None:
    shop = small_shop(database_url, "credit_card_1", 0.0)
    exchanged = shop.exchange_items("#W2", [CHAIR_BLACK], [CHAIR_CHEAP], "gift_card_3", "e1")
    assert exchanged["exchange_price_difference"] == -8.8 and gift_balance(shop) == 0.0
    with pytest.raises(ToolError) as again:
        shop.return_items("#W2", [CHAIR_BLACK], "credit_card_1", "e2")
    assert again.value.user_message == "not_delivered"


def test_the_sql_shop_leaves_the_state_of_the_memory_shop(database_url: str, tau_dir: Path) -> None:
    """Every write of the τ² train tasks, one after another on one shop: same refusals, same db.json."""
    data = load_tau_retail(tau_dir / "tau2_db.json")
    engine = make_engine(database_url)
    upgrade(engine)
    sql = SqlRetailShop(engine)
    sql.load(data)
    memory = MemoryRetailShop(data)
    tasks = json.loads((tau_dir / "tau2_tasks_train.json").read_text("utf-8"))
    actions = [a for t in tasks for a in t["evaluation_criteria"]["actions"] or [] if is_write(a["name"])]
    on_sql, in_memory = apply_gold_actions(sql, actions, "gold"), apply_gold_actions(memory, actions, "gold")
    assert on_sql == in_memory and on_sql.writes == 90  # the rest overlap earlier tasks (refused alike)
    assert export_shop(sql) == export_shop(memory)
