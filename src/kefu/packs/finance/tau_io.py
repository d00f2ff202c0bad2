"""τ²-bench banking ``db.json`` in and out: every table with its records (in order) and its notes, so an
import exports back to the same JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kefu.domain.errors import InvalidInput
from kefu.packs.finance.bank import Bank, BankData, Table

DB_FILE = "db.json"


def parse_db(raw: Any, source: str = DB_FILE) -> BankData:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{source}: expected a JSON object of tables")
    tables: dict[str, Table] = {}
    for name, table in raw.items():
        if not isinstance(table, dict) or not isinstance(table.get("data", {}), dict):
            raise InvalidInput(f"{source}: table {name!r} must be an object with a 'data' object")
        records = table.get("data") or {}
        bad = next((k for k, v in records.items() if not isinstance(v, dict)), None)
        if bad is not None:
            raise InvalidInput(f"{source}: table {name!r}, record {bad!r} is not a JSON object")
        tables[str(name)] = Table(dict(records), str(table.get("notes") or ""))
    if "users" not in tables:
        raise InvalidInput(f"{source}: no 'users' table: not a τ²-bench banking db.json")
    return BankData(tables)


def load_tau_banking(path: Path) -> BankData:
    """``path`` is the data directory (holding ``db.json``) or the ``db.json`` file itself."""
    file = path / DB_FILE if path.is_dir() else path
    if not file.is_file():
        raise InvalidInput(f"{file}: not found (expected a τ²-bench banking {DB_FILE})")
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{file}: cannot be read as JSON ({exc.__class__.__name__})") from exc
    return parse_db(raw, str(file))


def export_data(data: BankData) -> dict[str, Any]:
    return {name: {"data": table.records, "notes": table.notes} for name, table in data.tables.items()}


def write_export(bank: Bank, out: Path) -> dict[str, int]:
    data = bank.dump()
    try:
        out.write_text(json.dumps(export_data(data), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{out}: cannot be written ({exc.__class__.__name__})") from exc
    return data.counts()


def with_task_data(data: BankData, initial_state: Any) -> BankData:
    """``data`` with a τ² task's ``initial_state.initialization_data.agent_data`` merged in: its tables'
    records are added (or replace records of the same id); ``task_config`` (e.g. dispute settings) is
    kept as a table too, so the bank's procedures can read it."""
    agent_data = ((initial_state or {}).get("initialization_data") or {}).get("agent_data") or {}
    if not isinstance(agent_data, dict) or not agent_data:
        return data
    tables = dict(data.tables)
    for name, table in agent_data.items():
        records = table.get("data") if isinstance(table, dict) else None
        if not isinstance(records, dict):
            continue
        if name == "task_config":
            records = {key: value for key, value in records.items() if isinstance(value, dict)}
        base = tables.get(name) or Table()
        tables[name] = Table({**base.records, **records}, base.notes)
    return BankData(tables)
