"""General questions in the retail pack: answered from the pack's help centre, with citations, or an honest
"I don't know" with the offer of a human.

Which messages go to the knowledge base: everything the classifier calls out of scope, and *policy
questions* — a question about how things work ("how long do refunds take?", "退货多久能退款？") rather than
a request about the customer's own order ("I want to return my shoes", "帮我取消订单") — even when the
classifier files them under a flow intent (return, cancel, status …) or product questions. A policy
question the help centre cannot answer confidently goes on to the flow as before; an out-of-scope one
gets the don't-know reply, which marks the question as a knowledge gap (``meta["knowledge_gap"]``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kefu.domain.errors import KefuError
from kefu.domain.messages import OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.engine.responder import Responder
from kefu.guard.injection import screen_passage
from kefu.knowledge.answer import KnowledgeAnswer, KnowledgeAnswerer, PassageScreen
from kefu.nlu import entities
from kefu.nlu.intents import OUT_OF_SCOPE

KNOWLEDGE_DIR = Path(__file__).resolve().parent / "knowledge"  # the help centre, zh + en Markdown
log = logging.getLogger("kefu.packs.retail")

DONT_KNOW = "knowledge.dont_know"
HUMAN_CHIP = "chips.human"
POLICY_INTENTS = (
    "order_status",
    "list_orders",
    "cancel_order",
    "change_address",
    "return_items",
    "exchange_items",
    "product_question",
)
_ASKS_EN = re.compile(
    r"\b(how|what|what's|whats|when|which|why|where|do you|does|is there|are there|is it|are you|can i|"
    r"can you|could i|may i|policy|policies|rules?)\b|\?",
    re.IGNORECASE,
)
_PERSONAL_EN = re.compile(
    r"\b(my|mine|i want|i need|i'd like|i would like|i wanna|please|pls|help me|i'?d rather|i have|i got|"
    r"i bought|i ordered|i received|i'?d prefer)\b",
    re.IGNORECASE,
)
_ASKS_ZH = re.compile(
    r"多久|几天|多长时间|怎么|怎样|如何|什么|哪些|哪里|为什么|能不能|可不可以|是否|吗|么|呢|政策|规定|[？?]"
)
_PERSONAL_ZH = re.compile(r"我的|我要|我想|帮我|给我|麻烦|请帮|替我")


_CATALOGUE = re.compile(
    r"\b(products?|sell|selling|items?|stock|catalog(?:ue)?|buy|price|cost|sizes?|colou?rs?|available"
    r"|red|blue|black|white|green|pink|grey|gray|small|medium|large|xl)\b"
    r"|商品|产品|卖|在售|有货|库存|价格|多少钱|尺码|颜色|款式|红色|蓝色|黑色|白色|绿色|大号|小号|中号",
    re.IGNORECASE,
)


def about_catalogue(text: str) -> bool:
    """The question is about what the shop sells (answered from the catalogue, not the help centre)."""
    return bool(_CATALOGUE.search(text))


def is_policy_question(text: str) -> bool:
    """A general question about how the shop works, not a request about the customer's own order."""
    if entities.order_ids(text) or entities.emails(text):
        return False
    asks = bool(_ASKS_EN.search(text) or _ASKS_ZH.search(text))
    personal = bool(_PERSONAL_EN.search(text) or _PERSONAL_ZH.search(text))
    return asks and not personal


class RetailQuestions:
    def __init__(
        self,
        answerer: KnowledgeAnswerer,
        responder: Responder,
        pack: str = "retail",
        prepare: Callable[[], bool] | None = None,
    ) -> None:
        self.answerer = answerer
        self.say = responder
        self.pack = pack
        self._prepare = prepare  # ingests the help centre; retried until it succeeds once

    def prepare(self) -> None:
        if self._prepare is not None and self._prepare():
            self._prepare = None

    def handle(self, ctx: TurnContext, intent: str) -> bool:
        """Answer this turn from knowledge if it is a general question; False lets the policy go on."""
        out_of_scope = intent == OUT_OF_SCOPE
        if not out_of_scope and not (intent in POLICY_INTENTS and is_policy_question(ctx.text)):
            return False
        if out_of_scope and entities.order_ids(ctx.text):
            return False
        self.prepare()
        answer = self.answerer.answer(self.pack, ctx.text, ctx.lang)
        ctx.rail_log.append(
            {
                "rail": "knowledge",
                "action": "answer" if answer.known else "unknown",
                "reason": f"confidence {answer.confidence:.2f}, screened out {answer.screened_out}",
            }
        )
        if answer.known:
            self._answer(ctx, answer, intent)
            return True
        if out_of_scope:
            self.dont_know(ctx, answer)
            return True
        return False

    def _answer(self, ctx: TurnContext, answer: KnowledgeAnswer, intent: str) -> None:
        chips = self._chips(ctx, "chips.main") if intent in POLICY_INTENTS else ()
        ctx.replies.append(
            OutgoingMessage(
                answer.text, ctx.lang, suggestions=chips, citations=answer.citations, meta=answer.meta
            )
        )

    def dont_know(self, ctx: TurnContext, answer: KnowledgeAnswer | None = None) -> None:
        """Say so, offer a human, and mark the question as a knowledge gap."""
        answer = answer or self.answerer.dont_know(ctx.lang)
        ctx.unhelpful = True
        text = self.say.render(DONT_KNOW, ctx.lang) if self.say.has(DONT_KNOW) else answer.text
        human = self._chips(ctx, HUMAN_CHIP) or answer.suggestions
        chips = tuple(dict.fromkeys((*human, *self._chips(ctx, "chips.main"))))
        ctx.replies.append(OutgoingMessage(text, ctx.lang, suggestions=chips, meta=answer.meta))

    def _chips(self, ctx: TurnContext, key: str) -> tuple[str, ...]:
        if not self.say.has(key):
            return ()
        return tuple(s for s in self.say.render(key, ctx.lang).split("|") if s)


def passage_screen() -> PassageScreen:
    """Indirect prompt injection: retrieved passages that ``kefu.guard.injection.screen_passage`` flags
    (instructions aimed at the assistant that reads them) are dropped before answering."""

    def flagged(text: str) -> bool:
        return screen_passage(text).attack

    return flagged


def ingest_help_centre(knowledge: Any, pack: str = "retail") -> bool:
    """Ingest the help centre shipped with the pack (unchanged files are a no-op, changed ones replace
    their passages). False when the knowledge store cannot be written now (e.g. the database is down):
    that must not stop the app from starting, so it is logged and tried again on the next question."""
    try:
        report = knowledge.ingest_path(pack, KNOWLEDGE_DIR)
    except KefuError as exc:
        log.warning("retail help centre not ingested: %s", exc.message)
        return False
    except Exception as exc:  # a storage failure of any adapter: the app still starts
        log.warning("retail help centre not ingested (will retry): %s", exc)
        return False
    for error in report.errors:
        log.warning("retail help centre: %s", error)
    return True


def retail_questions(knowledge: Any, responder: Responder, pack: str = "retail") -> RetailQuestions | None:
    """The pack's question answering over ``knowledge`` (the app's ``KnowledgeBase``, or None: no
    knowledge answers), with the help centre ingested first."""
    if knowledge is None:
        return None
    encoder = knowledge.encoder() if hasattr(knowledge, "encoder") else None
    answerer = KnowledgeAnswerer(knowledge, encoder, screen=passage_screen())
    questions = RetailQuestions(
        answerer, responder, pack, prepare=lambda: ingest_help_centre(knowledge, pack)
    )
    questions.prepare()
    return questions
