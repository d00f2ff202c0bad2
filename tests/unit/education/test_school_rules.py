"""The school's rules as code, the demo school generator and the JSON format, on the in-memory school."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from kefu.domain.errors import ToolError
from kefu.packs.education.demo_data import generate_school
from kefu.packs.education.memory_school import MemorySchool
from kefu.packs.education.school import (
    SchoolError,
    due_between,
    is_minor,
    parse_school,
    passed_courses,
    progress,
    week_of,
)

TODAY = date(2026, 12, 2)


def test_demo_school_is_deterministic_bilingual_and_round_trips_through_json() -> None:
    a = generate_school(seed=7, n_students=30, today=TODAY)
    b = generate_school(seed=7, n_students=30, today=TODAY)
    assert a.to_json() == b.to_json()
    assert {s["lang"] for s in a.students} == {"zh", "en"}
    assert any(s["guardians"] for s in a.students) and any(not s["guardians"] for s in a.students)
    again = parse_school(json.loads(json.dumps(a.to_json(), ensure_ascii=False)))
    assert again.to_json() == a.to_json()


def test_bad_school_files_name_the_record_and_field() -> None:
    with pytest.raises(SchoolError, match=r"courses\[0\] lacks"):
        parse_school({"courses": [{"id": "X"}]})
    data = generate_school(n_students=2, today=TODAY).to_json()
    data["courses"][0]["prerequisites"] = ["NOPE"]
    with pytest.raises(SchoolError, match="unknown prerequisites NOPE"):
        parse_school(data)
    with pytest.raises(SchoolError, match="JSON object"):
        parse_school([])


def test_enrolment_needs_passed_prerequisites_and_is_idempotent() -> None:
    data = generate_school(n_students=2, today=TODAY)
    school = MemorySchool(data)
    sid = data.students[0]["id"]
    passed = passed_courses(school.enrolments_of(sid))
    target = next(
        c for c in data.courses if any(p not in passed for p in c["prerequisites"]) and c["prerequisites"]
    )
    with pytest.raises(ToolError) as err:
        school.enrol(sid, target["id"], "k1")
    assert err.value.user_message == "missing_prerequisites"
    first = next(
        c
        for c in data.courses
        if not c["prerequisites"] and c["id"] not in {e["course"] for e in school.enrolments_of(sid)}
    )
    one = school.enrol(sid, first["id"], "k2")
    assert school.enrol(sid, first["id"], "k2") == one  # a retry changes nothing
    with pytest.raises(ToolError) as again:
        school.enrol(sid, first["id"], "k3")
    assert again.value.user_message == "already_enrolled"


def test_verification_by_birth_date_or_guardian_phone() -> None:
    data = generate_school(n_students=10, today=TODAY)
    school = MemorySchool(data)
    minor = next(s for s in data.students if s["guardians"])
    assert school.find_student(minor["id"], minor["birth_date"]) == minor["id"]
    assert school.find_student(minor["id"], "1999-01-01") is None
    phone = minor["guardians"][0]["phone"]
    assert school.find_by_guardian(minor["id"].lower(), phone) == minor["id"]
    assert school.find_by_guardian(minor["id"], "123") is None
    assert is_minor(minor, TODAY)


def test_progress_and_what_is_due_this_week() -> None:
    enrolment = {"lessons_done": 6, "quizzes": [{"score": 40, "max": 50}, {"score": 90, "max": 100}]}
    p = progress(enrolment, {"lessons": 12})
    assert (p["lessons_done"], p["share"], p["quiz_average"], p["last_quiz_pct"]) == (6, 0.5, 85.0, 90.0)
    tz = timezone(timedelta(hours=8))
    monday, next_monday = week_of(TODAY)
    assert monday == date(2026, 11, 30) and next_monday == date(2026, 12, 7)
    items = [
        {"id": "a", "due": "2026-12-03T23:59:00+08:00"},
        {"id": "b", "due": "2026-12-01T23:59:00+08:00"},
        {"id": "c", "due": "2026-12-09T23:59:00+08:00"},
    ]
    start = datetime(2026, 12, 2, tzinfo=tz)
    assert [a["id"] for a in due_between(items, start, start + timedelta(days=5), set())] == ["a"]
    assert due_between(items, start, start + timedelta(days=5), {"a"}) == []
