"""Finding catalogue words in a message: product names, option names and option values.

Every catalogue word has surface forms: its own spelling (``exact``), the glossary's Chinese and English
terms, and looser forms (a product's head noun, "lamp" for "Desk Lamp"; one distinctive word of a
multi-word value, "AC" for "AC adapter"). Where forms overlap the longest wins ("smart watch" over
"watch"), and on the same words the catalogue's own spelling wins over an alias.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.text import Analysed, Matcher, Pattern, Span, longest, pattern, patterns, window

Record = dict[str, Any]

_GENERIC_HEADS = frozenset({"set", "kit", "machine", "maker", "cleaner", "shoes", "watch", "bulb"})
_GENERIC_VALUE_WORDS = frozenset(
    {"card", "cover", "equivalent", "inch", "hour", "degree", "piece", "ssd", "mode", "operation", "tilt",
     "white", "removal", "filter", "sensor", "press", "gold", "steel", "grey", "gray", "rubber", "brand"}
)  # fmt: skip
_NEGATION_EN = re.compile(
    r"(?:\b(?:not|no|never|instead of|rather than|other than|except|excluding|without|from|anything but|"
    r"don't want|do not want|no longer)\b)\s*(?:(?:the|a|an|that|any|more|of)\s+)?(?:[\w-]+\s+)?$"
)
_CONDITIONAL = re.compile(
    r"(?:\bif\s+(?:there\s+(?:is|are)\s+|there's\s+|you\s+(?:have|do not have|don't have)\s+|it\s+is\s+)?"
    r"(?:no|not)\b[\w\s-]*$)|(?:如果|要是|若是?|假如)(?:没有|没|不是)[^，,。]*$"
)
_NEGATION_ZH = re.compile(
    r"(?:不要|不是|而不是|除了|不想要|别要|别|非|不|无|没有|换掉|不再)(?:那个|这个|的)?$"
)


@dataclass(frozen=True)
class Mention:
    span: Span
    key: str  # a product name, an option name, or "option\0value"
    exact: bool
    plural: bool = False

    @property
    def option(self) -> str:
        return self.key.split("\0", 1)[0]

    @property
    def value(self) -> str:
        return self.key.split("\0", 1)[-1]


def negated(text: Analysed, span: Span) -> bool:
    before = window(text, span, before=28).rstrip()
    if _CONDITIONAL.search(before):
        return False
    return bool(_NEGATION_EN.search(before + " ") or _NEGATION_ZH.search(before))


@lru_cache(maxsize=256)
def _product_matcher(names: tuple[str, ...], glossary: Glossary) -> Matcher:
    entries: list[tuple[Pattern, str]] = []
    for name in names:
        entries.extend((p, name) for p in patterns((name, *glossary.product_terms(name).all), exact=True))
        head = pattern(name.split()[-1]) if " " in name else None
        if head is not None and head.tokens and head.tokens[-1] not in _GENERIC_HEADS:
            entries.append((head, name))
    return Matcher(entries)


def find_products(text: Analysed, names: Iterable[str], glossary: Glossary) -> list[Mention]:
    """Product names mentioned, the longest form winning where forms overlap."""
    found: list[tuple[Span, str]] = []
    exact: set[tuple[Span, str]] = set()
    for span, name, pat in _product_matcher(tuple(dict.fromkeys(names)), glossary).find_all(text):
        found.append((span, name))
        if pat.exact:
            exact.add((span, name))
    kept = longest(list(dict.fromkeys(found)))
    mentions = []
    for span, name in kept:
        raw = text.folded[span[0] : span[1]]
        plural = raw.endswith("s") and not name.lower().endswith("s")
        mentions.append(Mention(span, name, (span, name) in exact, plural))
    return mentions


def option_values(variants: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Each option's values as they appear over a product's variants (or an order's items)."""
    out: dict[str, list[str]] = {}
    for variant in variants:
        for option, value in (variant.get("options") or {}).items():
            values = out.setdefault(str(option), [])
            if str(value) not in values:
                values.append(str(value))
    return out


@lru_cache(maxsize=1024)
def _value_matcher(options: tuple[tuple[str, tuple[str, ...]], ...], glossary: Glossary) -> Matcher:
    out: list[tuple[Pattern, str]] = []
    for option, values in options:
        for value in values:
            key = f"{option}\0{value}"
            out.extend((p, key) for p in patterns((value,), exact=True))
            out.extend((p, key) for p in patterns(glossary.value_terms(value, option).all))
            words = pattern(value).tokens
            if len(words) > 1:
                for word in words:
                    if word in _GENERIC_VALUE_WORDS or len(word) < 2 or word[:1].isdigit():
                        continue
                    if any(word in pattern(o).tokens for o, _ in options):
                        continue  # "size" alone is the option's name, not the value "full size"
                    others = [v for v in values if v != value and word in pattern(v).tokens]
                    if not others:
                        out.append((Pattern(tokens=(word,)), key))
    return Matcher(out)


def _frozen(options: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((o, tuple(v)) for o, v in options.items())


def find_values(
    text: Analysed, options: Mapping[str, Sequence[str]], glossary: Glossary, prefer_exact: bool = True
) -> list[Mention]:
    """Option values mentioned. One span can stand for values of several options ("black" frame or
    lens): an option name next to it decides; otherwise every reading is returned."""
    found: dict[tuple[Span, str], bool] = {}
    for span, key, pat in _value_matcher(_frozen(options), glossary).find_all(text):
        found[(span, key)] = found.get((span, key), False) or pat.exact
    option_spans = find_options(text, options, glossary)
    inside = [m.span for m in option_spans]
    kept = [
        (span, key)
        for span, key in longest(list(found))
        if not any(s <= span[0] and span[1] <= e and (s, e) != span for s, e in inside)
    ]  # "bagged" in the option name "bagged/bagless" is no value
    by_span: dict[Span, list[tuple[str, bool]]] = {}
    for span, key in kept:
        by_span.setdefault(span, []).append((key, found[(span, key)]))
    mentions: list[Mention] = []
    for span, readings in by_span.items():
        if len({k.split("\0")[0] for k, _ in readings}) > 1:
            near = {m.key for m in option_spans if adjacent(text, span, m.span)}
            if near:
                readings = [r for r in readings if r[0].split("\0")[0] in near] or readings
        if prefer_exact and any(exact for _, exact in readings):
            readings = [r for r in readings if r[1]]
        mentions.extend(Mention(span, key, exact) for key, exact in readings)
    return sorted(mentions, key=lambda m: m.span)


@lru_cache(maxsize=1024)
def _option_matcher(options: tuple[str, ...], glossary: Glossary) -> Matcher:
    return Matcher(
        (p, option) for option in options for p in patterns((option, *glossary.option_terms(option).all))
    )


def find_options(text: Analysed, options: Iterable[str], glossary: Glossary) -> list[Mention]:
    found = [(span, option) for span, option, _ in _option_matcher(tuple(options), glossary).find_all(text)]
    return [Mention(span, option, True) for span, option in longest(list(dict.fromkeys(found)))]


def adjacent(text: Analysed, a: Span, b: Span, words: int = 2) -> bool:
    """At most ``words`` words (or 3 Chinese characters) and no punctuation between two spans."""
    gap = text.folded[min(a[1], b[1]) : max(a[0], b[0])]
    if re.search(r"[,，.。;；、!！?？()（）]", gap):
        return False
    han = len(re.findall(r"[\u4e00-\u9fff]", gap))
    return len(gap.split()) <= words and len(gap) <= 12 and han <= 3
