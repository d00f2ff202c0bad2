"""The manager's summary, computed from plain records. No database and no web framework in here.

Every figure is about one *cohort*: the conversations that started in the period (``Period``: whole days
``first``…``last`` in the business's time zone, i.e. the instants ``[start, end)``), optionally of one
pack.  Handoffs, ratings, tool calls and messages count when they belong to a cohort conversation,
whenever they happened, so every rate has the same denominator and the daily series add up to the totals.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol

from kefu.domain.errors import InvalidInput

SENTIMENT_NEUTRAL_BAND = 0.12  # negative < -0.12 ≤ neutral ≤ 0.12 < positive
FOLLOW_UP_WINDOW = timedelta(days=7)
CSAT_SCORES = ("1", "2", "3", "4", "5")
ENDED_IN_BOT = frozenset({"bot", "closed"})
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9000, 12, 31)  # far from datetime's overflow at year 1/9999


@dataclass(frozen=True)
class Period:
    """Whole days ``first``…``last`` (both included) in ``tz``: the instants ``[start, end)``."""

    first: date
    last: date
    tz: tzinfo = UTC

    def __post_init__(self) -> None:
        for day in (self.first, self.last):
            if not EARLIEST_DAY <= day <= LATEST_DAY:
                raise InvalidInput(f"{day} is out of range: days from {EARLIEST_DAY} to {LATEST_DAY} only")
        if self.first > self.last:
            raise InvalidInput(f"'from' ({self.first}) is after 'to' ({self.last})")

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), self.tz)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def day_of(self, moment: datetime) -> date:
        return _aware(moment).astimezone(self.tz).date()

    def contains(self, moment: datetime) -> bool:
        return self.start <= _aware(moment) < self.end


@dataclass(frozen=True)
class ConversationRecord:
    id: str
    pack: str
    status: str  # bot | waiting_human | human | closed
    created_at: datetime
    customer_id: str | None = None
    csat: int | None = None  # conversations.csat: the latest rating
    sentiment_scores: tuple[float, ...] = ()  # state.memory.sentiment_scores, oldest first
    customer_messages: int = 0


@dataclass(frozen=True)
class HandoffRecord:
    conversation_id: str
    reason: str
    requested_at: datetime
    claimed_at: datetime | None = None
    ended_at: datetime | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class FeedbackRecord:
    conversation_id: str
    seq: int
    csat: int


@dataclass(frozen=True)
class ToolCallRecord:
    conversation_id: str
    tool: str


@dataclass(frozen=True)
class MessageRecord:
    conversation_id: str
    seq: int
    role: str  # customer | bot | agent | system
    text: str
    reply_to: int | None = None
    knowledge_gap: bool = False  # a bot reply that said "I don't know" (payload meta ``knowledge_gap``)


@dataclass(frozen=True)
class ContactRecord:
    """Any conversation of a cohort customer, also after the period: what follow-ups are looked up in."""

    conversation_id: str
    customer_id: str
    created_at: datetime


@dataclass(frozen=True)
class Records:
    conversations: Sequence[ConversationRecord]
    handoffs: Sequence[HandoffRecord] = ()
    tool_calls: Sequence[ToolCallRecord] = ()
    feedback: Sequence[FeedbackRecord] = ()
    messages: Sequence[MessageRecord] = ()
    contacts: Sequence[ContactRecord] = ()


@dataclass(frozen=True)
class Ranked:
    label: str
    count: int


@dataclass(frozen=True)
class Durations:
    count: int
    average_s: float | None
    p50_s: float | None  # the median; the mean of the two middle values for an even count


@dataclass(frozen=True)
class Csat:
    rated: int
    average: float | None
    distribution: dict[str, int]  # "1".."5" → rated conversations
    response_rate: float | None  # rated / conversations


@dataclass(frozen=True)
class FirstContactResolution:
    resolved: int
    eligible: int  # conversations with at least one customer message
    rate: float | None


@dataclass(frozen=True)
class SentimentCounts:
    negative: int
    neutral: int
    positive: int
    unscored: int


@dataclass(frozen=True)
class DailyPoint:
    day: date
    conversations: int
    handoffs: int


@dataclass(frozen=True)
class Summary:
    first_day: date
    last_day: date
    timezone: str
    pack: str | None
    conversations: int
    engaged_conversations: int
    contained: int
    containment_rate: float | None
    handed_off: int
    handoff_rate: float | None
    handoffs: int
    handoffs_by_reason: tuple[Ranked, ...]
    handoffs_by_outcome: dict[str, int]
    wait: Durations
    handle: Durations
    csat: Csat
    fcr: FirstContactResolution
    sentiment: SentimentCounts
    top_actions: tuple[Ranked, ...]
    knowledge_gaps: tuple[Ranked, ...]
    daily: tuple[DailyPoint, ...]


class AnalyticsSource(Protocol):
    """What the API asks for; implemented by the SQL adapter."""

    def summary(
        self, period: Period, pack: str | None, fallback_texts: Sequence[str], top_n: int = 10
    ) -> Summary: ...


# -- computation ------------------------------------------------------------------------------------
def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _seconds(earlier: datetime | None, later: datetime | None) -> float | None:
    return None if earlier is None or later is None else (_aware(later) - _aware(earlier)).total_seconds()


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _ranked(counts: Counter[str], top_n: int | None = None) -> tuple[Ranked, ...]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Ranked(label, n) for label, n in ordered[:top_n])


def durations(seconds: Iterable[float]) -> Durations:
    values = [s for s in seconds if math.isfinite(s)]
    if not values:
        return Durations(0, None, None)
    return Durations(len(values), sum(values) / len(values), float(statistics.median(values)))


def sentiment_bucket(score: float) -> str:
    if score < -SENTIMENT_NEUTRAL_BAND:
        return "negative"
    if score > SENTIMENT_NEUTRAL_BAND:
        return "positive"
    return "neutral"


def normalise_question(text: str) -> str:
    """Knowledge-gap key: lower-cased, trimmed, runs of whitespace collapsed to one space."""
    return " ".join(text.split()).lower()


def _sentiment(cohort: Sequence[ConversationRecord]) -> SentimentCounts:
    buckets: Counter[str] = Counter()
    for c in cohort:
        last = c.sentiment_scores[-1] if c.sentiment_scores else None
        buckets[sentiment_bucket(last) if last is not None and math.isfinite(last) else "unscored"] += 1
    return SentimentCounts(buckets["negative"], buckets["neutral"], buckets["positive"], buckets["unscored"])


def _csat(cohort: Sequence[ConversationRecord], feedback: Sequence[FeedbackRecord]) -> Csat:
    """One rating per rated conversation: its latest ``feedback_given`` event (highest seq), or
    ``conversations.csat`` when it has no such event. Ratings outside 1..5 are ignored."""
    latest = {f.conversation_id: f.csat for f in sorted(feedback, key=lambda f: f.seq)}
    rated = (latest.get(c.id, c.csat) for c in cohort)
    scores = [score for score in rated if score is not None and 1 <= score <= 5]
    distribution = {key: sum(1 for score in scores if str(score) == key) for key in CSAT_SCORES}
    average = sum(scores) / len(scores) if scores else None
    return Csat(len(scores), average, distribution, _ratio(len(scores), len(cohort)))


def _fcr(
    cohort: Sequence[ConversationRecord], handed_off: set[str], contacts: Sequence[ContactRecord]
) -> FirstContactResolution:
    """First-contact resolution. A cohort conversation is *resolved at first contact* when all hold:

    1. the customer wrote at least one message in it (conversations nobody wrote in are not eligible);
    2. it was never handed to a human (no handoff record at all, whatever its outcome);
    3. it ended in the bot: its status is ``bot`` or ``closed``;
    4. no follow-up: the same customer (same non-null ``customer_id``) started no other conversation, in
       any pack, after it and at most 7 days after it started. A conversation without a ``customer_id``
       cannot be linked to others and is judged on 1–3 alone.

    ``rate = resolved / eligible``. Conversations younger than 7 days may still get a follow-up later, so
    the figure for the last week is provisional.
    """
    starts: dict[str, dict[str, datetime]] = defaultdict(dict)  # customer → conversation → start
    for c in cohort:
        if c.customer_id is not None:
            starts[c.customer_id][c.id] = _aware(c.created_at)
    for contact in contacts:
        starts[contact.customer_id][contact.conversation_id] = _aware(contact.created_at)

    def followed_up(c: ConversationRecord) -> bool:
        began = _aware(c.created_at)
        later = starts[c.customer_id].items() if c.customer_id is not None else ()
        return any(other != c.id and began < at <= began + FOLLOW_UP_WINDOW for other, at in later)

    eligible = [c for c in cohort if c.customer_messages > 0]
    resolved = [
        c for c in eligible if c.id not in handed_off and c.status in ENDED_IN_BOT and not followed_up(c)
    ]
    return FirstContactResolution(len(resolved), len(eligible), _ratio(len(resolved), len(eligible)))


def knowledge_gaps(
    messages: Sequence[MessageRecord], fallback_texts: Sequence[str], top_n: int = 10
) -> tuple[Ranked, ...]:
    """The customer questions the bot could not answer, most frequent first.

    A customer message is *unanswered* when a bot reply to it is flagged ``knowledge_gap`` (the knowledge
    base's "I don't know") or contains one of ``fallback_texts`` (the pack's out-of-scope and don't-know
    replies in each language; containment, so an empathetic opening before it still counts). A bot
    message replies to the customer message whose seq is its ``reply_to``; without a ``reply_to``, to
    the latest customer message before it. Each unanswered message counts once, keyed
    by ``normalise_question`` (lower-cased, trimmed, whitespace collapsed); ties sort alphabetically.
    """
    fallbacks = [f.strip() for f in fallback_texts if f.strip()]
    if not fallbacks and not any(m.knowledge_gap for m in messages):
        return ()
    by_conversation: dict[str, list[MessageRecord]] = defaultdict(list)
    for m in messages:
        by_conversation[m.conversation_id].append(m)
    counts: Counter[str] = Counter()
    for rows in by_conversation.values():
        rows.sort(key=lambda m: m.seq)
        customer = {m.seq: m for m in rows if m.role == "customer"}
        unanswered: set[int] = set()
        latest: int | None = None
        for m in rows:
            if m.role == "customer":
                latest = m.seq
            elif m.role == "bot" and (m.knowledge_gap or any(f in m.text for f in fallbacks)):
                target = m.reply_to if m.reply_to is not None else latest
                if target in customer:
                    unanswered.add(target)
        for seq in unanswered:
            key = normalise_question(customer[seq].text)
            if key:
                counts[key] += 1
    return _ranked(counts, top_n)


def summarize(
    records: Records,
    period: Period,
    *,
    pack: str | None = None,
    fallback_texts: Sequence[str] = (),
    top_n: int = 10,
) -> Summary:
    """The summary of the conversations that started in ``period`` (of ``pack``, when given).

    - conversations: cohort size; engaged_conversations: those with at least one customer message.
    - handed_off: conversations with at least one handoff record; handoff_rate = handed_off / conversations.
    - contained = conversations - handed_off; containment_rate = contained / conversations.
    - handoffs: handoff records of the cohort; by reason and by outcome (``waiting`` unclaimed and open,
      ``with_agent`` claimed and open, else the stored outcome such as ``returned`` or ``closed``).
    - wait: claimed_at - requested_at over claimed handoffs; handle: ended_at - claimed_at over handoffs
      both claimed and ended. Average and p50 (median), in seconds.
    - csat, fcr: see ``_csat`` and ``_fcr``. sentiment: the last ``sentiment_scores`` value of each
      conversation, negative < -0.12 ≤ neutral ≤ 0.12 < positive; none → unscored.
    - top_actions: ``tool_called`` events by tool, and handoffs as ``handoff:<reason>``, most frequent first.
    - knowledge_gaps: see ``knowledge_gaps``.
    - daily: per day of the period, conversations started and handoffs of the conversations started that
      day (so each day's handoffs / conversations is its handoff rate; the series sum to the totals).
    All rates are None when their denominator is 0.
    """
    cohort = [c for c in records.conversations if period.contains(c.created_at) and pack in (None, c.pack)]
    ids = {c.id for c in cohort}
    handoffs = [h for h in records.handoffs if h.conversation_id in ids]
    handed_off = {h.conversation_id for h in handoffs}
    contained = len(cohort) - len(handed_off)

    outcomes = Counter(
        (h.outcome or "ended") if h.ended_at else ("waiting" if h.claimed_at is None else "with_agent")
        for h in handoffs
    )
    wait = durations(s for h in handoffs if (s := _seconds(h.requested_at, h.claimed_at)) is not None)
    handle = durations(s for h in handoffs if (s := _seconds(h.claimed_at, h.ended_at)) is not None)

    actions: Counter[str] = Counter(t.tool for t in records.tool_calls if t.conversation_id in ids)
    actions.update(f"handoff:{h.reason}" for h in handoffs)

    started = {c.id: period.day_of(c.created_at) for c in cohort}
    per_day_conversations = Counter(started.values())
    per_day_handoffs = Counter(started[h.conversation_id] for h in handoffs)
    daily = tuple(DailyPoint(d, per_day_conversations[d], per_day_handoffs[d]) for d in period.days())

    return Summary(
        first_day=period.first,
        last_day=period.last,
        timezone=str(period.tz),
        pack=pack,
        conversations=len(cohort),
        engaged_conversations=sum(1 for c in cohort if c.customer_messages > 0),
        contained=contained,
        containment_rate=_ratio(contained, len(cohort)),
        handed_off=len(handed_off),
        handoff_rate=_ratio(len(handed_off), len(cohort)),
        handoffs=len(handoffs),
        handoffs_by_reason=_ranked(Counter(h.reason for h in handoffs)),
        handoffs_by_outcome=dict(sorted(outcomes.items())),
        wait=wait,
        handle=handle,
        csat=_csat(cohort, [f for f in records.feedback if f.conversation_id in ids]),
        fcr=_fcr(cohort, handed_off, records.contacts),
        sentiment=_sentiment(cohort),
        top_actions=_ranked(actions, top_n),
        knowledge_gaps=knowledge_gaps(
            [m for m in records.messages if m.conversation_id in ids], fallback_texts, top_n
        ),
        daily=daily,
    )
