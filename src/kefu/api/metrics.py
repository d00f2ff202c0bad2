"""Prometheus metrics: ``GET /metrics`` and the observer that counts turns.

Each app keeps its own ``CollectorRegistry`` on ``app.state.metrics`` (several apps in one process, as in
the tests, never share counters). ``KefuMetrics`` is a ``TurnObserver`` of the conversation service, so
turns are counted whatever the channel (REST, WebSocket, CLI), and idempotent replays are not.

- ``kefu_turns_total{pack}`` and ``kefu_turn_seconds{pack}``: customer turns that ran, and how long each
  took under the conversation's lock (understanding, decision, tools, storing, pushing).
- ``kefu_handoffs_total{pack,reason}``: turns that asked for a human.
- ``kefu_queue_waiting``: unclaimed handoffs, read from the database at scrape time (every worker reports
  the same shared figure: aggregate it with ``max``, not ``sum``).
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from kefu.api.deps import ServicesDep
from kefu.engine.conversations import TurnResult

TURN_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

router = APIRouter(tags=["health"])


class KefuMetrics:
    """The metrics of one app, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.turns = Counter("kefu_turns_total", "Customer turns that ran", ["pack"], registry=self.registry)
        self.turn_seconds = Histogram(
            "kefu_turn_seconds",
            "Seconds to run one customer turn",
            ["pack"],
            buckets=TURN_BUCKETS,
            registry=self.registry,
        )
        self.handoffs = Counter(
            "kefu_handoffs_total",
            "Handoffs to a human requested by a turn",
            ["pack", "reason"],
            registry=self.registry,
        )
        self.queue_waiting = Gauge(
            "kefu_queue_waiting",
            "Conversations waiting for a human (unclaimed handoffs)",
            registry=self.registry,
        )

    def turn_completed(self, result: TurnResult, seconds: float) -> None:
        self.turns.labels(pack=result.pack).inc()
        self.turn_seconds.labels(pack=result.pack).observe(seconds)
        if result.handoff_reason:
            self.handoffs.labels(pack=result.pack, reason=result.handoff_reason).inc()


def metrics_of(app: Any) -> KefuMetrics:
    found: KefuMetrics = app.state.metrics
    return found


@router.get("/metrics", include_in_schema=False)
async def prometheus(request: Request, kefu: ServicesDep) -> Response:
    """Prometheus text exposition format."""
    metrics = metrics_of(request.app)
    waiting = await anyio.to_thread.run_sync(kefu.handoffs.waiting)
    metrics.queue_waiting.set(len(waiting))
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
