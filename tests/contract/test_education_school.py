"""The demo school against SQLite and PostgreSQL: the JSON round trip, prerequisites, one active
enrolment per student and course even under concurrent enrolment, idempotent retries."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from kefu.domain.errors import ToolError
from kefu.packs.education.demo_data import generate_school
from kefu.packs.education.school import SchoolData, passed_courses
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.school import SqlSchool

TODAY = date(2026, 12, 2)


@pytest.fixture
def demo() -> SchoolData:
    return generate_school(seed=5, n_students=12, today=TODAY)


@pytest.fixture
def school(database_url: str, demo: SchoolData) -> SqlSchool:
    engine = make_engine(database_url)
    upgrade(engine)
    found = SqlSchool(engine)
    found.load(demo)
    return found


def test_snapshot_is_what_was_loaded(school: SqlSchool, demo: SchoolData) -> None:
    assert school.snapshot().to_json() == demo.to_json()
    assert not school.is_empty()
    student = demo.students[0]
    assert school.find_student(student["id"].lower(), student["birth_date"]) == student["id"]
    expected = [e for e in demo.enrolments if e["student"] == student["id"]]
    assert school.enrolments_of(student["id"]) == expected
    course = demo.courses[0]["id"]
    assert school.assignments_of(course) == [a for a in demo.assignments if a["course"] == course]


def test_prerequisites_refused_and_retry_is_idempotent(school: SqlSchool, demo: SchoolData) -> None:
    sid = demo.students[0]["id"]
    passed = passed_courses(school.enrolments_of(sid))
    mine = {e["course"] for e in school.enrolments_of(sid)}
    blocked = next(c for c in demo.courses if any(p not in passed for p in c["prerequisites"]))
    with pytest.raises(ToolError) as err:
        school.enrol(sid, blocked["id"], "key-1")
    assert err.value.user_message == "missing_prerequisites"
    free = next(c for c in demo.courses if not c["prerequisites"] and c["id"] not in mine)
    first = school.enrol(sid, free["id"], "key-2")
    assert school.enrol(sid, free["id"], "key-2") == first
    assert sum(1 for e in school.enrolments_of(sid) if e["course"] == free["id"]) == 1


def test_concurrent_enrolments_leave_one(school: SqlSchool, demo: SchoolData) -> None:
    sid = demo.students[1]["id"]
    mine = {e["course"] for e in school.enrolments_of(sid)}
    free = next(c for c in demo.courses if not c["prerequisites"] and c["id"] not in mine)
    results: list[str] = []

    def go(i: int) -> None:
        try:
            school.enrol(sid, free["id"], f"race-{i}")
            results.append("ok")
        except ToolError as exc:
            results.append(exc.user_message)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1 and set(results) <= {"ok", "already_enrolled"}
    assert sum(1 for e in school.enrolments_of(sid) if e["course"] == free["id"]) == 1
