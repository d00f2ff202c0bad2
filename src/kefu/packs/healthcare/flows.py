"""The healthcare flows, as data for the dialogue toolkit's flow engine (``kefu.dialogue``).

Slot values are grounded ids: a department id, a slot id (one of the free slots the host offered), an
appointment id (one of the verified patient's). The time window and doctor the patient asked for are
preferences the host reads when it offers slots (``HealthHost.ask``)."""

from __future__ import annotations

from kefu.dialogue.flows import FlowBook, FlowSpec, SlotSpec

_DEPARTMENT = SlotSpec("department", "choice", "ask.department")
_APPOINTMENT = SlotSpec("appointment", "text", "ask.appointment")

FLOWS = FlowBook(
    (
        FlowSpec(
            "book_appointment",
            (_DEPARTMENT, SlotSpec("slot", "text", "ask.slot", needs=("department",))),
            tool="book_appointment",
        ),
        FlowSpec(
            "reschedule_appointment",
            (_APPOINTMENT, SlotSpec("slot", "text", "ask.slot", needs=("appointment",))),
            tool="reschedule_appointment",
        ),
        FlowSpec("cancel_appointment", (_APPOINTMENT,), tool="cancel_appointment"),
        FlowSpec("list_appointments", (), tool=None),
        FlowSpec("my_health", (), tool=None),
    )
)
FLOW_INTENTS = frozenset(FLOWS.names())
