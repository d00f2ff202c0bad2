"""The healthcare pack's scenario data adapter (``kefu.dialogue.scenarios.ScenarioData``): the demo
hospital as initial data, and gold tasks written in the patient's own terms (``scenarios/tasks.json``;
JSON or YAML):

    book-cardiology-wed:
      patient: P0001
      actions:
        - book: {department: cardiology, window: "下周三上午", pick: 1}   # the 1st free slot offered
        - reschedule: {appointment: 1, window: "next Friday", pick: 2}  # the patient's 1st appointment
        - cancel: {appointment: 1}
      taken:                                                            # held by someone else first
        - {department: cardiology, window: "明天上午", pick: 1}

The state compared is, per patient, the set of slots their booked appointments hold. Free slots are
offered as the host offers them: the department's (and doctor's) free slots in the window, earliest
first, five at a time; when the window has none, the next ones after it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from kefu.dialogue.scenarios import GoldTask, State
from kefu.domain.errors import InvalidInput
from kefu.packs.healthcare.demo_data import TIMEZONE, generate_demo_hospital
from kefu.packs.healthcare.hospital import BOOKED, HospitalData, Record
from kefu.packs.healthcare.reading import windows

DATA_NAME = "demo-hospital"
OFFER = 5
OTHER_PATIENT = "P0040"
HERE = Path(__file__).resolve().parent


class DemoHospitalData:
    system_name = "hospital"

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock or (lambda: datetime.now(ZoneInfo(TIMEZONE)))
        self._initial = HospitalData()
        self._taken: list[str] = []

    def default_dir(self) -> Path:
        return HERE / "scenarios"

    def load_initial(self, system: Any, directory: Path) -> None:
        self._initial = generate_demo_hospital(seed=7, today=self.clock().date())
        system.load(self._initial, replace=True)

    def load_tasks(self, directory: Path, gold: str) -> dict[str, GoldTask]:
        path = directory / gold
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise InvalidInput(f"gold task file cannot be read: {path} ({exc.__class__.__name__})") from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("tasks"), dict):
            raise InvalidInput(f"{path}: expected a mapping 'tasks' of task id → patient, actions")
        tasks: dict[str, GoldTask] = {}
        for task_id, spec in raw["tasks"].items():
            actions = tuple(spec.get("actions") or ())
            taken = tuple({"taken": t} for t in spec.get("taken") or ())
            tasks[str(task_id)] = GoldTask(str(task_id), taken + actions, (str(spec["patient"]),))
        return tasks

    def prepare(self, system: Any, task: GoldTask) -> None:
        """Slots the task says someone else holds are booked for another patient first."""
        self._taken = []
        held = self._held_all()
        for action in task.actions:
            if "taken" in action:
                slot = self._offered(action["taken"], held)
                system.book(OTHER_PATIENT, slot, f"scenario:{task.id}:{slot}", self.clock().isoformat())
                held.add(slot)
                self._taken.append(slot)

    def subjects(self, system: Any, task: GoldTask) -> tuple[str, ...]:
        return task.user_ids

    def _held_all(self) -> set[str]:
        return {str(a["slot"]) for a in self._initial.appointments if a.get("status", BOOKED) == BOOKED}

    def _mine(self, patient: str) -> list[str]:
        return [
            str(a["slot"])
            for a in self._initial.appointments
            if a["patient"] == patient and a.get("status", BOOKED) == BOOKED
        ]

    def expected(
        self, task: GoldTask, subjects: tuple[str, ...], replay: bool = True
    ) -> tuple[State, list[str]]:
        held = self._held_all() | set(self._taken)
        state: dict[str, list[str]] = {p: self._mine(p) for p in subjects}
        if replay:
            patient = subjects[0]
            for action in task.actions:
                mine = state[patient]
                if "book" in action:
                    slot = self._offered(action["book"], held)
                    mine.append(slot)
                    held.add(slot)
                elif "cancel" in action:
                    old = self._appointment(mine, action["cancel"], task.id)
                    mine.remove(old)
                    held.discard(old)
                elif "reschedule" in action:
                    old = self._appointment(mine, action["reschedule"], task.id)
                    spec = {**action["reschedule"], "department": self._slot(old)["department"]}
                    slot = self._offered(spec, held)
                    mine[mine.index(old)] = slot
                    held.discard(old)
                    held.add(slot)
        return {p: sorted(v) for p, v in state.items()}, []

    def _appointment(self, mine: list[str], spec: Mapping[str, Any], task: str) -> str:
        ordered = sorted(mine, key=lambda s: (self._slot(s)["start"], s))
        index = int(spec.get("appointment", 1)) - 1
        if not 0 <= index < len(ordered):
            raise InvalidInput(f"task {task}: the patient has no appointment #{index + 1}")
        return ordered[index]

    def _slot(self, slot_id: str) -> Record:
        doctors = {d["id"]: d for d in self._initial.doctors}
        for slot in self._initial.slots:
            if slot["id"] == slot_id:
                return {**slot, "department": doctors[slot["doctor"]]["department"]}
        raise InvalidInput(f"no slot {slot_id} in the demo hospital")

    def _offered(self, spec: Mapping[str, Any], held: set[str]) -> str:
        """The slot the host offers at position ``pick`` for this department, doctor and window."""
        now = self.clock()
        found = windows(str(spec.get("window", "")), now, TIMEZONE) if spec.get("window") else []
        horizon = (now + timedelta(days=28)).isoformat()
        start, end = (found[-1].start, found[-1].end) if found else (now.isoformat(), horizon)
        offered = self._free(spec, held, max(start, now.isoformat()), end)
        if not offered and found:
            offered = self._free(spec, held, end, horizon)
        index = int(spec.get("pick", 1)) - 1
        if not 0 <= index < len(offered):
            raise InvalidInput(f"no free slot #{index + 1} for {dict(spec)}")
        return offered[index]

    def _free(self, spec: Mapping[str, Any], held: set[str], start: str, end: str) -> list[str]:
        doctors = {d["id"]: d for d in self._initial.doctors}
        rows = [
            s
            for s in self._initial.slots
            if doctors[s["doctor"]]["department"] == spec["department"]
            and (not spec.get("doctor") or s["doctor"] == spec["doctor"])
            and start <= s["start"] < end
            and s["id"] not in held
        ]
        rows.sort(key=lambda s: (s["start"], s["doctor"]))
        return [str(s["id"]) for s in rows[:OFFER]]

    def snapshot(self, system: Any, subjects: tuple[str, ...]) -> State:
        return {p: sorted(str(a["slot"]) for a in system.appointments(p)) for p in subjects}

    def differences(self, expected: State, actual: State, limit: int = 5) -> list[str]:
        out: list[str] = []
        for patient in sorted(set(expected) | set(actual)):
            wanted, got = set(expected.get(patient, [])), set(actual.get(patient, []))
            out += [f"patient {patient}: slot {s} expected, not booked" for s in sorted(wanted - got)]
            out += [f"patient {patient}: slot {s} booked, not expected" for s in sorted(got - wanted)]
        return out[:limit]


def adapters() -> dict[str, Callable[[], DemoHospitalData]]:
    return {DATA_NAME: DemoHospitalData}
