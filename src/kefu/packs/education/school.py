"""The school as kefu sees it: the data shape (``docs/education-data.md``), a port, and the rules.

Students may be minors, so a student record holds only what the service needs: a display name, the
student number, a birth date (to verify, never shown), the language, interests, and guardians (name and
phone) who may speak for the student. Records are plain JSON objects; ids are strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from kefu.domain.errors import ToolError

Record = dict[str, Any]

ACTIVE, COMPLETED, DROPPED = "active", "completed", "dropped"
STATUSES = (ACTIVE, COMPLETED, DROPPED)
PASS_MARK = 60.0


@dataclass
class SchoolData:
    """A whole school in the documented JSON format (``docs/education-data.md``)."""

    school: Record = field(default_factory=dict)
    teachers: list[Record] = field(default_factory=list)
    courses: list[Record] = field(default_factory=list)
    students: list[Record] = field(default_factory=list)
    enrolments: list[Record] = field(default_factory=list)
    assignments: list[Record] = field(default_factory=list)

    def to_json(self) -> Record:
        return {
            "school": self.school,
            "teachers": self.teachers,
            "courses": self.courses,
            "students": self.students,
            "enrolments": self.enrolments,
            "assignments": self.assignments,
        }


class SchoolError(ValueError):
    """A school file that does not follow the format; the message names the record and the field."""


_REQUIRED = {
    "teachers": ("id", "name"),
    "courses": ("id", "title", "subject", "level", "teacher", "lessons"),
    "students": ("id", "display_name", "birth_date"),
    "enrolments": ("id", "student", "course", "status"),
    "assignments": ("id", "course", "title", "due"),
}


def parse_school(raw: Any) -> SchoolData:
    """Check a school JSON document and return it as ``SchoolData``; raise ``SchoolError`` otherwise."""
    if not isinstance(raw, dict):
        raise SchoolError("a school file is a JSON object with teachers, courses, students, …")
    data = SchoolData(school=dict(raw.get("school") or {}))
    for key, fields in _REQUIRED.items():
        records = raw.get(key, [])
        if not isinstance(records, list):
            raise SchoolError(f"{key} must be a list")
        for i, rec in enumerate(records):
            if not isinstance(rec, dict):
                raise SchoolError(f"{key}[{i}] must be an object")
            missing = [f for f in fields if f not in rec]
            if missing:
                raise SchoolError(f"{key}[{i}] lacks {', '.join(missing)}")
        getattr(data, key).extend(dict(r) for r in records)
    courses = {c["id"] for c in data.courses}
    students = {s["id"] for s in data.students}
    teachers = {t["id"] for t in data.teachers}
    for c in data.courses:
        unknown = [p for p in c.get("prerequisites", []) if p not in courses]
        if unknown:
            raise SchoolError(f"course {c['id']} has unknown prerequisites {', '.join(unknown)}")
        if c["teacher"] not in teachers:
            raise SchoolError(f"course {c['id']} has unknown teacher {c['teacher']}")
    for e in data.enrolments:
        if e["student"] not in students or e["course"] not in courses:
            raise SchoolError(f"enrolment {e['id']} names an unknown student or course")
        if e["status"] not in STATUSES:
            allowed = ", ".join(STATUSES)
            raise SchoolError(f"enrolment {e['id']} has status {e['status']!r}; use one of {allowed}")
    for a in data.assignments:
        if a["course"] not in courses:
            raise SchoolError(f"assignment {a['id']} names unknown course {a['course']}")
        try:
            datetime.fromisoformat(str(a["due"]))
        except ValueError as exc:
            raise SchoolError(f"assignment {a['id']} has due {a['due']!r}, not ISO 8601") from exc
    return data


class School(Protocol):
    """What the education tools need from a school. Mutations take an idempotency key: a retry with the
    same key returns the first result and changes nothing."""

    def snapshot(self) -> SchoolData: ...

    def get_student(self, student_id: str) -> Record | None: ...

    def find_student(self, student_id: str, birth_date: str) -> str | None: ...

    def find_by_guardian(self, student_id: str, guardian_phone: str) -> str | None: ...

    def get_course(self, course_id: str) -> Record | None: ...

    def list_courses(self) -> list[Record]: ...

    def enrolments_of(self, student_id: str) -> list[Record]: ...

    def assignments_of(self, course_id: str) -> list[Record]: ...

    def enrol(self, student_id: str, course_id: str, idempotency_key: str) -> Record: ...

    def set_interests(self, student_id: str, interests: list[str], idempotency_key: str) -> Record: ...


# -- rules as code -----------------------------------------------------------------------------


def passed_courses(enrolments: list[Record]) -> dict[str, float]:
    """Course id → final score for every completed enrolment at or above the pass mark."""
    return {
        e["course"]: float(e["final_score"])
        for e in enrolments
        if e["status"] == COMPLETED
        and e.get("final_score") is not None
        and float(e["final_score"]) >= PASS_MARK
    }


def check_enrolment(course: Record, enrolments: list[Record], enrolled_count: int) -> None:
    """Refuse an enrolment the school would refuse: closed, full, already enrolled or passed, or a
    prerequisite not passed. ``ToolError.user_message`` is the refusal reason code."""
    if not course.get("open", True):
        raise ToolError("course_closed", f"course {course['id']} is not open for enrolment")
    mine = [e for e in enrolments if e["course"] == course["id"] and e["status"] != DROPPED]
    if any(e["status"] == ACTIVE for e in mine):
        raise ToolError("already_enrolled", f"already enrolled in {course['id']}")
    passed = passed_courses(enrolments)
    if course["id"] in passed:
        raise ToolError("already_passed", f"already passed {course['id']}")
    missing = [p for p in course.get("prerequisites", []) if p not in passed]
    if missing:
        raise ToolError("missing_prerequisites", f"missing prerequisites {', '.join(missing)}")
    capacity = course.get("capacity")
    if capacity is not None and enrolled_count >= int(capacity):
        raise ToolError("course_full", f"course {course['id']} is full")


def progress(enrolment: Record, course: Record) -> dict[str, Any]:
    """Lessons done of the course's lessons, the share, the quiz average and the last quiz."""
    lessons = int(course.get("lessons") or 0)
    done = min(int(enrolment.get("lessons_done") or 0), lessons) if lessons else 0
    quizzes = list(enrolment.get("quizzes") or [])
    pct = [100.0 * float(q["score"]) / float(q.get("max") or 100) for q in quizzes]
    return {
        "lessons_done": done,
        "lessons": lessons,
        "share": (done / lessons) if lessons else 0.0,
        "quiz_average": (sum(pct) / len(pct)) if pct else None,
        "last_quiz": quizzes[-1] if quizzes else None,
        "last_quiz_pct": pct[-1] if pct else None,
    }


def due_between(
    assignments: list[Record], start: datetime, end: datetime, submitted: set[str]
) -> list[Record]:
    """Assignments due in [start, end) that the student has not handed in, soonest first."""
    out = []
    for a in assignments:
        due = datetime.fromisoformat(str(a["due"]))
        if due.tzinfo is None and start.tzinfo is not None:
            due = due.replace(tzinfo=start.tzinfo)
        if start <= due < end and a["id"] not in submitted:
            out.append(a)
    return sorted(out, key=lambda a: str(a["due"]))


def week_of(today: date) -> tuple[date, date]:
    """Monday to the next Monday of ``today``'s week."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=7)


def guardian_matches(student: Record, phone: str) -> bool:
    """A guardian's phone as given (spaces, +86, dashes ignored; at least 7 digits, matched from the end)."""
    given = "".join(ch for ch in phone if ch.isdigit())
    if len(given) < 7:
        return False
    for guardian in student.get("guardians") or ():
        known = "".join(ch for ch in str(guardian.get("phone", "")) if ch.isdigit())
        if known.endswith(given) or given.endswith(known):
            return True
    return False


def is_minor(student: Record, today: date) -> bool:
    born = date.fromisoformat(str(student["birth_date"]))
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age < 18
