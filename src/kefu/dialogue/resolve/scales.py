"""Ordered option values and the comparatives and superlatives customers use over them.

``ranks`` orders an option's values: known scales (XS < S < M < L < XL < XXL, low < medium < high,
60% < 80% < full size …) or numbers with units ("500ml" < "1L", "1080p" < "4K", "256GB SSD" < "1TB
SSD"). ``relations`` reads "bigger", "a bit smaller", "less bright", "the cheapest", "more storage",
"大一号", "最便宜", "亮一点" as (option, direction, superlative), the option taken from an option name next
to the word ("larger capacity") or the word's usual option ("bigger" → size, capacity, screen size …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from kefu.dialogue.resolve.catalogue import Mention, adjacent, find_options
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.text import Analysed, Span, analyse

PRICE = "price"
Direction = Literal["more", "less"]

_SCALES: tuple[tuple[str, ...], ...] = (
    ("xs", "s", "m", "l", "xl", "xxl"),
    ("portable", "small", "medium", "large"),
    ("low", "medium", "high"),
    ("basic", "professional"),
    ("beginner", "intermediate", "expert"),
    ("60%", "80%", "full size"),
    ("standard", "high-back"),
    ("half", "full"),
    ("light", "medium", "dark"),
    ("2-piece", "3-piece", "4-piece"),
    ("i3", "i5", "i7", "i9"),
)
_FAMILIES: dict[str, tuple[str, ...]] = {
    "size": ("size", "capacity", "screen size", "frame size", "room size", "diameter", "length", "height",
             "piece count", "kit size", "pieces", "weight range", "thickness", "storage"),
    "bright": ("brightness",),
    "long": ("length", "battery life", "height"),
    "thick": ("thickness",),
    "heavy": ("weight range",),
    "fast": ("speed settings",),
    "sharp": ("resolution",),
    "wide": ("field of view",),
    "price": (PRICE,),
    "hard": ("difficulty level",),
    "pieces": ("pieces", "piece count"),
    "generic": (),
}  # fmt: skip

# (regex, family, direction, superlative)
_WORDS: tuple[tuple[str, str, Direction, bool], ...] = (
    (r"\b(?:biggest|largest)\b|最大", "size", "more", True),
    (r"\bsmallest\b|最小", "size", "less", True),
    (
        r"\b(?:bigger|larger|a size up|one size up|size up|next size up)\b|大一号|大一码|"
        r"大一点|大点|大些|大一些|更大|加大一",
        "size",
        "more",
        False,
    ),
    (
        r"\b(?:smaller|a size down|one size down|size down|next size down)\b|小一号|小一码|"
        r"小一点|小点|小些|小一些|更小",
        "size",
        "less",
        False,
    ),
    (r"\bbrightest\b|最亮", "bright", "more", True),
    (r"\b(?:dimmest|least bright)\b|最暗", "bright", "less", True),
    (r"\b(?:brighter|more bright)\b|更亮|亮一点|亮一些|亮点", "bright", "more", False),
    (
        r"\b(?:less bright|dimmer|not as bright|not so bright|lower brightness)\b|暗一点|暗一些|更暗|暗点|"
        r"不那么亮|没那么亮|亮度低一点|亮度低一些",
        "bright",
        "less",
        False,
    ),
    (
        r"\b(?:cheapest|least expensive|lowest price|most affordable)\b|最便宜|最实惠|最低价",
        "price",
        "less",
        True,
    ),
    (r"\b(?:most expensive|priciest|highest price)\b|最贵", "price", "more", True),
    (
        r"\b(?:cheaper|less expensive|lower price|more affordable|lower priced)\b|便宜一点|"
        r"便宜点|便宜些|更便宜|便宜一些",
        "price",
        "less",
        False,
    ),
    (r"\b(?:more expensive|pricier|higher price)\b|贵一点|更贵|贵一些", "price", "more", False),
    (r"\blongest\b|最长", "long", "more", True),
    (r"\bshortest\b|最短", "long", "less", True),
    (r"\blonger\b|长一点|更长|长一些|长点", "long", "more", False),
    (r"\bshorter\b|短一点|更短|短一些|短点", "long", "less", False),
    (r"\bthicker\b|厚一点|更厚", "thick", "more", False),
    (r"\bthinner\b|薄一点|更薄", "thick", "less", False),
    (r"\bheavier\b|重一点|更重", "heavy", "more", False),
    (r"\bfaster\b|快一点|更快", "fast", "more", False),
    (r"\b(?:sharper|higher resolution)\b|更清晰|清晰一点", "sharp", "more", False),
    (r"\bwider\b|更广|广一点", "wide", "more", False),
    (r"\b(?:easiest|simplest)\b|最简单|最容易", "hard", "less", True),
    (r"\b(?:hardest|most difficult|most challenging)\b|最难", "hard", "more", True),
    (r"\b(?:easier|simpler|less difficult)\b|简单一点|简单些|更简单|容易一点", "hard", "less", False),
    (r"\b(?:harder|more difficult|more challenging)\b|难一点|更难", "hard", "more", False),
    (r"\bfewest\b|最少", "pieces", "less", True),
    (r"\b(?:most|highest|maximum|max)\b", "generic", "more", True),
    (r"\b(?:least|lowest|minimum|min|fewest)\b", "generic", "less", True),
    (r"\b(?:more|higher|greater|extra)\b|更多|更高|多一点|高一点|大一点", "generic", "more", False),
    (r"\b(?:less|lower|fewer)\b|更少|更低|少一点|低一点", "generic", "less", False),
)
_COMPILED = tuple((re.compile(rx), fam, d, sup) for rx, fam, d, sup in _WORDS)


@dataclass(frozen=True)
class Relation:
    option: str  # an option name, or ``PRICE``
    direction: Direction
    superlative: bool
    span: Span


def ranks(values: Sequence[str]) -> dict[str, float] | None:
    """Each value's place on its scale, or ``None`` when the values have no order."""
    lowered = {v: v.lower() for v in values}
    for scale in _SCALES:
        if all(v in scale for v in lowered.values()):
            return {v: float(scale.index(low)) for v, low in lowered.items()}
    out: dict[str, float] = {}
    for value in values:
        number = _number(value)
        if number is None:
            return None
        out[value] = number
    return out


def _number(value: str) -> float | None:
    for token in analyse(value).tokens:
        match = re.match(r"(\d+(?:\.\d+)?)([a-z%]*)$", token.text)
        if match:
            number = float(match.group(1))
            return number / 540 if match.group(2) == "p" else number
    return None


def relations(text: Analysed, options: Mapping[str, Sequence[str]], glossary: Glossary) -> list[Relation]:
    """Comparatives and superlatives over ``options`` (only options whose values are ordered)."""
    ordered = [o for o, values in options.items() if ranks(values) is not None]
    names = find_options(text, ordered, glossary) if ordered else []
    found: list[Relation] = []
    taken: list[Span] = []
    for regex, family, direction, superlative in _COMPILED:
        for match in regex.finditer(text.folded):
            span = match.span()
            if any(s <= span[0] < e for s, e in taken):
                continue
            option = _option_for(text, span, names, family, ordered)
            if option is None:
                continue
            taken.append(span)
            found.append(Relation(option, direction, superlative, span))
    return sorted(found, key=lambda r: r.span)


def _option_for(
    text: Analysed, span: Span, names: Iterable[Mention], family: str, ordered: Sequence[str]
) -> str | None:
    for mention in names:
        if family != PRICE and adjacent(text, span, mention.span):
            return mention.key
    if family == "price":
        return PRICE
    return next((o for o in _FAMILIES[family] if o in ordered), None)
