"""Issue #16, item 7: a knowledge change never stalls a customer's search. A worker that has to build the
new index does it in the background and answers from the previous one until it is ready."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kefu.knowledge.service import KnowledgeBase
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.knowledge import SqlKnowledgeStore

POLICIES = "# Store policies\n\nGift cards expire after one year. Returns are accepted within 30 days."
NEW = "# Gift cards\n\nGift cards never expire, whatever the old policy said."
BUILD_S = 1.5


class SlowEncoder:
    """The real shared encoder; encoding the new passage takes ``BUILD_S`` (a large rebuild)."""

    def __init__(self) -> None:
        from kefu.nlu.encoder import shared_encoder

        self.inner = shared_encoder()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if any("never expire" in t for t in texts):
            time.sleep(BUILD_S)
        return self.inner.encode(texts, batch_size)


def test_a_worker_keeps_serving_the_previous_index_while_it_rebuilds(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/kb.db")
    upgrade(engine)
    slow = SlowEncoder()
    writer = KnowledgeBase(SqlKnowledgeStore(engine), encoder=lambda: slow)  # no shared cache: each builds
    reader = KnowledgeBase(SqlKnowledgeStore(engine), encoder=lambda: slow, check_interval_s=0.0)
    writer.add_content("shop", "policies.md", POLICIES, "md")
    assert reader.search("shop", "do gift cards expire", 1)[0].chunk.source == "policies.md"

    writer.add_content("shop", "gift.md", NEW, "md")  # the writer's own call pays for its rebuild
    started = time.monotonic()
    during = reader.search("shop", "do gift cards expire", 1)
    assert time.monotonic() - started < BUILD_S / 2  # the customer did not wait for the rebuild
    assert during[0].chunk.source == "policies.md"  # the previous index answered

    deadline = time.monotonic() + 30
    while reader.search("shop", "gift cards never expire", 1)[0].chunk.source != "gift.md":
        assert time.monotonic() < deadline, "the background rebuild never landed"
        time.sleep(0.1)
    assert reader.builds == 2


def test_searches_during_the_writers_rebuild_use_the_previous_index(tmp_path: Path) -> None:
    import threading

    engine = make_engine(f"sqlite:///{tmp_path}/kb.db")
    upgrade(engine)
    slow = SlowEncoder()
    kb = KnowledgeBase(SqlKnowledgeStore(engine), encoder=lambda: slow, check_interval_s=0.0)
    kb.add_content("shop", "policies.md", POLICIES, "md")
    writing = threading.Thread(target=kb.add_content, args=("shop", "gift.md", NEW, "md"))
    writing.start()
    time.sleep(0.3)  # the writer is building
    started = time.monotonic()
    assert kb.search("shop", "do gift cards expire", 1)[0].chunk.source == "policies.md"
    assert time.monotonic() - started < BUILD_S / 2
    writing.join()
    assert kb.search("shop", "gift cards never expire", 1)[0].chunk.source == "gift.md"
