"""The bank's rules the dialogue checks before proposing a change (from the bank's documents): a debit
card is frozen only when active and unfrozen only when frozen; only an active credit card is replaced;
a card transaction is disputed within 60 days; answers never promise approval."""

from __future__ import annotations

from kefu.packs.finance.bank import Record
from kefu.packs.finance.clock import BankClock, parse_us_date

DISPUTE_WINDOW_DAYS = 60


def status(record: Record) -> str:
    return str(record.get("status", "")).upper()


def can_freeze(card: Record) -> bool:
    return status(card) == "ACTIVE"


def can_unfreeze(card: Record) -> bool:
    return status(card) == "FROZEN"


def can_replace(account: Record) -> bool:
    return status(account) in ("ACTIVE", "")  # many of τ²'s card accounts carry no status: open


def within_dispute_window(txn: Record, clock: BankClock) -> bool:
    when = parse_us_date(str(txn.get("transaction_date", "")))
    return when is None or 0 <= (clock.today - when).days <= DISPUTE_WINDOW_DAYS
