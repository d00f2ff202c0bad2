"""The healthcare pack's side of the flow engine: offers only free slots (in the department, doctor and
time window asked for), confirms before every change, reminds what to bring; replies from
``responses.yaml``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from kefu.dialogue.commands import AnswerQuestion
from kefu.dialogue.engine import OK, Check, IdentityEvent
from kefu.dialogue.flows import FlowSpec, SlotSpec
from kefu.dialogue.verification import Lookup, VerifyResult
from kefu.domain.errors import ToolError
from kefu.domain.handoff import HandoffReason, HandoffRequest
from kefu.domain.messages import Citation, OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.engine.responder import Responder
from kefu.packs.healthcare import render
from kefu.packs.healthcare.hospital import Record
from kefu.packs.healthcare.reading import Window
from kefu.tools.registry import ToolRegistry

OFFER = 5
WHEN = "hc_when"  # private: the window asked for, [start, end, exact, said]
DOCTOR = "hc_doctor"  # private: the doctor asked for
OFFERED = "hc_offered"  # private: slot ids offered, in order
OFFERED_APPTS = "hc_offered_appointments"
UNHELPFUL = frozenset({"verify.failed", "tool_failed", "knowledge.dont_know", "out_of_scope"})


class HealthHost:
    def __init__(self, tools: ToolRegistry, responder: Responder, clock: Callable[[], datetime]) -> None:
        self.tools = tools
        self.say = responder
        self.clock = clock
        self.answers: Any = None  # HealthAnswers, set by the policy
        self._departments: dict[str, Record] = {}
        self._doctors: dict[str, Record] = {}

    # -- helpers ------------------------------------------------------------------------------------
    def reply(
        self,
        ctx: TurnContext,
        key: str,
        suggestions: tuple[str, ...] = (),
        citations: tuple[Citation, ...] = (),
        **fields: Any,
    ) -> None:
        if key in UNHELPFUL:
            ctx.unhelpful = True
        text = self.say.render(key, ctx.lang, **fields)
        ctx.replies.append(OutgoingMessage(text, ctx.lang, suggestions=suggestions, citations=citations))

    def chips(self, ctx: TurnContext, key: str) -> tuple[str, ...]:
        return tuple(s for s in self.say.render(key, ctx.lang).split("|") if s)

    def call(self, ctx: TurnContext, tool: str, confirmed: bool = False, **arguments: Any) -> dict[str, Any]:
        result = self.tools.call(
            tool,
            arguments,
            customer_id=ctx.state.verified_customer,
            idempotency_key=ctx.idempotency_key(tool),
            confirmed=confirmed,
        )
        if confirmed:
            ctx.tool_events.append(result.event())
        return result.output

    def _catalogue(self) -> None:
        if not self._departments:
            found = self.tools.call(
                "list_departments", {}, customer_id=None, idempotency_key="catalogue"
            ).output
            self._departments = {str(d["id"]): d for d in found["departments"]}
            self._doctors = {str(d["id"]): d for d in found["doctors"]}

    def departments(self) -> list[Record]:
        self._catalogue()
        return list(self._departments.values())

    def doctors(self) -> list[Record]:
        self._catalogue()
        return list(self._doctors.values())

    def department(self, dept_id: str | None) -> Record | None:
        self._catalogue()
        return self._departments.get(dept_id or "")

    def doctor(self, doctor_id: str | None) -> Record | None:
        self._catalogue()
        return self._doctors.get(doctor_id or "")

    def appointments(
        self, ctx: TurnContext, start: str | None = None, end: str | None = None
    ) -> list[Record]:
        found: list[Record] = self.call(ctx, "list_appointments", start=start, end=end)["appointments"]
        return found

    def window(self, ctx: TurnContext) -> Window | None:
        raw = ctx.state.private.get(WHEN)
        return Window(*raw) if isinstance(raw, list) and len(raw) == 4 else None

    def _appointment_line(self, ctx: TurnContext, a: Record) -> str:
        dept, doc = self.department(str(a["department"])), self.doctor(str(a["doctor"]))
        sep = "，" if ctx.lang == "zh" else ", "
        return sep.join(
            (
                render.when(str(a["start"]), ctx.lang),
                render.department_name(dept, ctx.lang),
                render.doctor_name(doc, ctx.lang),
            )
        )

    def _slot_line(self, ctx: TurnContext, s: Record) -> str:
        sep = "，" if ctx.lang == "zh" else ", "
        return sep.join(
            (
                render.when(str(s["start"]), ctx.lang),
                render.doctor_name(self.doctor(str(s["doctor"])), ctx.lang),
            )
        )

    def _slot_department(self, ctx: TurnContext) -> str | None:
        slots = ctx.state.slots
        if "department" in slots:
            return str(slots["department"])
        if "appointment" in slots:
            found = next((a for a in self.appointments(ctx) if a["id"] == slots["appointment"]), None)
            return str(found["department"]) if found else None
        return None

    def free_slots(self, ctx: TurnContext, window: Window | None) -> list[Record]:
        dept = self._slot_department(ctx)
        doctor = ctx.state.private.get(DOCTOR)
        if doctor and (self.doctor(doctor) or {}).get("department") != dept:
            doctor = None
        now = self.clock()
        start = window.start if window else now.isoformat()
        end = window.end if window else (now + timedelta(days=28)).isoformat()
        found: list[Record] = self.call(
            ctx, "find_free_slots", department_id=dept, doctor_id=doctor, start=start, end=end, limit=OFFER
        )["slots"]
        return found

    # -- slots --------------------------------------------------------------------------------------
    def validate(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, value: Any) -> Check:
        if slot.name == "department" and not (self.department(str(value)) or {}).get("bookable", False):
            self.reply(ctx, "ask.department", examples=self._examples(ctx))
            return Check.refused(keep_flow=True)
        return OK

    def autofill(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec) -> Any | None:
        if slot.name == "appointment":
            found = self.appointments(ctx)
            if len(found) == 1:
                return str(found[0]["id"])
        if slot.name == "slot":
            window = self.window(ctx)
            if window is not None and window.exact:
                exact = [s for s in self.free_slots(ctx, window) if s["start"] == window.start]
                if exact:
                    return str(exact[0]["id"])
        return None

    def _examples(self, ctx: TurnContext) -> str:
        names = [render.department_name(d, ctx.lang) for d in self.departments() if d.get("bookable")][:5]
        return ("、" if ctx.lang == "zh" else ", ").join(names)

    def ask(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, retry: bool) -> None:
        if slot.name == "department":
            self.reply(ctx, "ask.department", examples=self._examples(ctx))
        elif slot.name == "appointment":
            found = self.appointments(ctx)
            if not found:
                self.reply(ctx, "appointments.none", self.chips(ctx, "chips.main"))
                ctx.state.end_flow()
                return
            ctx.state.private[OFFERED_APPTS] = [str(a["id"]) for a in found]
            lines = render.numbered([self._appointment_line(ctx, a) for a in found])
            self.reply(
                ctx,
                "ask.appointment",
                tuple(str(i) for i in range(1, len(found) + 1))[:6],
                appointments=lines,
            )
        elif slot.name == "slot":
            self._offer_slots(ctx)

    def _offer_slots(self, ctx: TurnContext) -> None:
        window = self.window(ctx)
        dept = self.department(self._slot_department(ctx))
        doctor = self.doctor(ctx.state.private.get(DOCTOR))
        if doctor and doctor.get("department") != (dept or {}).get("id"):
            doctor = None
        fields: dict[str, Any] = {
            "department": render.department_name(dept, ctx.lang),
            "doctor": (" " if ctx.lang == "en" else "") + render.doctor_name(doctor, ctx.lang)
            if doctor
            else "",
            "when": "",
        }
        key = "ask.slot"
        slots = self.free_slots(ctx, window) if window else []
        if window is not None:
            fields["when"] = (" " if ctx.lang == "en" else "") + window.said
            if not slots:
                key = "ask.slot.none"
                slots = self.free_slots(
                    ctx, Window(window.end, (self.clock() + timedelta(days=28)).isoformat())
                )
        else:
            slots = self.free_slots(ctx, None)
        if not slots:
            self.reply(ctx, "ask.slot.empty", **fields)
            return
        ctx.state.private[OFFERED] = [str(s["id"]) for s in slots]
        lines = render.numbered([self._slot_line(ctx, s) for s in slots])
        chips = tuple(render.when(str(s["start"]), ctx.lang) for s in slots[:4])
        self.reply(ctx, key, chips, slots=lines, **fields)

    def clarify(self, ctx: TurnContext, flow: FlowSpec, slot: str, candidates: tuple[Any, ...]) -> None:
        self.ask(ctx, flow, flow.slot(slot) or SlotSpec(slot, "text"), retry=True)

    def cannot_provide(self, ctx: TurnContext, flow: FlowSpec | None, slot: str) -> None:
        self.hand_off(ctx, "customer_request")

    # -- actions ------------------------------------------------------------------------------------
    def _fields(self, ctx: TurnContext, slot: Record) -> dict[str, Any]:
        dept = self.department(str(slot["department"]))
        bring = str((dept or {}).get("bring_zh" if ctx.lang == "zh" else "bring", ""))
        return {
            "department": render.department_name(dept, ctx.lang),
            "doctor": render.doctor_name(self.doctor(str(slot["doctor"])), ctx.lang),
            "time": render.when(str(slot["start"]), ctx.lang),
            "location": render.location(dept, ctx.lang),
            "bring": (f"，{bring}" if ctx.lang == "zh" else f", and {bring}") if bring else "",
        }

    def propose(self, ctx: TurnContext, flow: FlowSpec) -> dict[str, Any] | None:
        slots = ctx.state.slots
        if flow.name == "cancel_appointment":
            found = next((a for a in self.appointments(ctx) if a["id"] == slots["appointment"]), None)
            if found is None:
                self.reply(ctx, "refuse.appointment_not_found")
                return None
            self.reply(ctx, flow.confirm_key, self.chips(ctx, "chips.confirm"), **self._fields(ctx, found))
            return {"tool": flow.tool, "arguments": {"appointment_id": found["id"]}, "flow": flow.name}
        chosen = self._slot(ctx, str(slots["slot"]))
        if chosen is None:
            self.reply(ctx, "refuse.slot_taken")
            return None
        fields = self._fields(ctx, chosen)
        arguments: dict[str, Any] = {"slot_id": chosen["id"]}
        if flow.name == "reschedule_appointment":
            old = next((a for a in self.appointments(ctx) if a["id"] == slots["appointment"]), None)
            if old is None:
                self.reply(ctx, "refuse.appointment_not_found")
                return None
            fields["old_time"] = render.when(str(old["start"]), ctx.lang)
            arguments["appointment_id"] = old["id"]
        self.reply(ctx, flow.confirm_key, self.chips(ctx, "chips.confirm"), **fields)
        return {"tool": flow.tool, "arguments": arguments, "flow": flow.name}

    def _slot(self, ctx: TurnContext, slot_id: str) -> Record | None:
        try:
            found = self.tools.call(
                "get_slot", {"slot_id": slot_id}, customer_id=None, idempotency_key="slot"
            )
        except ToolError:
            return None
        slot = found.output
        return slot if slot.get("free") and str(slot["start"]) > self.clock().isoformat() else None

    def execute(self, ctx: TurnContext, flow: FlowSpec, pending: dict[str, Any]) -> None:
        try:
            done = self.call(ctx, str(pending["tool"]), confirmed=True, **pending["arguments"])
        except ToolError as exc:
            key = f"refuse.{exc.user_message}"
            self.reply(ctx, key if self.say.has(key) else "tool_failed")
            if exc.user_message in ("slot_taken", "in_the_past"):  # offer other slots: the same request again
                kept = {k: v for k, v in ctx.state.slots.items() if k != "slot"}
                queue = ctx.state.private.setdefault("queue", [])
                queue.insert(0, {"flow": flow.name, "hint": "", "slots": kept, "prefilled": True})
            return
        for key in (OFFERED, OFFERED_APPTS, WHEN, DOCTOR):
            ctx.state.private.pop(key, None)
        self.reply(ctx, flow.done_key, **self._fields(ctx, done))
        if not ctx.state.private.get("queue"):
            self.reply(ctx, "anything_else", self.chips(ctx, "chips.main"))

    def answer_flow(self, ctx: TurnContext, flow: FlowSpec) -> None:
        if flow.name == "my_health":
            self.answers.readings(ctx)
            return
        window = self.window(ctx)
        found = self.appointments(ctx, window.start if window else None, window.end if window else None)
        said = ((" " if ctx.lang == "en" else "") + window.said) if window else ""
        ctx.state.private.pop(WHEN, None)
        if not found:
            self.reply(ctx, "appointments.list.none", self.chips(ctx, "chips.main"), when=said)
            return
        lines = render.numbered([self._appointment_line(ctx, a) for a in found])
        ctx.state.private[OFFERED_APPTS] = [str(a["id"]) for a in found]
        self.reply(ctx, "appointments.list", self.chips(ctx, "chips.main"), when=said, appointments=lines)

    # -- the rest -----------------------------------------------------------------------------------
    def answer(self, ctx: TurnContext, question: AnswerQuestion) -> None:
        text = question.query or ctx.text
        if question.topic == "triage":
            self.answers.which_department(ctx, text)
        elif question.topic == "health_question":
            self.answers.question(ctx, text)
        elif question.topic in ("diagnosis", "prescription"):
            self.answers.refuse(ctx, question.topic, text)
        elif question.topic == "complaint":
            ctx.tool_events.append({"tool": "complaint_recorded", "ok": True})
            self.reply(ctx, "complaint")
        else:
            self.reply(ctx, "out_of_scope", self.chips(ctx, "chips.main"))

    def chit_chat(self, ctx: TurnContext, act: str) -> None:
        if act == "goodbye":
            self.reply(ctx, "goodbye")
        elif act == "thanks":
            self.reply(ctx, "anything_else", self.chips(ctx, "chips.main"))
        elif ctx.state.flow is None:
            self.reply(ctx, "greeting", self.chips(ctx, "chips.main"))

    def hand_off(self, ctx: TurnContext, reason: str) -> None:
        try:
            why = HandoffReason(reason)
        except ValueError:
            why = HandoffReason.CUSTOMER_REQUEST
        summary = {"reason": why.value, "verified_customer": ctx.state.verified_customer, "lang": ctx.lang}
        ctx.request_handoff(HandoffRequest(why, summary=summary))
        self.reply(ctx, "handoff")

    def identity(
        self, ctx: TurnContext, event: IdentityEvent, result: VerifyResult | None, strategy: str = ""
    ) -> None:
        if event == "verified":
            ctx.tool_events.append({"tool": "patient_verified", "ok": True})
            patient = self.call(ctx, "get_patient")
            self.reply(ctx, "verify.ok", name=render.name(patient, ctx.lang))
        elif event == "failed":
            self.reply(ctx, "verify.failed")
        elif event == "other_way":
            self.reply(ctx, "verify.other_way")
        elif event == "incomplete" and result is not None and result.missing:
            key = f"verify.missing.{result.missing[0]}"
            self.reply(ctx, key if self.say.has(key) else "ask.identity")
        else:
            self.reply(ctx, "ask.identity")

    def confirm_again(self, ctx: TurnContext, flow: FlowSpec) -> None:
        self.reply(ctx, "confirm.again", self.chips(ctx, "chips.confirm"))

    def not_changed(self, ctx: TurnContext) -> None:
        self.reply(ctx, "not_changed", self.chips(ctx, "chips.main"))

    def lookup(self, ctx: TurnContext) -> Lookup:
        def find(tool: str, arguments: dict[str, str]) -> str | None:
            try:
                found = self.tools.call(
                    tool, arguments, customer_id=None, idempotency_key=ctx.idempotency_prefix
                )
            except ToolError:
                return None
            user_id = found.output.get("user_id")
            return str(user_id) if user_id else None

        return find
