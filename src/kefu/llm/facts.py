"""The facts of a text that generated wording must never change: numbers and amounts, ids, PII
placeholders, e-mail addresses, URLs and dates. ``facts_of`` returns them as a multiset, normalised
(``1,299.00`` → ``1299.00``; ``¥ 35`` → ``35``) so a rewording may move them but not alter, add or drop
one."""

from __future__ import annotations

import re
from collections import Counter

_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,40}\]")
_URL = re.compile(r"https?://[^\s)>\]，。]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ID = re.compile(r"#?\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9_-]{2,}\b")
_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?")


def _number(raw: str) -> str:
    value = raw.replace(",", "").replace("，", "")
    if "." in value:
        whole, _, fraction = value.partition(".")
        return f"{int(whole)}.{fraction.rstrip('0') or '0'}"
    return str(int(value))


def facts_of(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    rest = text
    for pattern, kind in ((_PLACEHOLDER, "ph"), (_URL, "url"), (_EMAIL, "email"), (_ID, "id")):
        for match in pattern.finditer(rest):
            token = match.group(0)
            found[f"{kind}:{token.lstrip('#').lower() if kind == 'id' else token}"] += 1
        rest = pattern.sub(" ", rest)
    for match in _NUMBER.finditer(rest):
        found[f"num:{_number(match.group(0))}"] += 1
    return found


def same_facts(original: str, generated: str) -> bool:
    return facts_of(original) == facts_of(generated)


def new_facts(source: str, generated: str) -> Counter[str]:
    """Facts in ``generated`` that ``source`` does not have (invented numbers, ids …)."""
    have = facts_of(source)
    return Counter({fact: n for fact, n in facts_of(generated).items() if fact not in have})
