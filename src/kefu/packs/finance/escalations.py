"""Situations the bank's documents send straight to a human, before anything else (even before
verification when the document says so), each active over its stated dates on the bank's clock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Escalation:
    name: str
    pattern: re.Pattern[str]
    source: str
    start: date | None = None
    end: date | None = None

    def active(self, today: date) -> bool:
        return (self.start is None or self.start <= today) and (self.end is None or today <= self.end)


ESCALATIONS = (
    Escalation(
        "credit_bureau_incident",
        re.compile(
            r"credit (score|report|bureau)|credit karma|experian|equifax|transunion|delinquen"
            r"|信用(分|评分|报告|记录)|征信|逾期记录",
            re.IGNORECASE,
        ),
        "doc_credit_cards_credit_cards_(general)_012",  # erroneous delinquency reports, 11/14-11/18/2025
        date(2025, 11, 14),
        date(2025, 11, 18),
    ),
)


def escalation_for(text: str, today: date) -> Escalation | None:
    return next((e for e in ESCALATIONS if e.active(today) and e.pattern.search(text)), None)
