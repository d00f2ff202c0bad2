"""Wires the healthcare pack: rails (emergencies first), understanding, policy and templates over a
``HospitalSystem``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kefu.domain.conversation import DialogueState
from kefu.domain.errors import KefuError, StoreUnavailable
from kefu.domain.messages import OutgoingMessage
from kefu.engine.empathy import EmpatheticPolicy
from kefu.engine.responder import Responder
from kefu.engine.turn import TurnPipeline
from kefu.guard.compliance import ComplianceRail
from kefu.guard.injection import InjectionRail
from kefu.guard.rails import EmergencyNumbers, EmergencyRail, PiiLeakRail, PiiRedactionRail
from kefu.handoff.policy import HandoffPolicy
from kefu.handoff.triggers import HandoffRules, parse_support_hours
from kefu.nlu.intents import IntentClassifier, load_examples
from kefu.packs.healthcare import render
from kefu.packs.healthcare.answers import HealthAnswers
from kefu.packs.healthcare.hospital import HospitalSystem
from kefu.packs.healthcare.host import HealthHost
from kefu.packs.healthcare.knowledge import HealthKnowledge
from kefu.packs.healthcare.policy import HealthPolicy
from kefu.packs.healthcare.tools import build_registry
from kefu.packs.healthcare.triage import trained
from kefu.packs.healthcare.understanding import HealthUnderstander
from kefu.packs.registry import PackEnvironment, register_pack

HERE = Path(__file__).resolve().parent
NAME = "healthcare"
SYSTEM = "hospital"  # the key of the business system in ``PackEnvironment.systems``
HANDOFF_RULES = HandoffRules(max_failures=2, anger_intensity=0.85, complaint_intents=())
_CLASSIFIERS: list[IntentClassifier] = []


def _classifier() -> IntentClassifier:
    if not _CLASSIFIERS:
        _CLASSIFIERS.append(IntentClassifier().fit(load_examples(HERE / "intents.yaml")))
    return _CLASSIFIERS[0]


@dataclass
class HealthcarePack:
    name: str
    pipeline: TurnPipeline
    responder: Responder
    hospital: HospitalSystem

    def initial_state(self, lang: str, customer_ref: str | None) -> DialogueState:
        state = DialogueState(lang=lang)
        if customer_ref and self.hospital.get_patient(customer_ref) is not None:
            state.verified_customer = customer_ref
        return state

    def welcome(self, lang: str, state: DialogueState) -> list[OutgoingMessage]:
        chips = tuple(self.responder.render("chips.main", lang).split("|"))
        info = self.hospital.hospital()
        hospital = str(info.get("name_zh" if lang == "zh" else "name") or info.get("name", ""))
        emergency = str(info.get("emergency_number", "120"))
        if state.verified_customer:
            name = render.name(self.hospital.get_patient(state.verified_customer), lang)
            text = self.responder.render("welcome.verified", lang, name=name)
        else:
            text = self.responder.render("welcome", lang, hospital=hospital, emergency=emergency)
        return [OutgoingMessage(text, lang, suggestions=chips)]

    def render(self, key: str, lang: str, **fields: object) -> str:
        return self.responder.render(key, lang, **fields)

    def waiting_for_human(self, lang: str) -> OutgoingMessage:
        return OutgoingMessage(self.responder.render("handoff", lang), lang)


def build(environment: PackEnvironment) -> HealthcarePack:
    hospital: HospitalSystem | None = environment.systems.get(SYSTEM)
    if hospital is None:
        raise KefuError(f"the healthcare pack needs a {SYSTEM!r} business system")
    if not hospital.departments():
        raise StoreUnavailable(
            "the hospital has no data yet: run `kefu demo seed` or `kefu data import hospital FILE`"
        )
    timezone = str(hospital.hospital().get("timezone") or environment.timezone)
    zone = ZoneInfo(timezone)
    clock = environment.systems.get("clock") or (lambda: datetime.now(zone))
    responder = Responder.from_files(HERE / "responses.yaml")
    tools = build_registry(hospital, clock)
    host = HealthHost(tools, responder, clock)
    answers = HealthAnswers(host, trained(hospital.departments()), HealthKnowledge.load())
    understander = HealthUnderstander(_classifier())
    policy = HealthPolicy(
        host, answers, understander, timezone, environment.systems.get("verification_attempts")
    )
    pipeline = TurnPipeline(
        input_rails=[
            PiiRedactionRail(vault=environment.systems.get("pii_vault")),
            EmergencyRail(
                EmergencyNumbers(**environment.emergency_numbers)
            ),  # before anything else: lives first
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
    return HealthcarePack(NAME, pipeline, responder, hospital)


def register() -> None:
    register_pack(NAME, build)
