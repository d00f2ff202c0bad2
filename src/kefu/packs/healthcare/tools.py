"""The healthcare tools over any ``HospitalSystem``. Authorization uses the verified patient id of the
call (never an id from the message); every change needs the patient's confirmation (the registry's
rails) and carries the turn's idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from kefu.domain.errors import ToolError
from kefu.packs.healthcare.hospital import HospitalSystem
from kefu.tools.registry import ToolCall, ToolRegistry, ToolSpec

_ID = r"^[A-Za-z0-9_.:-]{1,64}$"
Clock = Callable[[], datetime]


class NoParams(BaseModel):
    pass


class PatientLookup(BaseModel):
    phone: str = Field(pattern=r"^\+?[\d -]{6,20}$")
    birth_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


class SlotQuery(BaseModel):
    department_id: str | None = Field(default=None, pattern=_ID)
    doctor_id: str | None = Field(default=None, pattern=_ID)
    start: str
    end: str
    limit: int = Field(default=6, ge=1, le=50)


class Window(BaseModel):
    start: str | None = None
    end: str | None = None


class BookParams(BaseModel):
    slot_id: str = Field(pattern=_ID)


class RescheduleParams(BaseModel):
    appointment_id: str = Field(pattern=_ID)
    slot_id: str = Field(pattern=_ID)


class CancelParams(BaseModel):
    appointment_id: str = Field(pattern=_ID)


def build_registry(hospital: HospitalSystem, clock: Clock) -> ToolRegistry:
    def now() -> str:
        return clock().isoformat()

    def patient(call: ToolCall) -> str:
        if not call.customer_id or hospital.get_patient(call.customer_id) is None:
            raise ToolError("not_verified", "no verified patient")
        return call.customer_id

    def find_patient(_: ToolCall, p: PatientLookup) -> dict[str, Any]:
        return {"user_id": hospital.find_patient(p.phone, p.birth_date)}

    def departments(_: ToolCall, __: NoParams) -> dict[str, Any]:
        return {"departments": hospital.departments(), "doctors": hospital.doctors()}

    def free_slots(_: ToolCall, p: SlotQuery) -> dict[str, Any]:
        start = max(p.start, now())
        return {"slots": hospital.free_slots(p.department_id, p.doctor_id, start, p.end, p.limit)}

    def slot(_: ToolCall, p: BookParams) -> dict[str, Any]:
        found = hospital.get_slot(p.slot_id)
        if found is None:
            raise ToolError("slot_not_found", p.slot_id)
        return found

    def appointments(call: ToolCall, p: Window) -> dict[str, Any]:
        return {"appointments": hospital.appointments(patient(call), p.start or now(), p.end)}

    def profile(call: ToolCall, _: NoParams) -> dict[str, Any]:
        return hospital.get_patient(patient(call)) or {}

    def measurements(call: ToolCall, _: NoParams) -> dict[str, Any]:
        return {"measurements": hospital.measurements(patient(call))}

    def book(call: ToolCall, p: BookParams) -> dict[str, Any]:
        return hospital.book(patient(call), p.slot_id, call.idempotency_key, now())

    def reschedule(call: ToolCall, p: RescheduleParams) -> dict[str, Any]:
        return hospital.reschedule(patient(call), p.appointment_id, p.slot_id, call.idempotency_key, now())

    def cancel(call: ToolCall, p: CancelParams) -> dict[str, Any]:
        return hospital.cancel(patient(call), p.appointment_id, call.idempotency_key)

    registry = ToolRegistry()
    specs: list[ToolSpec[Any]] = [
        ToolSpec(
            "find_patient",
            "Locate a patient by phone and date of birth.",
            PatientLookup,
            find_patient,
            requires_customer=False,
            personal=frozenset({"phone", "birth_date"}),
        ),
        ToolSpec(
            "list_departments",
            "The hospital's departments and doctors.",
            NoParams,
            departments,
            requires_customer=False,
        ),
        ToolSpec(
            "find_free_slots",
            "Free slots of a department or doctor in a time window.",
            SlotQuery,
            free_slots,
            requires_customer=False,
        ),
        ToolSpec("get_slot", "One slot, and whether it is free.", BookParams, slot, requires_customer=False),
        ToolSpec("list_appointments", "The verified patient's booked appointments.", Window, appointments),
        ToolSpec("get_patient", "The verified patient's profile.", NoParams, profile),
        ToolSpec("get_measurements", "The verified patient's measurements.", NoParams, measurements),
        ToolSpec(
            "book_appointment",
            "Book a free slot for the verified patient.",
            BookParams,
            book,
            side_effect=True,
        ),
        ToolSpec(
            "reschedule_appointment",
            "Move one of the patient's appointments to another free slot.",
            RescheduleParams,
            reschedule,
            side_effect=True,
        ),
        ToolSpec(
            "cancel_appointment",
            "Cancel one of the patient's appointments.",
            CancelParams,
            cancel,
            side_effect=True,
        ),
    ]
    for spec in specs:
        registry.register(spec)
    return registry
