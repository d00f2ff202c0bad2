"""Wires the finance pack (a retail bank on τ²-bench's banking domain): classifier, rails, policy and
templates over a ``Bank``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kefu.domain.conversation import DialogueState
from kefu.domain.errors import KefuError
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
from kefu.packs.finance.bank import Bank
from kefu.packs.finance.clock import BankClock
from kefu.packs.finance.generator import FinanceUnderstander
from kefu.packs.finance.operations import BankOperations
from kefu.packs.finance.policy import FinancePolicy
from kefu.packs.finance.questions import finance_questions
from kefu.packs.finance.tools import build_registry
from kefu.packs.registry import PackEnvironment, register_pack

HERE = Path(__file__).resolve().parent
NAME = "finance"
SYSTEM = "bank"  # the key of the business system in ``PackEnvironment.systems``
# no amount limit: incomes, balances and disputed sums are ordinary in a bank's messages
HANDOFF_RULES = HandoffRules(max_failures=2, anger_intensity=0.85, complaint_intents=(), amount_limit=None)
_CACHED: list[IntentClassifier] = []


def _classifier() -> IntentClassifier:
    if not _CACHED:
        _CACHED.append(IntentClassifier().fit(load_examples(HERE / "intents.yaml")))
    return _CACHED[0]


@dataclass
class FinancePack:
    name: str
    pipeline: TurnPipeline
    responder: Responder
    bank: Bank

    def initial_state(self, lang: str, customer_ref: str | None) -> DialogueState:
        state = DialogueState(lang=lang)
        if customer_ref and self.bank.get("users", customer_ref) is not None:
            state.verified_customer = customer_ref  # a signed customer_token verifies
        return state

    def welcome(self, lang: str, state: DialogueState) -> list[OutgoingMessage]:
        chips = tuple(self.responder.render("chips.main", lang).split("|"))
        if state.verified_customer:
            user = self.bank.get("users", state.verified_customer) or {}
            text = self.responder.render("welcome.verified", lang, name=user.get("name", ""))
            return [OutgoingMessage(text, lang, suggestions=chips)]
        return [OutgoingMessage(self.responder.render("welcome", lang), lang, suggestions=chips)]

    def render(self, key: str, lang: str, **fields: object) -> str:
        return self.responder.render(key, lang, **fields)

    def waiting_for_human(self, lang: str) -> OutgoingMessage:
        return OutgoingMessage(self.responder.render("handoff", lang), lang)


def build(environment: PackEnvironment) -> FinancePack:
    bank = environment.systems.get(SYSTEM)
    if bank is None:
        raise KefuError("the finance pack needs a 'bank' business system")
    clock = BankClock.from_env()
    responder = Responder.from_files(HERE / "responses.yaml")
    tools = build_registry(BankOperations(bank, clock))
    policy = FinancePolicy(
        tools,
        responder,
        finance_questions(environment.systems.get("knowledge"), NAME),
        clock,
        environment.systems.get("verification_attempts"),
    )
    pipeline = TurnPipeline(
        input_rails=[
            PiiRedactionRail(vault=environment.systems.get("pii_vault")),
            EmergencyRail(EmergencyNumbers(**environment.emergency_numbers)),
            InjectionRail(),
        ],
        understander=FinanceUnderstander(_classifier(), environment.timezone),
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
            PiiLeakRail(),  # last: what it masks is what is stored
        ],
    )
    return FinancePack(NAME, pipeline, responder, bank)


def register() -> None:
    register_pack(NAME, build)
