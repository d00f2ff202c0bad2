"""The bilingual demo hospital: departments (MultiWOZ's Cambridge hospital names, with Chinese names and
the triage labels of the Chinese medical dialogue data), doctors with weekly schedules, bookable slots
for the coming weeks, patients, a few appointments and measurements. Deterministic for a seed and a
start date."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kefu.packs.healthcare.hospital import BOOKED, HospitalData, Record

TIMEZONE = "Asia/Shanghai"
SLOT_MINUTES = 30
SESSIONS = {"morning": (time(8, 30), time(11, 30)), "afternoon": (time(13, 30), time(16, 30))}

# id, English name (MultiWOZ where it has one), Chinese name, triage labels, what to bring (en | zh)
_DEPARTMENTS: tuple[tuple[str, str, str, tuple[str, ...], str, str], ...] = (
    (
        "cardiology",
        "cardiology",
        "心血管内科",
        ("心血管科",),
        "recent ECG and blood-pressure records",
        "近期心电图和血压记录",
    ),
    (
        "gastroenterology",
        "gastroenterology",
        "消化内科",
        ("消化科",),
        "come fasting if an endoscopy may be needed",
        "如可能做胃镜请空腹前来",
    ),
    (
        "hepatology",
        "hepatology",
        "肝病科",
        ("肝病科",),
        "recent liver-function and hepatitis test results",
        "近期肝功能和肝炎检查结果",
    ),
    (
        "neurology",
        "neurology",
        "神经内科",
        ("神经科",),
        "a list of your symptoms and when they started",
        "症状清单及开始时间",
    ),
    (
        "endocrinology",
        "diabetes and endocrinology",
        "内分泌科",
        ("内分泌科",),
        "your glucose diary; come fasting for blood tests",
        "血糖记录；抽血请空腹",
    ),
    (
        "respiratory",
        "respiratory medicine",
        "呼吸内科",
        ("呼吸科",),
        "any chest X-ray or CT reports",
        "胸片或CT报告",
    ),
    (
        "nephrology",
        "general medicine and nephrology",
        "肾内科",
        ("肾内科",),
        "recent urine and kidney-function tests",
        "近期尿检和肾功能报告",
    ),
    (
        "infectious_diseases",
        "infectious diseases",
        "感染科",
        ("感染科",),
        "a mask, and your vaccination record",
        "请佩戴口罩，带上疫苗接种记录",
    ),
    ("haematology", "haematology", "血液科", ("血液科",), "recent blood-count results", "近期血常规结果"),
    (
        "general_medicine",
        "general internal medicine",
        "普通内科",
        ("普通内科",),
        "your medicine list and earlier test results",
        "正在服用的药物清单和既往检查结果",
    ),
    (
        "rheumatology",
        "rheumatology and immunology",
        "风湿免疫科",
        ("风湿免疫科",),
        "photos of swollen joints if the swelling comes and goes",
        "关节肿胀时的照片",
    ),
    ("paediatrics", "paediatric clinic", "儿科", (), "the child's vaccination booklet", "孩子的疫苗接种本"),
    ("gynaecology", "gynaecology", "妇科", (), "the date of your last period", "末次月经日期"),
    ("orthopaedics", "trauma and orthopaedics", "骨科", (), "any X-ray films", "X光片"),
    (
        "ent",
        "oral and maxillofacial surgery and ent",
        "耳鼻喉科",
        (),
        "earlier hearing-test results",
        "既往听力检查结果",
    ),
    ("ophthalmology", "eye unit", "眼科", (), "your glasses or contact lenses", "眼镜或隐形眼镜"),
    ("psychiatry", "psychiatry", "精神心理科", (), "a list of medicines you take", "正在服用的药物清单"),
)
EMERGENCY = ("emergency", "emergency department", "急诊科")

_SURNAMES = (
    ("李", "Li"),
    ("王", "Wang"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("赵", "Zhao"),
    ("黄", "Huang"),
    ("周", "Zhou"),
    ("吴", "Wu"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("胡", "Hu"),
    ("朱", "Zhu"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("何", "He"),
    ("郭", "Guo"),
)
_GIVEN = (
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("磊", "Lei"),
    ("洋", "Yang"),
    ("艳", "Yan"),
    ("勇", "Yong"),
    ("军", "Jun"),
    ("杰", "Jie"),
    ("娟", "Juan"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("霞", "Xia"),
    ("平", "Ping"),
    ("刚", "Gang"),
)
_TITLES = (
    ("chief physician", "主任医师"),
    ("associate chief physician", "副主任医师"),
    ("attending physician", "主治医师"),
)
_ENGLISH_PATIENTS = (
    ("Emma", "Wilson"),
    ("James", "Smith"),
    ("Olivia", "Brown"),
    ("Noah", "Taylor"),
    ("Sophia", "Davies"),
    ("Liam", "Evans"),
    ("Mia", "Thomas"),
    ("Lucas", "Roberts"),
)

# Fixed demo patients the docs and scenario suites use: (id, zh name, en name, phone, birth date, lang)
DEMO_PATIENTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("P0001", "张伟", "Zhang Wei", "13800138001", "1980-05-12", "zh"),
    ("P0002", "李娜", "Li Na", "13800138002", "1992-11-03", "zh"),
    ("P0003", "王强", "Wang Qiang", "13800138003", "1958-02-20", "zh"),
    ("P0004", "Emma Wilson", "Emma Wilson", "13900139004", "1975-09-03", "en"),
    ("P0005", "James Smith", "James Smith", "13900139005", "1988-01-30", "en"),
)


def _department(row: tuple[str, str, str, tuple[str, ...], str, str], index: int) -> Record:
    dept_id, name, name_zh, labels, bring, bring_zh = row
    return {
        "id": dept_id,
        "name": name,
        "name_zh": name_zh,
        "triage_labels": list(labels),
        "bookable": True,
        "location": f"Building {1 + index // 6}, floor {1 + index % 6}",
        "location_zh": f"{1 + index // 6}号楼{1 + index % 6}层",
        "phone": f"0571-8800{index:04d}",
        "bring": bring,
        "bring_zh": bring_zh,
    }


def _doctor(rng: random.Random, dept_id: str, number: int, used: set[str]) -> Record:
    while True:
        (sur_zh, sur_en), (given_zh, given_en) = rng.choice(_SURNAMES), rng.choice(_GIVEN)
        if sur_zh + given_zh not in used:
            used.add(sur_zh + given_zh)
            break
    title, title_zh = _TITLES[number % len(_TITLES)]
    days = rng.sample(range(5), 3)
    schedule = [{"weekday": d, "part": rng.choice(("morning", "afternoon"))} for d in sorted(days)]
    return {
        "id": f"D{len(used):03d}",
        "name": f"{sur_en} {given_en}",
        "name_zh": sur_zh + given_zh,
        "title": title,
        "title_zh": title_zh,
        "department": dept_id,
        "specialties": [],
        "languages": ["zh", "en"] if number % 2 == 0 else ["zh"],
        "schedule": schedule,
    }


def slots_for(doctors: list[Record], first: date, days: int, tz: str = TIMEZONE) -> list[Record]:
    """Every bookable slot of the doctors' weekly schedules on ``days`` days from ``first``."""
    zone = ZoneInfo(tz)
    slots: list[Record] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        for doctor in doctors:
            for session in doctor.get("schedule", []):
                if session["weekday"] != day.weekday():
                    continue
                begin, end = SESSIONS[session["part"]]
                at = datetime.combine(day, begin, tzinfo=zone)
                while at.time() < end:
                    slots.append(
                        {
                            "id": f"{doctor['id']}-{at:%Y%m%d%H%M}",
                            "doctor": doctor["id"],
                            "start": at.isoformat(),
                            "minutes": SLOT_MINUTES,
                        }
                    )
                    at += timedelta(minutes=SLOT_MINUTES)
    return slots


def _patient(pid: str, name_zh: str, name_en: str, phone: str, birth: str, lang: str) -> Record:
    return {
        "id": pid,
        "name": name_en,
        "name_zh": name_zh,
        "phone": phone,
        "birth_date": birth,
        "language": lang,
    }


def _measurements(rng: random.Random, patient: Record, today: date) -> list[Record]:
    rows: list[Record] = []
    high = patient["id"] in ("P0001", "P0003", "P0004")  # a few with values worth a doctor's look
    for weeks in (8, 6, 4, 2, 0):
        taken = datetime.combine(
            today - timedelta(weeks=weeks, days=1), time(8, 0), tzinfo=ZoneInfo(TIMEZONE)
        )
        systolic = rng.randint(138, 152) + (8 - weeks) if high else rng.randint(108, 126)
        diastolic = rng.randint(86, 94) if high else rng.randint(68, 80)
        glucose = round(rng.uniform(6.2, 7.4) if high else rng.uniform(4.4, 5.5), 1)
        at = taken.isoformat()
        rows += [
            {
                "patient": patient["id"],
                "kind": "blood_pressure",
                "value": systolic,
                "value2": diastolic,
                "taken_at": at,
            },
            {"patient": patient["id"], "kind": "glucose_fasting", "value": glucose, "taken_at": at},
            {"patient": patient["id"], "kind": "heart_rate", "value": rng.randint(62, 84), "taken_at": at},
            {"patient": patient["id"], "kind": "steps", "value": rng.randint(3000, 11000), "taken_at": at},
        ]
    rows.append(
        {
            "patient": patient["id"],
            "kind": "bmi",
            "value": 27.4 if high else 22.1,
            "taken_at": rows[-1]["taken_at"],
        }
    )
    rows.append({"patient": patient["id"], "kind": "spo2", "value": 97, "taken_at": rows[-1]["taken_at"]})
    rows.append(
        {"patient": patient["id"], "kind": "temperature", "value": 36.6, "taken_at": rows[-1]["taken_at"]}
    )
    return rows


def generate_demo_hospital(seed: int = 7, today: date | None = None, days: int = 28) -> HospitalData:
    """The demo hospital with slots for ``days`` days from ``today`` (the hospital's today by default)."""
    rng = random.Random(seed)
    today = today or datetime.now(ZoneInfo(TIMEZONE)).date()
    departments = [_department(row, i) for i, row in enumerate(_DEPARTMENTS)]
    departments.append(
        {
            "id": EMERGENCY[0],
            "name": EMERGENCY[1],
            "name_zh": EMERGENCY[2],
            "triage_labels": [],
            "bookable": False,
            "location": "Building 1, ground floor",
            "location_zh": "1号楼1层",
            "phone": "0571-88000120",
            "bring": "",
            "bring_zh": "",
        }
    )
    used: set[str] = set()
    doctors = [_doctor(rng, d["id"], n, used) for d in departments if d["bookable"] for n in range(2)]
    doctors[0].update(name="Li Wei", name_zh="李伟")  # "Dr. Li" of the docs: cardiology
    slots = slots_for(doctors, today + timedelta(days=1), days)
    patients = [_patient(*row) for row in DEMO_PATIENTS]
    for n in range(len(patients) + 1, 41):
        if n % 4 == 0:
            first, last = _ENGLISH_PATIENTS[n % len(_ENGLISH_PATIENTS)]
            patients.append(
                _patient(
                    f"P{n:04d}",
                    f"{first} {last}",
                    f"{first} {last}",
                    f"139{n:08d}",
                    f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "en",
                )
            )
        else:
            (sur_zh, sur_en), (given_zh, given_en) = rng.choice(_SURNAMES), rng.choice(_GIVEN)
            patients.append(
                _patient(
                    f"P{n:04d}",
                    sur_zh + given_zh,
                    f"{sur_en} {given_en}",
                    f"138{n:08d}",
                    f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "zh",
                )
            )
    appointments: list[Record] = []
    taken: set[str] = set()
    for index, patient in enumerate(patients[:3] + patients[3:5] + patients[10:20]):
        slot = slots[(index * 37 + 11) % len(slots)]
        if slot["id"] in taken:
            continue
        taken.add(slot["id"])
        appointments.append(
            {
                "id": f"A{len(appointments) + 1:05d}",
                "patient": patient["id"],
                "slot": slot["id"],
                "status": BOOKED,
                "booked_at": datetime.combine(today, time(9), tzinfo=ZoneInfo(TIMEZONE)).isoformat(),
            }
        )
    measurements = [m for p in patients[:12] for m in _measurements(rng, p, today)]
    return HospitalData(
        hospital={
            "name": "Kefu Demo Hospital",
            "name_zh": "客服示范医院",
            "timezone": TIMEZONE,
            "emergency_number": "120",
        },
        departments=departments,
        doctors=doctors,
        slots=slots,
        patients=patients,
        appointments=appointments,
        measurements=measurements,
    )
