"""Reading a customer's words in either language: identity facts (email, phone, date of birth, street
address), the bank's choice values (replacement and dispute reasons, refund kind), money, and which of
the customer's own cards or transactions a message means. Pure functions: grounding is against the
records the caller passes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kefu.packs.finance.bank import Record
from kefu.packs.finance.operations import money

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\d/])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\d/])")
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DOB = re.compile(
    rf"\b\d{{1,2}}/\d{{1,2}}/\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    rf"|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}\b"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?",
    re.IGNORECASE,
)
_STREET = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|circle|"
    r"parkway|pkwy|highway|hwy|square|sq|trail|loop|row|plaza"
)
ADDRESS = re.compile(
    rf"\b\d{{1,6}}\s+(?:[A-Za-z0-9.'\-]+\s+){{0,5}}?(?:{_STREET})\b\.?"
    r"(?:,?\s*(?:apt|suite|unit|#)\s*[\w-]+)?"
    r"(?:,\s*[A-Za-z][A-Za-z .'\-]{1,40})?(?:,?\s*[A-Z]{2}\b)?(?:\s*\d{5}(?:-\d{4})?)?",
    re.IGNORECASE,
)
_DONT_KNOW = re.compile(
    r"\b(don'?t|do not|can'?t|cannot)\s+(know|remember|recall|have)\b|\bnot sure\b|\bno idea\b|\bforgot\b"
    r"|不记得|忘了|不知道|记不清|手头没有",
    re.IGNORECASE,
)


def identity_facts(text: str) -> dict[str, str]:
    facts: dict[str, str] = {}
    if m := EMAIL.search(text):
        facts["email"] = m.group(0)
    rest = EMAIL.sub(" ", text)
    if m := DOB.search(rest):
        facts["dob"] = m.group(0)
        rest = rest.replace(m.group(0), " ")
    if m := ADDRESS.search(rest):
        facts["address"] = m.group(0).strip(" ,.")
        rest = rest.replace(m.group(0), " ")
    if m := PHONE.search(rest):
        facts["phone"] = m.group(0)
    return facts


def dont_know(text: str) -> bool:
    return bool(_DONT_KNOW.search(text))


def _first(text: str, table: Sequence[tuple[str, str]]) -> str | None:
    for pattern, value in table:
        if re.search(pattern, text, re.IGNORECASE):
            return value
    return None


REPLACEMENT_WORDS = (
    (r"stolen|steal|stole|theft|被偷|被盗|偷了|盗了", "stolen"),
    (r"fraud|scam|compromised|盗刷|欺诈|被刷", "fraud_suspected"),
    (r"\blost\b|lose|misplac|can'?t find|丢了|丢失|找不到|遗失", "lost"),
    (
        r"damag|broken|break|crack|snapp|bent|chip|won'?t (swipe|work)|stopped working|坏|损|刷不了|折断",
        "damaged",
    ),
    (r"expir|过期|到期", "expired"),
)
_NOT_RECEIVED = (
    r"never (received|arrived|came|got)|didn'?t (receive|arrive|get)|not (received|delivered)"
    r"|没收到|未收到|没到"
)
_NOT_MINE = (
    r"recogni|not mine|wasn'?t me|didn'?t (make|authori)|unauthori|fraud|stolen"
    r"|盗刷|不认识|不是我|欺诈|未经授权"
)
DISPUTE_WORDS = (
    (r"twice|duplicate|double|two times|charged again|两次|重复|扣了两", "duplicate_charge"),
    (
        r"subscri|cancel+ed.*(still|again|charg)|订阅|取消.*(还|仍).*(扣|收)",
        "canceled_subscription_still_charging",
    ),
    (r"refund.*(never|not|didn'?t)|(never|not|didn'?t).*refund|没.*退款|退款.*没", "refund_never_processed"),
    (_NOT_RECEIVED, "goods_services_not_received"),
    (
        r"not as described|defective|broken|wrong item|fake|不符|质量|假货|坏的",
        "goods_services_not_as_described",
    ),
    (r"amount|overcharg|more than|higher|wrong price|金额不对|多扣|多收|价格不对", "incorrect_amount"),
    (_NOT_MINE, "unauthorized_fraudulent_charge"),
)


def replacement_reason(text: str) -> str | None:
    return _first(text, REPLACEMENT_WORDS)


def dispute_reason(text: str) -> str | None:
    return _first(text, DISPUTE_WORDS)


def resolution(text: str) -> str | None:
    return _first(
        text,
        (
            (r"partial|part of|some of|部分", "partial_refund"),
            (r"full|all|entire|whole|全额|全部", "full_refund"),
        ),
    )


def expedited(text: str) -> bool | None:
    if re.search(r"standard|regular|normal|no rush|普通|标准|不用加急", text, re.IGNORECASE):
        return False
    if re.search(r"expedit|rush|fast|quick|urgent|asap|加急|快递|尽快|越快越好", text, re.IGNORECASE):
        return True
    return None


_AMOUNT = re.compile(r"(?<![\w/])\$?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(k|K|thousand|万)?(?![\w/])")


def amounts(text: str) -> list[float]:
    found: list[float] = []
    for m in _AMOUNT.finditer(text):
        value = float(m.group(1).replace(",", "") + (f".{m.group(2)}" if m.group(2) else ""))
        scale = {"k": 1e3, "K": 1e3, "thousand": 1e3, "万": 1e4}.get(m.group(3) or "", 1.0)
        found.append(value * scale)
    return found


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def card_matches(text: str, cards: Sequence[Record], name_fields: Sequence[str]) -> list[Record]:
    """The cards a message names: by last four digits, or by the words of their type or level."""
    digits = set(re.findall(r"(?<!\d)\d{4}(?!\d)", text))
    by_digits = [c for c in cards if str(c.get("last_4_digits", "")) in digits]
    if by_digits:
        return by_digits
    said = _words(text) - {"card", "account", "rewards", "my", "the", "a", "checking", "debit", "credit"}
    scored: list[tuple[int, Record]] = []
    for card in cards:
        names = _words(" ".join(str(card.get(f, "")) for f in name_fields))
        names -= {"card", "account", "rewards", "checking", "debit", "credit"}
        score = len(said & names)
        if score:
            scored.append((score, card))
    best = max((s for s, _ in scored), default=0)
    return [c for s, c in scored if s == best]


def transaction_matches(text: str, transactions: Sequence[Record]) -> list[Record]:
    """The transactions a message points at: merchant words, an amount, a date (MM/DD)."""
    folded = text.lower()
    said_amounts = amounts(text)
    dates = re.findall(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", text)
    scored: list[tuple[int, Record]] = []
    for txn in transactions:
        score = 0
        merchant = str(txn.get("merchant_name") or txn.get("description") or "").lower()
        if merchant and (
            merchant in folded or any(len(w) > 3 and w in folded for w in re.findall(r"[a-z0-9']+", merchant))
        ):
            score += 2
        amount = abs(money(txn.get("transaction_amount", txn.get("amount"))))
        if any(abs(a - amount) < 0.01 for a in said_amounts):
            score += 2
        when = str(txn.get("transaction_date") or txn.get("date") or "")
        if any(when.startswith(f"{int(m):02d}/{int(d):02d}") for m, d, _ in dates):
            score += 1
        if str(txn.get("transaction_id", "")).lower() in folded:
            score += 5
        if score:
            scored.append((score, txn))
    best = max((s for s, _ in scored), default=0)
    return [t for s, t in scored if s == best]


def describe(value: Any) -> str:
    return str(value).replace("_", " ")


_NO = re.compile(r"^\W*(no|nope|not yet|haven'?t|have not|didn'?t|没有|没|未|不是|不)", re.IGNORECASE)
_YES = re.compile(r"^\W*(yes|yeah|yep|i have|i did|sure|有|是|对|联系过|已经)", re.IGNORECASE)


def yes_no(text: str, said: str | None) -> str | None:
    """The answer to a yes/no question: the toolkit's reading, else a plain leading yes or no."""
    if said is not None:
        return said
    if _NO.search(text):
        return "no"
    if _YES.search(text):
        return "yes"
    return None
