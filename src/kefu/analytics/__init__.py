"""Analytics: containment, handoffs, waits, CSAT, first-contact resolution, sentiment, knowledge gaps.

``summary`` is pure computation over plain records (no database, no web framework); the SQL adapter in
``kefu.store.sql.analytics`` fetches the records and calls it.
"""

from __future__ import annotations

from kefu.analytics.summary import (
    AnalyticsSource,
    ContactRecord,
    ConversationRecord,
    FeedbackRecord,
    HandoffRecord,
    MessageRecord,
    Period,
    Records,
    Summary,
    ToolCallRecord,
    summarize,
)

__all__ = [
    "AnalyticsSource",
    "ContactRecord",
    "ConversationRecord",
    "FeedbackRecord",
    "HandoffRecord",
    "MessageRecord",
    "Period",
    "Records",
    "Summary",
    "ToolCallRecord",
    "summarize",
]
