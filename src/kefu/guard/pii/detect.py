"""All recognizers together: candidates from each, overlaps settled by kind priority then length."""

from __future__ import annotations

from kefu.guard.pii import patterns
from kefu.guard.pii.addresses import street_addresses
from kefu.guard.pii.names import person_names
from kefu.guard.pii.phones import phones
from kefu.guard.pii.types import CN_ID, EMAIL, IBAN, PRIORITY, PiiSpan
from kefu.nlu.numbers import fold


def find_pii(text: str, kinds: frozenset[str] | None = None) -> list[PiiSpan]:
    """Disjoint PII spans of ``text`` in reading order (``kinds``: only these)."""
    if not text:
        return []
    folded = fold(text)
    others = (
        patterns.emails(folded)
        + patterns.ibans(folded)
        + patterns.cn_ids(folded)
        + patterns.ssns(folded)
        + patterns.ip_addresses(folded)
        + patterns.passports(folded)
        + street_addresses(folded)
    )
    candidates = others + _phones_beside(folded, others) + person_names(folded)
    stronger = [c for c in candidates if c.kind in (EMAIL, IBAN, CN_ID)]
    cards = [c for c in patterns.cards(folded) if not any(_overlap(c, o) for o in stronger)]
    candidates += cards + patterns.card_secrets(folded, cards)
    chosen: list[PiiSpan] = []
    for span in sorted(candidates, key=lambda s: (PRIORITY[s.kind], s.start - s.end, s.start)):
        if span.end > span.start and not any(_overlap(span, c) for c in chosen):
            chosen.append(span)
    spans = sorted(chosen, key=lambda s: s.start)
    return [s for s in spans if kinds is None or s.kind in kinds]


def _phones_beside(text: str, others: list[PiiSpan]) -> list[PiiSpan]:
    """Phone numbers found with the other kinds blanked out: the house numbers of "13813 3784 Archwood
    Avenue" are no phone, "085 773 3897 381 646 Tait St" is a phone number then an address, and
    "561-28-7696 96 63 21" an SSN then a phone number."""
    if not others:
        return phones(text)
    blanked = list(text)
    for other in others:
        blanked[other.start : other.end] = "|" * (other.end - other.start)
    return phones("".join(blanked))


def _overlap(a: PiiSpan, b: PiiSpan) -> bool:
    return a.start < b.end and b.start < a.end
