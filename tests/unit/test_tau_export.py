"""The shop in τ²'s ``db.json`` format: an import of τ²'s file exports it again, key order and value
types included; the state after actions is written as τ² writes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kefu.domain.errors import InvalidInput
from kefu.packs.retail.demo_data import generate_demo_shop
from kefu.packs.retail.memory_shop import MemoryRetailShop
from kefu.packs.retail.tau_export import export_data, export_shop, write_export
from kefu.packs.retail.tau_import import load_tau_retail
from kefu_test_support import TAU_RETAIL

TAU2_DB = TAU_RETAIL / "tau2_db.json"


def shape(value: Any) -> Any:
    """Keys in order and value types, all the way down."""
    if isinstance(value, dict):
        return [(key, shape(v)) for key, v in value.items()]
    if isinstance(value, list):
        return [shape(v) for v in value]
    return type(value).__name__


@pytest.mark.parametrize("source", [TAU_RETAIL, TAU2_DB], ids=["v1 files", "tau2_db.json"])
def test_an_import_exports_tau2s_db(source: Path) -> None:
    expected = json.loads(TAU2_DB.read_text("utf-8"))
    exported = export_shop(MemoryRetailShop(load_tau_retail(source)))
    assert exported == expected
    assert shape(exported) == shape(expected)  # v1 gift-card balances are ints; τ²'s are floats


def test_the_file_is_written_byte_for_byte_as_tau2s(tmp_path: Path) -> None:
    counts = write_export(MemoryRetailShop(load_tau_retail(TAU2_DB)), tmp_path / "db.json")
    assert counts == {"products": 50, "users": 500, "orders": 1000}
    assert (tmp_path / "db.json").read_bytes() == TAU2_DB.read_bytes()


def test_optional_order_fields_appear_once_set() -> None:
    shop = MemoryRetailShop(load_tau_retail(TAU2_DB))
    pending = next(o for o in shop.snapshot().orders.values() if o["status"] == "pending")
    shop.cancel_order(pending["order_id"], "no longer needed", "k1")
    exported = export_shop(shop)["orders"][pending["order_id"]]
    assert list(exported)[-2:] == ["payment_history", "cancel_reason"]
    with_nulls = export_shop(shop, with_nulls=True)["orders"][pending["order_id"]]
    assert list(with_nulls)[7:] == [
        "cancel_reason",
        "exchange_items",
        "exchange_new_items",
        "exchange_payment_method_id",
        "exchange_price_difference",
        "return_items",
        "return_payment_method_id",
    ]
    assert with_nulls["cancel_reason"] == "no longer needed" and with_nulls["return_items"] is None


def test_the_demo_shop_exports_without_keys_tau2_does_not_know() -> None:
    demo = generate_demo_shop(seed=3)
    exported = export_data(demo)
    product = next(iter(exported["products"].values()))
    assert list(product) == ["name", "product_id", "variants"]
    item = next(iter(exported["orders"].values()))["items"][0]
    assert list(item) == ["name", "product_id", "item_id", "price", "options"]  # no name_zh
    balances = [
        m["balance"]
        for u in exported["users"].values()
        for m in u["payment_methods"].values()
        if "balance" in m
    ]
    assert balances and all(isinstance(b, float) for b in balances)
    assert all(next(iter(u)) == "user_id" for u in exported["users"].values())


def test_an_unknown_payment_source_is_a_clear_error() -> None:
    demo = generate_demo_shop(seed=3)
    user = next(iter(demo.users.values()))
    user["payment_methods"] = {"bitcoin_1": {"source": "bitcoin", "id": "bitcoin_1"}}
    with pytest.raises(InvalidInput, match="source must be one of credit_card, gift_card, paypal"):
        export_data(demo)


@pytest.mark.parametrize(
    ("out", "message"),
    [("missing/db.json", "no such directory"), (".", "is a directory")],
)
def test_bad_output_paths(tmp_path: Path, out: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        write_export(MemoryRetailShop(generate_demo_shop(seed=3)), tmp_path / out)
