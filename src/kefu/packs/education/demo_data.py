"""A deterministic bilingual demo school: courses in tracks with prerequisites, teachers, students (many
of them minors, with guardians), enrolments that follow the tracks in time order, progress, quiz scores
and assignments due around ``today``. The same seed and day always give the same school."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from kefu.packs.education.school import ACTIVE, COMPLETED, DROPPED, Record, SchoolData

_TZ = timezone(timedelta(hours=8))
BIRTH_YEAR_BASE = 2026  # birth dates do not move with the calendar, so scripted students stay who they are

# id, title, title_zh, subject, level, prerequisites, topics, teacher, lessons, language
_COURSES: tuple[tuple[str, str, str, str, int, tuple[str, ...], tuple[str, ...], str, int, str], ...] = (
    ("PY1", "Python 1", "Python 入门", "programming", 1, (),
     ("python", "programming", "编程", "coding"), "T1", 12, "both"),
    ("PY2", "Python 2", "Python 进阶", "programming", 2, ("PY1",),
     ("python", "programming", "编程"), "T1", 12, "both"),
    ("DA", "Data Analysis", "数据分析", "data", 2, ("PY1",),
     ("data", "数据", "statistics", "分析"), "T2", 10, "both"),
    ("ML", "Machine Learning", "机器学习", "data", 3, ("DA", "LA"),
     ("data", "数据", "ai", "人工智能"), "T2", 14, "both"),
    ("DS", "Data Structures", "数据结构", "computer science", 2, ("PY1",),
     ("algorithms", "算法", "cs"), "T3", 16, "zh"),
    ("ALG", "Algorithms", "算法设计", "computer science", 3, ("DS",),
     ("algorithms", "算法", "competition", "竞赛"), "T3", 16, "zh"),
    ("WEB1", "Web Basics", "网页基础", "web", 1, (), ("web", "网页", "design", "设计"), "T4", 10, "both"),
    ("WEB2", "JavaScript Apps", "JavaScript 应用开发", "web", 2, ("WEB1",),
     ("web", "网页", "javascript"), "T4", 12, "en"),
    ("CALC", "Calculus", "微积分", "math", 1, (), ("math", "数学"), "T5", 16, "zh"),
    ("LA", "Linear Algebra", "线性代数", "math", 2, ("CALC",),
     ("math", "数学", "data", "数据"), "T5", 14, "zh"),
    ("PROB", "Probability and Statistics", "概率统计", "math", 2, ("CALC",),
     ("math", "数学", "statistics"), "T5", 14, "zh"),
    ("EN1", "English Speaking 1", "英语口语 1", "languages", 1, (),
     ("english", "英语", "speaking", "口语"), "T6", 10, "en"),
    ("EN2", "English Speaking 2", "英语口语 2", "languages", 2, ("EN1",),
     ("english", "英语", "speaking"), "T6", 10, "en"),
    ("IELTS", "IELTS Preparation", "雅思备考", "languages", 3, ("EN2",),
     ("english", "英语", "exam", "考试"), "T6", 12, "en"),
    ("JP1", "Japanese 1", "日语入门", "languages", 1, (),
     ("japanese", "日语", "anime", "动漫"), "T7", 12, "zh"),
    ("ART", "Digital Drawing", "数字绘画", "art", 1, (),
     ("art", "美术", "drawing", "画画", "design", "设计"), "T8", 8, "both"),
)  # fmt: skip

_TRACKS: dict[str, tuple[str, ...]] = {
    "data": ("PY1", "CALC", "DA", "LA", "ML"),
    "cs": ("PY1", "DS", "ALG", "PY2"),
    "web": ("WEB1", "WEB2", "PY1", "ART"),
    "math": ("CALC", "LA", "PROB", "DA"),
    "english": ("EN1", "EN2", "IELTS"),
    "creative": ("ART", "WEB1", "JP1"),
}
_TRACK_INTERESTS = {
    "data": ("data", "数据"), "cs": ("algorithms", "算法"), "web": ("web", "网页"), "math": ("math", "数学"),
    "english": ("english", "英语"), "creative": ("art", "画画"),
}  # fmt: skip

_TEACHERS = (
    ("T1", "Ms. Li Na", "李娜老师", ("programming",)),
    ("T2", "Dr. Chen Wei", "陈伟老师", ("data",)),
    ("T3", "Mr. Zhao Lei", "赵磊老师", ("computer science",)),
    ("T4", "Ms. Emma Clark", "艾玛老师", ("web",)),
    ("T5", "Mr. Wang Jun", "王军老师", ("math",)),
    ("T6", "Mr. David Brown", "大卫老师", ("languages",)),
    ("T7", "Ms. Sato Yuki", "佐藤老师", ("languages",)),
    ("T8", "Ms. Lin Xiao", "林晓老师", ("art",)),
)
_ZH_NAMES = ("小明", "小红", "子涵", "浩然", "欣怡", "梓轩", "雨桐", "宇航", "思远", "佳怡", "俊杰", "诗涵")
_ZH_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周")
_EN_NAMES = ("Amy", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Henry", "Isla", "Jack", "Lily", "Max")
_EN_SURNAMES = ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright")
_SCHEDULE = {1: "19:00", 2: "19:00", 3: "18:30", 4: "19:30", 6: "09:00", 7: "14:00"}


def _courses() -> list[Record]:
    rng = random.Random(1)
    out = []
    for cid, title, title_zh, subject, level, pre, topics, teacher, lessons, lang in _COURSES:
        days = rng.sample(sorted(_SCHEDULE), 2 if lessons > 10 else 1)
        out.append(
            {
                "id": cid, "title": title, "title_zh": title_zh, "subject": subject, "level": level,
                "prerequisites": list(pre), "topics": list(topics), "teacher": teacher, "lessons": lessons,
                "language": lang, "capacity": 40, "open": True,
                "schedule": [{"weekday": d, "start": _SCHEDULE[d], "minutes": 90} for d in sorted(days)],
            }
        )  # fmt: skip
    return out


def _student(rng: random.Random, n: int, today: date) -> Record:
    zh = n % 2 == 0
    minor = rng.random() < 0.5
    age = rng.randint(12, 17) if minor else rng.randint(18, 40)
    born = date(BIRTH_YEAR_BASE - age, rng.randint(1, 12), rng.randint(1, 28))  # fixed: scenarios stay valid
    if zh:
        surname = rng.choice(_ZH_SURNAMES)
        name = surname + rng.choice(_ZH_NAMES)
        guardian_name = surname + rng.choice(("先生", "女士"))
        phone = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
    else:
        surname = rng.choice(_EN_SURNAMES)
        name = f"{rng.choice(_EN_NAMES)} {surname}"
        guardian_name = f"{rng.choice(('Mr.', 'Ms.'))} {surname}"
        phone = "+1 415 555 " + "".join(rng.choice("0123456789") for _ in range(4))
    return {
        "id": f"S{1001 + n}",
        "display_name": name,
        "birth_date": born.isoformat(),
        "lang": "zh" if zh else "en",
        "interests": [],
        "guardians": [{"name": guardian_name, "phone": phone}] if minor else [],
    }


def _quizzes(rng: random.Random, ability: float, count: int) -> list[Record]:
    return [
        {"name": f"Quiz {i + 1}", "score": max(20, min(100, round(rng.gauss(ability, 9)))), "max": 100}
        for i in range(count)
    ]


def generate_school(seed: int = 7, n_students: int = 60, today: date | None = None) -> SchoolData:
    """The demo school. Students alternate Chinese / English; each follows one or two tracks in order,
    finishing earlier courses and being part-way through the latest one."""
    if n_students < 1:
        raise ValueError("n_students must be at least 1")
    today = today or datetime.now(UTC).date()
    rng = random.Random(seed)
    courses = _courses()
    by_id = {c["id"]: c for c in courses}
    students: list[Record] = []
    enrolments: list[Record] = []
    for n in range(n_students):
        student = _student(rng, n, today)
        tracks = rng.sample(sorted(_TRACKS), 2 if rng.random() < 0.3 else 1)
        zh = student["lang"] == "zh"
        student["interests"] = [_TRACK_INTERESTS[t][1 if zh else 0] for t in tracks]
        students.append(student)
        ability = rng.uniform(55, 97)
        path: list[str] = []
        for track in tracks:
            path += [c for c in _TRACKS[track][: rng.randint(1, len(_TRACKS[track]))] if c not in path]
        start = today - timedelta(days=30 * len(path) + rng.randint(0, 20))
        for i, cid in enumerate(path):
            last = i == len(path) - 1
            course = by_id[cid]
            status = ACTIVE if last else DROPPED if rng.random() < 0.05 else COMPLETED
            quizzes = _quizzes(rng, ability, 4 if not last else rng.randint(1, 3))
            final = round(sum(q["score"] for q in quizzes) / len(quizzes), 1) if status == COMPLETED else None
            done = course["lessons"] if status == COMPLETED else rng.randint(1, course["lessons"] - 2)
            enrolments.append(
                {
                    "id": f"E{len(enrolments) + 1:04d}", "student": student["id"], "course": cid,
                    "status": status, "enrolled_at": (start + timedelta(days=30 * i)).isoformat(),
                    "lessons_done": done, "quizzes": quizzes, "final_score": final, "submitted": [],
                }
            )  # fmt: skip
    assignments = _assignments(rng, courses, today)
    for e in enrolments:
        if e["status"] == ACTIVE:
            mine = [a for a in assignments if a["course"] == e["course"]]
            e["submitted"] = [a["id"] for a in mine if a["due"] < today.isoformat()]
    teachers = [
        {"id": t, "name": name, "name_zh": zh, "subjects": list(subjects), "office_hours": "Wed 16:00-18:00"}
        for t, name, zh, subjects in _TEACHERS
    ]
    school: dict[str, Any] = {
        "name": "Bright Path Academy", "name_zh": "明途学堂", "timezone": "Asia/Shanghai",
        "phone": "400-820-1234", "email": "help@brightpath.example",
    }  # fmt: skip
    return SchoolData(school, teachers, courses, students, enrolments, assignments)


def _assignments(rng: random.Random, courses: list[Record], today: date) -> list[Record]:
    out: list[Record] = []
    for course in courses:
        for j, offset in enumerate((-5, rng.randint(1, 6), rng.randint(8, 16))):
            due = datetime.combine(today + timedelta(days=offset), time(23, 59), _TZ)
            out.append(
                {
                    "id": f"{course['id']}-A{j + 1}", "course": course["id"],
                    "title": f"{course['title']} homework {j + 1}",
                    "title_zh": f"{course['title_zh']} 作业 {j + 1}", "due": due.isoformat(),
                }
            )  # fmt: skip
    return out
