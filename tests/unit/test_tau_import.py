"""Importing the τ-bench retail data, and the errors a broken directory gives."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kefu.domain.errors import InvalidInput
from kefu.packs.retail.demo_data import generate_demo_shop
from kefu.packs.retail.tau_import import load_tau_retail

TAU_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tau_bench_retail"


def _write_v1(directory: Path, users: Any, orders: Any, products: Any) -> None:
    for name, data in (("v1_users.json", users), ("v1_orders.json", orders), ("v1_products.json", products)):
        (directory / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    shop = generate_demo_shop(seed=3, n_customers=6, n_orders=12)
    _write_v1(tmp_path, shop.users, shop.orders, shop.products)
    return tmp_path


def test_real_tau_bench_data() -> None:
    if not (TAU_DIR / "v1_users.json").is_file():
        pytest.skip(f"τ-bench data not present at {TAU_DIR}")
    shop = load_tau_retail(TAU_DIR)
    assert (len(shop.users), len(shop.orders), len(shop.products)) == (500, 1000, 50)
    order = shop.orders["#W2611340"]
    assert order["user_id"] == "james_li_5688"
    assert "#W2611340" in shop.users["james_li_5688"]["orders"]


def test_tau2_db_fallback(tmp_path: Path) -> None:
    shop = generate_demo_shop(seed=5, n_customers=4, n_orders=9)
    db = {"products": shop.products, "users": shop.users, "orders": shop.orders}
    (tmp_path / "tau2_db.json").write_text(json.dumps(db), encoding="utf-8")
    assert load_tau_retail(tmp_path) == shop


def test_a_db_json_file_itself(tmp_path: Path) -> None:
    shop = generate_demo_shop(seed=5, n_customers=4, n_orders=9)
    path = tmp_path / "exported.json"
    path.write_text(
        json.dumps({"products": shop.products, "users": shop.users, "orders": shop.orders}), "utf-8"
    )
    assert load_tau_retail(path) == shop
    path.write_text(json.dumps({"products": {}, "users": {}}), "utf-8")
    with pytest.raises(InvalidInput, match=r"exported\.json: missing top-level key 'orders'"):
        load_tau_retail(path)


def test_demo_shop_round_trips(demo_dir: Path) -> None:
    assert load_tau_retail(demo_dir) == generate_demo_shop(seed=3, n_customers=6, n_orders=12)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not found"):
        load_tau_retail(tmp_path / "nope")


def test_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"v1_users\.json"):
        load_tau_retail(tmp_path)


def test_malformed_json(demo_dir: Path) -> None:
    (demo_dir / "v1_orders.json").write_text('{"#W1": {', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"v1_orders\.json: not valid JSON") as info:
        load_tau_retail(demo_dir)
    assert "\n" not in str(info.value)


def test_malformed_tau2_db(tmp_path: Path) -> None:
    (tmp_path / "tau2_db.json").write_text("[1, 2", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"tau2_db\.json"):
        load_tau_retail(tmp_path)


def test_record_missing_keys(demo_dir: Path) -> None:
    orders = json.loads((demo_dir / "v1_orders.json").read_text(encoding="utf-8"))
    order_id = next(iter(orders))
    del orders[order_id]["status"]
    del orders[order_id]["items"]
    (demo_dir / "v1_orders.json").write_text(json.dumps(orders), encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_tau_retail(demo_dir)
    message = str(info.value)
    assert "v1_orders.json" in message and order_id in message
    assert "items" in message and "status" in message


def test_user_name_and_wrong_container(demo_dir: Path) -> None:
    users = json.loads((demo_dir / "v1_users.json").read_text(encoding="utf-8"))
    user_id = next(iter(users))
    users[user_id]["name"] = {"first_name": "Ann"}
    (demo_dir / "v1_users.json").write_text(json.dumps(users), encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape(user_id)):
        load_tau_retail(demo_dir)
    (demo_dir / "v1_users.json").write_text("[]", encoding="utf-8")
    with pytest.raises(InvalidInput, match="JSON object"):
        load_tau_retail(demo_dir)


def test_tau2_db_missing_table(tmp_path: Path) -> None:
    (tmp_path / "tau2_db.json").write_text(json.dumps({"users": {}, "orders": {}}), encoding="utf-8")
    with pytest.raises(InvalidInput, match="products"):
        load_tau_retail(tmp_path)
