"""Wires the education pack: rails, understanding, the flow engine over the education flows, templates,
the handbook, over a ``School`` (``PackEnvironment.systems["school"]``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kefu.dialogue.engine import FlowEngine
from kefu.dialogue.verification import ToolLookup, Verifier
from kefu.domain.conversation import DialogueState
from kefu.domain.errors import KefuError, StoreUnavailable, ToolError
from kefu.domain.messages import OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.engine.empathy import EmpatheticPolicy
from kefu.engine.responder import Responder
from kefu.engine.turn import TurnPipeline
from kefu.guard.compliance import ComplianceRail
from kefu.guard.injection import InjectionRail
from kefu.guard.rails import EmergencyNumbers, EmergencyRail, PiiLeakRail, PiiRedactionRail
from kefu.handoff.policy import HandoffPolicy
from kefu.handoff.triggers import HandoffRules, parse_support_hours
from kefu.nlu.intents import IntentClassifier, load_examples
from kefu.packs.education.commands import EducationCommands, EducationUnderstander
from kefu.packs.education.flows import FLOWS
from kefu.packs.education.host import EducationHost
from kefu.packs.education.knowledge import Handbook
from kefu.packs.education.school import School
from kefu.packs.education.tools import build_registry
from kefu.packs.registry import PackEnvironment, register_pack

HERE = Path(__file__).resolve().parent
NAME = "education"
SYSTEM = "school"
HANDOFF_RULES = HandoffRules(max_failures=2, anger_intensity=0.9, complaint_intents=(), amount_limit=None)
MAX_VERIFY_ATTEMPTS = 3
STUDENT_DOB = ToolLookup(
    "student_dob",
    ("student_id", "birth_date"),
    "find_student",
    (("student_id", "student_id"), ("birth_date", "birth_date")),
    "verify.other_way",
    NAME,
)
GUARDIAN_PHONE = ToolLookup(
    "guardian_phone",
    ("student_id", "guardian_phone"),
    "find_by_guardian",
    (("student_id", "student_id"), ("guardian_phone", "guardian_phone")),
    "ask.identity",
    NAME,
)
_CLASSIFIERS: list[IntentClassifier] = []


def _classifier() -> IntentClassifier:
    if not _CLASSIFIERS:
        _CLASSIFIERS.append(IntentClassifier().fit(load_examples(HERE / "intents.yaml")))
    return _CLASSIFIERS[0]


class EducationPolicy:
    def __init__(self, host: EducationHost, generator: EducationCommands, verifier: Verifier) -> None:
        self.host = host
        self.generator = generator
        self.engine = FlowEngine(FLOWS, host, generator, verifier)

    def decide(self, ctx: TurnContext) -> None:
        try:
            self.engine.run(ctx, self.generator.generate(ctx, ctx.text))
        except ToolError as exc:
            self.host.reply(ctx, "tool_failed")
            ctx.state.end_flow()
            ctx.tool_events.append({"tool": "error", "reason": exc.user_message, "ok": False})
        if not ctx.replies:
            if ctx.state.flow is None:
                self.host.reply(ctx, "out_of_scope", self.host.chips(ctx, "chips.main"))
            else:
                self.engine.resume(ctx)
                if not ctx.replies:
                    self.host.reply(ctx, "anything_else", self.host.chips(ctx, "chips.main"))


@dataclass
class EducationPack:
    name: str
    pipeline: TurnPipeline
    responder: Responder
    school: School

    def initial_state(self, lang: str, customer_ref: str | None) -> DialogueState:
        state = DialogueState(lang=lang)
        if customer_ref and self.school.get_student(customer_ref) is not None:
            state.verified_customer = customer_ref  # a signed customer_token verifies
        return state

    def welcome(self, lang: str, state: DialogueState) -> list[OutgoingMessage]:
        chips = tuple(self.responder.render("chips.main", lang).split("|"))
        info = self.school.snapshot().school
        if state.verified_customer:
            student = self.school.get_student(state.verified_customer) or {}
            text = self.responder.render("welcome.verified", lang, name=student.get("display_name", ""))
        else:
            school = str(info.get("name_zh" if lang == "zh" else "name") or info.get("name", ""))
            text = self.responder.render("welcome", lang, school=school)
        return [OutgoingMessage(text, lang, suggestions=chips)]

    def render(self, key: str, lang: str, **fields: object) -> str:
        return self.responder.render(key, lang, **fields)

    def waiting_for_human(self, lang: str) -> OutgoingMessage:
        return OutgoingMessage(self.responder.render("handoff", lang), lang)


def build(environment: PackEnvironment) -> EducationPack:
    school: School | None = environment.systems.get(SYSTEM)
    if school is None:
        raise KefuError(f"the education pack needs a {SYSTEM!r} business system")
    if not school.list_courses():
        raise StoreUnavailable(
            "the school has no data yet: run `kefu demo seed` or `kefu data import school FILE`"
        )
    zone = ZoneInfo(str(school.snapshot().school.get("timezone") or environment.timezone))
    clock = environment.systems.get("clock") or (lambda: datetime.now(zone))
    responder = Responder.from_files(HERE / "responses.yaml")
    host = EducationHost(build_registry(school, clock), responder, Handbook.load(), clock)
    understander = EducationUnderstander(_classifier())
    verifier = Verifier(
        (STUDENT_DOB, GUARDIAN_PHONE), environment.systems.get("verification_attempts"), MAX_VERIFY_ATTEMPTS
    )
    policy = EducationPolicy(host, EducationCommands(understander, host), verifier)
    pipeline = TurnPipeline(
        input_rails=[
            PiiRedactionRail(vault=environment.systems.get("pii_vault")),
            EmergencyRail(EmergencyNumbers(**environment.emergency_numbers)),
            InjectionRail(),
        ],
        understander=understander,
        policy=EmpatheticPolicy(
            HandoffPolicy(
                policy,
                responder,
                replace(HANDOFF_RULES, support_hours=parse_support_hours(environment.support_hours)),
                environment.systems.get("handoff_queue"),
                environment.timezone,
            ),
            responder,
        ),
        output_rails=[
            ComplianceRail.from_file(NAME, environment.review_threshold, environment.sensitive_words_file),
            PiiLeakRail(),
        ],
    )
    return EducationPack(NAME, pipeline, responder, school)


def register() -> None:
    register_pack(NAME, build)
