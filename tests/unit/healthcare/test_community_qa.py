"""The community Q&A as a second source: only similar questions, never an answer that prescribes."""

from __future__ import annotations

import csv

import pytest

from kefu.guard.compliance import rule_book
from kefu.packs.healthcare.community import CommunityQA, community
from kefu.packs.healthcare.triage import labelled_csv


@pytest.fixture(scope="module")
def qa() -> CommunityQA:
    found = community()
    if found is None:
        pytest.fail(f"the Chinese medical Q&A is not at {labelled_csv()} (set KEFU_MEDICAL_QA)")
    return found


def test_shown_answers_never_diagnose_or_prescribe(qa: CommunityQA) -> None:
    with labelled_csv().open(encoding="utf-8", newline="") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)][:300:3]
    book = rule_book("healthcare")
    shown = [a for a in (qa.find(t) for t in titles) if a is not None]
    assert shown, "some community answers are safe to show"
    for answer in shown:
        assert answer.similarity >= 0.55
        assert all(h.rule.startswith("disclaimer.") for h in book.assess(answer.answer, "zh").hits), answer


def test_unrelated_questions_find_nothing(qa: CommunityQA) -> None:
    assert qa.find("我的快递到哪里了") is None


def test_an_answer_that_names_a_dose_is_skipped() -> None:
    qa = CommunityQA([("头痛怎么办 头痛", "每天三次，每次服用布洛芬200mg。", "神经科")])
    assert qa.find("头痛怎么办") is None
    safe = CommunityQA([("头痛怎么办 头痛", "注意休息，保证睡眠，必要时到神经内科就诊。", "神经科")])
    found = safe.find("头痛怎么办")
    assert found is not None and "神经内科" in found.answer
