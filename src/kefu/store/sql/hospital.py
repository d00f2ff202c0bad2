"""The demo hospital of the healthcare pack, kept in kefu's database (tables ``hospital_*``).

A booked appointment holds its slot through ``hospital_appointments.held_slot_id``, which is UNIQUE: the
database itself refuses a second patient on a slot, whichever worker or transaction gets there second.
Measurements are sealed at rest with the vault's keys. Every mutation is recorded under its idempotency
key, so a retried side effect is applied once.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kefu.domain.errors import ToolError
from kefu.guard.vault import Keyring
from kefu.packs.healthcare.hospital import BOOKED, CANCELLED, HospitalData, Record
from kefu.store.sql.schema import (
    HospitalActionRow,
    HospitalAppointmentRow,
    HospitalDepartmentRow,
    HospitalDoctorRow,
    HospitalMeasurementRow,
    HospitalMetaRow,
    HospitalPatientRow,
    HospitalSlotRow,
)

_TABLES = (
    HospitalActionRow,
    HospitalAppointmentRow,
    HospitalMeasurementRow,
    HospitalSlotRow,
    HospitalDoctorRow,
    HospitalDepartmentRow,
    HospitalPatientRow,
    HospitalMetaRow,
)


def _ad(patient_id: str, kind: str, taken_at: str) -> bytes:
    return f"hospital_measurement:{patient_id}:{kind}:{taken_at}".encode()


class SqlHospital:
    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._keyring = keyring

    # -- loading -------------------------------------------------------------------------------
    def load(self, data: HospitalData, replace: bool = True) -> dict[str, int]:
        doctors = {d["id"]: d for d in data.doctors}
        with self._sessions() as session, session.begin():
            if replace:
                for table in _TABLES:
                    session.execute(delete(table))
            session.merge(HospitalMetaRow(key="hospital", data=data.hospital))
            for i, dept in enumerate(data.departments):
                session.merge(HospitalDepartmentRow(id=dept["id"], position=i, data=dept))
            for i, doc in enumerate(data.doctors):
                session.merge(
                    HospitalDoctorRow(id=doc["id"], department_id=doc["department"], position=i, data=doc)
                )
            for slot in data.slots:
                session.merge(
                    HospitalSlotRow(
                        id=slot["id"],
                        doctor_id=slot["doctor"],
                        department_id=doctors[slot["doctor"]]["department"],
                        starts_at=slot["start"],
                        minutes=int(slot.get("minutes", 30)),
                    )
                )
            for p in data.patients:
                session.merge(
                    HospitalPatientRow(
                        id=p["id"], phone=_digits(p["phone"]), birth_date=str(p["birth_date"]), data=p
                    )
                )
            session.flush()
            for a in data.appointments:
                booked = a.get("status", BOOKED) == BOOKED
                session.add(
                    HospitalAppointmentRow(
                        id=a["id"],
                        patient_id=a["patient"],
                        slot_id=a["slot"],
                        held_slot_id=a["slot"] if booked else None,
                        status=BOOKED if booked else CANCELLED,
                        booked_at=a["booked_at"],
                    )
                )
            for m in data.measurements:
                session.add(self._sealed(m))
        return data.counts()

    def _sealed(self, m: Record) -> HospitalMeasurementRow:
        plain = json.dumps({"value": m["value"], "value2": m.get("value2")})
        key_id, blob = self._keyring.encrypt(plain, _ad(m["patient"], m["kind"], m["taken_at"]))
        return HospitalMeasurementRow(
            patient_id=m["patient"], kind=m["kind"], taken_at=m["taken_at"], key_id=key_id, sealed=blob
        )

    def counts(self) -> dict[str, int]:
        with self._sessions() as session:
            return {
                "departments": session.scalar(select(func.count()).select_from(HospitalDepartmentRow)) or 0,
                "slots": session.scalar(select(func.count()).select_from(HospitalSlotRow)) or 0,
                "patients": session.scalar(select(func.count()).select_from(HospitalPatientRow)) or 0,
            }

    # -- reads ---------------------------------------------------------------------------------
    def hospital(self) -> Record:
        with self._sessions() as session:
            row = session.get(HospitalMetaRow, "hospital")
            return dict(row.data) if row else {}

    def departments(self) -> list[Record]:
        with self._sessions() as session:
            rows = session.scalars(select(HospitalDepartmentRow).order_by(HospitalDepartmentRow.position))
            return [dict(r.data) for r in rows]

    def doctors(self, department_id: str | None = None) -> list[Record]:
        query = select(HospitalDoctorRow).order_by(HospitalDoctorRow.position)
        if department_id:
            query = query.where(HospitalDoctorRow.department_id == department_id)
        with self._sessions() as session:
            return [dict(r.data) for r in session.scalars(query)]

    def find_patient(self, phone: str, birth_date: str) -> str | None:
        with self._sessions() as session:
            return session.scalar(
                select(HospitalPatientRow.id)
                .where(
                    HospitalPatientRow.phone == _digits(phone), HospitalPatientRow.birth_date == birth_date
                )
                .limit(1)
            )

    def get_patient(self, patient_id: str) -> Record | None:
        with self._sessions() as session:
            row = session.get(HospitalPatientRow, patient_id)
            return dict(row.data) if row else None

    def free_slots(
        self, department_id: str | None, doctor_id: str | None, start: str, end: str, limit: int = 20
    ) -> list[Record]:
        held = select(HospitalAppointmentRow.held_slot_id).where(
            HospitalAppointmentRow.held_slot_id.is_not(None)
        )
        query = (
            select(HospitalSlotRow)
            .where(HospitalSlotRow.starts_at >= start, HospitalSlotRow.starts_at < end)
            .where(HospitalSlotRow.id.not_in(held))
            .order_by(HospitalSlotRow.starts_at, HospitalSlotRow.doctor_id)
            .limit(limit)
        )
        if department_id:
            query = query.where(HospitalSlotRow.department_id == department_id)
        if doctor_id:
            query = query.where(HospitalSlotRow.doctor_id == doctor_id)
        with self._sessions() as session:
            return [_slot(r) for r in session.scalars(query)]

    def get_slot(self, slot_id: str) -> Record | None:
        with self._sessions() as session:
            row = session.get(HospitalSlotRow, slot_id)
            if row is None:
                return None
            holder = session.scalar(
                select(HospitalAppointmentRow.id).where(HospitalAppointmentRow.held_slot_id == slot_id)
            )
            return {**_slot(row), "free": holder is None}

    def appointments(self, patient_id: str, start: str | None = None, end: str | None = None) -> list[Record]:
        query = (
            select(HospitalAppointmentRow, HospitalSlotRow)
            .join(HospitalSlotRow, HospitalSlotRow.id == HospitalAppointmentRow.slot_id)
            .where(HospitalAppointmentRow.patient_id == patient_id, HospitalAppointmentRow.status == BOOKED)
            .order_by(HospitalSlotRow.starts_at)
        )
        if start:
            query = query.where(HospitalSlotRow.starts_at >= start)
        if end:
            query = query.where(HospitalSlotRow.starts_at < end)
        with self._sessions() as session:
            return [_appointment(a, s) for a, s in session.execute(query).all()]

    def measurements(self, patient_id: str) -> list[Record]:
        query = (
            select(HospitalMeasurementRow)
            .where(HospitalMeasurementRow.patient_id == patient_id)
            .order_by(HospitalMeasurementRow.taken_at, HospitalMeasurementRow.id)
        )
        with self._sessions() as session:
            rows = list(session.scalars(query))
        found: list[Record] = []
        for r in rows:
            values = json.loads(
                self._keyring.decrypt(r.key_id, r.sealed, _ad(r.patient_id, r.kind, r.taken_at))
            )
            found.append({"patient": r.patient_id, "kind": r.kind, "taken_at": r.taken_at, **values})
        return found

    def snapshot(self) -> HospitalData:
        with self._sessions() as session:
            slots = [
                {"id": s.id, "doctor": s.doctor_id, "start": s.starts_at, "minutes": s.minutes}
                for s in session.scalars(
                    select(HospitalSlotRow).order_by(HospitalSlotRow.starts_at, HospitalSlotRow.id)
                )
            ]
            patients = [
                dict(p.data)
                for p in session.scalars(select(HospitalPatientRow).order_by(HospitalPatientRow.id))
            ]
            appointments = [
                {
                    "id": a.id,
                    "patient": a.patient_id,
                    "slot": a.slot_id,
                    "status": a.status,
                    "booked_at": a.booked_at,
                }
                for a in session.scalars(select(HospitalAppointmentRow).order_by(HospitalAppointmentRow.id))
            ]
        measurements = [m for p in patients for m in self.measurements(str(p["id"]))]
        return HospitalData(
            hospital=self.hospital(),
            departments=self.departments(),
            doctors=self.doctors(),
            slots=slots,
            patients=patients,
            appointments=appointments,
            measurements=measurements,
        )

    # -- mutations -----------------------------------------------------------------------------
    def book(self, patient_id: str, slot_id: str, idempotency_key: str, now: str) -> Record:
        def change(session: Session) -> Record:
            slot = _bookable(session, slot_id, now)
            row = HospitalAppointmentRow(
                id=f"A{uuid.uuid4().hex[:8].upper()}",
                patient_id=patient_id,
                slot_id=slot_id,
                held_slot_id=slot_id,
                status=BOOKED,
                booked_at=now,
            )
            session.add(row)
            session.flush()
            return _appointment(row, slot)

        return self._apply(idempotency_key, change)

    def reschedule(
        self, patient_id: str, appointment_id: str, slot_id: str, idempotency_key: str, now: str
    ) -> Record:
        def change(session: Session) -> Record:
            row = _own(session, patient_id, appointment_id)
            slot = _bookable(session, slot_id, now)
            row.held_slot_id = None  # release first, so moving within one slot set never trips itself
            session.flush()
            row.slot_id, row.held_slot_id = slot_id, slot_id
            session.flush()
            return _appointment(row, slot)

        return self._apply(idempotency_key, change)

    def cancel(self, patient_id: str, appointment_id: str, idempotency_key: str) -> Record:
        def change(session: Session) -> Record:
            row = _own(session, patient_id, appointment_id)
            row.status, row.held_slot_id = CANCELLED, None
            session.flush()
            slot = session.get(HospitalSlotRow, row.slot_id)
            assert slot is not None
            return _appointment(row, slot)

        return self._apply(idempotency_key, change)

    def _apply(self, key: str, change: Callable[[Session], Record]) -> Record:
        try:
            with self._sessions() as session, session.begin():
                done = session.get(HospitalActionRow, key)
                if done is not None:
                    return dict(done.result)
                result = change(session)
                session.add(HospitalActionRow(key=key, result=result, created_at=datetime.now(UTC)))
                return result
        except IntegrityError as exc:
            with self._sessions() as session:
                done = session.get(HospitalActionRow, key)
                if done is not None:  # the same request, retried concurrently: its first result
                    return dict(done.result)
            raise ToolError("slot_taken", "the slot was booked by someone else a moment ago") from exc


def _digits(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def _slot(row: HospitalSlotRow) -> Record:
    return {
        "id": row.id,
        "doctor": row.doctor_id,
        "department": row.department_id,
        "start": row.starts_at,
        "minutes": row.minutes,
    }


def _appointment(row: HospitalAppointmentRow, slot: HospitalSlotRow | Record) -> Record:
    s = slot if isinstance(slot, dict) else _slot(slot)
    return {
        "id": row.id,
        "patient": row.patient_id,
        "slot": row.slot_id,
        "status": row.status,
        "booked_at": row.booked_at,
        "start": s["start"],
        "doctor": s["doctor"],
        "department": s["department"],
        "minutes": s["minutes"],
    }


def _bookable(session: Session, slot_id: str, now: str) -> Record:
    row = session.get(HospitalSlotRow, slot_id)
    if row is None:
        raise ToolError("slot_not_found", f"no slot {slot_id}")
    if datetime.fromisoformat(row.starts_at) <= datetime.fromisoformat(now):
        raise ToolError("in_the_past", f"slot {slot_id} has already begun")
    holder = session.scalar(
        select(HospitalAppointmentRow.id).where(HospitalAppointmentRow.held_slot_id == slot_id)
    )
    if holder is not None:
        raise ToolError("slot_taken", f"slot {slot_id} is held by {holder}")
    return _slot(row)


def _own(session: Session, patient_id: str, appointment_id: str) -> HospitalAppointmentRow:
    row = session.get(HospitalAppointmentRow, appointment_id)
    if row is None or row.patient_id != patient_id or row.status != BOOKED:
        raise ToolError(
            "appointment_not_found", f"{appointment_id} is not a booked appointment of {patient_id}"
        )
    return row
