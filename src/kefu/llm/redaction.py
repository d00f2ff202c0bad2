"""What a model sees is redacted: every PII value becomes a numbered placeholder (``[EMAIL_1]``,
``[PHONE_2]``, ``[NAME_1]``), and kefu keeps the mapping to put the originals back into what the model
proposes (a ``ProvideIdentity`` fact, a slot value) — the model never sees a raw value.

Free text is scanned with ``kefu.guard.pii``; structured data (the customer's orders, addresses, the
slots) is redacted by key as well, because a bare street or name has no cue a detector could rely on.
Card secrets (CVV, expiry) are dropped, never mapped. One ``Redactor`` per call (or per conversation,
so the same value keeps its placeholder).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from kefu.guard.pii import find_pii
from kefu.guard.pii.types import CARD_SECRET

_LABELS = {
    "EMAIL": "EMAIL",
    "PHONE": "PHONE",
    "CARD": "CARD",
    "CN_ID": "ID",
    "IBAN": "IBAN",
    "US_SSN": "SSN",
    "IP": "IP",
    "PASSPORT": "PASSPORT",
    "PERSON": "NAME",
    "ADDRESS": "ADDRESS",
}
# keys whose string values are personal whatever they look like (structured candidate data, slots)
SENSITIVE_KEYS = {
    "email": "EMAIL",
    "phone": "PHONE",
    "mobile": "PHONE",
    "name": "NAME",
    "first_name": "NAME",
    "last_name": "NAME",
    "full_name": "NAME",
    "address": "ADDRESS",
    "address1": "ADDRESS",
    "address2": "ADDRESS",
    "street": "ADDRESS",
    "zip": "ZIP",
    "zip_code": "ZIP",
    "postcode": "ZIP",
    "card": "CARD",
    "card_number": "CARD",
    "id_number": "ID",
    "date_of_birth": "DOB",
    "dob": "DOB",
    "ssn": "SSN",
    "passport": "PASSPORT",
}
# cues the guard's detector does not cover, for what a model must not see either: a ZIP / postal code
# after its keyword (τ-bench verifies identity by name + zip), a Latin-script name after a Chinese cue
_EXTRA_CUES = (
    (
        "ZIP",
        re.compile(
            r"(?:zip(?:\s*code)?|post(?:al)?\s*code|postcode|邮编|邮政编码)\s*(?:is|:|：)?\s*(\d{5,6}(?:-\d{4})?)",
            re.I,
        ),
    ),
    ("NAME", re.compile(r"(?:我是|我叫|名字是|姓名[:：]?)\s*([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})")),
)
PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|CARD|ID|IBAN|SSN|IP|PASSPORT|NAME|ADDRESS|ZIP|DOB)_\d+\]")


class Redactor:
    def __init__(self) -> None:
        self._token_of: dict[tuple[str, str], str] = {}
        self._value_of: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    @property
    def mapping(self) -> dict[str, str]:
        """Placeholder → original: kept by kefu, never sent."""
        return dict(self._value_of)

    def token(self, label: str, value: str) -> str:
        key = (label, value.strip())
        found = self._token_of.get(key)
        if found is None:
            self._counts[label] = self._counts.get(label, 0) + 1
            found = f"[{label}_{self._counts[label]}]"
            self._token_of[key] = found
            self._value_of[found] = value.strip()
        return found

    def text(self, text: str) -> str:
        """``text`` with each PII span replaced by its placeholder; card secrets dropped. Values this
        redactor already holds (from structured data: a zip, a name) are replaced wherever they occur."""
        for (_, value), token in sorted(self._token_of.items(), key=lambda item: -len(item[0][1])):
            if len(value) >= 3:
                pattern = rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])"
                text = re.sub(pattern, token, text, flags=re.IGNORECASE)
        for label, cue in _EXTRA_CUES:
            text = cue.sub(partial(self._cued, label), text)
        spans = find_pii(text)
        if not spans:
            return text
        out, last = [], 0
        for span in spans:
            before = text[last : span.start]
            if span.kind == CARD_SECRET:
                out.append(before.rstrip(" \t,，;；、"))
            else:
                out.append(before)
                out.append(self.token(_LABELS.get(span.kind, span.kind), text[span.start : span.end]))
            last = span.end
        out.append(text[last:])
        return "".join(out)

    def _cued(self, label: str, match: re.Match[str]) -> str:
        return match.group(0).replace(match.group(1), self.token(label, match.group(1)))

    def data(self, value: Any, key: str | None = None) -> Any:
        """JSON-like ``value`` redacted: strings under a sensitive key wholesale, others scanned."""
        if isinstance(value, dict):
            return {k: self.data(v, str(k).lower()) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item, key) for item in value]
        if isinstance(value, str):
            label = SENSITIVE_KEYS.get(key or "")
            if label is not None and value.strip() and not PLACEHOLDER.fullmatch(value.strip()):
                return self.token(label, value)
            return self.text(value)
        return value

    def restore(self, value: Any) -> Any:
        """Placeholders in ``value`` (a string or JSON-like data) replaced by their originals; an unknown
        placeholder (one the model made up) is left as it is, so validation can refuse it."""
        if isinstance(value, str):
            return PLACEHOLDER.sub(lambda m: self._value_of.get(m.group(0), m.group(0)), value)
        if isinstance(value, dict):
            return {k: self.restore(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.restore(item) for item in value]
        return value

    def invented(self, value: Any) -> list[str]:
        """Placeholders in ``value`` that this redactor never issued (the model invented them)."""
        found: list[str] = []
        if isinstance(value, str):
            found = [m for m in PLACEHOLDER.findall(value) if m not in self._value_of]
        elif isinstance(value, dict):
            for item in value.values():
                found += self.invented(item)
        elif isinstance(value, list | tuple):
            for item in value:
                found += self.invented(item)
        return found
