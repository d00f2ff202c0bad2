"""What ingestion produces and the store keeps: a document draft with its chunks, and the store port."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from kefu.knowledge.types import Chunk


@dataclass(frozen=True)
class ChunkDraft:
    """One passage of a document before it has ids: its heading path (title), anchor, text, language."""

    title: str
    text: str
    lang: str
    anchor: str | None = None


@dataclass(frozen=True)
class DocumentDraft:
    """A parsed document of one ``source`` (a path, URL or id), ready to be stored in a pack."""

    source: str
    title: str
    lang: str
    chunks: tuple[ChunkDraft, ...]
    meta: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def content_hash(self) -> str:
        """Changes exactly when what would be stored changes (title, chunks, metadata)."""
        digest = hashlib.sha256()
        for part in (self.title, self.lang, *sorted(f"{k}={v}" for k, v in self.meta.items())):
            digest.update(part.encode("utf-8") + b"\x00")
        for chunk in self.chunks:
            for part in (chunk.title, chunk.text, chunk.lang, chunk.anchor or ""):
                digest.update(part.encode("utf-8") + b"\x01")
        return digest.hexdigest()


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    pack: str
    source: str
    title: str
    lang: str
    content_hash: str
    chunks: int
    updated_at: datetime
    meta: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class UpsertResult:
    document: DocumentInfo
    changed: bool  # False when the same content was already stored (nothing was written)
    revision: int  # the pack's revision after the call


class KnowledgeStore(Protocol):
    """Where documents and their chunks live (the database is the source of truth).

    Every method is scoped to one pack; a pack's ``revision`` grows on every change."""

    def upsert(self, pack: str, draft: DocumentDraft) -> UpsertResult:
        """Store ``draft`` under (pack, source): unchanged content is a no-op, changed replaces its chunks."""
        ...

    def upsert_many(self, pack: str, drafts: Sequence[DocumentDraft]) -> list[UpsertResult]:
        """Several documents at once, all or nothing (one file of a batch)."""
        ...

    def delete(self, pack: str | None, document_id: str) -> DocumentInfo:
        """Remove a document and its chunks (``NotFound`` if absent or, with ``pack``, in another pack)."""
        ...

    def document(self, document_id: str) -> DocumentInfo | None: ...

    def documents(self, pack: str) -> list[DocumentInfo]: ...

    def chunks(self, pack: str) -> list[Chunk]:
        """All chunks of a pack, ordered by document then ordinal."""
        ...

    def revision(self, pack: str) -> int:
        """The pack's revision (0 when it has never had knowledge). Cheap: one indexed read."""
        ...
