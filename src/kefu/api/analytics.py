"""``GET /v1/analytics/summary``: the manager's figures for a range of days. Admins only."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kefu.analytics.summary import EARLIEST_DAY, LATEST_DAY, AnalyticsSource, Period
from kefu.api.conversations import ERRORS
from kefu.api.deps import BearerDep, ServicesDep
from kefu.domain.errors import Forbidden, InvalidInput, Unauthorized

router = APIRouter(prefix="/v1/analytics", tags=["analytics"])

DEFAULT_DAYS = 30
MAX_DAYS = 366
FALLBACK_TEMPLATES = ("out_of_scope", "knowledge.dont_know")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def require_admin(kefu: ServicesDep, token: BearerDep) -> None:
    """The admin token, or the token of an agent whose role is ``admin``: 401 without one, 403 for agents."""
    if not token:
        raise Unauthorized("missing bearer token: send an admin token as 'Authorization: Bearer …'")
    if kefu.tokens.is_admin(token):
        return
    agent = kefu.handoffs.agent_for_token(token)
    if agent is None:
        raise Unauthorized("unknown token")
    if agent.role != "admin":
        raise Forbidden("analytics are for admins; this token belongs to an agent")


AdminDep = Annotated[None, Depends(require_admin)]


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RankedOut(Out):
    label: str
    count: int


class DurationsOut(Out):
    count: int = Field(description="Handoffs measured")
    average_s: float | None
    p50_s: float | None = Field(description="Median seconds")


class CsatOut(Out):
    rated: int = Field(description="Rated conversations (one rating each: the latest)")
    average: float | None
    distribution: dict[str, int] = Field(description="Score '1'..'5' → rated conversations")
    response_rate: float | None = Field(description="rated / conversations")


class FcrOut(Out):
    resolved: int
    eligible: int = Field(description="Conversations with at least one customer message")
    rate: float | None


class SentimentOut(Out):
    negative: int
    neutral: int
    positive: int
    unscored: int


class DailyOut(Out):
    day: date
    conversations: int = Field(description="Conversations started that day")
    handoffs: int = Field(description="Handoffs of the conversations started that day")


class SummaryOut(Out):
    first_day: date
    last_day: date
    timezone: str
    pack: str | None
    conversations: int
    engaged_conversations: int
    contained: int
    containment_rate: float | None = Field(description="Conversations never handed to a human / all")
    handed_off: int
    handoff_rate: float | None = Field(description="Conversations handed to a human at least once / all")
    handoffs: int
    handoffs_by_reason: list[RankedOut]
    handoffs_by_outcome: dict[str, int]
    wait: DurationsOut = Field(description="Request → claim")
    handle: DurationsOut = Field(description="Claim → end")
    csat: CsatOut
    fcr: FcrOut
    sentiment: SentimentOut = Field(description="Last sentiment score per conversation, ±0.12 neutral band")
    top_actions: list[RankedOut]
    knowledge_gaps: list[RankedOut] = Field(
        description="Customer questions answered with the fallback or the knowledge base's \"I don't know\""
    )
    daily: list[DailyOut]


def parse_day(value: str, name: str) -> date:
    try:
        if not _DAY.match(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"'{name}' must be a date as YYYY-MM-DD, got {value!r}") from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidInput(f"'{name}' must be a day from {EARLIEST_DAY} to {LATEST_DAY}, got {value!r}")
    return day


def period_for(start: str | None, end: str | None, timezone: str) -> Period:
    """Whole days in the business's time zone, both ends included; the last 30 days by default."""
    tz = ZoneInfo(timezone)
    first = parse_day(start, "from") if start else None
    last = parse_day(end, "to") if end else None
    if last is None:
        last = max(datetime.now(tz).date(), first) if first else datetime.now(tz).date()
    if first is None:
        first = last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput(f"'from' ({first}) must not be after 'to' ({last})")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(f"the range is {(last - first).days + 1} days; at most {MAX_DAYS} are allowed")
    return Period(first, last, tz)


def fallback_texts(kefu: ServicesDep, pack: str) -> list[str]:
    """The pack's out-of-scope and don't-know replies in both languages: a bot reply containing one marks a
    knowledge gap (as does a reply flagged ``knowledge_gap`` in its stored meta)."""
    runtime = kefu.conversations.pack(pack)  # unknown pack → 404
    texts = []
    for key in FALLBACK_TEMPLATES:
        for lang in ("zh", "en"):
            try:
                texts.append(runtime.render(key, lang))
            except KeyError:
                continue
    return sorted(set(texts))


@router.get("/summary", response_model=SummaryOut, responses=ERRORS)
async def summary(
    request: Request,
    kefu: ServicesDep,
    _: AdminDep,
    from_: Annotated[
        str | None, Query(alias="from", max_length=32, description="First day, YYYY-MM-DD (included)")
    ] = None,
    to: Annotated[str | None, Query(max_length=32, description="Last day, YYYY-MM-DD (included)")] = None,
    pack: Annotated[
        str | None, Query(pattern=r"^[a-z0-9][a-z0-9_\-]{0,63}$", description="Only this pack")
    ] = None,
) -> SummaryOut:
    """Figures of the conversations that started from ``from`` to ``to`` (whole days in the configured
    time zone; default the last 30 days). See ``kefu.analytics.summary.summarize`` for each definition."""
    settings = request.app.state.settings
    period = period_for(from_, to, settings.timezone)
    texts = await anyio.to_thread.run_sync(fallback_texts, kefu, pack or settings.default_pack)
    source: AnalyticsSource = request.app.state.analytics
    result = await anyio.to_thread.run_sync(source.summary, period, pack, texts)
    return SummaryOut.model_validate(result)
