"""Load the τ-bench retail data (v1 JSON files, or τ²'s ``db.json`` as a file or as ``tau2_db.json`` in
the directory) into a ``ShopData``.

Records are returned unchanged; anything malformed raises ``InvalidInput`` with a one-line message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kefu.domain.errors import InvalidInput
from kefu.packs.retail.shop import Record, ShopData

V1_FILES = {"users": "v1_users.json", "orders": "v1_orders.json", "products": "v1_products.json"}
TAU2_FILE = "tau2_db.json"

REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "users": ("name", "address", "email", "payment_methods", "orders"),
    "orders": ("order_id", "user_id", "address", "items", "fulfillments", "status", "payment_history"),
    "products": ("name", "product_id", "variants"),
}
_SINGULAR = {"users": "user", "orders": "order", "products": "product"}
_ID_FIELD = {"orders": "order_id", "products": "product_id"}


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.__class__.__name__})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from exc


def _check_records(kind: str, data: Any, source: str) -> dict[str, Record]:
    """Check ``data`` is a mapping id → record, each with the required keys."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: {kind} must be a JSON object keyed by id, got {type(data).__name__}")
    singular = _SINGULAR[kind]
    for key, record in data.items():
        if not isinstance(record, dict):
            raise InvalidInput(f"{source}: {singular} {key!r} is not a JSON object")
        missing = [k for k in REQUIRED_KEYS[kind] if k not in record]
        if missing:
            raise InvalidInput(f"{source}: {singular} {key!r} is missing key(s): {', '.join(missing)}")
        id_field = _ID_FIELD.get(kind)
        if id_field is not None and record[id_field] != key:
            raise InvalidInput(f"{source}: {singular} {key!r} has {id_field} {record[id_field]!r}")
        if kind == "users":
            name = record["name"]
            if not isinstance(name, dict) or "first_name" not in name or "last_name" not in name:
                raise InvalidInput(f"{source}: user {key!r} name needs first_name and last_name")
        if kind == "products" and not isinstance(record["variants"], dict):
            raise InvalidInput(f"{source}: product {key!r} variants must be a JSON object")
    return data


def _load_tau2_db(path: Path) -> dict[str, dict[str, Record]]:
    name = path.name
    db = _read_json(path)
    if not isinstance(db, dict):
        raise InvalidInput(f"{name}: expected a JSON object with users, orders and products")
    tables: dict[str, dict[str, Record]] = {}
    for kind in V1_FILES:
        if kind not in db:
            raise InvalidInput(f"{name}: missing top-level key {kind!r}")
        tables[kind] = _check_records(kind, db[kind], f"{name} [{kind}]")
    return tables


def load_tau_retail(source: Path | str) -> ShopData:
    """Read a τ² ``db.json`` file, or a directory: its v1 users/orders/products files, or
    ``tau2_db.json`` when they are absent."""
    source = Path(source)
    if source.is_file():
        tables = _load_tau2_db(source)
        return ShopData(users=tables["users"], orders=tables["orders"], products=tables["products"])
    if not source.is_dir():
        raise InvalidInput(f"τ-bench retail data not found (no such file or directory): {source}")
    v1_paths = {kind: source / name for kind, name in V1_FILES.items()}
    missing = [path.name for path in v1_paths.values() if not path.is_file()]
    tables = {}
    if not missing:
        for kind, path in v1_paths.items():
            tables[kind] = _check_records(kind, _read_json(path), path.name)
    elif (source / TAU2_FILE).is_file():
        tables = _load_tau2_db(source / TAU2_FILE)
    else:
        raise InvalidInput(f"{source}: missing {', '.join(missing)} (and no {TAU2_FILE})")
    return ShopData(users=tables["users"], orders=tables["orders"], products=tables["products"])
