"""A bare FastAPI app with ``POST /echo``: the floor for HTTP + JSON overhead on this machine.

Served by ``benchmarks/turn_latency.py`` with ``uvicorn --app-dir benchmarks echo_app:app`` so that it
runs on the same uvicorn stack (uvloop, httptools, access log) as ``kefu serve``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="echo")


class EchoIn(BaseModel):
    text: str
    client_msg_id: str | None = None


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/echo")
async def echo(body: EchoIn) -> dict[str, Any]:
    return {"messages": [{"text": body.text}], "status": "bot"}
