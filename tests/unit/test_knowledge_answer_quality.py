"""Answer-or-abstain quality with the real knowledge base (H1's ``KnowledgeBase`` over an in-memory
store) on our labelled zh+en questions: guards the threshold against changes of the confidence model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kefu.knowledge.answer import KnowledgeAnswerer
from kefu.knowledge.memory import InMemoryKnowledgeStore
from kefu.knowledge.service import KnowledgeBase
from kefu.nlu.encoder import shared_encoder
from kefu.packs.retail.questions import KNOWLEDGE_DIR

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "knowledge_answerable.jsonl"


def answerer_over(path: Path) -> KnowledgeAnswerer:
    kb = KnowledgeBase(InMemoryKnowledgeStore())
    report = kb.ingest_path("retail", path)
    assert not report.errors and report.documents >= 1
    return KnowledgeAnswerer(kb, shared_encoder())


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_labelled_questions_are_answered_or_declined(rows: list[dict[str, Any]]) -> None:
    answerer = answerer_over(KNOWLEDGE_DIR)
    answered = correct = false_answers = 0
    for row in rows:
        reply = answerer.answer("retail", row["query"], row["lang"])
        if not reply.known:
            assert reply.suggestions and not reply.citations
            continue
        answered += 1
        assert reply.citations and all(c.source.endswith(f".{row['lang']}.md") for c in reply.citations)
        if not row["answerable"]:
            false_answers += 1
        elif any(c.title.endswith(row["section"]) for c in reply.citations):
            correct += 1
    answerable = sum(1 for r in rows if r["answerable"])
    assert answerable >= 40 and len(rows) - answerable >= 30
    assert correct / answered >= 0.9, f"precision {correct / answered:.2f}"
    assert correct / answerable >= 0.85, f"recall {correct / answerable:.2f}"
    assert false_answers / (len(rows) - answerable) <= 0.1


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("退款几天到账", "5 to 7 business days"),
        ("已经发货了还能取消订单吗", "cancelled only while it is pending"),
    ],
)
def test_chinese_question_over_english_knowledge_quotes_it_with_a_note(question: str, quoted: str) -> None:
    reply = answerer_over(KNOWLEDGE_DIR / "shop-help.en.md").answer("retail", question, "zh")
    assert reply.known and reply.text.startswith("以下内容来自英文资料：")
    assert quoted in reply.text and reply.citations[0].source == "shop-help.en.md"


def test_unrelated_chinese_question_over_english_knowledge_is_declined() -> None:
    reply = answerer_over(KNOWLEDGE_DIR / "shop-help.en.md").answer("retail", "讲个笑话吧", "zh")
    assert not reply.known and reply.suggestions == ("转人工",)
