"""The education tools over any ``School``. Authorization uses the verified student id of the call
(never an id from the message); an enrolment needs the student's (or guardian's) confirmation and
carries the turn's idempotency key. Outputs hold no more personal data than the reply needs: never the
birth date or a guardian's phone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from kefu.domain.errors import ToolError
from kefu.packs.education.school import School, due_between, passed_courses, progress
from kefu.recommend.courses import CourseInfo, LearnerRecord, enrolment_model, recommend_courses
from kefu.tools.registry import ToolCall, ToolRegistry, ToolSpec

_ID = r"^[A-Za-z0-9_.:-]{1,64}$"
Clock = Callable[[], datetime]


class NoParams(BaseModel):
    pass


class StudentLookup(BaseModel):
    student_id: str = Field(pattern=r"^[Ss]\d{3,8}$")
    birth_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


class GuardianLookup(BaseModel):
    student_id: str = Field(pattern=r"^[Ss]\d{3,8}$")
    guardian_phone: str = Field(pattern=r"^\+?[\d -]{7,20}$")


class CourseParams(BaseModel):
    course_id: str = Field(pattern=_ID)


class DueParams(BaseModel):
    days: int = Field(default=7, ge=1, le=60)


class RecommendParams(BaseModel):
    interests: list[str] = Field(default_factory=list, max_length=10)
    k: int = Field(default=3, ge=1, le=10)


def course_info(c: dict[str, Any]) -> CourseInfo:
    return CourseInfo(
        c["id"],
        c["title"],
        c.get("title_zh", c["title"]),
        c["subject"],
        int(c["level"]),
        tuple(c.get("prerequisites", [])),
        tuple(c.get("topics", [])),
        bool(c.get("open", True)),
    )


def _public_student(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": s["id"],
        "display_name": s["display_name"],
        "lang": s.get("lang"),
        "interests": s.get("interests", []),
        "has_guardian": bool(s.get("guardians")),
    }


def build_registry(school: School, clock: Clock) -> ToolRegistry:
    model_cache: list[Any] = []

    def student(call: ToolCall) -> str:
        if not call.customer_id or school.get_student(call.customer_id) is None:
            raise ToolError("not_verified", "no verified student")
        return call.customer_id

    def find_student(_: ToolCall, p: StudentLookup) -> dict[str, Any]:
        return {"user_id": school.find_student(p.student_id, p.birth_date)}

    def find_by_guardian(_: ToolCall, p: GuardianLookup) -> dict[str, Any]:
        return {"user_id": school.find_by_guardian(p.student_id, p.guardian_phone)}

    def courses(_: ToolCall, __: NoParams) -> dict[str, Any]:
        return {"courses": school.list_courses()}

    def profile(call: ToolCall, _: NoParams) -> dict[str, Any]:
        return _public_student(school.get_student(student(call)) or {})

    def my_courses(call: ToolCall, _: NoParams) -> dict[str, Any]:
        sid = student(call)
        out = []
        for e in school.enrolments_of(sid):
            course = school.get_course(e["course"]) or {}
            out.append(
                {
                    "course": e["course"],
                    "status": e["status"],
                    "final_score": e.get("final_score"),
                    "quizzes": e.get("quizzes", []),
                    **progress(e, course),
                }
            )
        return {"enrolments": out}

    def due(call: ToolCall, p: DueParams) -> dict[str, Any]:
        sid = student(call)
        now = clock()
        found = []
        for e in school.enrolments_of(sid):
            if e["status"] != "active":
                continue
            found += due_between(
                school.assignments_of(e["course"]),
                now,
                now + timedelta(days=p.days),
                set(e.get("submitted", [])),
            )
        return {"assignments": sorted(found, key=lambda a: str(a["due"]))}

    def recommend(call: ToolCall, p: RecommendParams) -> dict[str, Any]:
        sid = student(call)
        record = school.get_student(sid) or {}
        catalogue = {c["id"]: course_info(c) for c in school.list_courses()}
        if not model_cache:
            snap = school.snapshot()
            model_cache.append(
                enrolment_model(((e["student"], e["course"]) for e in snap.enrolments), catalogue)
            )
        mine = school.enrolments_of(sid)
        learner = LearnerRecord(
            completed={
                e["course"]: float(e["final_score"]) for e in mine if e.get("final_score") is not None
            },
            in_progress=[e["course"] for e in mine if e["status"] == "active"],
            interests=list(dict.fromkeys([*p.interests, *record.get("interests", [])])),
        )
        recs = recommend_courses(catalogue, learner, k=p.k, model=model_cache[0])
        return {
            "suggestions": [
                {
                    "course": r.course_id,
                    "builds_on": [list(b) for b in r.builds_on],
                    "interests": list(r.interests),
                    "missing": list(r.missing),
                    "taken_after": r.taken_after,
                }
                for r in recs
            ],
            "passed": passed_courses(mine),
        }

    def enrol(call: ToolCall, p: CourseParams) -> dict[str, Any]:
        return school.enrol(student(call), p.course_id, call.idempotency_key)

    registry = ToolRegistry()
    specs: list[ToolSpec[Any]] = [
        ToolSpec(
            "find_student",
            "Locate a student by student number and date of birth.",
            StudentLookup,
            find_student,
            requires_customer=False,
            personal=frozenset({"birth_date"}),
        ),
        ToolSpec(
            "find_by_guardian",
            "Locate a student by student number and a guardian's phone.",
            GuardianLookup,
            find_by_guardian,
            requires_customer=False,
            personal=frozenset({"guardian_phone"}),
        ),
        ToolSpec(
            "list_courses", "The school's course catalogue.", NoParams, courses, requires_customer=False
        ),
        ToolSpec("get_student", "The verified student's name, language and interests.", NoParams, profile),
        ToolSpec(
            "my_courses",
            "The verified student's enrolments with progress and quiz scores.",
            NoParams,
            my_courses,
        ),
        ToolSpec("due_assignments", "Assignments due in the next days, not yet handed in.", DueParams, due),
        ToolSpec(
            "recommend_courses", "Courses for the verified student, with reasons.", RecommendParams, recommend
        ),
        ToolSpec("enrol", "Enrol the verified student in a course.", CourseParams, enrol, side_effect=True),
    ]
    for spec in specs:
        registry.register(spec)
    return registry
