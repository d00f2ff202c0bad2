"""Who the customer is: the bank's policy verifies with any two of date of birth, email, phone number and
address (a name or a user id alone never verifies). Facts are compared normalised: emails without case,
phones by their digits, dates in any of the usual spellings, addresses by their words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from itertools import combinations

from kefu.dialogue.verification import ToolLookup
from kefu.packs.finance.bank import Record

FACTS = ("dob", "email", "phone", "address")
USER_FIELDS = {"dob": "date_of_birth", "email": "email", "phone": "phone_number", "address": "address"}
LOOKUP_TOOL = "find_customer_by_facts"
_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%Y/%m/%d", "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%d %B %Y")
_ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_ABBREVIATIONS = {
    "street": "st", "avenue": "ave", "boulevard": "blvd", "road": "rd", "drive": "dr", "lane": "ln",
    "court": "ct", "place": "pl", "apartment": "apt", "suite": "ste", "north": "n", "south": "s",
    "east": "e", "west": "w",
}  # fmt: skip


def parse_date(text: str) -> date | None:
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip())
    if match := _ZH_DATE.search(text):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def normal(fact: str, value: str) -> str:
    value = value.strip()
    if fact == "email":
        return value.lower()
    if fact == "phone":
        digits = re.sub(r"\D", "", value)
        return digits[-10:]
    if fact == "dob":
        parsed = parse_date(value)
        return parsed.isoformat() if parsed else value.lower()
    words = re.findall(r"[a-z0-9]+", value.lower())
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def fact_matches(fact: str, given: str, user: Mapping[str, object]) -> bool:
    on_file = str(user.get(USER_FIELDS[fact]) or "")
    if not on_file or not given.strip():
        return False
    want, got = normal(fact, on_file), normal(fact, given)
    if fact == "address":  # the street line alone is the address for most customers
        return bool(got) and (got == want or (len(got) >= 8 and want.startswith(got)))
    return want == got


def locate(users: list[Record], facts: Mapping[str, str]) -> str | None:
    """The one user whom at least two of the given facts identify."""
    found = {
        str(u.get("user_id"))
        for u in users
        if sum(fact_matches(f, facts[f], u) for f in FACTS if facts.get(f)) >= 2
    }
    return found.pop() if len(found) == 1 else None


STRATEGIES = tuple(
    ToolLookup(
        f"{a}_{b}",
        (a, b),
        LOOKUP_TOOL,
        ((a, a), (b, b)),
        "verify.ask",
        "finance",
        (b,) if a == "dob" else (a,),  # a date of birth is a secret to guess, not who is claimed
    )
    for a, b in combinations(FACTS, 2)
)
