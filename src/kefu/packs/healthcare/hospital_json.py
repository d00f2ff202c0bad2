"""The hospital data format (``docs/healthcare-data.md``): one JSON document a hospital can load with
``kefu data import hospital FILE`` and get back with ``kefu data export hospital OUT.json``.

Validated with pydantic at this edge; every error is one ``InvalidInput`` line naming the place.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kefu.domain.errors import InvalidInput
from kefu.packs.healthcare.hospital import MEASUREMENT_KINDS, HospitalData

FORMAT = "kefu-hospital/1"
_ID = r"^[A-Za-z0-9_.:-]{1,64}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _aware(value: str) -> str:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 date-time: {value!r}") from exc
    if parsed.tzinfo is None:
        raise ValueError(f"date-time without a UTC offset: {value!r}")
    return parsed.isoformat()


class Hospital(_Model):
    name: str = Field(min_length=1, max_length=200)
    name_zh: str = ""
    timezone: str = "Asia/Shanghai"
    emergency_number: str = "120"


class Department(_Model):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    name_zh: str = Field(min_length=1, max_length=200)
    triage_labels: list[str] = []
    bookable: bool = True
    location: str = ""
    location_zh: str = ""
    phone: str = ""
    bring: str = ""
    bring_zh: str = ""


class Session(_Model):
    weekday: int = Field(ge=0, le=6)  # 0 = Monday
    part: Literal["morning", "afternoon"]


class Doctor(_Model):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    name_zh: str = Field(min_length=1, max_length=200)
    title: str = ""
    title_zh: str = ""
    department: str = Field(pattern=_ID)
    specialties: list[str] = []
    languages: list[Literal["zh", "en"]] = ["zh"]
    schedule: list[Session] = []


class Slot(_Model):
    id: str = Field(pattern=_ID)
    doctor: str = Field(pattern=_ID)
    start: str
    minutes: int = Field(default=30, ge=5, le=480)

    _start = field_validator("start")(_aware)


class Patient(_Model):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    name_zh: str = ""
    phone: str = Field(pattern=r"^\+?\d{6,15}$")
    birth_date: date
    language: Literal["zh", "en"] = "zh"


class Appointment(_Model):
    id: str = Field(pattern=_ID)
    patient: str = Field(pattern=_ID)
    slot: str = Field(pattern=_ID)
    status: Literal["booked", "cancelled"] = "booked"
    booked_at: str

    _booked_at = field_validator("booked_at")(_aware)


class Measurement(_Model):
    patient: str = Field(pattern=_ID)
    kind: Literal[MEASUREMENT_KINDS]  # type: ignore[valid-type]
    value: float
    value2: float | None = None  # diastolic, for blood_pressure
    taken_at: str

    _taken_at = field_validator("taken_at")(_aware)

    @model_validator(mode="after")
    def _pressure(self) -> Measurement:
        if self.kind == "blood_pressure" and self.value2 is None:
            raise ValueError("blood_pressure needs value (systolic) and value2 (diastolic)")
        return self


class Document(_Model):
    format: Literal["kefu-hospital/1"] = "kefu-hospital/1"
    hospital: Hospital
    departments: list[Department] = Field(min_length=1)
    doctors: list[Doctor] = []
    slots: list[Slot] = []
    patients: list[Patient] = []
    appointments: list[Appointment] = []
    measurements: list[Measurement] = []

    @model_validator(mode="after")
    def _references(self) -> Document:
        _unique("departments", [d.id for d in self.departments])
        _unique("doctors", [d.id for d in self.doctors])
        _unique("slots", [s.id for s in self.slots])
        _unique("patients", [p.id for p in self.patients])
        _unique("appointments", [a.id for a in self.appointments])
        departments = {d.id for d in self.departments}
        doctors = {d.id for d in self.doctors}
        slots = {s.id for s in self.slots}
        patients = {p.id for p in self.patients}
        _known("doctor", [d.department for d in self.doctors], departments, "department")
        _known("slot", [s.doctor for s in self.slots], doctors, "doctor")
        _known("appointment", [a.slot for a in self.appointments], slots, "slot")
        _known("appointment", [a.patient for a in self.appointments], patients, "patient")
        _known("measurement", [m.patient for m in self.measurements], patients, "patient")
        held = [a.slot for a in self.appointments if a.status == "booked"]
        if len(held) != len(set(held)):
            twice = next(s for s in held if held.count(s) > 1)
            raise ValueError(f"slot {twice} is held by two booked appointments")
        return self


def _unique(what: str, ids: list[str]) -> None:
    if len(ids) != len(set(ids)):
        raise ValueError(f"{what}: id {next(i for i in ids if ids.count(i) > 1)!r} is used twice")


def _known(what: str, refs: list[str], known: set[str], kind: str) -> None:
    missing = next((r for r in refs if r not in known), None)
    if missing is not None:
        raise ValueError(f"a {what} names {kind} {missing!r}, which is not in the file")


def parse_hospital(raw: Any, source: str = "hospital data") -> HospitalData:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{source}: expected a JSON object with hospital, departments, doctors …")
    try:
        doc = Document.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidInput(f"{source}: {where}: {message}") from exc
    data = doc.model_dump(mode="json")
    return HospitalData(
        hospital=data["hospital"],
        departments=data["departments"],
        doctors=data["doctors"],
        slots=data["slots"],
        patients=data["patients"],
        appointments=data["appointments"],
        measurements=data["measurements"],
    )


def read_hospital(path: Path) -> HospitalData:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.__class__.__name__})") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: not valid JSON ({exc})") from exc
    return parse_hospital(raw, str(path))


def to_document(data: HospitalData) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "hospital": data.hospital,
        "departments": data.departments,
        "doctors": data.doctors,
        "slots": data.slots,
        "patients": data.patients,
        "appointments": data.appointments,
        "measurements": data.measurements,
    }


def write_hospital(data: HospitalData, path: Path) -> dict[str, int]:
    parse_hospital(to_document(data), "export")  # what we write, we can read back
    try:
        path.write_text(json.dumps(to_document(data), ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be written ({exc.__class__.__name__})") from exc
    return data.counts()
