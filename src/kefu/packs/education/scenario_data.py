"""The education pack's scenario data adapter (``kefu.dialogue.scenarios.ScenarioData``): the demo
school as initial data, and gold tasks in the student's terms (``scenarios/tasks.json``)::

    {"tasks": {"zh-enrol-1": {"student": "S1003", "actions": [{"enrol": "DA"}]}}}

The state compared is, per student, the sorted list of ``course:status`` of their enrolments."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kefu.dialogue.scenarios import GoldTask, State
from kefu.domain.errors import InvalidInput
from kefu.packs.education.demo_data import generate_school
from kefu.packs.education.school import ACTIVE, SchoolData

DATA_NAME = "demo-school"
HERE = Path(__file__).resolve().parent
SEED = 7


class DemoSchoolData:
    system_name = "school"

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock or (lambda: datetime.now(ZoneInfo("Asia/Shanghai")))
        self._initial = SchoolData()

    def default_dir(self) -> Path:
        return HERE / "scenarios"

    def load_initial(self, system: Any, directory: Path) -> None:
        self._initial = generate_school(seed=SEED, today=self.clock().date())
        system.load(self._initial, replace=True)

    def load_tasks(self, directory: Path, gold: str) -> dict[str, GoldTask]:
        path = directory / gold
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"gold task file cannot be read: {path} ({exc.__class__.__name__})") from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("tasks"), dict):
            raise InvalidInput(f"{path}: expected a mapping 'tasks' of task id → student, actions")
        return {
            str(tid): GoldTask(str(tid), tuple(spec.get("actions") or ()), (str(spec["student"]),))
            for tid, spec in raw["tasks"].items()
        }

    def subjects(self, system: Any, task: GoldTask) -> tuple[str, ...]:
        return task.user_ids

    def expected(
        self, task: GoldTask, subjects: tuple[str, ...], replay: bool = True
    ) -> tuple[State, list[str]]:
        state: dict[str, list[str]] = {
            s: [f"{e['course']}:{e['status']}" for e in self._initial.enrolments if e["student"] == s]
            for s in subjects
        }
        if replay:
            for action in task.actions:
                if "enrol" in action:
                    state[subjects[0]].append(f"{action['enrol']}:{ACTIVE}")
        return {s: sorted(v) for s, v in state.items()}, []

    def snapshot(self, system: Any, subjects: tuple[str, ...]) -> State:
        return {s: sorted(f"{e['course']}:{e['status']}" for e in system.enrolments_of(s)) for s in subjects}

    def differences(self, expected: State, actual: State, limit: int = 5) -> list[str]:
        out: list[str] = []
        for student in sorted(set(expected) | set(actual)):
            wanted, got = set(expected.get(student, [])), set(actual.get(student, []))
            out += [f"student {student}: enrolment {e} expected, missing" for e in sorted(wanted - got)]
            out += [f"student {student}: enrolment {e} present, not expected" for e in sorted(got - wanted)]
        return out[:limit]


def adapters() -> dict[str, Callable[[], DemoSchoolData]]:
    return {DATA_NAME: DemoSchoolData}
