"""The education flows, as data for the dialogue toolkit's flow engine. The course slot is a course
id of the catalogue; ``enrollable`` is checked by the host against the student's own record."""

from __future__ import annotations

from kefu.dialogue.flows import FlowBook, FlowSpec, SlotSpec

FLOWS = FlowBook(
    (
        FlowSpec("enrol", (SlotSpec("course", "choice", "ask.course", validate="enrollable"),), tool="enrol"),
        FlowSpec("recommend", (), tool=None),
        FlowSpec("due", (), tool=None),
        FlowSpec("progress", (), tool=None),
        FlowSpec("quiz", (), tool=None),
        FlowSpec("course_info", (), tool=None, needs_identity=False),
    )
)
FLOW_INTENTS = frozenset(FLOWS.names())
