"""Chunking long sections and tokenising for BM25."""

from __future__ import annotations

from kefu.knowledge.chunking import MAX_CHARS, chunk_sections, split_text
from kefu.knowledge.sections import Parsed, Section, slug
from kefu.knowledge.tokenize import stem, tokens


def test_long_sections_split_on_paragraphs_then_sentences() -> None:
    paragraph = "The refund is issued to the original payment method. " * 12
    text = "\n\n".join([paragraph.strip()] * 5)
    pieces = split_text(text, 1200)
    assert len(pieces) >= 3 and all(len(p) <= 1200 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_chinese_sections_use_the_chinese_limit_and_cut_after_full_stops() -> None:
    sentence = "退款会在收到退货后的五个工作日内原路退回到您的支付账户。"
    parsed = Parsed("退款", (Section(("时效",), sentence * 60, "时效"),))
    chunks = chunk_sections(parsed)
    assert len(chunks) > 1 and all(len(c.text) <= MAX_CHARS["zh"] for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)
    assert {c.title for c in chunks} == {"退款 › 时效"} and {c.anchor for c in chunks} == {"时效"}
    assert {c.lang for c in chunks} == {"zh"}


def test_one_endless_sentence_is_cut_hard() -> None:
    assert [len(p) for p in split_text("x" * 2500, 1000)] == [1000, 1000, 500]


def test_slugs() -> None:
    assert slug("Refund timing (EU)") == "refund-timing-eu"
    assert slug("退款 时效？") == "退款-时效"
    assert slug("???") == "section"


def test_tokens_mix_words_bigrams_and_english_stems() -> None:
    found = tokens("请问退货运费谁承担？Refunds are PROCESSED quickly")
    assert "退货" in found and "运费" in found and "货运" in found  # words and bigrams
    assert "请问" not in found and "谁" not in found and "承担" in found  # single characters only in bigrams
    assert "refund" in found and "process" in found and "are" not in found
    assert tokens("ＲＥＦＵＮＤ") == ["refund"]  # full-width letters are normalised


def test_stemmer_joins_common_forms() -> None:
    assert {stem(w) for w in ("refunds", "refunded", "refunding")} == {"refund"}
    assert stem("policies") == "policy" and stem("shipping") == "ship" and stem("fees") == "fee"
    assert stem("bus") == "bus"
