"""An in-memory ``School`` (tests, scenarios, ``kefu chat`` without a database)."""

from __future__ import annotations

import copy
import threading
from datetime import UTC, datetime

from kefu.domain.errors import ToolError
from kefu.packs.education.school import ACTIVE, Record, SchoolData, check_enrolment, guardian_matches


class MemorySchool:
    def __init__(self, data: SchoolData) -> None:
        self._data = copy.deepcopy(data)
        self._actions: dict[str, Record] = {}
        self._lock = threading.Lock()

    def snapshot(self) -> SchoolData:
        with self._lock:
            return copy.deepcopy(self._data)

    def get_student(self, student_id: str) -> Record | None:
        found = next((s for s in self._data.students if s["id"] == student_id.strip().upper()), None)
        return copy.deepcopy(found)

    def find_student(self, student_id: str, birth_date: str) -> str | None:
        student = self.get_student(student_id)
        return student["id"] if student and student["birth_date"] == birth_date else None

    def find_by_guardian(self, student_id: str, guardian_phone: str) -> str | None:
        student = self.get_student(student_id)
        if not student:
            return None
        return student["id"] if guardian_matches(student, guardian_phone) else None

    def get_course(self, course_id: str) -> Record | None:
        found = next((c for c in self._data.courses if c["id"] == course_id), None)
        return copy.deepcopy(found)

    def list_courses(self) -> list[Record]:
        return copy.deepcopy(self._data.courses)

    def enrolments_of(self, student_id: str) -> list[Record]:
        return copy.deepcopy([e for e in self._data.enrolments if e["student"] == student_id])

    def assignments_of(self, course_id: str) -> list[Record]:
        return copy.deepcopy([a for a in self._data.assignments if a["course"] == course_id])

    def enrol(self, student_id: str, course_id: str, idempotency_key: str) -> Record:
        with self._lock:
            if idempotency_key in self._actions:
                return copy.deepcopy(self._actions[idempotency_key])
            course = self.get_course(course_id)
            if course is None:
                raise ToolError("unknown_course", f"no course {course_id}")
            if self.get_student(student_id) is None:
                raise ToolError("unknown_student", f"no student {student_id}")
            taken = sum(1 for e in self._data.enrolments if (e["course"], e["status"]) == (course_id, ACTIVE))
            check_enrolment(course, self.enrolments_of(student_id), taken)
            enrolment: Record = {
                "id": f"E{len(self._data.enrolments) + 1:04d}",
                "student": student_id,
                "course": course_id,
                "status": ACTIVE,
                "enrolled_at": datetime.now(UTC).date().isoformat(),
                "lessons_done": 0,
                "quizzes": [],
                "final_score": None,
                "submitted": [],
            }
            self._data.enrolments.append(enrolment)
            self._actions[idempotency_key] = copy.deepcopy(enrolment)
            return copy.deepcopy(enrolment)

    def set_interests(self, student_id: str, interests: list[str], idempotency_key: str) -> Record:
        with self._lock:
            student = next((s for s in self._data.students if s["id"] == student_id), None)
            if student is None:
                raise ToolError("unknown_student", f"no student {student_id}")
            student["interests"] = list(dict.fromkeys(interests))
            return copy.deepcopy(student)



