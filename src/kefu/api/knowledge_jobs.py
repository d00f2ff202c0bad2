"""Large knowledge uploads as jobs: ``POST /v1/knowledge/documents/upload`` answers ``202`` with a job for
files over ``BACKGROUND_BYTES`` (or with ``?background=true``), and ``GET /v1/knowledge/jobs/{id}``
reports its progress (``queued → parsing → indexing → done | failed``). Jobs live in the worker that took
the upload (ask that worker; they are forgotten ``KEEP_S`` after they end)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from kefu.api.agents import AgentDep
from kefu.api.conversations import ERRORS
from kefu.domain.errors import Forbidden, KefuError, NotFound

BACKGROUND_BYTES = 1024 * 1024
KEEP_S = 3600.0
router = APIRouter(tags=["knowledge"])  # included by kefu.api.knowledge under /v1/knowledge


@dataclass
class Job:
    id: str
    pack: str
    name: str
    size: int
    status: str = "queued"
    created_at: float = field(default_factory=time.time)
    ended_at: float | None = None
    result: dict[str, Any] | None = None
    error: str | None = None

    def json(self) -> dict[str, Any]:
        progress = {"queued": 0.0, "parsing": 0.1, "indexing": 0.5, "done": 1.0, "failed": 1.0}[self.status]
        return {
            "id": self.id,
            "pack": self.pack,
            "file": self.name,
            "bytes": self.size,
            "status": self.status,
            "progress": progress,
            "elapsed_s": round((self.ended_at or time.time()) - self.created_at, 2),
            "result": self.result,
            "error": self.error,
        }


@dataclass
class Jobs:
    jobs: dict[str, Job] = field(default_factory=dict)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def start(
        self,
        pack: str,
        name: str,
        size: int,
        parse: Callable[[], Any],
        ingest: Callable[[Any], dict[str, Any]],
    ) -> Job:
        job = Job(secrets.token_hex(8), pack, name, size)
        with self.guard:
            now = time.time()
            for old in [j for j in self.jobs.values() if j.ended_at and now - j.ended_at > KEEP_S]:
                del self.jobs[old.id]
            self.jobs[job.id] = job

        def run() -> None:
            try:
                job.status = "parsing"
                drafts = parse()
                job.status = "indexing"
                job.result = ingest(drafts)
                job.status = "done"
            except KefuError as exc:
                job.error, job.status = exc.message, "failed"
            except Exception as exc:  # reported on the job, never lost
                job.error, job.status = f"{type(exc).__name__}: {exc}", "failed"
            finally:
                job.ended_at = time.time()

        threading.Thread(target=run, name=f"kefu-upload-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job:
        found = self.jobs.get(job_id)
        if found is None:
            raise NotFound(f"no upload job {job_id} on this worker")
        return found


def jobs_of(request: Request) -> Jobs:
    state = request.app.state
    if not hasattr(state, "knowledge_jobs"):
        state.knowledge_jobs = Jobs()
    found: Jobs = state.knowledge_jobs
    return found


@router.get("/jobs/{job_id}", responses=ERRORS)
def job_status(
    job_id: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[a-f0-9]+$")],
    request: Request,
    agent: AgentDep,
) -> dict[str, Any]:
    """The progress of a background upload."""
    if agent.role != "admin":
        raise Forbidden("only admins may change the knowledge base")
    return jobs_of(request).get(job_id).json()
