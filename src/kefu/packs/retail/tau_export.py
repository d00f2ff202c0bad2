"""The shop's users, orders and products in τ²-bench's retail ``db.json`` format, so that any evaluation
can score a conversation by business state.

Keys come in τ²'s model order with τ²'s value types (prices, amounts and balances as floats, ids as
strings); keys τ² does not know (such as the demo shop's ``name_zh``) are left out, a missing required
key gets an empty value, and the optional order fields (``cancel_reason``, ``exchange_*``,
``return_*``) appear only when set, as in τ²'s file — or as ``null`` with ``with_nulls`` (τ²'s
``model_dump``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kefu.domain.errors import InvalidInput
from kefu.packs.retail.shop import Record, RetailShop, ShopData

Shape = Callable[[Any], Any]


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _float(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _strs(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _record(fields: tuple[tuple[str, Shape], ...]) -> Shape:
    def shape(value: Any) -> Record:
        source = value if isinstance(value, dict) else {}
        return {key: convert(source.get(key)) for key, convert in fields}

    return shape


def _listed(shape: Shape) -> Shape:
    return lambda value: [shape(v) for v in value] if isinstance(value, list) else []


def _keyed(shape: Shape) -> Shape:
    return lambda value: {str(k): shape(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _options(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


_ADDRESS = _record(tuple((key, _str) for key in ("address1", "address2", "city", "country", "state", "zip")))
_VARIANT = _record((("item_id", _str), ("options", _options), ("available", bool), ("price", _float)))
_PRODUCT = _record((("name", _str), ("product_id", _str), ("variants", _keyed(_VARIANT))))
_PAYMENT_METHOD_FIELDS: dict[str, tuple[tuple[str, Shape], ...]] = {
    "credit_card": (("source", _str), ("id", _str), ("brand", _str), ("last_four", _str)),
    "gift_card": (("source", _str), ("id", _str), ("balance", _float)),
    "paypal": (("source", _str), ("id", _str)),
}


def _payment_method(value: Any) -> Record:
    source = value.get("source") if isinstance(value, dict) else None
    fields = _PAYMENT_METHOD_FIELDS.get(str(source))
    if fields is None:
        known = ", ".join(_PAYMENT_METHOD_FIELDS)
        raise InvalidInput(f"payment method {value!r}: source must be one of {known}")
    shaped: Record = _record(fields)(value)
    return shaped


def _user(user_id: str, value: Record) -> Record:
    shaped: Record = _record(
        (
            ("user_id", _str),
            ("name", _record((("first_name", _str), ("last_name", _str)))),
            ("address", _ADDRESS),
            ("email", _str),
            ("payment_methods", _keyed(_payment_method)),
            ("orders", _strs),
        )
    )({**value, "user_id": value.get("user_id", user_id)})
    return shaped


_ITEM = _record(
    (("name", _str), ("product_id", _str), ("item_id", _str), ("price", _float), ("options", _options))
)
_ORDER = _record(
    (
        ("order_id", _str),
        ("user_id", _str),
        ("address", _ADDRESS),
        ("items", _listed(_ITEM)),
        ("status", _str),
        ("fulfillments", _listed(_record((("tracking_id", _strs), ("item_ids", _strs))))),
        (
            "payment_history",
            _listed(_record((("transaction_type", _str), ("amount", _float), ("payment_method_id", _str)))),
        ),
    )
)
_ORDER_OPTIONAL: tuple[tuple[str, Shape], ...] = (
    ("cancel_reason", _str),
    ("exchange_items", _strs),
    ("exchange_new_items", _strs),
    ("exchange_payment_method_id", _str),
    ("exchange_price_difference", _float),
    ("return_items", _strs),
    ("return_payment_method_id", _str),
)


def _order(value: Record, with_nulls: bool) -> Record:
    shaped: Record = _ORDER(value)
    for key, convert in _ORDER_OPTIONAL:
        if value.get(key) is not None:
            shaped[key] = convert(value[key])
        elif with_nulls:
            shaped[key] = None
    return shaped


def export_data(data: ShopData, with_nulls: bool = False) -> dict[str, Any]:
    """``{"products", "users", "orders"}`` as in τ²'s ``db.json``."""
    return {
        "products": {str(pid): _PRODUCT(p) for pid, p in data.products.items()},
        "users": {str(uid): _user(str(uid), u) for uid, u in data.users.items()},
        "orders": {str(oid): _order(o, with_nulls) for oid, o in data.orders.items()},
    }


def export_shop(shop: RetailShop, with_nulls: bool = False) -> dict[str, Any]:
    """The whole shop (a snapshot) in τ²'s ``db.json`` format."""
    return export_data(shop.snapshot(), with_nulls)


def write_export(shop: RetailShop, out: Path | str) -> dict[str, int]:
    """Write ``export_shop(shop)`` as JSON, UTF-8 and indented like τ²'s file (an import of that file
    exports it byte for byte); returns the counts."""
    path = Path(out)
    if path.is_dir():
        raise InvalidInput(f"{path}: is a directory; give the path of the JSON file to write")
    if not path.parent.is_dir():
        raise InvalidInput(f"{path.parent}: no such directory")
    db = export_shop(shop)
    try:
        path.write_text(json.dumps(db, indent=4, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be written ({exc.strerror or exc.__class__.__name__})") from exc
    return {kind: len(records) for kind, records in db.items()}
