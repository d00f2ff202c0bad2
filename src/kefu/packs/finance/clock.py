"""The bank's "today": configurable, because the bank's date rules (dispute windows, tenure, statement
dates) must be testable. τ²'s banking tasks assume 2025-11-14 03:40 EST (``KEFU_FINANCE_TODAY`` sets
another date, ``YYYY-MM-DD``; ``now`` is the live clock)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime

from kefu.domain.errors import InvalidInput

TAU_TODAY = date(2025, 11, 14)
TAU_TIME = "03:40:00 EST"


@dataclass(frozen=True)
class BankClock:
    today: date = TAU_TODAY
    time_of_day: str = TAU_TIME

    @classmethod
    def from_env(cls) -> BankClock:
        raw = os.environ.get("KEFU_FINANCE_TODAY", "").strip()
        if not raw:
            return cls()
        if raw == "now":
            now = datetime.now().astimezone()
            return cls(now.date(), now.strftime("%H:%M:%S %Z").strip())
        try:
            return cls(date.fromisoformat(raw))
        except ValueError as exc:
            raise InvalidInput(f"KEFU_FINANCE_TODAY must be YYYY-MM-DD or 'now', got {raw!r}") from exc

    def us_date(self) -> str:
        """11/14/2025: the date format of the bank's records."""
        return self.today.strftime("%m/%d/%Y")

    def stamp(self) -> str:
        """2025-11-14 03:40:00 EST: the format of the verification log."""
        return f"{self.today.isoformat()} {self.time_of_day}"


def parse_us_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None
