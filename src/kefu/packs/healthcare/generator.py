"""The healthcare pack's deterministic command generator: the intent classifier and patterns, with the
patient's words grounded in the hospital's departments and doctors and in the options the host
offered (slots, appointments), emitting ``kefu.dialogue`` commands."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from kefu.dialogue.commands import (
    AnswerQuestion,
    ChitChat,
    Command,
    Confirm,
    Deny,
    EditPending,
    HandOff,
    ProvideIdentity,
    SetSlot,
    StartFlow,
)
from kefu.engine.context import TurnContext, Understanding
from kefu.nlu.intents import OUT_OF_SCOPE
from kefu.packs.healthcare import reading
from kefu.packs.healthcare.answers import SUGGESTED
from kefu.packs.healthcare.flows import FLOW_INTENTS, FLOWS
from kefu.packs.healthcare.host import DOCTOR, OFFERED, OFFERED_APPTS, WHEN, HealthHost

CONFIDENT = 0.45
QUESTIONS = {
    "triage": "triage",
    "health_question": "health_question",
    "diagnosis_request": "diagnosis",
    "prescription_request": "prescription",
    "complaint": "complaint",
}
_WHICH_DEPARTMENT = re.compile(
    r"挂(?:什么|哪个|哪一个|啥)科|看(?:什么|哪个|啥)科|(?:什么|哪个)科室"
    r"|\bwhich (?:department|clinic|specialist|doctor)\b"
    r"|\bwhat (?:department|clinic|specialist)\b|\bwho should i see\b|\bwhere should i go\b",
    re.IGNORECASE,
)
_DIAGNOSIS = re.compile(
    r"(?:我|孩子|他|她)?(?:得了|得的|患了|是不是得了?|是不是)(?:什么|啥)?(?:病|癌|糖尿病|高血压)|什么病|帮我诊断|诊断一下"
    r"|\bwhat (?:illness|disease|condition) do i have\b"
    r"|\bdo i have (?:cancer|diabetes|covid|the flu|flu|an? infection|an? tumou?r|\w+itis|\w+ disease)\b"
    r"|\bdiagnose me\b|\bwhat'?s wrong with me\b"
    r"|\bis (?:it|this) (?:cancer|diabetes|a heart attack)\b",
    re.IGNORECASE,
)
_PRESCRIPTION = re.compile(
    r"(?:该|应该|要|能)?吃(?:什么|哪种|啥|几片|多少)|开(?:点|些|个)?(?:药|处方|抗生素)|吃多少|用量多少|剂量"
    r"|\bwhat (?:medicine|medication|drug|pills?) should i\b|\bhow (?:many|much) .{0,20}should i take\b"
    r"|\bprescribe\b|\bprescription\b|\bwhat dose\b|\bwhich (?:drug|medicine|pill)\b",
    re.IGNORECASE,
)
_BOOK_IT = re.compile(
    r"^(?:好的?|可以|行|要|需要|book it|yes,? please|please do|ok(?:ay)?)"
    r"[，,。.!！\s]*(?:帮我)?(?:预约|挂号|book)?",
    re.IGNORECASE,
)
_NOTHING_ELSE = re.compile(r"没有了|没别的|就这些|不用了|that'?s all|nothing else", re.IGNORECASE)
_HUMAN = re.compile(
    r"转人工|人工服务|人工客服|找护士|真人|\b(?:human|real person|agent|staff member|nurse)\b", re.IGNORECASE
)


class HealthCommands:
    def __init__(self, classifier: Callable[[str], Understanding], host: HealthHost, timezone: str) -> None:
        self.classify = classifier
        self.host = host
        self.timezone = timezone

    def now(self) -> datetime:
        return self.host.clock()

    def generate(self, ctx: TurnContext, text: str, focus: str | None = None) -> list[Command]:
        state = ctx.state
        facts, rest = reading.identity_facts(text)
        commands: list[Command] = []
        if facts and not state.verified_customer:
            commands.append(ProvideIdentity(facts))
        u = self.classify(text) if focus or text != ctx.text else (ctx.understanding or self.classify(text))
        yes_no = u.entities.get("yes_no")
        if focus is None and state.pending is not None:
            if yes_no == "yes":
                return [Confirm()]
            if yes_no == "no":
                return [Deny()]
        flow = focus or state.flow
        intent = u.intent if u.confidence >= CONFIDENT else OUT_OF_SCOPE
        if focus is None:
            commands += self._requests(ctx, rest, intent, yes_no)
            flow = next((c.flow for c in commands if isinstance(c, StartFlow)), None) or flow
        commands += self._slots(ctx, rest, flow, focus)
        if state.pending is not None and focus is None:
            commands = [EditPending(c.slot, c.value) if isinstance(c, SetSlot) else c for c in commands]
        return commands

    # -- requests ----------------------------------------------------------------------------------
    def _requests(self, ctx: TurnContext, text: str, intent: str, yes_no: str | None) -> list[Command]:
        state = ctx.state
        if _HUMAN.search(text) or intent == "human":
            return [HandOff("customer_request")]
        if _DIAGNOSIS.search(text) or intent == "diagnosis_request":
            return [AnswerQuestion("diagnosis", text)]
        if _PRESCRIPTION.search(text) or intent == "prescription_request":
            return [AnswerQuestion("prescription", text)]
        if _WHICH_DEPARTMENT.search(text):
            return [AnswerQuestion("triage", text)]
        if state.flow is None and intent not in (
            "reschedule_appointment",
            "cancel_appointment",
            "list_appointments",
        ):
            named = reading.department_in(text, self.host.departments()) or reading.doctors_in(
                text, self.host.doctors()
            )
            if named and intent not in ("health_question", "diagnosis_request", "prescription_request"):
                return [StartFlow("book_appointment", text)]
        suggested = state.private.get(SUGGESTED)
        if state.flow is None and suggested and (yes_no == "yes" or _BOOK_IT.match(text.strip())):
            state.private.pop(SUGGESTED, None)
            return [StartFlow("book_appointment", ""), SetSlot("department", suggested)]
        if intent in FLOW_INTENTS and intent != state.flow:
            if intent == "book_appointment":
                for key in (WHEN, DOCTOR, OFFERED):
                    state.private.pop(key, None)
            return [StartFlow(intent, text)]
        if intent in QUESTIONS and state.asking in (None, "department"):
            if intent == "triage" and state.flow == "book_appointment" and state.asking == "department":
                return []  # symptoms while choosing a department: read as the department below
            return [AnswerQuestion(QUESTIONS[intent], text)]
        if intent in ("greeting", "thanks", "goodbye"):
            if state.flow is not None and (
                reading.windows(text, self.now(), self.timezone) or reading.pick(text, 9) is not None
            ):
                return []  # "后天", "2": an answer to the open question, not small talk
            return [ChitChat("goodbye" if intent == "thanks" and _NOTHING_ELSE.search(text) else intent)]
        if state.flow is None and not state.asking and self.host.answers.knowledge.find(text):
            return [AnswerQuestion("health_question", text)]
        return []

    # -- slots -------------------------------------------------------------------------------------
    def _slots(self, ctx: TurnContext, text: str, flow: str | None, focus: str | None) -> list[Command]:
        spec = FLOWS.get(flow)
        if spec is None:
            return []
        state = ctx.state
        found: list[Command] = []
        windows = reading.windows(text, self.now(), self.timezone)
        doctors = reading.doctors_in(text, self.host.doctors())
        if doctors:
            state.private[DOCTOR] = str(doctors[0]["id"])
        if "department" in spec.slot_names:
            dept = reading.department_in(text, self.host.departments())
            if dept is None and doctors:
                dept = str(doctors[0]["department"])
            if dept is None and state.asking == "department" and len(text.strip()) >= 2:
                triage = self.host.answers.triage.predict(text)
                dept = triage.department if not triage.unsure or len(text) > 4 else None
            if dept is not None:
                found.append(SetSlot("department", dept))
        if "appointment" in spec.slot_names:
            chosen, windows = self._appointment(ctx, text, windows, spec.name)
            if chosen:
                found.append(SetSlot("appointment", chosen))
        if windows and spec.name != "cancel_appointment":
            w = windows[-1]
            state.private[WHEN] = [w.start, w.end, w.exact, w.said]
            if "slot" in state.slots and state.pending is None:
                state.slots.pop("slot", None)
        if "slot" in spec.slot_names and state.asking == "slot" and focus is None:
            offered: list[str] = state.private.get(OFFERED, [])
            index = reading.pick(text, len(offered))
            if index is None and offered and (not windows or windows[-1].exact):
                index = reading.pick_by_time(
                    text, [self._start(s) for s in offered], self.now(), self.timezone
                )
            if index is not None:
                found.append(SetSlot("slot", offered[index]))
        return found

    def _start(self, slot_id: str) -> str:
        stamp = slot_id.rsplit("-", 1)[-1]
        zone = self.now().tzinfo
        return datetime.strptime(stamp, "%Y%m%d%H%M").replace(tzinfo=zone).isoformat()

    def _appointment(
        self, ctx: TurnContext, text: str, windows: list[reading.Window], flow: str
    ) -> tuple[str | None, list[reading.Window]]:
        """The appointment meant (by pick among those offered, or by its date); the windows left for
        the new time."""
        state = ctx.state
        if not state.verified_customer:
            return None, windows
        offered: list[str] = state.private.get(OFFERED_APPTS, [])
        if state.asking == "appointment" and offered:
            index = reading.pick(text, len(offered))
            if index is not None:
                return offered[index], windows
        if not windows:
            return None, windows
        mine = self.host.appointments(ctx)
        first = windows[0]
        matching = [
            a
            for a in mine
            if first.start[:10] <= str(a["start"])[:10] < first.end[:10]
            or str(a["start"])[:10] == first.start[:10]
        ]
        if len(matching) == 1 and (len(windows) > 1 or len(mine) > 1 or flow == "cancel_appointment"):
            return str(matching[0]["id"]), windows[1:]
        return None, windows
