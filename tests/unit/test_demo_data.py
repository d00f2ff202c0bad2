"""The bilingual demo shop: deterministic, τ-bench shaped and internally consistent."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kefu.packs.retail.demo_data import demo_customers_for_docs, generate_demo_shop
from kefu.packs.retail.shop import ShopData

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def shop() -> ShopData:
    return generate_demo_shop()


def test_same_seed_is_identical_and_other_seed_differs() -> None:
    first, again = generate_demo_shop(seed=11), generate_demo_shop(seed=11)
    assert first == again
    assert list(first.orders) == list(again.orders)
    other = generate_demo_shop(seed=12)
    assert other.users != first.users
    assert other.orders != first.orders


def test_sizes(shop: ShopData) -> None:
    assert len(shop.users) == 40
    assert len(shop.orders) == 120
    assert 12 <= len(shop.products) <= 18
    assert all(3 <= len(p["variants"]) <= 8 for p in shop.products.values())


def test_products_shape(shop: ShopData) -> None:
    item_ids: list[str] = []
    for product_id, product in shop.products.items():
        assert re.fullmatch(r"\d{10}", product_id) and product["product_id"] == product_id
        assert product["name"].isascii() and CJK.search(product["name_zh"])
        for item_id, variant in product["variants"].items():
            assert re.fullmatch(r"\d{10}", item_id) and variant["item_id"] == item_id
            assert isinstance(variant["available"], bool)
            assert isinstance(variant["price"], float) and round(variant["price"], 2) == variant["price"]
            assert variant["options"] and all(isinstance(v, str) for v in variant["options"].values())
            item_ids.append(item_id)
        assert any(v["available"] for v in product["variants"].values())
    assert len(item_ids) == len(set(item_ids))
    share = sum(v["available"] for p in shop.products.values() for v in p["variants"].values()) / len(
        item_ids
    )
    assert 0.7 <= share <= 0.97
    assert {"保温杯", "T恤", "蓝牙耳机", "运动鞋", "双肩包", "台灯"} <= {
        p["name_zh"] for p in shop.products.values()
    }


def test_users_shape(shop: ShopData) -> None:
    emails = [u["email"] for u in shop.users.values()]
    assert len(emails) == len(set(emails))
    assert all(e.isascii() and e.endswith("@example.com") for e in emails)
    chinese = 0
    for user_id, user in shop.users.items():
        assert re.fullmatch(r"[a-z]+_[a-z]+_\d{4}", user_id)
        name, address = user["name"], user["address"]
        assert set(address) == {"address1", "address2", "city", "country", "state", "zip"}
        if CJK.search(name["first_name"] + name["last_name"]):
            chinese += 1
            assert address["country"] == "China" and re.fullmatch(r"\d{6}", address["zip"])
            assert CJK.search(address["city"]) and CJK.search(address["state"])
        else:
            assert address["country"] == "USA" and re.fullmatch(r"\d{5}", address["zip"])
        assert user["payment_methods"]
        for method_id, method in user["payment_methods"].items():
            assert method["id"] == method_id and method_id.startswith(method["source"] + "_")
            if method["source"] == "credit_card":
                assert method["brand"] and re.fullmatch(r"\d{4}", method["last_four"])
            if method["source"] == "gift_card":
                assert method["balance"] >= 0
        assert user["orders"], f"{user_id} owns no order"
    assert 15 <= chinese <= 25  # about half the customers are Chinese


def test_orders_reference_users_and_variants(shop: ShopData) -> None:
    listed = [order_id for user in shop.users.values() for order_id in user["orders"]]
    assert sorted(listed) == sorted(shop.orders)
    for order_id, order in shop.orders.items():
        assert re.fullmatch(r"#W\d{7}", order_id) and order["order_id"] == order_id
        user = shop.users[order["user_id"]]
        assert order_id in user["orders"]
        assert order["address"] == user["address"]
        assert 1 <= len(order["items"]) <= 4
        for item in order["items"]:
            product = shop.products[item["product_id"]]
            variant = product["variants"][item["item_id"]]
            assert item["price"] == variant["price"]
            assert item["options"] == variant["options"]
            assert item["name"] == product["name"] and item["name_zh"] == product["name_zh"]
        payments = order["payment_history"]
        assert payments[0]["transaction_type"] == "payment"
        assert payments[0]["amount"] == round(sum(i["price"] for i in order["items"]), 2)
        assert all(p["payment_method_id"] in user["payment_methods"] for p in payments)
        if order["status"] == "cancelled":
            assert [p["transaction_type"] for p in payments] == ["payment", "refund"]
            assert payments[1]["amount"] == payments[0]["amount"]
        else:
            assert len(payments) == 1
        if order["status"] in ("processed", "delivered"):
            (fulfillment,) = order["fulfillments"]
            assert re.fullmatch(r"\d{12}", fulfillment["tracking_id"][0])
            assert fulfillment["item_ids"] == [i["item_id"] for i in order["items"]]
        else:
            assert order["fulfillments"] == []


def test_status_spread(shop: ShopData) -> None:
    counts = Counter(o["status"] for o in shop.orders.values())
    assert set(counts) == {"pending", "processed", "delivered", "cancelled"}
    assert 0.35 <= counts["pending"] / 120 <= 0.45
    assert 0.30 <= counts["delivered"] / 120 <= 0.40


def _both_users(shop: ShopData) -> list[str]:
    return [
        user_id
        for user_id, user in shop.users.items()
        if {"pending", "delivered"} <= {shop.orders[o]["status"] for o in user["orders"]}
    ]


@pytest.mark.parametrize(("seed", "customers", "orders"), [(7, 40, 120), (1, 5, 8), (2, 3, 6), (99, 10, 200)])
def test_guarantees_hold_for_other_sizes(seed: int, customers: int, orders: int) -> None:
    shop = generate_demo_shop(seed=seed, n_customers=customers, n_orders=orders)
    assert len(shop.users) == customers and len(shop.orders) == orders
    assert all(u["orders"] for u in shop.users.values())
    assert len(_both_users(shop)) >= 3


def test_too_few_orders_is_rejected() -> None:
    with pytest.raises(ValueError):
        generate_demo_shop(n_customers=10, n_orders=12)


def test_docs_rows(shop: ShopData) -> None:
    rows = demo_customers_for_docs(shop)
    assert len(rows) >= 3
    assert any(CJK.search(r["name"]) for r in rows) and any(r["name"].isascii() for r in rows)
    for row in rows:
        user = shop.users[row["user_id"]]
        assert row["email"] == user["email"] and row["zip"] == user["address"]["zip"]
        assert shop.orders[row["pending_order_id"]]["status"] == "pending"
        assert shop.orders[row["delivered_order_id"]]["status"] == "delivered"
        assert {row["pending_order_id"], row["delivered_order_id"]} <= set(user["orders"])
