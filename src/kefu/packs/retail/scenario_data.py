"""The retail pack's scenario data adapter ``tau-retail`` (``docs/scenario-format.md``).

Initial data: the τ-bench retail users, orders and products (``tau_import``). Gold tasks: τ²'s
``tau2_tasks_train.json`` (``evaluation_criteria.actions``, id = ``id``) or v1's ``v1_tasks_*.json``
(``actions`` with ``kwargs``, id = the list index). The expected state is the initial data with the
task's gold actions replayed through ``tau_actions.apply_gold_actions`` (a write the shop refuses is
skipped, as τ² does); a scenario is scored on the task user's record and all of that user's orders in
τ²'s ``db.json`` shape (``tau_export``), floats rounded to cents.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from kefu.dialogue.scenarios import GoldTask, State
from kefu.domain.errors import InvalidInput, KefuError
from kefu.packs.retail.memory_shop import MemoryRetailShop
from kefu.packs.retail.shop import Record, RetailShop, ShopData
from kefu.packs.retail.tau_actions import action_parts, apply_gold_actions
from kefu.packs.retail.tau_export import export_data
from kefu.packs.retail.tau_import import load_tau_retail

DATA_NAME = "tau-retail"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_USER_ID = re.compile(r"\b[a-z]+_[a-z]+_\d{3,5}\b")
_NAME = re.compile(r"\b(?i:you are|you're|your name is|you name is|name is)\s+([A-Z][a-z]+)\s+([A-Z][a-z]+)")
_ZIP = re.compile(r"\b\d{5}\b")

class LoadableShop(RetailShop, Protocol):
    def load(self, shop: ShopData, replace: bool = True) -> dict[str, int]: ...


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot be read as JSON ({exc.__class__.__name__})") from exc


def _actions(raw: Any, source: str, task: str) -> tuple[Mapping[str, Any], ...]:
    if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
        raise InvalidInput(f"{source}: task {task}: actions must be a list of JSON objects")
    try:
        for action in raw:
            action_parts(action)
    except InvalidInput as exc:
        raise InvalidInput(f"{source}: task {task}: {exc.message}") from exc
    return tuple(raw)


def _tau2_task(raw: Any, source: str) -> GoldTask:
    if not isinstance(raw, dict) or "id" not in raw:
        raise InvalidInput(f"{source}: every τ² task needs an id")
    criteria = raw.get("evaluation_criteria") or {}
    instructions = (raw.get("user_scenario") or {}).get("instructions") or {}
    known = instructions.get("known_info") if isinstance(instructions, dict) else None
    actions = _actions(criteria.get("actions") or [], source, str(raw["id"]))
    return GoldTask(str(raw["id"]), actions, known_info=str(known or ""))


def _v1_task(index: int, raw: Any, source: str) -> GoldTask:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{source}: task {index} is not a JSON object")
    user = raw.get("user_id")
    return GoldTask(
        str(index),
        _actions(raw.get("actions"), source, str(index)),
        user_ids=(str(user),) if user else (),
        known_info=str(raw.get("instruction", "")),
    )


def _cents(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _cents(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cents(v) for v in value]
    return value


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 160 else text[:157] + "..."


def _diff(path: str, expected: Any, actual: Any, out: list[str], limit: int) -> None:
    if len(out) >= limit or expected == actual:
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=lambda k: (k != "status", str(k))):
            if key not in actual:
                out.append(f"{path}.{key}: expected {_show(expected[key])}, missing")
            elif key not in expected:
                out.append(f"{path}.{key}: unexpected {_show(actual[key])}")
            else:
                _diff(f"{path}.{key}", expected[key], actual[key], out, limit)
            if len(out) >= limit:
                return
        return
    if isinstance(expected, list) and isinstance(actual, list):
        for index in range(max(len(expected), len(actual))):
            if index >= len(actual):
                out.append(f"{path}[{index}]: expected {_show(expected[index])}, missing")
            elif index >= len(expected):
                out.append(f"{path}[{index}]: unexpected {_show(actual[index])}")
            else:
                _diff(f"{path}[{index}]", expected[index], actual[index], out, limit)
            if len(out) >= limit:
                return
        return
    out.append(f"{path}: expected {_show(expected)}, got {_show(actual)}")


class TauRetailData:
    """``data: tau-retail``. Keeps the user ids of the loaded data, to score a task whose user cannot be
    told (then every user's records are compared)."""

    system_name = "retail_shop"

    def __init__(self, initial: ShopData | None = None) -> None:
        self._initial = initial or ShopData()
        self._user_ids: tuple[str, ...] = tuple(sorted(self._initial.users))

    def default_dir(self) -> Path:
        """``$KEFU_TAU_RETAIL_DIR``, else ``../shared/data/tau_bench_retail`` from the working directory
        or from the source checkout."""
        if env := os.environ.get("KEFU_TAU_RETAIL_DIR"):
            return Path(env)
        relative = Path("..") / "shared" / "data" / "tau_bench_retail"
        for base in (Path.cwd(), Path(__file__).resolve().parents[4]):
            if (base / relative).is_dir():
                return (base / relative).resolve()
        return (Path.cwd() / relative).resolve()

    def load_initial(self, system: LoadableShop, directory: Path) -> None:
        data = load_tau_retail(directory)
        system.load(data, replace=True)
        self._initial, self._user_ids = data, tuple(sorted(data.users))

    def load_tasks(self, directory: Path, gold: str) -> dict[str, GoldTask]:
        path = directory / gold
        if not path.is_file():
            raise InvalidInput(f"gold task file not found: {path}")
        raw = _read_json(path)
        if not isinstance(raw, list):
            raise InvalidInput(f"{path}: expected a JSON list of tasks")
        if all(isinstance(t, dict) and "evaluation_criteria" in t for t in raw):
            tasks = [_tau2_task(t, path.name) for t in raw]
        else:
            tasks = [_v1_task(i, t, path.name) for i, t in enumerate(raw)]
        return {t.id: t for t in tasks}

    def subjects(self, system: RetailShop, task: GoldTask) -> tuple[str, ...]:
        """The task's user: from v1's ``user_id``, the gold actions, or what the task says the customer
        knows; every user when none can be told."""
        found: list[str | None] = list(task.user_ids)
        for action in task.actions:
            name, args = action_parts(action)
            if name == "find_user_id_by_email" and "email" in args:
                found.append(system.find_user_by_email(str(args["email"])))
            elif name == "find_user_id_by_name_zip" and {"first_name", "last_name", "zip"} <= set(args):
                first, last, zip_code = (str(args[k]) for k in ("first_name", "last_name", "zip"))
                found.append(system.find_user_by_name_zip(first, last, zip_code))
            if "user_id" in args:
                found.append(str(args["user_id"]))
            if "order_id" in args and (order := system.get_order(str(args["order_id"]))) is not None:
                found.append(str(order.get("user_id")))
        if not any(found):
            found.extend(self._from_known_info(system, task.known_info))
        users = tuple(dict.fromkeys(u for u in found if u and system.get_user(u) is not None))
        return users or self._user_ids

    def _from_known_info(self, system: RetailShop, text: str) -> list[str | None]:
        found: list[str | None] = [system.find_user_by_email(m) for m in _EMAIL.findall(text)]
        found += [m for m in _USER_ID.findall(text)]
        name, zips = _NAME.search(text), _ZIP.findall(text)
        if name and zips:
            found += [system.find_user_by_name_zip(name.group(1), name.group(2), z) for z in zips]
        return found

    def replay(self, system: RetailShop, task: GoldTask, key_prefix: str) -> list[str]:
        try:
            replay = apply_gold_actions(system, list(task.actions), key_prefix)
        except KefuError as exc:  # malformed, or naming an order or user the data does not have
            raise InvalidInput(f"task {task.id}: gold actions cannot be replayed: {exc.message}") from exc
        return [
            f"gold action {r.index} ({r.name}) refused and skipped: {r.reason} {r.detail}".rstrip()
            for r in replay.refused
        ]

    def expected(
        self, task: GoldTask, subjects: tuple[str, ...], replay: bool = True
    ) -> tuple[State, list[str]]:
        """The subjects' state in the initial data, after the task's gold actions when ``replay``: replayed
        on an in-memory shop holding only the subjects' records (and the catalogue), which applies the
        same rules and state changes as the SQL shop (``changes``)."""
        wanted = set(subjects)
        part = ShopData(
            users={u: r for u, r in self._initial.users.items() if u in wanted},
            orders={o: r for o, r in self._initial.orders.items() if str(r.get("user_id")) in wanted},
            products=self._initial.products,
        )
        shop = MemoryRetailShop(part)
        notes = self.replay(shop, task, f"gold:{task.id}") if replay else []
        return self.snapshot(shop, subjects), notes

    def snapshot(self, system: RetailShop, subjects: tuple[str, ...]) -> State:
        users: dict[str, Record] = {}
        orders: dict[str, Record] = {}
        for user_id in subjects:
            user = system.get_user(user_id)
            if user is None:
                continue
            users[user_id] = user
            for order in system.list_orders(user_id):
                orders[str(order.get("order_id"))] = order
            for order_id in user.get("orders") or []:
                if order_id not in orders and (listed := system.get_order(str(order_id))) is not None:
                    orders[str(order_id)] = listed
        shaped = export_data(ShopData(users=users, orders=orders))
        return {"users": _cents(shaped["users"]), "orders": _cents(shaped["orders"])}

    def differences(self, expected: State, actual: State, limit: int = 5) -> list[str]:
        out: list[str] = []
        for kind, label in (("users", "user"), ("orders", "order")):
            wanted, got = expected.get(kind, {}), actual.get(kind, {})
            for key in sorted(set(wanted) | set(got)):
                if key not in got:
                    out.append(f"{label} {key}: expected, missing")
                elif key not in wanted:
                    out.append(f"{label} {key}: unexpected")
                else:
                    _diff(f"{label} {key}", wanted[key], got[key], out, limit)
                if len(out) >= limit:
                    return out
        return out


def adapters() -> dict[str, Callable[[], TauRetailData]]:
    """The retail pack's scenario data adapters by the name a suite's ``data:`` uses."""
    return {DATA_NAME: TauRetailData}
