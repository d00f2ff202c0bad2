"""Hybrid search: cross-lingual hits, persistence of the built index, reloads on change, pack isolation."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from kefu.domain.errors import InvalidInput, NotFound
from kefu.knowledge.memory import InMemoryKnowledgeStore
from kefu.knowledge.service import KnowledgeBase
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.knowledge import SqlKnowledgeStore

ENGLISH = """# Store policies

## Refund timing

Refunds are returned to the original payment method within 5 business days after we receive the item.

## Return shipping fee

Return shipping is free when the item is defective; otherwise 10 yuan is deducted from the refund.

## Warranty

Electronics carry a one-year warranty against manufacturing defects.
"""
CHINESE = """# 会员说明

## 积分规则

每消费1元积1分，100积分可抵扣1元现金。

## 发票

下单后可在订单详情页申请电子发票，三个工作日内发送到邮箱。

## 营业时间

客服在线时间为每天早上九点到晚上九点。
"""


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    base = KnowledgeBase(InMemoryKnowledgeStore(), cache_dir=tmp_path / "cache")
    base.add_content("shop", "policies.md", ENGLISH, "md")
    base.add_content("shop", "会员.md", CHINESE, "md")
    return base


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("How long until I get my refund?", "Store policies › Refund timing"),
        ("退款多久能到账？", "Store policies › Refund timing"),  # zh question, en passage
        ("退货运费谁出？", "Store policies › Return shipping fee"),
        ("电子产品保修多久", "Store policies › Warranty"),
        ("How do I get an invoice?", "会员说明 › 发票"),  # en question, zh passage
        ("What are your opening hours?", "会员说明 › 营业时间"),
        ("积分怎么抵扣现金", "会员说明 › 积分规则"),
    ],
)
def test_bilingual_and_cross_lingual_search(kb: KnowledgeBase, query: str, title: str) -> None:
    hits = kb.search("shop", query, k=3)
    assert hits[0].chunk.title == title, [h.chunk.title for h in hits]
    assert hits[0].score >= hits[1].score and 0.0 <= hits[0].confidence <= 1.0


def test_confidence_is_higher_for_answerable_questions(kb: KnowledgeBase) -> None:
    answerable = kb.search("shop", "How many days does a refund take?", 1)[0].confidence
    unrelated = kb.search("shop", "Can I bring my dog to the stadium concert?", 1)[0].confidence
    assert answerable > unrelated


def test_packs_are_isolated(kb: KnowledgeBase) -> None:
    kb.add_content("other", "secret.md", "# Secret\n\n## Refunds\n\nOther shop refunds in 30 days.", "md")
    assert all(h.chunk.pack == "shop" for h in kb.search("shop", "refund days", 10))
    assert {h.chunk.source for h in kb.search("other", "refund", 10)} == {"secret.md"}
    assert kb.search("nobody", "refund", 5) == []
    shop_doc = kb.documents("shop")[0]
    with pytest.raises(NotFound):
        kb.delete(shop_doc.id, pack="other")


def test_changes_are_searchable_at_once_and_deletes_disappear(kb: KnowledgeBase) -> None:
    kb.add_content("shop", "policies.md", ENGLISH.replace("5 business days", "3 business days"), "md")
    assert "3 business days" in kb.search("shop", "refund business days", 1)[0].chunk.text
    for document in kb.documents("shop"):
        kb.delete(document.id)
    assert kb.search("shop", "refund", 5) == []


def test_the_built_index_is_cached_and_loaded_on_restart(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/kb.db")
    upgrade(engine)
    first = KnowledgeBase(SqlKnowledgeStore(engine), cache_dir=tmp_path / "cache")
    first.add_content("shop", "policies.md", ENGLISH, "md")
    expected = [h.chunk.id for h in first.search("shop", "warranty", 3)]
    assert (first.builds, first.loads) == (1, 0)
    restarted = KnowledgeBase(SqlKnowledgeStore(engine), cache_dir=tmp_path / "cache")
    assert [h.chunk.id for h in restarted.search("shop", "warranty", 3)] == expected
    assert (restarted.builds, restarted.loads) == (0, 1)
    restarted.add_content("shop", "more.md", "# Gift cards\n\nGift cards never expire.", "md")
    restarted.search("shop", "gift card", 1)
    assert restarted.builds == 1  # content changed: rebuilt (reusing the vectors of unchanged passages)
    assert len(list((tmp_path / "cache" / "shop").iterdir())) == 1  # the stale build was removed


def test_another_worker_notices_a_change_without_restart(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/kb.db")
    upgrade(engine)
    writer = KnowledgeBase(SqlKnowledgeStore(engine), cache_dir=tmp_path / "cache")
    reader = KnowledgeBase(SqlKnowledgeStore(engine), cache_dir=tmp_path / "cache", check_interval_s=0.0)
    writer.add_content("shop", "policies.md", ENGLISH, "md")
    assert reader.search("shop", "gift cards expire", 1)[0].chunk.source == "policies.md"
    writer.add_content("shop", "gift.md", "# Gift cards\n\nGift cards never expire.", "md")
    assert reader.search("shop", "gift cards expire", 1)[0].chunk.source == "gift.md"
    writer.delete(writer.documents("shop")[0].id)
    assert {h.chunk.source for h in reader.search("shop", "gift cards expire", 5)} == {"policies.md"}


def test_bad_search_arguments(kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidInput):
        kb.search("shop", "refund", 0)
    with pytest.raises(InvalidInput):
        kb.search("bad pack!", "refund", 3)
    assert kb.search("shop", "   ", 3) == []


class CountingEncoder:
    """The real shared encoder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        from kefu.nlu.encoder import shared_encoder

        self.inner = shared_encoder()
        self.encoded = 0

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.encoded += len(texts)
        return self.inner.encode(texts, batch_size)


def test_a_restarted_worker_reencodes_only_changed_passages(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/kb.db")
    upgrade(engine)
    store = SqlKnowledgeStore(engine)
    first_encoder = CountingEncoder()
    first = KnowledgeBase(store, cache_dir=tmp_path / "cache", encoder=lambda: first_encoder)
    first.add_content("shop", "policies.md", ENGLISH, "md")
    first.search("shop", "warranty", 1)
    assert first_encoder.encoded == 3 + 1  # three passages, one question
    KnowledgeBase(store).add_content("shop", "gift.md", "# Gift cards\n\nGift cards never expire.", "md")
    later_encoder = CountingEncoder()
    later = KnowledgeBase(store, cache_dir=tmp_path / "cache", encoder=lambda: later_encoder)
    assert later.search("shop", "gift cards", 1)[0].chunk.source == "gift.md"
    assert later_encoder.encoded == 1 + 1  # only the new passage (the others come from the saved build)
