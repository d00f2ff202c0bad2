"""Typed placeholders in the message's language, and the masking that puts them in.

Cards keep only their last four digits (``[CARD ••••1234]``, ``[银行卡 ••••1234]``): enough for a customer
and an agent to agree which card is meant. The BIN (first six digits) is *not* kept in stored text: it
adds little for service work and, with the last four, narrows the number down. A card's CVV/CVC and
expiry (``CARD_SECRET``) are dropped with the words that introduced them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kefu.guard.pii.detect import find_pii
from kefu.guard.pii.types import CARD, CARD_SECRET, PHONE, PiiSpan

_LABELS = {
    "zh": {
        "EMAIL": "邮箱",
        "PHONE": "电话",
        "MOBILE": "手机号",
        "CARD": "银行卡",
        "CN_ID": "身份证号",
        "IBAN": "银行账号",
        "US_SSN": "社保号",
        "IP": "IP地址",
        "PASSPORT": "护照号",
        "PERSON": "姓名",
        "ADDRESS": "地址",
    },
    "en": {
        "EMAIL": "EMAIL",
        "PHONE": "PHONE",
        "MOBILE": "PHONE",
        "CARD": "CARD",
        "CN_ID": "ID NUMBER",
        "IBAN": "IBAN",
        "US_SSN": "SSN",
        "IP": "IP ADDRESS",
        "PASSPORT": "PASSPORT",
        "PERSON": "NAME",
        "ADDRESS": "ADDRESS",
    },
}
_CN_MOBILE = re.compile(r"(?:\+?86|0086)?1[3-9]\d{9}")
_CJK = re.compile(r"[\u3400-\u9fff]")

Keep = Callable[[PiiSpan, str], None]


def guess_lang(text: str) -> str:
    return "zh" if _CJK.search(text) else "en"


def placeholder(kind: str, value: str, lang: str) -> str:
    """``[手机号]``, ``[CARD ••••1111]`` …; empty for a card secret."""
    if kind == CARD_SECRET:
        return ""
    labels = _LABELS["zh" if lang == "zh" else "en"]
    digits = re.sub(r"\D", "", value)
    if kind == CARD:
        return f"[{labels['CARD']} ••••{digits[-4:]}]"
    if kind == PHONE and _CN_MOBILE.fullmatch(digits):
        return f"[{labels['MOBILE']}]"
    return f"[{labels.get(kind, kind)}]"


def mask(
    text: str,
    kinds: frozenset[str] | None = None,
    lang: str | None = None,
    keep: Keep | None = None,
) -> tuple[str, list[PiiSpan]]:
    """Replace each PII span by its placeholder; returns the masked text and the spans found.
    ``keep(span, original)`` is called for every span but card secrets (e.g. to store it in a vault)."""
    spans = find_pii(text, kinds)
    if not spans:
        return text, []
    lang = lang if lang in ("zh", "en") else guess_lang(text)
    out: list[str] = []
    last = 0
    for span in spans:
        value = text[span.start : span.end]
        before = text[last : span.start]
        if span.kind == CARD_SECRET:
            before = before.rstrip(" \t,，;；、")  # drop "…, exp 12/26" with its comma
        else:
            if keep is not None:
                keep(span, value)
        out.append(before)
        out.append(placeholder(span.kind, value, lang))
        last = span.end
    out.append(text[last:])
    return "".join(out), spans


def mask_json(value: object, lang: str | None = None) -> object:
    """``value`` with every string in it (dict values and list items, recursively) masked: for payloads
    that are stored or logged (tool-call arguments, handoff summaries, audit details)."""
    if isinstance(value, str):
        return mask(value, lang=lang)[0]
    if isinstance(value, dict):
        return {key: mask_json(item, lang) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_json(item, lang) for item in value]
    return value
