"""Reading students' words, and the tools' rails: verified student only, confirmation before an
enrolment, no birth date or guardian phone in any output."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from kefu.domain.errors import KefuError
from kefu.packs.education import reading
from kefu.packs.education.demo_data import generate_school
from kefu.packs.education.memory_school import MemorySchool
from kefu.packs.education.tools import build_registry

TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def test_identity_facts_in_both_languages() -> None:
    assert reading.identity_facts("学号s1003，出生日期2006年9月19日") == {
        "student_id": "S1003",
        "birth_date": "2006-09-19",
    }
    assert (
        reading.identity_facts("Student S1002, my phone is +1 415 555 0199")["guardian_phone"]
        == "+1 415 555 0199"
    )
    assert reading.identity_facts("学号S1001，家长手机13812345678")["guardian_phone"] == "13812345678"
    assert reading.identity_facts("hello") == {}


def test_course_names_interests_and_distress() -> None:
    courses = generate_school(n_students=1, today=TODAY).courses
    assert reading.courses_in("我数据结构学到哪了", courses) == ["DS"]
    assert reading.courses_in("enrol me in Data Analysis and then Machine Learning", courses) == ["DA", "ML"]
    assert reading.interests_in("我喜欢数据和画画", "zh") == ["数据", "画画"]
    assert reading.interests_in("I like data", "en") == ["data"]
    assert reading.distressed("最近压力好大") and reading.distressed("I'm so stressed")
    assert not reading.distressed("what is due this week")


def test_tools_need_the_verified_student_and_confirmation_and_hide_personal_data() -> None:
    data = generate_school(n_students=6, today=TODAY)
    tools = build_registry(MemorySchool(data), lambda: NOW)
    student = data.students[0]
    with pytest.raises(KefuError):
        tools.call("my_courses", {}, customer_id=None, idempotency_key="k")
    found = tools.call(
        "find_student",
        {"student_id": student["id"], "birth_date": student["birth_date"]},
        customer_id=None,
        idempotency_key="k",
    )
    assert found.output["user_id"] == student["id"]
    assert student["birth_date"] not in json.dumps(found.event())  # personal arguments are not stored
    profile = tools.call("get_student", {}, customer_id=student["id"], idempotency_key="k").output
    assert "birth_date" not in profile and "guardians" not in profile
    mine = {e["course"] for e in data.enrolments if e["student"] == student["id"]}
    free = next(c["id"] for c in data.courses if not c["prerequisites"] and c["id"] not in mine)
    with pytest.raises(KefuError):  # a side effect without the student's yes is refused by the rails
        tools.call("enrol", {"course_id": free}, customer_id=student["id"], idempotency_key="e1")
    done = tools.call(
        "enrol", {"course_id": free}, customer_id=student["id"], idempotency_key="e1", confirmed=True
    )
    assert done.output["course"] == free
