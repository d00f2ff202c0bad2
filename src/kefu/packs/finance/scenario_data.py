"""The finance pack's scenario data adapter ``tau-banking`` (``docs/scenario-format.md``).

Initial data: τ²-bench banking's ``db.json``, plus a task's own ``initial_state`` (its extra records
and settings, loaded before its conversation by ``prepare``). Expected state: that data with the task's
gold actions replayed through the bank's procedures (``tau_actions``). A scenario is scored on the whole
bank in ``db.json`` shape, except τ²'s bookkeeping of which discoverable tools were given or called and
of transfer requests (``IGNORED``), which is no bank state.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kefu.dialogue.scenarios import GoldTask, State
from kefu.domain.errors import InvalidInput
from kefu.packs.finance.bank import Bank, BankData
from kefu.packs.finance.memory_bank import MemoryBank
from kefu.packs.finance.operations import BankOperations
from kefu.packs.finance.paths import tau_banking_dir
from kefu.packs.finance.tau_actions import action_parts, apply_gold_actions
from kefu.packs.finance.tau_io import export_data, load_tau_banking, with_task_data

DATA_NAME = "tau-banking"
IGNORED = frozenset({"agent_discoverable_tools", "user_discoverable_tools", "human_transfer_requests"})
WHOLE_BANK = ("*",)
OWN_TASKS = Path(__file__).resolve().parent / "scenarios"


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 160 else text[:157] + "..."


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


class TauBankingData:
    system_name = "bank"

    def __init__(self) -> None:
        self._initial = BankData()
        self._states: dict[str, Any] = {}

    def default_dir(self) -> Path:
        return tau_banking_dir()

    def load_initial(self, system: Bank, directory: Path) -> None:
        self._initial = load_tau_banking(directory)
        system.load(self._initial, replace=True)

    def load_tasks(self, directory: Path, gold: str) -> dict[str, GoldTask]:
        path = directory / gold
        if not path.is_file() and (OWN_TASKS / gold).is_file():
            path = OWN_TASKS / gold  # the pack's own tasks, in τ²'s format, next to its suites
        if not path.is_file():
            raise InvalidInput(f"gold task file not found: {path}")
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"{path}: cannot be read as JSON ({exc.__class__.__name__})") from exc
        if not isinstance(raw, list):
            raise InvalidInput(f"{path}: expected a JSON list of tasks")
        tasks: dict[str, GoldTask] = {}
        for task in raw:
            if not isinstance(task, dict) or "id" not in task:
                raise InvalidInput(f"{path.name}: every task needs an id")
            actions = (task.get("evaluation_criteria") or {}).get("actions") or []
            try:
                users = {str(action_parts(a)[1].get("user_id")) for a in actions} - {"None"}
            except InvalidInput as exc:
                raise InvalidInput(f"{path.name}: task {task['id']}: {exc.message}") from exc
            tasks[str(task["id"])] = GoldTask(str(task["id"]), tuple(actions), user_ids=tuple(sorted(users)))
            self._states[str(task["id"])] = task.get("initial_state")
        return tasks

    def _task_data(self, task: GoldTask) -> BankData:
        return with_task_data(self._initial, self._states.get(task.id))

    def prepare(self, system: Bank, task: GoldTask) -> None:
        """Before the task's conversation: its own extra records, if it has any."""
        data = self._task_data(task)
        if data is not self._initial:
            system.load(data, replace=True)

    def subjects(self, system: Bank, task: GoldTask) -> tuple[str, ...]:
        return WHOLE_BANK

    def expected(
        self, task: GoldTask, subjects: tuple[str, ...], replay: bool = True
    ) -> tuple[State, list[str]]:
        bank = MemoryBank(self._task_data(task))
        notes: list[str] = []
        if replay:
            done = apply_gold_actions(BankOperations(bank), [dict(a) for a in task.actions])
            notes = [f"gold action {i} ({name}) refused and skipped: {why}" for i, name, why in done.refused]
        return self.snapshot(bank, subjects), notes

    def snapshot(self, system: Bank, subjects: tuple[str, ...]) -> State:
        shaped = export_data(system.dump())
        return {
            name: _rounded(table["data"])
            for name, table in shaped.items()
            if name not in IGNORED and table["data"]
        }

    def differences(self, expected: State, actual: State, limit: int = 5) -> list[str]:
        out: list[str] = []
        for table in sorted(set(expected) | set(actual)):
            wanted: Mapping[str, Any] = expected.get(table, {})
            got: Mapping[str, Any] = actual.get(table, {})
            for key in sorted(set(wanted) | set(got)):
                if key not in got:
                    out.append(f"{table} {key}: expected {_show(wanted[key])}, missing")
                elif key not in wanted:
                    out.append(f"{table} {key}: unexpected {_show(got[key])}")
                elif wanted[key] != got[key]:
                    fields = sorted(
                        k for k in set(wanted[key]) | set(got[key]) if wanted[key].get(k) != got[key].get(k)
                    )
                    out += [
                        f"{table} {key}.{f}: expected {_show(w.get(f))}, got {_show(g.get(f))}"
                        for w, g in [(wanted[key], got[key])]
                        for f in fields
                    ]
                if len(out) >= limit:
                    return out[:limit]
        return out


def adapters() -> dict[str, Callable[[], TauBankingData]]:
    return {DATA_NAME: TauBankingData}
