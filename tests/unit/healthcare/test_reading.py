"""Reading patients' words: identity facts, departments and doctors, time windows, picks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.packs.healthcare.demo_data import generate_demo_hospital
from kefu.packs.healthcare.reading import (
    department_in,
    doctors_in,
    identity_facts,
    pick,
    pick_by_time,
    windows,
)

TZ = "Asia/Shanghai"
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo(TZ))  # a Thursday
HOSPITAL = generate_demo_hospital(seed=7, today=NOW.date())


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("手机13800138001，生日1980年5月12日", {"phone": "13800138001", "birth_date": "1980-05-12"}),
        ("+86 138-0013-8001 1980/5/12", {"phone": "13800138001", "birth_date": "1980-05-12"}),
        (
            "my number is 139 0013 9004, born 3 September 1975",
            {"phone": "13900139004", "birth_date": "1975-09-03"},
        ),
        ("born March 2, 1958", {"birth_date": "1958-03-02"}),
        ("下周三上午", {}),
    ],
)
def test_identity_facts(text: str, facts: dict[str, str]) -> None:
    assert identity_facts(text)[0] == facts


def test_a_day_with_a_part_of_the_day_is_that_part_s_hours() -> None:
    (wed,) = windows("下周三上午", NOW, TZ)
    assert (wed.start, wed.end, wed.exact) == (
        "2026-12-09T08:00:00+08:00",
        "2026-12-09T12:00:00+08:00",
        False,
    )
    (tue,) = windows("next Tuesday afternoon with Dr. Li", NOW, TZ)
    assert (tue.start, tue.end) == ("2026-12-08T12:00:00+08:00", "2026-12-08T18:00:00+08:00")
    (week,) = windows("what do I have next week", NOW, TZ)
    assert (week.start[:10], week.end[:10]) == ("2026-12-07", "2026-12-14")
    (exact,) = windows("tomorrow at 9:30", NOW, TZ)
    assert exact.exact and exact.start == "2026-12-04T09:30:00+08:00"


@pytest.mark.parametrize(
    ("text", "dept"),
    [
        ("帮我挂心内科", "cardiology"),
        ("book cardiology please", "cardiology"),
        ("I need an eye doctor", "ophthalmology"),
        ("挂个骨科的号", "orthopaedics"),
        ("I want an appointment", None),  # "appointment" holds "ent" but names no department
    ],
)
def test_department_in(text: str, dept: str | None) -> None:
    assert department_in(text, HOSPITAL.departments) == dept


def test_doctors_by_full_name_then_by_surname_and_title() -> None:
    assert [d["id"] for d in doctors_in("李伟医生下周有号吗", HOSPITAL.doctors)] == ["D001"]
    by_title = doctors_in("next Tuesday with Dr. Li", HOSPITAL.doctors)
    assert by_title[0]["id"] == "D001" and all(d["name"].startswith("Li ") for d in by_title)


@pytest.mark.parametrize(
    ("text", "index"),
    [("2", 1), ("第二个", 1), ("the first one", 0), ("最后一个", 4), ("7", None), ("13800138001", None)],
)
def test_pick(text: str, index: int | None) -> None:
    assert pick(text, 5) == index


def test_pick_by_time_needs_a_clock_time() -> None:
    starts = ["2026-12-04T08:30:00+08:00", "2026-12-04T09:00:00+08:00"]
    assert pick_by_time("9点", starts, NOW, TZ) == 1
    assert pick_by_time("the 8:30 one", starts, NOW, TZ) == 0
    assert pick_by_time("下周三上午", starts, NOW, TZ) is None
