"""Which of the customer's payment methods they mean: "my visa ending 1234", "the credit card",
"paypal", "gift card", "礼品卡", "尾号1234的卡", "original payment method" / "原路退回" (→ ``original``),
"the other card" (not ``original``); "PayPal, otherwise the credit card" tries them in order.
Two credit cards and "credit card" → ambiguous, with what tells them apart (brand, last four).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kefu.dialogue.resolve.catalogue import negated
from kefu.dialogue.resolve.text import analyse
from kefu.dialogue.resolve.types import Resolution

Record = Mapping[str, Any]

_ORIGINAL = re.compile(
    r"\boriginal\b|\bsame (?:card|method|payment(?: method)?|way|account)\b|"
    r"\bthe one i (?:paid|used|bought it)\b|\bwhat i paid with\b|\bhow i paid\b|"
    r"原路|原支付|原付款|原来的(?:支付|付款)?(?:方式|卡|账户)?|原卡|怎么付的就怎么退|付款时用的|原方式"
)
_OTHER = re.compile(
    r"\b(?:the other|another|a different)\s+(?:card|one|method|payment method)\b|另一张|另一个|别的卡"
)
_SOURCES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gift_card", re.compile(r"\bgift\s*-?\s*cards?\b|\bgift\b|礼品卡|购物卡|礼卡|余额")),
    ("paypal", re.compile(r"\bpay\s*pal\b|贝宝")),
    (
        "credit_card",
        re.compile(
            r"\bcredit\s*-?\s*cards?\b|\bdebit\s*cards?\b|\bcards?\b|信用卡|银行卡|借记卡|(?<!礼品)卡"
        ),
    ),
)
_BRANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("visa", re.compile(r"\bvisa\b|维萨")),
    ("mastercard", re.compile(r"\bmaster\s*-?\s*card\b|\bmc\b|万事达")),
    ("amex", re.compile(r"\bamex\b|\bamerican express\b|美国运通|运通")),
    ("discover", re.compile(r"\bdiscover\b|发现卡")),
)
_FALLBACK = re.compile(r"\b(?:otherwise|or else|if not|else|or)\b|否则|不然|或者|不行的话|没有的话")
_LAST_FOUR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def resolve_payment_method(
    text: str, lang: str, methods: Mapping[str, Record], *, original: str | None = None
) -> Resolution[str]:
    """A payment method id of the user's ``methods`` (τ shape: id → {source, brand, last_four, balance})."""
    del lang
    analysed = analyse(text)
    folded = analysed.folded
    ids = list(methods)
    for match in _ORIGINAL.finditer(folded):
        if not negated(analysed, match.span()):
            if original is None:
                return Resolution.nothing("no_original")
            return Resolution.found(original, note="original")
    pool = ids
    if _OTHER.search(folded) and original:
        pool = [i for i in ids if i != original]
    digits = [
        d for d in _LAST_FOUR.findall(folded) if any(str(m.get("last_four")) == d for m in methods.values())
    ]
    if digits:
        pool = [i for i in pool if str(methods[i].get("last_four")) in digits]
    brands = [b for b, rx in _BRANDS if (m := rx.search(folded)) and not negated(analysed, m.span())]
    if brands:
        pool = [i for i in pool if str(methods[i].get("brand", "")).lower() in brands]
    wanted, ruled_out = _sources(folded, analysed)
    pool = [i for i in pool if methods[i].get("source") not in ruled_out]
    if not (wanted or brands or digits or _OTHER.search(folded) or ruled_out):
        return Resolution.nothing()
    if wanted:
        tried: list[str] = []
        ordered = bool(_FALLBACK.search(folded)) and len(wanted) > 1
        groups = [[s] for s in wanted] if ordered else [wanted]
        for sources in groups:
            found = [i for i in pool if methods[i].get("source") in sources]
            if found:
                return _one_or_choose(found, methods, unavailable=tuple(tried))
            tried.extend(sources)
        return Resolution("none", unavailable=tuple(tried), note="not_on_file:" + ",".join(tried))
    if not pool:
        return Resolution.nothing("not_on_file")
    return _one_or_choose(pool, methods)


def _sources(folded: str, analysed: Any) -> tuple[list[str], set[str]]:
    """Payment sources named, in the order named, and those ruled out ("not the gift card")."""
    found: list[tuple[int, str]] = []
    ruled_out: set[str] = set()
    taken: list[tuple[int, int]] = []
    for source, regex in _SOURCES:
        for match in regex.finditer(folded):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append(match.span())
            if negated(analysed, match.span()):
                ruled_out.add(source)
            else:
                found.append((match.start(), source))
    wanted = [s for _, s in sorted(found)]
    return [s for s in dict.fromkeys(wanted) if s not in ruled_out], ruled_out


def _one_or_choose(
    found: list[str], methods: Mapping[str, Record], unavailable: tuple[str, ...] = ()
) -> Resolution[str]:
    if len(found) == 1:
        return Resolution("resolved", value=found[0], unavailable=unavailable)
    differ = tuple(
        key
        for key in ("source", "brand", "last_four", "balance")
        if len({str(methods[i].get(key)) for i in found}) > 1
    )
    return Resolution(
        "ambiguous", candidates=tuple(found), distinguishing=differ or ("id",), unavailable=unavailable
    )
