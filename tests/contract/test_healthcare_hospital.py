"""The demo hospital against SQLite and PostgreSQL: one patient per slot even under concurrent booking,
reschedule and cancel, idempotent retries, sealed measurements, the JSON format round trip."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kefu.domain.errors import InvalidInput, ToolError
from kefu.guard.vault import Keyring
from kefu.packs.healthcare.demo_data import generate_demo_hospital
from kefu.packs.healthcare.hospital import HospitalData
from kefu.packs.healthcare.hospital_json import read_hospital, to_document, write_hospital
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.hospital import SqlHospital
from kefu.store.sql.schema import HospitalMeasurementRow

TODAY = date(2026, 12, 1)
NOW = "2026-12-01T10:00:00+08:00"


@pytest.fixture
def demo() -> HospitalData:
    return generate_demo_hospital(seed=3, today=TODAY)


@pytest.fixture
def hospital(database_url: str, demo: HospitalData) -> SqlHospital:
    engine = make_engine(database_url)
    upgrade(engine)
    found = SqlHospital(engine, Keyring("k" * 32))
    found.load(demo)
    return found


def _free(hospital: SqlHospital, department: str = "cardiology") -> list[dict[str, object]]:
    return hospital.free_slots(department, None, NOW, "2026-12-31T00:00:00+08:00")


def test_free_slots_are_the_department_s_unbooked_ones(hospital: SqlHospital, demo: HospitalData) -> None:
    held = {a["slot"] for a in demo.appointments}
    slots = _free(hospital)
    assert slots and all(s["department"] == "cardiology" and s["id"] not in held for s in slots)
    assert [s["start"] for s in slots] == sorted(str(s["start"]) for s in slots)


def test_a_booked_slot_is_no_longer_free_and_a_second_patient_is_refused(hospital: SqlHospital) -> None:
    slot = str(_free(hospital)[0]["id"])
    booked = hospital.book("P0001", slot, "k1", NOW)
    assert booked["slot"] == slot and booked["status"] == "booked"
    assert slot not in {s["id"] for s in _free(hospital)}
    with pytest.raises(ToolError) as refused:
        hospital.book("P0002", slot, "k2", NOW)
    assert refused.value.user_message == "slot_taken"
    assert hospital.book("P0001", slot, "k1", NOW) == booked  # a retry: the first result, nothing new


def test_two_patients_booking_one_slot_at_the_same_moment(hospital: SqlHospital) -> None:
    slot = str(_free(hospital)[0]["id"])
    patients = [f"P{n:04d}" for n in range(6, 14)]
    barrier = threading.Barrier(len(patients))
    won: list[str] = []
    lost: list[str] = []

    def book(patient: str) -> None:
        barrier.wait()
        try:
            hospital.book(patient, slot, f"race-{patient}", NOW)
            won.append(patient)
        except ToolError as exc:
            assert exc.user_message == "slot_taken"
            lost.append(patient)

    threads = [threading.Thread(target=book, args=(p,)) for p in patients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and len(lost) == len(patients) - 1
    holders = [a for p in patients for a in hospital.appointments(p) if a["slot"] == slot]
    assert [a["patient"] for a in holders] == won


def test_reschedule_moves_the_hold_and_cancel_frees_the_slot(hospital: SqlHospital) -> None:
    first, second = (str(s["id"]) for s in _free(hospital)[:2])
    booked = hospital.book("P0002", first, "b", NOW)
    moved = hospital.reschedule("P0002", str(booked["id"]), second, "r", NOW)
    assert moved["slot"] == second
    assert first in {s["id"] for s in _free(hospital)}
    with pytest.raises(ToolError) as other:
        hospital.cancel("P0003", str(booked["id"]), "c0")
    assert other.value.user_message == "appointment_not_found"
    hospital.cancel("P0002", str(booked["id"]), "c")
    assert second in {s["id"] for s in _free(hospital)}
    assert all(a["id"] != booked["id"] for a in hospital.appointments("P0002"))


def test_slots_already_begun_cannot_be_booked(hospital: SqlHospital) -> None:
    slot = _free(hospital)[0]
    later = (datetime.fromisoformat(str(slot["start"])) + timedelta(minutes=5)).isoformat()
    with pytest.raises(ToolError) as refused:
        hospital.book("P0001", str(slot["id"]), "late", later)
    assert refused.value.user_message == "in_the_past"


def test_patients_are_found_by_phone_and_birth_date(hospital: SqlHospital) -> None:
    assert hospital.find_patient("138-0013-8001", "1980-05-12") == "P0001"
    assert hospital.find_patient("+86 13800138001", "1980-05-12") == "P0001"
    assert hospital.find_patient("13800138001", "1980-05-13") is None


def test_measurements_are_sealed_at_rest(hospital: SqlHospital, database_url: str) -> None:
    values = hospital.measurements("P0001")
    assert values and values[0]["kind"] == "blood_pressure" and values[0]["value2"]
    with make_engine(database_url).connect() as connection:
        blob = connection.execute(select(HospitalMeasurementRow.sealed).limit(1)).scalar_one()
    assert str(values[0]["value"]).split(".")[0].encode() not in blob


def test_export_import_round_trip(hospital: SqlHospital, demo: HospitalData, tmp_path: Path) -> None:
    slot = str(_free(hospital)[0]["id"])
    hospital.book("P0005", slot, "x", NOW)
    out = tmp_path / "hospital.json"
    counts = write_hospital(hospital.snapshot(), out)
    assert counts["appointments"] == len(demo.appointments) + 1
    again = read_hospital(out)
    assert to_document(again)["slots"] == to_document(hospital.snapshot())["slots"]
    hospital.load(again)
    assert any(a["slot"] == slot for a in hospital.appointments("P0005"))


def test_bad_files_fail_in_one_line(tmp_path: Path, demo: HospitalData) -> None:
    doc = to_document(demo)
    doc["appointments"] = [
        *doc["appointments"],
        {**doc["appointments"][0], "id": "A99999", "patient": "P0002"},
    ]
    bad = tmp_path / "bad.json"
    bad.write_text(__import__("json").dumps(doc), encoding="utf-8")
    with pytest.raises(InvalidInput, match="held by two booked appointments"):
        read_hospital(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        read_hospital(bad)
