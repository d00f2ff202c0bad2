"""The SQL knowledge store on SQLite and PostgreSQL: upsert by (pack, source), revisions, isolation."""

from __future__ import annotations

import pytest

from kefu.domain.errors import InvalidInput, NotFound
from kefu.knowledge.documents import ChunkDraft, DocumentDraft
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.knowledge import SqlKnowledgeStore


def draft(source: str, *texts: str, title: str = "Doc") -> DocumentDraft:
    chunks = tuple(ChunkDraft(f"{title} › {i}", text, "en", f"s{i}") for i, text in enumerate(texts))
    return DocumentDraft(source, title, "en", chunks, {"format": "md"})


@pytest.fixture
def store(database_url: str) -> SqlKnowledgeStore:
    engine = make_engine(database_url)
    upgrade(engine)
    return SqlKnowledgeStore(engine)


def test_upsert_is_idempotent_and_replaces_changed_documents(store: SqlKnowledgeStore) -> None:
    assert store.revision("shop") == 0
    first = store.upsert("shop", draft("a.md", "one", "two"))
    assert first.changed and first.revision == 1 and first.document.chunks == 2
    same = store.upsert("shop", draft("a.md", "one", "two"))
    assert not same.changed and same.revision == 1 and same.document.id == first.document.id
    changed = store.upsert("shop", draft("a.md", "uno"))
    assert changed.changed and changed.revision == 2 and changed.document.id == first.document.id
    chunks = store.chunks("shop")
    assert [(c.text, c.ordinal, c.anchor, c.source) for c in chunks] == [("uno", 0, "s0", "a.md")]
    assert chunks[0].id == f"{first.document.id}:0" and chunks[0].meta == {"format": "md"}


def test_upsert_many_is_one_change(store: SqlKnowledgeStore) -> None:
    results = store.upsert_many("shop", [draft("a.md", "one"), draft("b.md", "two")])
    assert [r.revision for r in results] == [1, 1]
    assert [d.source for d in store.documents("shop")] == ["a.md", "b.md"]


def test_delete_removes_chunks_and_bumps_the_revision(store: SqlKnowledgeStore) -> None:
    kept = store.upsert("shop", draft("a.md", "one")).document
    gone = store.upsert("shop", draft("b.md", "two", "three")).document
    assert store.delete("shop", gone.id).chunks == 2
    assert store.revision("shop") == 3
    assert [c.document_id for c in store.chunks("shop")] == [kept.id]
    assert store.document(gone.id) is None and store.document(kept.id) is not None
    with pytest.raises(NotFound):
        store.delete("shop", gone.id)


def test_packs_are_isolated(store: SqlKnowledgeStore) -> None:
    mine = store.upsert("shop", draft("a.md", "mine")).document
    theirs = store.upsert("other", draft("a.md", "theirs")).document
    assert mine.id != theirs.id
    assert [c.text for c in store.chunks("shop")] == ["mine"]
    assert [c.text for c in store.chunks("other")] == ["theirs"]
    assert (store.revision("shop"), store.revision("other"), store.revision("none")) == (1, 1, 0)
    with pytest.raises(NotFound):
        store.delete("shop", theirs.id)
    assert [d.source for d in store.documents("other")] == ["a.md"]


def test_bad_source_stores_nothing(store: SqlKnowledgeStore) -> None:
    with pytest.raises(InvalidInput):
        store.upsert_many("shop", [draft("a.md", "ok"), draft("x" * 600, "too long")])
    assert store.documents("shop") == [] and store.revision("shop") == 0
