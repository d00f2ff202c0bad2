"""The knowledge store in SQL: documents, their chunks and each pack's revision (tables knowledge_*).

Every write is one transaction that also bumps the pack's revision, so a worker that sees the new
revision also sees the new chunks. Every query is scoped to one pack."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kefu.domain.errors import Conflict, InvalidInput, NotFound
from kefu.knowledge.documents import DocumentDraft, DocumentInfo, UpsertResult
from kefu.knowledge.types import Chunk
from kefu.store.sql.schema import KnowledgeChunkRow, KnowledgeDocumentRow, KnowledgePackRow

MAX_SOURCE = 512


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _info(row: KnowledgeDocumentRow, chunks: int) -> DocumentInfo:
    return DocumentInfo(
        id=row.id,
        pack=row.pack,
        source=row.source,
        title=row.title,
        lang=row.lang,
        content_hash=row.content_hash,
        chunks=chunks,
        updated_at=_utc(row.updated_at),
        meta={str(k): str(v) for k, v in (row.meta or {}).items()},
    )


class SqlKnowledgeStore:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # -- writes --------------------------------------------------------------------------------
    def upsert(self, pack: str, draft: DocumentDraft) -> UpsertResult:
        return self.upsert_many(pack, [draft])[0]

    def upsert_many(self, pack: str, drafts: Sequence[DocumentDraft]) -> list[UpsertResult]:
        """Store several documents in one transaction (all or nothing), bumping the revision once."""
        for draft in drafts:
            if not draft.source or len(draft.source) > MAX_SOURCE:
                raise InvalidInput(
                    f"a document source must have 1 to {MAX_SOURCE} characters: {draft.source!r}"
                )
        for attempt in range(3):
            try:
                return self._upsert_many(pack, drafts)
            except IntegrityError as exc:  # a concurrent writer created the same source or pack row
                if attempt == 2:
                    raise Conflict(f"concurrent changes to pack {pack!r}; try again") from exc
        raise AssertionError("unreachable")

    def _upsert_many(self, pack: str, drafts: Sequence[DocumentDraft]) -> list[UpsertResult]:
        now = datetime.now(UTC)
        results: list[tuple[DocumentInfo, bool]] = []
        with self._sessions() as session, session.begin():
            changed_any = False
            for draft in drafts:
                digest = draft.content_hash
                row = session.scalar(
                    select(KnowledgeDocumentRow).where(
                        KnowledgeDocumentRow.pack == pack, KnowledgeDocumentRow.source == draft.source
                    )
                )
                if row is not None and row.content_hash == digest:
                    results.append((_info(row, self._count(session, row.id)), False))
                    continue
                if row is None:
                    row = KnowledgeDocumentRow(id=uuid.uuid4().hex, pack=pack, source=draft.source)
                    session.add(row)
                else:
                    session.execute(delete(KnowledgeChunkRow).where(KnowledgeChunkRow.document_id == row.id))
                row.title = draft.title[:512]
                row.lang = draft.lang[:8]
                row.content_hash = digest
                row.meta = dict(draft.meta)
                row.updated_at = now
                session.flush()
                session.add_all(
                    KnowledgeChunkRow(
                        id=f"{row.id}:{ordinal}",
                        document_id=row.id,
                        pack=pack,
                        ordinal=ordinal,
                        title=chunk.title[:512],
                        anchor=chunk.anchor[:255] if chunk.anchor else None,
                        lang=chunk.lang[:8],
                        text=chunk.text,
                    )
                    for ordinal, chunk in enumerate(draft.chunks)
                )
                results.append((_info(row, len(draft.chunks)), True))
                changed_any = True
            revision = self._bump(session, pack, now) if changed_any else self._revision(session, pack)
        return [UpsertResult(info, changed, revision) for info, changed in results]

    def delete(self, pack: str | None, document_id: str) -> DocumentInfo:
        with self._sessions() as session, session.begin():
            row = session.get(KnowledgeDocumentRow, document_id)
            if row is None or (pack is not None and row.pack != pack):
                raise NotFound(f"no knowledge document {document_id!r}")
            info = _info(row, self._count(session, row.id))
            session.execute(delete(KnowledgeChunkRow).where(KnowledgeChunkRow.document_id == row.id))
            session.delete(row)
            self._bump(session, info.pack, datetime.now(UTC))
        return info

    # -- reads ---------------------------------------------------------------------------------
    def document(self, document_id: str) -> DocumentInfo | None:
        with self._sessions() as session:
            row = session.get(KnowledgeDocumentRow, document_id)
            return _info(row, self._count(session, row.id)) if row is not None else None

    def documents(self, pack: str) -> list[DocumentInfo]:
        with self._sessions() as session:
            counts = dict(
                session.execute(
                    select(KnowledgeChunkRow.document_id, func.count())
                    .where(KnowledgeChunkRow.pack == pack)
                    .group_by(KnowledgeChunkRow.document_id)
                ).all()
            )
            rows = session.scalars(
                select(KnowledgeDocumentRow)
                .where(KnowledgeDocumentRow.pack == pack)
                .order_by(KnowledgeDocumentRow.source)
            ).all()
            return [_info(row, int(counts.get(row.id, 0))) for row in rows]

    def chunks(self, pack: str) -> list[Chunk]:
        with self._sessions() as session:
            documents = {
                row.id: row
                for row in session.scalars(
                    select(KnowledgeDocumentRow).where(KnowledgeDocumentRow.pack == pack)
                )
            }
            rows = session.scalars(
                select(KnowledgeChunkRow)
                .where(KnowledgeChunkRow.pack == pack)
                .order_by(KnowledgeChunkRow.document_id, KnowledgeChunkRow.ordinal)
            ).all()
            chunks = []
            for row in rows:
                document = documents.get(row.document_id)
                if document is None:
                    continue
                chunks.append(
                    Chunk(
                        id=row.id,
                        document_id=row.document_id,
                        pack=row.pack,
                        ordinal=row.ordinal,
                        title=row.title,
                        text=row.text,
                        lang=row.lang,
                        source=document.source,
                        anchor=row.anchor,
                        meta={str(k): str(v) for k, v in (document.meta or {}).items()},
                    )
                )
            return chunks

    def revision(self, pack: str) -> int:
        with self._sessions() as session:
            return self._revision(session, pack)

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _count(session: Session, document_id: str) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(KnowledgeChunkRow)
                .where(KnowledgeChunkRow.document_id == document_id)
            )
            or 0
        )

    @staticmethod
    def _revision(session: Session, pack: str) -> int:
        return int(
            session.scalar(select(KnowledgePackRow.revision).where(KnowledgePackRow.pack == pack)) or 0
        )

    @staticmethod
    def _bump(session: Session, pack: str, now: datetime) -> int:
        bumped = session.execute(
            update(KnowledgePackRow)
            .where(KnowledgePackRow.pack == pack)
            .values(revision=KnowledgePackRow.revision + 1, updated_at=now)
            .returning(KnowledgePackRow.revision)
        ).scalar()
        if bumped is None:
            session.add(KnowledgePackRow(pack=pack, revision=1, updated_at=now))
            session.flush()
            return 1
        return int(bumped)
