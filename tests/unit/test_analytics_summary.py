"""The analytics summary as pure computation over plain records."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.analytics.summary import (
    ContactRecord,
    ConversationRecord,
    DailyPoint,
    Durations,
    FeedbackRecord,
    HandoffRecord,
    MessageRecord,
    Period,
    Ranked,
    Records,
    ToolCallRecord,
    durations,
    knowledge_gaps,
    normalise_question,
    sentiment_bucket,
    summarize,
)
from kefu.domain.errors import InvalidInput

T0 = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
MAY = Period(date(2024, 5, 1), date(2024, 5, 3), UTC)
OOS_EN = "Sorry, I can't help with that."
OOS_ZH = "抱歉，这个问题我帮不上忙。"


def conv(
    cid: str,
    at: datetime = T0,
    *,
    pack: str = "retail",
    status: str = "bot",
    customer_id: str | None = None,
    csat: int | None = None,
    sentiment_scores: tuple[float, ...] = (),
    customer_messages: int = 1,
) -> ConversationRecord:
    return ConversationRecord(cid, pack, status, at, customer_id, csat, sentiment_scores, customer_messages)


# -- building blocks ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("score", "bucket"),
    [
        (-1.0, "negative"),
        (-0.1201, "negative"),
        (-0.12, "neutral"),
        (0.0, "neutral"),
        (0.12, "neutral"),
        (0.1201, "positive"),
        (1.0, "positive"),
    ],
)
def test_sentiment_buckets(score: float, bucket: str) -> None:
    assert sentiment_bucket(score) == bucket


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  Where is my PARCEL? ", "where is my parcel?"),
        ("a\t b\n\nc", "a b c"),
        ("运费 多少", "运费 多少"),
        ("   ", ""),
    ],
)
def test_questions_are_normalised(text: str, key: str) -> None:
    assert normalise_question(text) == key


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        ([], Durations(0, None, None)),
        ([10.0], Durations(1, 10.0, 10.0)),
        ([10.0, 20.0, 60.0], Durations(3, 30.0, 20.0)),
        ([1.0, 2.0, 3.0, 4.0], Durations(4, 2.5, 2.5)),
        ([5.0, float("nan")], Durations(1, 5.0, 5.0)),
    ],
)
def test_durations(seconds: list[float], expected: Durations) -> None:
    assert durations(seconds) == expected


def test_period_is_whole_local_days() -> None:
    shanghai = Period(date(2024, 5, 1), date(2024, 5, 2), ZoneInfo("Asia/Shanghai"))
    assert shanghai.start == datetime(2024, 4, 30, 16, 0, tzinfo=UTC)
    assert shanghai.end == datetime(2024, 5, 2, 16, 0, tzinfo=UTC)
    assert shanghai.days() == [date(2024, 5, 1), date(2024, 5, 2)]
    assert shanghai.contains(datetime(2024, 4, 30, 16, 0, tzinfo=UTC))
    assert not shanghai.contains(datetime(2024, 5, 2, 16, 0, tzinfo=UTC))
    assert shanghai.contains(datetime(2024, 5, 1, 12, 0))  # naive means UTC
    with pytest.raises(InvalidInput, match="after"):
        Period(date(2024, 5, 2), date(2024, 5, 1))
    with pytest.raises(InvalidInput, match="out of range"):
        Period(date(1, 1, 1), date(1, 1, 2), ZoneInfo("Asia/Shanghai"))


# -- knowledge gaps ----------------------------------------------------------------------------------
def msg(cid: str, seq: int, role: str, text: str, reply_to: int | None = None) -> MessageRecord:
    return MessageRecord(cid, seq, role, text, reply_to)


GAP_CASES = [
    pytest.param(
        [msg("a", 2, "customer", "Do you sell cars?"), msg("a", 3, "bot", OOS_EN, 2)],
        [Ranked("do you sell cars?", 1)],
        id="reply_to",
    ),
    pytest.param(
        [msg("a", 2, "customer", "x"), msg("a", 3, "bot", "I'm sorry to hear that. " + OOS_EN, 2)],
        [Ranked("x", 1)],
        id="empathetic-opening-still-counts",
    ),
    pytest.param(
        [msg("a", 2, "customer", "卖车吗"), msg("a", 3, "bot", OOS_ZH)],
        [Ranked("卖车吗", 1)],
        id="no-reply_to-means-latest-customer-message",
    ),
    pytest.param(
        [msg("a", 2, "customer", "hi"), msg("a", 3, "bot", "Hello! How can I help?", 2)],
        [],
        id="helpful-reply",
    ),
    pytest.param(
        [msg("a", 2, "customer", "q"), msg("a", 3, "bot", OOS_EN, 2), msg("a", 4, "bot", OOS_EN, 2)],
        [Ranked("q", 1)],
        id="one-count-per-customer-message",
    ),
    pytest.param(
        [
            msg("a", 2, "customer", "Cars?"),
            msg("a", 3, "bot", OOS_EN, 2),
            msg("b", 2, "customer", " cars? "),
            msg("b", 3, "bot", OOS_EN, 2),
            msg("b", 4, "customer", "Boats"),
            msg("b", 5, "bot", OOS_EN, 4),
        ],
        [Ranked("cars?", 2), Ranked("boats", 1)],
        id="grouped-and-ranked",
    ),
    pytest.param(
        [
            msg("a", 2, "customer", "b"),
            msg("a", 3, "bot", OOS_EN, 2),
            msg("a", 4, "customer", "a"),
            msg("a", 5, "bot", OOS_EN, 4),
        ],
        [Ranked("a", 1), Ranked("b", 1)],
        id="ties-alphabetical",
    ),
    pytest.param(
        [msg("a", 2, "customer", "q"), msg("a", 3, "agent", OOS_EN, 2)], [], id="agents-do-not-count"
    ),
]


@pytest.mark.parametrize(("messages", "expected"), GAP_CASES)
def test_knowledge_gaps(messages: list[MessageRecord], expected: list[Ranked]) -> None:
    assert list(knowledge_gaps(messages, [OOS_EN, OOS_ZH])) == expected


def test_knowledge_gaps_need_fallback_texts_and_respect_top_n() -> None:
    messages = [msg("a", 2, "customer", "q"), msg("a", 3, "bot", OOS_EN, 2)]
    assert knowledge_gaps(messages, []) == ()
    assert knowledge_gaps(messages, ["  "]) == ()
    many = [
        m
        for i in range(5)
        for m in (msg("a", 10 * i, "customer", f"q{i}"), msg("a", 10 * i + 1, "bot", OOS_EN))
    ]
    assert len(knowledge_gaps(many, [OOS_EN], top_n=3)) == 3


# -- first-contact resolution ------------------------------------------------------------------------
FCR_CASES = [
    pytest.param(conv("c", customer_id="u"), [], [], True, id="bot-only"),
    pytest.param(conv("c", status="closed", customer_id="u"), [], [], True, id="closed-without-handoff"),
    pytest.param(
        conv("c", customer_id="u"), [HandoffRecord("c", "customer_request", T0)], [], False, id="handoff"
    ),
    pytest.param(conv("c", customer_id="u", status="waiting_human"), [], [], False, id="not-ended-in-bot"),
    pytest.param(
        conv("c", customer_id="u"),
        [],
        [ContactRecord("d", "u", T0 + timedelta(days=3))],
        False,
        id="follow-up-in-3-days",
    ),
    pytest.param(
        conv("c", customer_id="u"),
        [],
        [ContactRecord("d", "u", T0 + timedelta(days=7))],
        False,
        id="follow-up-at-exactly-7-days",
    ),
    pytest.param(
        conv("c", customer_id="u"),
        [],
        [ContactRecord("d", "u", T0 + timedelta(days=7, seconds=1))],
        True,
        id="follow-up-after-7-days",
    ),
    pytest.param(
        conv("c", customer_id="u"),
        [],
        [ContactRecord("d", "u", T0 - timedelta(days=1))],
        True,
        id="earlier-conversation-is-no-follow-up",
    ),
    pytest.param(
        conv("c", customer_id="u"),
        [],
        [ContactRecord("d", "v", T0 + timedelta(days=1))],
        True,
        id="other-customer",
    ),
    pytest.param(conv("c"), [], [], True, id="anonymous-judged-alone"),
]


@pytest.mark.parametrize(("conversation", "handoffs", "contacts", "resolved"), FCR_CASES)
def test_first_contact_resolution(
    conversation: ConversationRecord,
    handoffs: list[HandoffRecord],
    contacts: list[ContactRecord],
    resolved: bool,
) -> None:
    fcr = summarize(Records([conversation], handoffs=handoffs, contacts=contacts), MAY).fcr
    assert (fcr.resolved, fcr.eligible, fcr.rate) == ((1, 1, 1.0) if resolved else (0, 1, 0.0))


def test_follow_up_within_the_cohort_and_silent_conversations() -> None:
    records = Records(
        [
            conv("first", customer_id="u"),
            conv("second", T0 + timedelta(hours=5), customer_id="u"),  # follow-up of "first", itself resolved
            conv("silent", customer_messages=0),  # nobody wrote: not eligible
        ]
    )
    fcr = summarize(records, MAY).fcr
    assert (fcr.resolved, fcr.eligible) == (1, 2)


# -- CSAT --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("column", "events", "score"),
    [
        (None, [], None),
        (4, [], 4),
        (2, [FeedbackRecord("c", 5, 2)], 2),
        (5, [FeedbackRecord("c", 5, 1), FeedbackRecord("c", 9, 5)], 5),
        (1, [FeedbackRecord("c", 9, 1), FeedbackRecord("c", 5, 5)], 1),
        (9, [], None),
    ],
)
def test_csat_takes_the_latest_rating(
    column: int | None, events: list[FeedbackRecord], score: int | None
) -> None:
    csat = summarize(Records([conv("c", csat=column)], feedback=events), MAY).csat
    assert csat.average == score
    assert csat.rated == (0 if score is None else 1)
    assert sum(csat.distribution.values()) == csat.rated


# -- the whole summary -------------------------------------------------------------------------------
def test_summary_of_a_small_shop() -> None:
    hour = timedelta(hours=1)
    records = Records(
        conversations=[
            conv("a", T0, csat=5, sentiment_scores=(0.0, 0.5), customer_id="u1"),
            conv("b", T0 + hour, status="closed", csat=2, sentiment_scores=(-0.3,)),
            conv("c", T0 + timedelta(days=1), status="human", sentiment_scores=(0.1,)),
            conv("d", T0 + timedelta(days=1, hours=2), csat=4),
            conv("e", T0 + timedelta(days=2), customer_messages=0),
            conv("x", T0 + timedelta(days=9)),  # after the period
            conv("f", T0, pack="finance"),  # another pack
        ],
        handoffs=[
            HandoffRecord(
                "b",
                "negative_sentiment",
                T0 + hour,
                T0 + hour + timedelta(seconds=30),
                T0 + hour + timedelta(seconds=330),
                "closed",
            ),
            HandoffRecord(
                "c", "customer_request", T0 + timedelta(days=1), T0 + timedelta(days=1, seconds=90)
            ),
            HandoffRecord(
                "d",
                "customer_request",
                T0 + timedelta(days=1, hours=2),
                T0 + timedelta(days=1, hours=2, seconds=60),
                T0 + timedelta(days=1, hours=2, seconds=160),
                "returned",
            ),
            HandoffRecord("d", "repeated_failure", T0 + timedelta(days=1, hours=3)),
            HandoffRecord("x", "customer_request", T0 + timedelta(days=9)),
        ],
        tool_calls=[
            ToolCallRecord("a", "cancel_pending_order"),
            ToolCallRecord("b", "customer_verified"),
            ToolCallRecord("d", "customer_verified"),
            ToolCallRecord("x", "customer_verified"),
        ],
        feedback=[FeedbackRecord("d", 30, 3), FeedbackRecord("d", 40, 4)],
        messages=[msg("a", 2, "customer", "Sell me a car"), msg("a", 3, "bot", OOS_EN, 2)],
    )
    s = summarize(records, MAY, pack="retail", fallback_texts=[OOS_EN, OOS_ZH])

    assert (s.first_day, s.last_day, s.timezone, s.pack) == (
        date(2024, 5, 1),
        date(2024, 5, 3),
        "UTC",
        "retail",
    )
    assert (s.conversations, s.engaged_conversations) == (5, 4)
    assert (s.handed_off, s.handoffs, s.contained) == (3, 4, 2)
    assert s.containment_rate == pytest.approx(2 / 5) and s.handoff_rate == pytest.approx(3 / 5)
    assert s.handoffs_by_reason == (
        Ranked("customer_request", 2),
        Ranked("negative_sentiment", 1),
        Ranked("repeated_failure", 1),
    )
    assert s.handoffs_by_outcome == {"closed": 1, "returned": 1, "waiting": 1, "with_agent": 1}
    assert s.wait == Durations(3, 60.0, 60.0)  # 30, 90, 60 s
    assert s.handle == Durations(2, 200.0, 200.0)  # 300, 100 s
    assert (s.csat.rated, s.csat.average) == (3, pytest.approx(11 / 3))  # 5, 2, 4 (the latest event of d)
    assert s.csat.distribution == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert s.csat.response_rate == pytest.approx(3 / 5)
    assert (s.fcr.resolved, s.fcr.eligible) == (1, 4)  # only "a"
    assert (s.sentiment.negative, s.sentiment.neutral, s.sentiment.positive, s.sentiment.unscored) == (
        1,
        1,
        1,
        2,
    )
    assert s.top_actions == (
        Ranked("customer_verified", 2),
        Ranked("handoff:customer_request", 2),
        Ranked("cancel_pending_order", 1),
        Ranked("handoff:negative_sentiment", 1),
        Ranked("handoff:repeated_failure", 1),
    )
    assert s.knowledge_gaps == (Ranked("sell me a car", 1),)
    assert s.daily == (
        DailyPoint(date(2024, 5, 1), 2, 1),
        DailyPoint(date(2024, 5, 2), 2, 3),
        DailyPoint(date(2024, 5, 3), 1, 0),
    )


def test_days_follow_the_business_time_zone() -> None:
    late = datetime(2024, 5, 1, 16, 30, tzinfo=UTC)  # 00:30 on 2 May in Shanghai
    period = Period(date(2024, 5, 1), date(2024, 5, 2), ZoneInfo("Asia/Shanghai"))
    s = summarize(Records([conv("a", late), conv("b", T0)]), period)
    assert [(p.day, p.conversations) for p in s.daily] == [(date(2024, 5, 1), 1), (date(2024, 5, 2), 1)]


def test_an_empty_period_has_no_rates() -> None:
    s = summarize(Records([]), MAY)
    assert s.conversations == 0
    assert (s.containment_rate, s.handoff_rate, s.csat.average, s.csat.response_rate, s.fcr.rate) == (
        None,
    ) * 5
    assert s.wait == Durations(0, None, None)
    assert s.csat.distribution == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}
    assert [p.conversations for p in s.daily] == [0, 0, 0]


def test_the_computation_needs_no_database_or_web_framework() -> None:
    probe = (
        "import sys, kefu.analytics.summary; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'sqlalchemy', 'fastapi', 'starlette'}); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
