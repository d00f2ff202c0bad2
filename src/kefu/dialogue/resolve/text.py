"""Text analysis shared by the resolvers: folded text, Latin tokens with spans, quantities, patterns.

A message is analysed once (``analyse``): NFKC + lower case (same length, so spans index the message),
contractions opened ("don't" → "do not"), quantities turned into one canonical token ("1 litre", "1L",
"1000ml", "一升" → ``1000ml``; "13-inch", "13 inches" → ``13inch``), Latin words stemmed ("shirts" →
``shirt``). A ``Pattern`` is one surface form of a catalogue name: Latin tokens (matched token by token,
with one typo allowed in words of 5+ letters) or a Han string (matched as a substring).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kefu.nlu.numbers import ZH_NUMBER, fold, parse_chinese_number

Span = tuple[int, int]

HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[a-z0-9%]+(?:\.[0-9]+)?")
_CONTRACTION = re.compile(r"(?<=[a-z])['’](m|s|d|ll|re|ve)\b")
_NOT = re.compile(r"(?<=[a-z])n['’]t\b")

# unit words → (canonical unit, factor); longer alternatives first in the regex.
_UNITS: dict[str, tuple[str, float]] = {}
for _names, _unit, _factor in (
    (("ml", "milliliter", "milliliters", "millilitre", "millilitres", "毫升"), "ml", 1.0),
    (("l", "liter", "liters", "litre", "litres", "ltr", "升"), "ml", 1000.0),
    (("gb", "gig", "gigs", "g"), "gb", 1.0),
    (("tb", "terabyte", "terabytes"), "gb", 1000.0),
    (("mah",), "mah", 1.0),
    (("mm", "millimeter", "millimeters", "millimetre", "millimetres", "毫米"), "mm", 1.0),
    (("inch", "inches", "in.", '"', "”", "英寸", "寸"), "inch", 1.0),
    (("ft", "feet", "foot", "英尺"), "ft", 1.0),
    (("hours", "hour", "hrs", "hr", "h", "小时", "个小时"), "hour", 1.0),
    (("lbs", "lb", "pounds", "pound", "磅"), "lb", 1.0),
    (("w", "watt", "watts", "瓦"), "w", 1.0),
    (("mp", "megapixel", "megapixels", "百万像素"), "mp", 1.0),
    (("bar",), "bar", 1.0),
    (("x", "倍"), "x", 1.0),
    (("k",), "k", 1.0),
    (("p",), "p", 1.0),
    (("degrees", "degree", "°", "度"), "degree", 1.0),
    (("cups", "cup", "杯"), "cup", 1.0),
    (("pieces", "piece", "pcs", "pc", "件套", "片"), "piece", 1.0),
    (("码", "号"), "", 1.0),
):
    for _name in _names:
        _UNITS[_name] = (_unit, _factor)
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twelve": 12, "twenty": 20, "half a": 0.5, "a half": 0.5,
}  # fmt: skip
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(_EN_NUMBERS) + rf"|{ZH_NUMBER})"
_QUANTITY = re.compile(rf"(?<![a-z0-9.大小]){_NUM}\s*-?\s*({_UNIT_ALT})(?![a-z])")

#: words never corrected as typos (they are close to catalogue words: while/white, larger/large …)
COMMON = frozenset(
    [
        "while",
        "where",
        "there",
        "these",
        "those",
        "which",
        "would",
        "could",
        "should",
        "about",
        "after",
        "other",
        "order",
        "their",
        "think",
        "right",
        "thanks",
        "please",
        "thank",
        "larger",
        "bigger",
        "longer",
        "higher",
        "lower",
        "wider",
        "faster",
        "lighter",
        "darker",
        "brighter",
        "cheaper",
        "shorter",
        "thicker",
        "thinner",
        "smaller",
        "louder",
        "heavier",
        "newer",
        "older",
        "before",
        "again",
        "still",
        "never",
        "always",
        "maybe",
        "return",
        "refund",
        "change",
        "cancel",
        "exchange",
        "instead",
        "rather",
        "prefer",
        "every",
        "today",
        "money",
        "table",
        "share",
        "shore",
        "store",
        "stores",
        "shown",
        "being",
        "doing",
        "going",
        "having",
        "check",
    ]
)


def number_value(text: str) -> float | None:
    if text in _EN_NUMBERS:
        return float(_EN_NUMBERS[text])
    try:
        return float(text)
    except ValueError:
        return parse_chinese_number(text)


def quantity_token(number: float, unit: str) -> str:
    return f"{number:g}{unit}"


def stem(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def deletions(word: str) -> frozenset[str]:
    return frozenset(word[:i] + word[i + 1 :] for i in range(len(word)))


def fuzzy(word: str) -> bool:
    """Words long enough to be matched with one typo."""
    return len(word) >= 5 and word.isalpha()


@dataclass(frozen=True)
class Token:
    text: str  # normalised: stemmed word, or a quantity such as "1000ml"
    start: int
    end: int
    raw: str  # the word as written (lower case)


@dataclass(frozen=True)
class Analysed:
    original: str
    folded: str  # NFKC, lower case, same length as ``original``
    tokens: tuple[Token, ...]
    _index: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def positions(self, token: str) -> list[int]:
        """Token positions equal to ``token`` or one typo away from it (words of 5+ letters)."""
        if not self._index:
            for i, tok in enumerate(self.tokens):
                self._index.setdefault(tok.text, []).append(i)
                if fuzzy(tok.text) and tok.text not in COMMON:
                    for variant in deletions(tok.text):
                        self._index.setdefault("\0" + variant, []).append(i)
                    self._index.setdefault("\0" + tok.text, []).append(i)
        found = list(self._index.get(token, ()))
        if fuzzy(token):
            for variant in (token, *deletions(token)):
                found.extend(i for i in self._index.get("\0" + variant, ()) if i not in found)
        return found

    def has_han(self) -> bool:
        return bool(HAN.search(self.folded))


def analyse(text: str) -> Analysed:
    folded = fold(text, lower=True)
    work = _NOT.sub(lambda m: " " * (len(m.group(0)) - 3) + "not", folded)
    work = _CONTRACTION.sub(lambda m: " " * len(m.group(0)), work)
    tokens: list[Token] = []
    covered: list[Span] = []
    for match in _QUANTITY.finditer(work):
        value = number_value(match.group(1))
        if value is None:
            continue
        unit, factor = _UNITS[match.group(2)]
        tokens.append(Token(quantity_token(value * factor, unit), match.start(), match.end(), match.group(0)))
        covered.append((match.start(), match.end()))
    for match in _WORD.finditer(work):
        if any(s <= match.start() < e for s, e in covered):
            continue
        raw = match.group(0)
        tokens.append(Token(stem(raw), match.start(), match.end(), raw))
    tokens.sort(key=lambda t: t.start)
    return Analysed(text, folded, tuple(tokens))


@dataclass(frozen=True)
class Pattern:
    """One surface form: Latin ``tokens`` or a ``han`` substring. ``exact`` marks the catalogue's own
    spelling (it wins over an alias on the same words)."""

    tokens: tuple[str, ...] = ()
    han: str = ""
    exact: bool = False


@lru_cache(maxsize=8192)
def pattern(surface: str, exact: bool = False) -> Pattern:
    folded = fold(surface, lower=True).strip()
    if HAN.search(folded):
        return Pattern(han=folded, exact=exact)
    return Pattern(tokens=tuple(t.text for t in analyse(folded).tokens), exact=exact)


def patterns(surfaces: Iterable[str], exact: bool = False) -> tuple[Pattern, ...]:
    out = [pattern(s, exact) for s in surfaces if s.strip()]
    return tuple(p for p in dict.fromkeys(out) if p.tokens or p.han)


def _same_number(a: str, b: str) -> bool:
    """A bare number matches a quantity with the same number ("1000" pieces, "size 10")."""
    ma, mb = re.match(r"(\d+(?:\.\d+)?)([a-z]*)$", a), re.match(r"(\d+(?:\.\d+)?)([a-z]*)$", b)
    if not ma or not mb or (ma.group(2) and mb.group(2)):
        return False
    return float(ma.group(1)) == float(mb.group(1))


def _token_matches(text: Analysed, index: int, token: str) -> bool:
    actual = text.tokens[index].text
    return actual == token or index in text.positions(token) or _same_number(actual, token)


def window(text: Analysed, span: Span, before: int = 24, after: int = 0) -> str:
    """The folded text just before (and after) ``span``."""
    return text.folded[max(0, span[0] - before) : span[0]] + " " + text.folded[span[1] : span[1] + after]


def longest(matches: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """Drop matches whose span lies strictly inside another match's span."""
    return [
        (span, key)
        for span, key in matches
        if not any(o[0] <= span[0] and span[1] <= o[1] and o != span for o, _ in matches)
    ]


class Matcher:
    """Many patterns matched at once: indexed by their first token (and its one-typo variants), so a
    message costs a few dictionary look-ups per word, not one scan per pattern."""

    def __init__(self, entries: Iterable[tuple[Pattern, str]]) -> None:
        self._first: dict[str, list[tuple[Pattern, str]]] = {}
        self._numbers: list[tuple[Pattern, str]] = []
        self._han: list[tuple[Pattern, str]] = []
        for pat, key in dict.fromkeys(entries):
            if pat.han:
                self._han.append((pat, key))
                continue
            first = pat.tokens[0]
            self._first.setdefault(first, []).append((pat, key))
            if fuzzy(first):
                for variant in deletions(first) | {first}:
                    self._first.setdefault("\0" + variant, []).append((pat, key))
            if first[:1].isdigit():
                self._numbers.append((pat, key))

    def find_all(self, text: Analysed) -> list[tuple[Span, str, Pattern]]:
        found: dict[tuple[Span, str, Pattern], None] = {}
        for pat, key in self._han:
            start = text.folded.find(pat.han)
            while start >= 0:
                found[((start, start + len(pat.han)), key, pat)] = None
                start = text.folded.find(pat.han, start + 1)
        for i, token in enumerate(text.tokens):
            candidates = list(self._first.get(token.text, ()))
            if fuzzy(token.text) and token.text not in COMMON:
                for variant in deletions(token.text) | {token.text}:
                    candidates.extend(self._first.get("\0" + variant, ()))
            if token.text[:1].isdigit():
                candidates.extend(e for e in self._numbers if _same_number(token.text, e[0].tokens[0]))
            for pat, key in candidates:
                n = len(pat.tokens)
                if i + n <= len(text.tokens) and all(
                    _token_matches(text, i + k, pat.tokens[k]) for k in range(1, n)
                ):
                    found[((token.start, text.tokens[i + n - 1].end), key, pat)] = None
        return list(found)
