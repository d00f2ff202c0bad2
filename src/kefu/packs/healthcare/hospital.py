"""The hospital business system as kefu sees it: a port, plus the data it exchanges.

Records are plain JSON objects in the shape of the hospital data format (``docs/healthcare-data.md``):
departments, doctors (with weekly schedules), bookable slots, patients, appointments and measurements.
Times are ISO 8601 strings with the hospital's UTC offset ("2026-12-09T08:30:00+08:00"), so they sort
as text within one hospital.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

Record = dict[str, Any]

BOOKED = "booked"
CANCELLED = "cancelled"
MEASUREMENT_KINDS = (
    "blood_pressure",  # value systolic, value2 diastolic, mmHg
    "glucose_fasting",  # mmol/L
    "bmi",  # kg/m²
    "heart_rate",  # beats per minute, at rest
    "spo2",  # %
    "temperature",  # °C
    "steps",  # per day
)


@dataclass
class HospitalData:
    """A whole hospital. Lists keep the order of the source; ids are unique within each list."""

    hospital: Record = field(default_factory=dict)
    departments: list[Record] = field(default_factory=list)
    doctors: list[Record] = field(default_factory=list)
    slots: list[Record] = field(default_factory=list)
    patients: list[Record] = field(default_factory=list)
    appointments: list[Record] = field(default_factory=list)
    measurements: list[Record] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "departments": len(self.departments),
            "doctors": len(self.doctors),
            "slots": len(self.slots),
            "patients": len(self.patients),
            "appointments": len(self.appointments),
            "measurements": len(self.measurements),
        }


class HospitalSystem(Protocol):
    """What the healthcare tools need from a hospital. Mutations take an idempotency key (a retry
    returns the first result and changes nothing) and raise ``ToolError`` whose ``user_message`` is
    the refusal reason (``slot_taken``, ``slot_not_found``, ``appointment_not_found``, ``in_the_past``).
    A slot is held by at most one booked appointment: the database refuses a second one, even when two
    patients book at the same moment."""

    def hospital(self) -> Record: ...

    def departments(self) -> list[Record]: ...

    def doctors(self, department_id: str | None = None) -> list[Record]: ...

    def find_patient(self, phone: str, birth_date: str) -> str | None: ...

    def get_patient(self, patient_id: str) -> Record | None: ...

    def free_slots(
        self,
        department_id: str | None,
        doctor_id: str | None,
        start: str,
        end: str,
        limit: int = 20,
    ) -> list[Record]:
        """Unbooked slots starting in [start, end), earliest first, each with its doctor's id and
        department id."""
        ...

    def get_slot(self, slot_id: str) -> Record | None: ...

    def appointments(self, patient_id: str, start: str | None = None, end: str | None = None) -> list[Record]:
        """The patient's booked appointments (with the slot's start, doctor and department), earliest
        first; within [start, end) when given."""
        ...

    def book(self, patient_id: str, slot_id: str, idempotency_key: str, now: str) -> Record: ...

    def reschedule(
        self, patient_id: str, appointment_id: str, slot_id: str, idempotency_key: str, now: str
    ) -> Record: ...

    def cancel(self, patient_id: str, appointment_id: str, idempotency_key: str) -> Record: ...

    def measurements(self, patient_id: str) -> list[Record]:
        """The patient's measurements, oldest first."""
        ...

    def snapshot(self) -> HospitalData: ...
