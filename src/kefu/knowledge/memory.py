"""An in-process KnowledgeStore: for ``kefu eval retrieval``, benchmarks and tests that need no database."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from kefu.domain.errors import NotFound
from kefu.knowledge.documents import DocumentDraft, DocumentInfo, UpsertResult
from kefu.knowledge.types import Chunk


class InMemoryKnowledgeStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._documents: dict[str, DocumentInfo] = {}
        self._chunks: dict[str, list[Chunk]] = {}
        self._revisions: dict[str, int] = {}

    def upsert(self, pack: str, draft: DocumentDraft) -> UpsertResult:
        with self._lock:
            digest = draft.content_hash
            existing = next(
                (d for d in self._documents.values() if d.pack == pack and d.source == draft.source), None
            )
            if existing is not None and existing.content_hash == digest:
                return UpsertResult(existing, False, self._revisions.get(pack, 0))
            document_id = existing.id if existing else uuid.uuid4().hex
            info = DocumentInfo(
                id=document_id,
                pack=pack,
                source=draft.source,
                title=draft.title,
                lang=draft.lang,
                content_hash=digest,
                chunks=len(draft.chunks),
                updated_at=datetime.now(UTC),
                meta=dict(draft.meta),
            )
            self._documents[document_id] = info
            self._chunks[document_id] = [
                Chunk(
                    id=f"{document_id}:{ordinal}",
                    document_id=document_id,
                    pack=pack,
                    ordinal=ordinal,
                    title=c.title,
                    text=c.text,
                    lang=c.lang,
                    source=draft.source,
                    anchor=c.anchor,
                    meta=dict(draft.meta),
                )
                for ordinal, c in enumerate(draft.chunks)
            ]
            self._revisions[pack] = self._revisions.get(pack, 0) + 1
            return UpsertResult(info, True, self._revisions[pack])

    def upsert_many(self, pack: str, drafts: Sequence[DocumentDraft]) -> list[UpsertResult]:
        return [self.upsert(pack, draft) for draft in drafts]

    def delete(self, pack: str | None, document_id: str) -> DocumentInfo:
        with self._lock:
            info = self._documents.get(document_id)
            if info is None or (pack is not None and info.pack != pack):
                raise NotFound(f"no knowledge document {document_id!r}")
            del self._documents[document_id]
            self._chunks.pop(document_id, None)
            self._revisions[info.pack] = self._revisions.get(info.pack, 0) + 1
            return info

    def document(self, document_id: str) -> DocumentInfo | None:
        with self._lock:
            return self._documents.get(document_id)

    def documents(self, pack: str) -> list[DocumentInfo]:
        with self._lock:
            return sorted((d for d in self._documents.values() if d.pack == pack), key=lambda d: d.source)

    def chunks(self, pack: str) -> list[Chunk]:
        with self._lock:
            ordered = sorted((d for d in self._documents.values() if d.pack == pack), key=lambda d: d.id)
            return [c for d in ordered for c in self._chunks.get(d.id, [])]

    def revision(self, pack: str) -> int:
        with self._lock:
            return self._revisions.get(pack, 0)
