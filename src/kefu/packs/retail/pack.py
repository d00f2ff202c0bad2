"""Wires the retail pack: classifier, rails, policy and templates over a ``RetailShop``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kefu.dialogue.resolve.glossary import Glossary
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
from kefu.packs.registry import PackEnvironment, register_pack
from kefu.packs.retail.policy import RetailPolicy
from kefu.packs.retail.questions import retail_questions
from kefu.packs.retail.render import person_name
from kefu.packs.retail.shop import RetailShop
from kefu.packs.retail.tools import build_registry
from kefu.packs.retail.understanding import RetailUnderstander

HERE = Path(__file__).resolve().parent
NAME = "retail"
HANDOFF_RULES = HandoffRules(max_failures=2, anger_intensity=0.85, complaint_intents=(), amount_limit=2000.0)


def train_classifier() -> IntentClassifier:
    return IntentClassifier().fit(load_examples(HERE / "intents.yaml"))


@dataclass
class RetailPack:
    name: str
    pipeline: TurnPipeline
    responder: Responder
    shop: RetailShop

    def initial_state(self, lang: str, customer_ref: str | None) -> DialogueState:
        state = DialogueState(lang=lang)
        user = self.shop.get_user(customer_ref) if customer_ref else None
        if customer_ref and user is not None:
            state.verified_customer = customer_ref
            state.memory["vip"] = bool(user.get("vip"))
        return state

    def welcome(self, lang: str, state: DialogueState) -> list[OutgoingMessage]:
        chips = tuple(self.responder.render("chips.main", lang).split("|"))
        if state.verified_customer:
            name = person_name(self.shop.get_user(state.verified_customer) or {})
            return [
                OutgoingMessage(
                    self.responder.render("welcome.verified", lang, name=name), lang, suggestions=chips
                )
            ]
        return [OutgoingMessage(self.responder.render("welcome", lang), lang, suggestions=chips)]

    def render(self, key: str, lang: str, **fields: object) -> str:
        return self.responder.render(key, lang, **fields)

    def waiting_for_human(self, lang: str) -> OutgoingMessage:
        return OutgoingMessage(self.responder.render("handoff", lang), lang)


def build(environment: PackEnvironment) -> RetailPack:
    shop = environment.systems.get("retail_shop")
    if shop is None:
        raise KefuError("the retail pack needs a 'retail_shop' business system")
    responder = Responder.from_files(HERE / "responses.yaml")
    tools = build_registry(shop)
    pipeline = TurnPipeline(
        input_rails=[
            PiiRedactionRail(vault=environment.systems.get("pii_vault")),
            EmergencyRail(EmergencyNumbers(**environment.emergency_numbers)),  # before injection: lives first
            InjectionRail(),
        ],
        understander=RetailUnderstander(_classifier(), environment.timezone),
        policy=EmpatheticPolicy(
            HandoffPolicy(
                RetailPolicy(
                    tools,
                    responder,
                    retail_questions(environment.systems.get("knowledge"), responder),
                    _classifier(),
                    environment.systems.get("verification_attempts"),
                    _glossary(),
                ),
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
    return RetailPack(NAME, pipeline, responder, shop)


_CACHED: list[IntentClassifier] = []
_GLOSSARY: list[Glossary] = []


def _glossary() -> Glossary:
    """The pack's product, option and value names in both languages (``glossary.yaml``)."""
    if not _GLOSSARY:
        _GLOSSARY.append(Glossary.load(HERE / "glossary.yaml"))
    return _GLOSSARY[0]


def _classifier() -> IntentClassifier:
    if not _CACHED:
        _CACHED.append(train_classifier())
    return _CACHED[0]


def register() -> None:
    register_pack(NAME, build)
