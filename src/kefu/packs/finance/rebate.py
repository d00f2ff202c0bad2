"""The Platinum Rewards Card's annual fee rebate, as the bank's documents state it
(doc_credit_cards_platinum_rewards_card_007 and _010): $150 back when the card's spend reaches $7,500 in
*every* monthly window of the cardmember year; the windows run from the account's opening date; one
window below the threshold disqualifies the whole year; no partial rebate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kefu.packs.finance.bank import Record
from kefu.packs.finance.clock import parse_us_date
from kefu.packs.finance.operations import money

CARD = "Platinum Rewards Card"
THRESHOLD = 7500.0
REBATE = 150.0
SOURCES = ("doc_credit_cards_platinum_rewards_card_007", "doc_credit_cards_platinum_rewards_card_010")


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # exclusive
    spend: float


def _add_months(day: date, months: int) -> date:
    year, month = day.year + (day.month - 1 + months) // 12, (day.month - 1 + months) % 12 + 1
    return date(year, month, min(day.day, 28))


def last_cardmember_year(opened: date, today: date) -> date:
    """The start of the latest cardmember year that has ended by ``today``."""
    start = opened
    while _add_months(start, 24) <= today:
        start = _add_months(start, 12)
    return start


def windows(account: Record, transactions: list[Record], today: date) -> list[Window]:
    opened = parse_us_date(str(account.get("date_of_account_open", "")))
    if opened is None:
        return []
    start = last_cardmember_year(opened, today)
    spent: list[tuple[date, float]] = []
    for txn in transactions:
        when = parse_us_date(str(txn.get("transaction_date", "")))
        if when is not None and txn.get("credit_card_type") == account.get("card_type"):
            spent.append((when, abs(money(txn.get("transaction_amount")))))
    out = []
    for month in range(12):
        a, b = _add_months(start, month), _add_months(start, month + 1)
        out.append(Window(a, b, round(sum(v for when, v in spent if a <= when < b), 2)))
    return out


def qualifies(found: list[Window]) -> bool:
    return len(found) == 12 and all(w.spend >= THRESHOLD for w in found)
