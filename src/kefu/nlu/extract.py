"""All entities of one message, as JSON-able values for the dialogue state and the event log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kefu.nlu import entities
from kefu.nlu.datetimes import resolve_datetimes
from kefu.nlu.money import money_amounts
from kefu.nlu.numbers import quantities
from kefu.nlu.phones import phone_numbers


def extract_entities(text: str, reference: datetime, tz: str) -> dict[str, Any]:
    """Order ids, emails, zip codes, phone numbers, money, quantities and dates/times resolved against
    ``reference`` in time zone ``tz``."""
    return {
        "order_ids": entities.order_ids(text),
        "emails": entities.emails(text),
        "zip_codes": entities.zip_codes(text),
        "phones": [{"number": p.number, "kind": p.kind} for p in phone_numbers(text)],
        "money": [{"amount": str(m.amount), "currency": m.currency} for m in money_amounts(text)],
        "quantities": [{"value": q.value, "unit": q.unit} for q in quantities(text)],
        "datetimes": [
            {
                "start": t.start.isoformat(),
                "end": t.end.isoformat() if t.end else None,
                "grain": t.grain,
                "text": t.text,
            }
            for t in resolve_datetimes(text, reference, tz)
        ],
    }
