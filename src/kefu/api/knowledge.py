"""Knowledge endpoints: admins load and remove documents; agents and admins search a pack."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, File, Form, Path, Query, Request, Response, UploadFile
from pydantic import Field

from kefu.api.agents import AgentDep
from kefu.api.conversations import ERRORS
from kefu.api.deps import ServicesDep
from kefu.api.knowledge_jobs import BACKGROUND_BYTES, jobs_of
from kefu.api.knowledge_jobs import router as jobs_router
from kefu.api.schemas import Strict
from kefu.domain.errors import Forbidden, InvalidInput, StoreUnavailable
from kefu.engine.ports import Agent
from kefu.knowledge.documents import DocumentInfo
from kefu.knowledge.formats import MAX_FILE_BYTES
from kefu.knowledge.service import KnowledgeBase, check_pack
from kefu.knowledge.types import Hit

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"])
router.include_router(jobs_router)  # GET /v1/knowledge/jobs/{id}: background uploads
PackName = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
Format = Literal["md", "html", "txt", "pdf", "faq_csv", "faq_yaml", "faq_jsonl", "jsonl"]


class DocumentIn(Strict):
    pack: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    source: str = Field(min_length=1, max_length=512, description="Path, URL or id; re-posting it replaces")
    title: str | None = Field(default=None, max_length=512)
    content: str | None = Field(default=None, min_length=1, max_length=20_000_000)
    content_base64: str | None = Field(
        default=None, min_length=1, max_length=28_000_000, description="Binary files such as PDF"
    )
    format: Format = "md"
    lang: Literal["zh", "en"] | None = None


def _knowledge(kefu: Any) -> KnowledgeBase:
    found: KnowledgeBase | None = getattr(kefu, "knowledge", None)
    if found is None:
        raise StoreUnavailable("the knowledge base is not configured")
    return found


def _admin(agent: Agent) -> None:
    if agent.role != "admin":
        raise Forbidden("only admins may change the knowledge base")


def document_json(info: DocumentInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "pack": info.pack,
        "source": info.source,
        "title": info.title,
        "lang": info.lang,
        "chunks": info.chunks,
        "content_hash": info.content_hash,
        "updated_at": info.updated_at.isoformat(),
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    chunk = hit.chunk
    return {
        "chunk_id": chunk.id,
        "document_id": chunk.document_id,
        "title": chunk.title,
        "text": chunk.text,
        "source": chunk.source,
        "anchor": chunk.anchor,
        "lang": chunk.lang,
        "score": round(hit.score, 6),
        "confidence": round(hit.confidence, 4),
    }


@router.post("/documents", status_code=201, responses=ERRORS)
def add_document(body: DocumentIn, agent: AgentDep, kefu: ServicesDep) -> dict[str, Any]:
    """Add or replace the document ``source`` of ``pack`` (same content again changes nothing)."""
    _admin(agent)
    knowledge = _knowledge(kefu)
    if (body.content is None) == (body.content_base64 is None):
        raise InvalidInput("give exactly one of content (text) or content_base64 (binary, e.g. PDF)")
    if body.content_base64 is not None:
        try:
            data = base64.b64decode(body.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput("content_base64 is not valid base64") from exc
        from kefu.knowledge.formats import parse_bytes

        drafts = parse_bytes(data, body.source, body.format, body.source, body.lang, body.title)
        results = knowledge.ingest(body.pack, drafts)
    else:
        if body.format == "pdf":
            raise InvalidInput("a PDF must be sent as content_base64")
        assert body.content is not None
        results = knowledge.add_content(
            body.pack, body.source, body.content, body.format, body.title, body.lang
        )
    return {
        "documents": [document_json(r.document) | {"changed": r.changed} for r in results],
        "revision": max(r.revision for r in results),
    }


@router.post("/documents/upload", status_code=201, responses={**ERRORS, 202: {"description": "A job"}})
async def upload_document(
    request: Request,
    response: Response,
    agent: AgentDep,
    kefu: ServicesDep,
    pack: Annotated[str, Form(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")],
    file: Annotated[UploadFile, File(description="md, html, txt, pdf, csv/yaml/jsonl FAQ, jsonl")],
    source: Annotated[str | None, Form(max_length=512)] = None,
    title: Annotated[str | None, Form(max_length=512)] = None,
    format: Annotated[Format | None, Form()] = None,
    lang: Annotated[Literal["zh", "en"] | None, Form()] = None,
    background: Annotated[bool | None, Query(description="Run as a job (default: over 1 MiB)")] = None,
) -> dict[str, Any]:
    """The same as ``POST /documents``, as a file upload (multipart/form-data); the format follows the
    file name's suffix unless given. ``source`` defaults to the file name. A large file (or
    ``background=true``) becomes a job: ``202 {"job": …}``, progress at ``GET /v1/knowledge/jobs/{id}``."""
    _admin(agent)
    knowledge = _knowledge(kefu)
    name = (file.filename or "").strip()
    if not name and format is None:
        raise InvalidInput("the uploaded file needs a name with a known suffix, or give format")
    data = await file.read(MAX_FILE_BYTES + 1)  # parse_bytes refuses anything over the limit
    from kefu.knowledge.formats import parse_bytes

    def parse() -> Any:
        return parse_bytes(data, name or "upload", format, source or name or "upload", lang, title)

    def ingest(drafts: Any) -> dict[str, Any]:
        results = knowledge.ingest(pack, drafts)
        return {
            "documents": [document_json(r.document) | {"changed": r.changed} for r in results],
            "revision": max(r.revision for r in results),
        }

    if background or (background is None and len(data) > BACKGROUND_BYTES):
        check_pack(pack)
        response.status_code = 202
        return {"job": jobs_of(request).start(pack, name or "upload", len(data), parse, ingest).json()}
    drafts = await anyio.to_thread.run_sync(parse)
    return await anyio.to_thread.run_sync(ingest, drafts)


@router.get("/documents", responses=ERRORS)
def list_documents(pack: PackName, agent: AgentDep, kefu: ServicesDep) -> dict[str, Any]:
    _admin(agent)
    return {"documents": [document_json(d) for d in _knowledge(kefu).documents(pack)]}


@router.delete("/documents/{document_id}", responses=ERRORS)
def delete_document(
    document_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")],
    agent: AgentDep,
    kefu: ServicesDep,
) -> dict[str, Any]:
    _admin(agent)
    info = _knowledge(kefu).delete(document_id)
    return {"deleted": document_json(info)}


@router.get("/search", responses=ERRORS)
def search(
    pack: PackName,
    q: Annotated[str, Query(min_length=1, max_length=2000)],
    agent: AgentDep,
    kefu: ServicesDep,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> dict[str, Any]:
    """The best ``k`` passages of ``pack`` for ``q`` (Chinese or English), with calibrated confidence."""
    hits = _knowledge(kefu).search(pack, q, k)
    return {"pack": pack, "query": q, "hits": [hit_json(h) for h in hits]}
