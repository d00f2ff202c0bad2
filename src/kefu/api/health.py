"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kefu import __version__
from kefu.api.deps import ServicesDep
from kefu.api.schemas import Health, Ready
from kefu.domain.errors import KefuError

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> dict[str, Any]:
    return {"status": "ok", "version": __version__}


@router.get("/readyz", response_model=Ready, responses={503: {"model": Ready}})
async def readyz(kefu: ServicesDep) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        await anyio.to_thread.run_sync(kefu.conversations.store.ping)
        checks["database"] = "ok"
    except KefuError as exc:
        checks["database"] = exc.message
    for name, probe in kefu.readiness.items():
        try:
            await probe()
            checks[name] = "ok"
        except Exception as exc:  # a readiness probe reports any failure, it never raises
            checks[name] = f"{type(exc).__name__}: {exc}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503
    )
