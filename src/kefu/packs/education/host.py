"""The education pack's side of the flow engine: checks an enrolment against the student's own record
before proposing it, confirms before enrolling, answers progress, quiz, due-this-week and recommendation
questions from the school, shapes feedback by the student's sentiment and scores, and offers a teacher
to a struggling or distressed student. A guardian who verified is spoken to about the student."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
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
from kefu.packs.education.answers import _DAYS, COURSE, OFFERED_TEACHER, SUGGESTED, StudyAnswers
from kefu.packs.education.knowledge import Handbook
from kefu.packs.education.school import Record
from kefu.tools.registry import ToolRegistry

GUARDIAN = "edu_guardian"  # memory: the verified party is a guardian
UNHELPFUL = frozenset({"verify.failed", "tool_failed", "out_of_scope"})


class EducationHost:
    def __init__(
        self, tools: ToolRegistry, responder: Responder, handbook: Handbook, clock: Callable[[], datetime]
    ) -> None:
        self.tools = tools
        self.say = responder
        self.handbook = handbook
        self.clock = clock
        self._courses: dict[str, Record] = {}
        self.answers = StudyAnswers(self)

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
        text = self.say.render(key, ctx.lang, **self._who(ctx), **fields)
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

    def courses(self) -> list[Record]:
        if not self._courses:
            found = self.tools.call("list_courses", {}, customer_id=None, idempotency_key="catalogue").output
            self._courses = {str(c["id"]): c for c in found["courses"]}
        return list(self._courses.values())

    def course(self, course_id: str | None) -> Record | None:
        self.courses()
        return self._courses.get(course_id or "")

    def title(self, ctx: TurnContext, course_id: str) -> str:
        c = self.course(course_id) or {}
        return str(c.get("title_zh") if ctx.lang == "zh" else c.get("title", course_id)) or course_id

    def _who(self, ctx: TurnContext) -> dict[str, str]:
        if ctx.state.memory.get(GUARDIAN) and ctx.state.verified_customer:
            name = str(ctx.state.memory.get("edu_name", ""))
            return {"who": name or ("孩子" if ctx.lang == "zh" else "your child"), "is": "is"}
        return {"who": "你" if ctx.lang == "zh" else "you", "is": "are"}

    def schedule(self, ctx: TurnContext, course: Record) -> str:
        days = _DAYS["zh" if ctx.lang == "zh" else "en"]
        parts = [f"{days[int(s['weekday'])]} {s['start']}" for s in course.get("schedule", [])]
        return ("、" if ctx.lang == "zh" else ", ").join(parts)

    def teacher(self, ctx: TurnContext, course: Record) -> str:
        names = {
            "T1": ("Ms. Li Na", "李娜老师"),
            "T2": ("Dr. Chen Wei", "陈伟老师"),
            "T3": ("Mr. Zhao Lei", "赵磊老师"),
            "T4": ("Ms. Emma Clark", "艾玛老师"),
            "T5": ("Mr. Wang Jun", "王军老师"),
            "T6": ("Mr. David Brown", "大卫老师"),
            "T7": ("Ms. Sato Yuki", "佐藤老师"),
            "T8": ("Ms. Lin Xiao", "林晓老师"),
        }
        pair = names.get(str(course.get("teacher")), (str(course.get("teacher")), str(course.get("teacher"))))
        return pair[1] if ctx.lang == "zh" else pair[0]

    def enrolments(self, ctx: TurnContext) -> list[Record]:
        found: list[Record] = self.call(ctx, "my_courses")["enrolments"]
        return found

    # -- slots --------------------------------------------------------------------------------------
    def validate(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, value: Any) -> Check:
        course = self.course(str(value))
        if course is None:
            self.ask(ctx, flow, slot, retry=True)
            return Check.refused(keep_flow=True)
        if slot.validate != "enrollable" or not ctx.state.verified_customer:
            return OK
        return OK if self._enrollable(ctx, course) else Check.refused()

    def _enrollable(self, ctx: TurnContext, course: Record) -> bool:
        """Says why not (and offers the prerequisite to take first) when the student cannot enrol."""
        mine = self.enrolments(ctx)
        passed = {
            e["course"] for e in mine if e["status"] == "completed" and (e.get("final_score") or 0) >= 60
        }
        name = self.title(ctx, course["id"])
        if any(e["course"] == course["id"] and e["status"] == "active" for e in mine):
            self.reply(ctx, "refuse.already_enrolled", course=name)
            return False
        if course["id"] in passed:
            self.reply(ctx, "refuse.already_passed", course=name)
            return False
        missing = [p for p in course.get("prerequisites", []) if p not in passed]
        if missing:
            names = ("、" if ctx.lang == "zh" else " and ").join(self.title(ctx, m) for m in missing)
            ready = [
                m
                for m in missing
                if all(p in passed for p in (self.course(m) or {}).get("prerequisites", []))
            ]
            alt = ""
            if ready and not any(e["course"] == ready[0] and e["status"] == "active" for e in mine):
                ctx.state.private[SUGGESTED] = ready[0]
                first = self.title(ctx, ready[0])
                alt = (
                    f"要先报名{first}吗？"
                    if ctx.lang == "zh"
                    else f"Shall I enrol {self._who(ctx)['who']} in {first} first?"
                )
            self.reply(ctx, "refuse.missing_prerequisites", course=name, missing=names, alternative=alt)
            return False
        return True

    def autofill(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec) -> Any | None:
        return None

    def ask(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, retry: bool) -> None:
        examples = ("、" if ctx.lang == "zh" else ", ").join(
            self.title(ctx, c["id"]) for c in self.courses()[:5]
        )
        self.reply(ctx, "ask.course", examples=examples)

    def clarify(self, ctx: TurnContext, flow: FlowSpec, slot: str, candidates: tuple[Any, ...]) -> None:
        self.ask(ctx, flow, flow.slot(slot) or SlotSpec(slot, "choice"), retry=True)

    def cannot_provide(self, ctx: TurnContext, flow: FlowSpec | None, slot: str) -> None:
        self.hand_off(ctx, "customer_request")

    # -- the enrolment ------------------------------------------------------------------------------
    def _course_fields(self, ctx: TurnContext, course: Record) -> dict[str, Any]:
        return {
            "course": self.title(ctx, course["id"]),
            "schedule": self.schedule(ctx, course),
            "teacher": self.teacher(ctx, course),
        }

    def propose(self, ctx: TurnContext, flow: FlowSpec) -> dict[str, Any] | None:
        course = self.course(str(ctx.state.slots["course"]))
        if course is None or not self._enrollable(ctx, course):
            return None
        self.reply(
            ctx, flow.confirm_key, self.chips(ctx, "chips.confirm"), **self._course_fields(ctx, course)
        )
        return {"tool": flow.tool, "arguments": {"course_id": course["id"]}, "flow": flow.name}

    def execute(self, ctx: TurnContext, flow: FlowSpec, pending: dict[str, Any]) -> None:
        course = self.course(str(pending["arguments"]["course_id"])) or {
            "id": pending["arguments"]["course_id"]
        }
        try:
            self.call(ctx, str(pending["tool"]), confirmed=True, **pending["arguments"])
        except ToolError as exc:
            key = f"refuse.{exc.user_message}"
            fields: dict[str, Any] = {
                "course": self.title(ctx, course["id"]),
                "missing": "",
                "alternative": "",
            }
            self.reply(ctx, key if self.say.has(key) else "tool_failed", **fields)
            return
        ctx.state.private.pop(SUGGESTED, None)
        self.reply(ctx, flow.done_key, self.chips(ctx, "chips.main"), **self._course_fields(ctx, course))

    # -- read-only flows ----------------------------------------------------------------------------
    def answer_flow(self, ctx: TurnContext, flow: FlowSpec) -> None:
        getattr(self.answers, flow.name)(ctx)
        ctx.state.private.pop(COURSE, None)

    def answer(self, ctx: TurnContext, question: AnswerQuestion) -> None:
        if question.topic == "distress":
            ctx.state.private[OFFERED_TEACHER] = True
            self.reply(ctx, "distress", self.chips(ctx, "chips.teacher"))
            return
        if question.topic == "privacy":
            self.reply(ctx, "privacy.refuse")
            return
        entry = self.handbook.find(question.query or ctx.text)
        if entry is None:
            self.reply(ctx, "out_of_scope", self.chips(ctx, "chips.main"))
            return
        lang = "zh" if ctx.lang == "zh" else "en"
        cite = Citation("handbook.md", entry.title[lang], f"#{entry.id}")
        self.reply(
            ctx,
            "knowledge.answer",
            self.chips(ctx, "chips.main"),
            (cite,),
            answer=entry.answers[lang],
            title=entry.title[lang],
        )

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
        summary = {
            "reason": why.value,
            "verified_customer": ctx.state.verified_customer,
            "lang": ctx.lang,
            "queue": "teachers",
        }
        ctx.request_handoff(HandoffRequest(why, summary=summary))
        self.reply(ctx, "handoff")

    def identity(
        self, ctx: TurnContext, event: IdentityEvent, result: VerifyResult | None, strategy: str = ""
    ) -> None:
        if event == "verified":
            ctx.tool_events.append({"tool": "student_verified", "ok": True})
            student = self.call(ctx, "get_student")
            ctx.state.memory["edu_name"] = student.get("display_name", "")
            guardian = result is not None and result.strategy == "guardian_phone"
            ctx.state.memory[GUARDIAN] = guardian
            self.reply(
                ctx, "verify.ok.guardian" if guardian else "verify.ok", name=student.get("display_name", "")
            )
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
            except (ToolError, ValueError):
                return None
            user_id = found.output.get("user_id")
            return str(user_id) if user_id else None

        return find
