"""Questions about the bank's products and procedures, answered from its knowledge base (τ²-bench
banking's 698 documents, ``docs_kb.jsonl``, ingested at start-up) with citations; an honest "I don't
know" with the offer of a human otherwise."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kefu.domain.errors import KefuError
from kefu.domain.messages import OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.guard.injection import screen_passage
from kefu.knowledge.answer import KnowledgeAnswerer
from kefu.packs.finance.paths import DOCS_FILE, tau_banking_dir

log = logging.getLogger("kefu.packs.finance")


class FinanceQuestions:
    def __init__(self, answerer: KnowledgeAnswerer, pack: str, prepare: Callable[[], bool] | None) -> None:
        self.answerer = answerer
        self.pack = pack
        self._prepare = prepare

    def prepare(self) -> None:
        if self._prepare is not None and self._prepare():
            self._prepare = None

    def answer(self, ctx: TurnContext, question: str) -> bool:
        """Answer from the knowledge base when it knows; False otherwise (nothing is said)."""
        self.prepare()
        found = self.answerer.answer(self.pack, question, ctx.lang)
        ctx.rail_log.append(
            {
                "rail": "knowledge",
                "action": "answer" if found.known else "unknown",
                "reason": f"{found.confidence:.2f}",
            }
        )
        if not found.known:
            return False
        ctx.replies.append(OutgoingMessage(found.text, ctx.lang, citations=found.citations, meta=found.meta))
        return True


def ingest_bank_documents(knowledge: Any, pack: str) -> bool:
    """The bank's documents into the pack's knowledge (unchanged documents are a no-op). False when they
    cannot be ingested now: the app still starts, and the next question tries again."""
    path = tau_banking_dir() / DOCS_FILE
    if not path.is_file():
        log.warning("finance knowledge not found at %s (set KEFU_TAU_BANKING_DIR)", path)
        return True  # nothing to retry
    try:
        report = knowledge.ingest_path(pack, path)
    except KefuError as exc:
        log.warning("finance knowledge not ingested: %s", exc.message)
        return False
    except Exception as exc:  # a storage failure of any adapter: the app still starts
        log.warning("finance knowledge not ingested (will retry): %s", exc)
        return False
    for error in report.errors:
        log.warning("finance knowledge: %s", error)
    return True


def finance_questions(knowledge: Any, pack: str) -> FinanceQuestions | None:
    if knowledge is None:
        return None
    encoder = knowledge.encoder() if hasattr(knowledge, "encoder") else None
    answerer = KnowledgeAnswerer(knowledge, encoder, screen=lambda text: screen_passage(text).attack)
    questions = FinanceQuestions(answerer, pack, prepare=lambda: ingest_bank_documents(knowledge, pack))
    questions.prepare()
    return questions
