"""What the customer wants of a product's options, read from one message, as alternatives in order of
preference ("X if you have it, otherwise Y", "prefer battery > USB > AC", "black or white").

Each ``Want`` holds option values (hard), comparatives and superlatives, values kept from the current
item or from one the customer owns, and the options the customer does not care about. Values ruled
out ("instead of Apple HomeKit", "not black") apply to every alternative. When the message talks about
several products ("the helmet in red and the luggage in black"), only the part about this product is
read. A value that only describes the current item ("change the 17-inch laptop to a 13-inch one") is
not a wish.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kefu.dialogue.resolve.catalogue import Mention, find_options, find_products, find_values, negated
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.scales import Relation, ranks, relations
from kefu.dialogue.resolve.text import Analysed, Span, analyse, pattern, stem

_NEW_ALTERNATIVE = re.compile(
    r"\b(?:otherwise|or else|else|if not|failing that|second choice|next best|if there isn'?t (?:one|any)|"
    r"if (?:it'?s|that'?s|they'?re|it is|that is) (?:not available|unavailable|out of stock|sold out)|"
    r"if (?:not |un)available|if (?:you )?(?:don'?t|do not|can'?t) have (?:it|that|one|them|any)|"
    r"if (?:\S+\s+){1,3}(?:is|are) not (?:possible|available))\b|\bover\b(?!-)|>|"
    r"否则|不然|没有的话|没货的话|如果没有的话|没有就|实在不行|其次|再不行|不行的话|或者"
)
_CONDITION = re.compile(
    r"\bif (?:there is |there's |there are |you have |you do not have |you don't have )?no\b|"
    r"如果没有|要是没有"
)
_SOFT = re.compile(r"\b(?:prefer|preferably|preferred|ideally|if possible|if you can)\b|最好|尽量|优先")
_SENTENCE_END = re.compile(r"[.;!?。；！？\n]")
_KEEP_BEFORE = re.compile(
    r"(?:\b(?:same|keep|keeping|identical|unchanged)(?: the)?\s*$)|(?:同样的?|一样的?|相同的?|保持)$"
)
_KEEP_AFTER = re.compile(
    r"^\s*(?:stays?\b|unchanged|the same|as (?:before|is|it is)|不变|一样|相同|保持不变)|"
    r"^(?:还是|也)?(?:跟|和|与)?(?:原来|之前|现在|以前)的?(?:一样|相同|不变)|^还是原来的"
)
_OWNED = re.compile(
    r"\bas (?:the one|the ones|what|mine|my|the)\b[^.;,]*?\b(?:have|own|bought|got|already)\b|\bas mine\b|"
    r"\bas my\b|(?:和|跟|与)我(?:已经|之前|以前)?(?:有|买|买过|用)的"
)
_RELEASE_BEFORE = re.compile(
    r"\b(?:(?:do not|don't|doesn't|does not|won't) (?:care|mind) (?:about|what|which)?|any|whatever|"
    r"regardless of)\s*(?:the\s+)?$|(?:不在乎|不介意|随便|无所谓)$"
)
_RELEASE_AFTER = re.compile(
    r"^\s*(?:doesn'?t matter|does not matter|is fine either way|无所谓|随便|都可以|都行)"
)
_RELEASE_ALL = re.compile(
    r"\b(?:do not|don't) care about (?:the )?(?:other|rest of the) (?:specs|options|features|details)\b|"
    r"\bother (?:specs|options) (?:don'?t|do not) matter\b|\banything else is fine\b|"
    r"其他(?:的)?(?:都)?无所谓|其他(?:的)?(?:配置|参数|选项)?(?:都行|都可以|随便)"
)
_AT_LEAST_AFTER = re.compile(
    r"^\s*(?:or (?:above|higher|more|better|bigger|larger|up)|and (?:above|up)|\+|及以上|以上|或以上|或更高)"
)
_AT_MOST_AFTER = re.compile(
    r"^\s*(?:or (?:below|lower|less|smaller|under)|and (?:below|under)|及以下|以下|或以下|或更低)"
)
_AT_LEAST_BEFORE = re.compile(r"\bat least\s*$|至少$")
_AT_MOST_BEFORE = re.compile(r"\bat most\s*$|\bno more than\s*$|最多$")
_DELTA = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[a-z]+\s+)?(more|fewer|less|extra)\b|(?:多|少)(\d+)")
_OWNED_LEAD = re.compile(r"(?:\b(?:as|like|than|with)\s+(?:my|the one|the|mine)\s*$)|(?:和|跟|与|像)我的?$")
_YES_NO_AFTER = re.compile(r"^\W{0,4}(yes|none|no|true|false|是|否|不)\b")
_PHRASE_BREAK = re.compile(r"[,;.!?，；。、(（]|\band\b|\bthen\b|\balso\b|和|还有|以及|另外")
_UNSPOKEN = frozenset({"yes", "no", "none"})  # never read from the bare word ("no, I want …")
_NONE_VALUES = ("none", "no", "not resistant")


@dataclass
class Want:
    values: dict[str, set[str]] = field(default_factory=dict)  # option → acceptable values
    either: list[set[tuple[str, str]]] = field(default_factory=list)  # one span, several options
    relations: list[Relation] = field(default_factory=list)
    soft: set[str] = field(default_factory=set)
    said: list[str] = field(default_factory=list)
    released: set[str] = field(default_factory=set)  # options the customer does not care about
    release_all: bool = False

    def copy(self) -> Want:
        return Want(
            {k: set(v) for k, v in self.values.items()},
            list(self.either),
            list(self.relations),
            set(self.soft),
            list(self.said),
            set(self.released),
            self.release_all,
        )

    def empty(self) -> bool:
        return not (self.values or self.either or self.relations)

    def constrains(self, option: str) -> bool:
        return option in self.values or any(r.option == option for r in self.relations)


def read_wants(
    text: str,
    product_name: str,
    options: dict[str, list[str]],
    cur: Mapping[str, Any],
    owned: Sequence[Mapping[str, Any]],
    glossary: Glossary,
) -> tuple[list[Want], dict[str, set[str]]]:
    """The customer's alternatives in order of preference, and the values they ruled out."""
    original = analyse(text)
    spoken = {o: [v for v in vals if v.lower() not in _UNSPOKEN] for o, vals in options.items()}
    ours = [m.span for m in find_values(original, spoken, glossary)]
    analysed = analyse(own_part(original, product_name, glossary, ours))
    events: list[tuple[Span, str, Any]] = []
    excluded: dict[str, set[str]] = {}
    by_span: dict[Span, list[Mention]] = {}
    for mention in find_values(analysed, spoken, glossary, prefer_exact=False):
        by_span.setdefault(mention.span, []).append(mention)
    by_span = {span: _one_reading(span, group, by_span) for span, group in by_span.items()}
    for span, group in by_span.items():
        if negated(analysed, span):
            for m in group:
                excluded.setdefault(m.option, set()).add(m.value)
        else:
            events.append((span, "value", _ranged(analysed, span, group, options)))
    released: set[str] = set()
    for mention in find_options(analysed, options, glossary):
        if any(s <= mention.span[0] and mention.span[1] <= e for s, e in by_span):
            continue
        event = _option_event(analysed, original, mention, cur, owned, options, glossary, product_name)
        if event == "release":
            released.add(mention.key)
        elif isinstance(event, tuple):
            events.append(event)
    events.extend((r.span, "relation", r) for r in relations(analysed, options, glossary))
    deltas = _deltas(analysed, options, cur, glossary)
    events = [e for e in events if not any(d[0][0] <= e[0][0] < d[0][1] for d in deltas)] + deltas
    events = _without_descriptions_of_current(analysed, sorted(events, key=lambda e: e[0]), cur)
    wants = _alternatives(analysed, events)
    release_all = bool(_RELEASE_ALL.search(analysed.folded))
    for want in wants:
        want.released |= released
        want.release_all = release_all
    return wants, excluded


def own_part(text: Analysed, product_name: str, glossary: Glossary, values: Sequence[Span] = ()) -> str:
    """The message with the parts about other products blanked out (same length, so spans hold).
    ``values`` are spans of this product's option values: a product name there is a value ("a camera
    compartment", "fleece"), not another product."""
    names = list(dict.fromkeys([product_name, *glossary.product_names()]))
    by_span: dict[Span, set[str]] = {}
    for mention in find_products(text, names, glossary):
        if _OWNED_LEAD.search(text.folded[max(0, mention.span[0] - 14) : mention.span[0]]):
            continue  # "the same colour as my backpack" refers to, not talks about, the backpack
        overlaps = any(s < mention.span[1] and mention.span[0] < e for s, e in values)
        if mention.key != product_name and overlaps:
            continue
        by_span.setdefault(mention.span, set()).add(mention.key)
    starts = sorted(by_span)
    ours = [product_name in by_span[s] for s in starts]
    if not any(ours) or all(ours):
        return text.original  # this product is not named (or only it is): nothing to tell apart
    keep = [False] * len(text.original)
    # a product's part begins where its phrase does: "…, brighter lamp" takes "brighter" with it
    bounds = [0] + [_phrase_start(text.folded, starts[i - 1][1], starts[i][0]) for i in range(1, len(starts))]
    for index in range(len(starts)):
        begin = bounds[index]
        end = bounds[index + 1] if index + 1 < len(starts) else len(keep)
        if ours[index]:
            for i in range(begin, end):
                keep[i] = True
    return "".join(c if keep[i] else " " for i, c in enumerate(text.original))


def _phrase_start(folded: str, after: int, mention: int) -> int:
    cuts = [m.end() for m in _PHRASE_BREAK.finditer(folded, after, mention)]
    return cuts[-1] if cuts else mention


def _one_reading(span: Span, group: list[Mention], by_span: Mapping[Span, list[Mention]]) -> list[Mention]:
    """ "Medium, red, high ventilation": "medium" is the size, since the ventilation is said to be high.
    A word that could be a value of several options is read as the option nothing else speaks of,
    else as the catalogue's own word rather than an alias."""
    if len({m.option for m in group}) < 2:
        return group
    elsewhere = {m.option for other, ms in by_span.items() if other != span and len(ms) == 1 for m in ms}
    free = [m for m in group if m.option not in elsewhere] or group
    exact = [m for m in free if m.exact]
    return exact or free


def _ranged(text: Analysed, span: Span, group: list[Mention], options: dict[str, list[str]]) -> list[Mention]:
    """ "i7 or above", "at least 16GB": every value on that side of the one named."""
    after, before = text.folded[span[1] : span[1] + 16], text.folded[max(0, span[0] - 12) : span[0]]
    up = bool(_AT_LEAST_AFTER.search(after) or _AT_LEAST_BEFORE.search(before))
    down = bool(_AT_MOST_AFTER.search(after) or _AT_MOST_BEFORE.search(before))
    if len(group) != 1 or not (up or down):
        return group
    mention = group[0]
    order = ranks(options[mention.option])
    if order is None:
        return group
    pivot = order[mention.value]
    picked = [v for v, r in order.items() if (r >= pivot if up else r <= pivot)]
    return [Mention(span, f"{mention.option}\0{v}", True) for v in picked]


def _option_event(
    text: Analysed,
    original: Analysed,
    mention: Mention,
    cur: Mapping[str, Any],
    owned: Sequence[Mapping[str, Any]],
    options: dict[str, list[str]],
    glossary: Glossary,
    product_name: str = "",
) -> tuple[Span, str, Any] | str | None:
    before = text.folded[max(0, mention.span[0] - 30) : mention.span[0]]
    after = text.folded[mention.span[1] : mention.span[1] + 30]
    if _RELEASE_BEFORE.search(before) or _RELEASE_AFTER.search(after):
        return "release"
    kept = _kept(text, original, mention, cur, owned, options, glossary, product_name)
    if kept:
        return (mention.span, "keep", (mention.key, kept))
    said = _YES_NO_AFTER.match(after)
    if said and said.group(1) in ("none", "no") and not {v.lower() for v in options[mention.key]} >= {"yes"}:
        none = next((v for v in options[mention.key] if v.lower() in _NONE_VALUES), None)
        if none:  # "backlight: none"
            return (mention.span, "value", [Mention(mention.span, f"{mention.key}\0{none}", True)])
    if negated(text, mention.span):
        none = next((v for v in options[mention.key] if v.lower() in _NONE_VALUES), None)
        if none:
            return (mention.span, "value", [Mention(mention.span, f"{mention.key}\0{none}", True)])
        return None
    if {v.lower() for v in options[mention.key]} == {"yes", "no"}:
        wanted = "no" if said and said.group(1) in ("no", "false", "否", "不") else "yes"
        value = next(v for v in options[mention.key] if v.lower() == wanted)
        return (mention.span, "value", [Mention(mention.span, f"{mention.key}\0{value}", True)])
    return None


def _kept(
    text: Analysed,
    original: Analysed,
    mention: Mention,
    cur: Mapping[str, Any],
    owned: Sequence[Mapping[str, Any]],
    options: dict[str, list[str]],
    glossary: Glossary,
    product_name: str = "",
) -> set[str]:
    before = text.folded[max(0, mention.span[0] - 16) : mention.span[0]]
    after = text.folded[mention.span[1] : mention.span[1] + 60]
    if not (_KEEP_BEFORE.search(before) or _KEEP_AFTER.search(after)):
        return set()
    option = mention.key
    around = original.folded[max(0, mention.span[0] - 20) : mention.span[1] + 60]
    if _OWNED.search(around):
        items = [o for o in owned if option in (o.get("options") or {})]
        named = find_products(analyse(around), [str(o.get("name", "")) for o in items], glossary)
        if named:
            items = [o for o in items if o.get("name") in {m.key for m in named}]
        else:  # "the same colour as the one I have": another product, not the item being replaced
            items = [o for o in items if str(o.get("name")) != product_name] or items
        found = {str(o["options"][option]) for o in items} & set(options[option])
        if found:
            return found
    return {str(cur[option])} if option in cur else set()


def _deltas(
    text: Analysed, options: dict[str, list[str]], cur: Mapping[str, Any], glossary: Glossary
) -> list[tuple[Span, str, Any]]:
    """ "1000 more pieces", "500 pieces less", "多500片": the value that far from the current one."""
    out: list[tuple[Span, str, Any]] = []
    names = find_options(text, options, glossary)
    for match in _DELTA.finditer(text.folded):
        amount = float(match.group(1) or match.group(3))
        sign = -1 if (match.group(2) in ("fewer", "less") or match.group(0).startswith("少")) else 1
        near = [m.key for m in names if match.start() - 3 <= m.span[0] <= match.end() + 3]
        words = {stem(w) for w in re.findall(r"[a-z]+", match.group(0))}
        near = near or [o for o in options if set(pattern(o).tokens) <= words]
        numeric = [o for o in options if ranks(options[o]) and all(re.match(r"\d", v) for v in options[o])]
        near = near or (numeric if len(numeric) == 1 else [])  # "多1000片": the one numeric option
        for option in near:
            order = ranks(options[option])
            there = cur.get(option)
            if order is None or there not in order:
                continue
            target = order[str(there)] + sign * amount
            hit = [v for v, r in order.items() if r == target]
            if hit:
                out.append((match.span(), "value", [Mention(match.span(), f"{option}\0{hit[0]}", True)]))
    return out


def _without_descriptions_of_current(
    text: Analysed, events: list[tuple[Span, str, Any]], cur: Mapping[str, Any]
) -> list[tuple[Span, str, Any]]:
    """Drop a value that is the current item's own when it comes first and the same breath goes on to
    say something else about that option ("the 17-inch laptop to a 13-inch one"); a value offered as
    a wish or a fallback ("clicky RGB; otherwise no backlight", "battery > USB") stays."""
    if not cur:
        return events
    breaks = [m.start() for m in _NEW_ALTERNATIVE.finditer(text.folded)]
    breaks += [m.start() for m in _CONDITION.finditer(text.folded)]

    def options_of(event: tuple[Span, str, Any]) -> set[str]:
        _, kind, payload = event
        if kind == "relation":
            return {payload.option}
        if kind == "keep":
            return {payload[0]}
        return {m.option for m in payload}

    out = []
    for index, event in enumerate(events):
        span, kind, payload = event
        if kind == "value" and len(payload) == 1 and str(cur.get(payload[0].option)) == payload[0].value:
            option = payload[0].option
            first = not any(option in options_of(e) for e in events[:index])
            later = [e for e in events[index + 1 :] if option in options_of(e)]
            if first and later and not any(span[1] <= b <= later[0][0][0] for b in breaks):
                continue
        out.append(event)
    return out


def _alternatives(text: Analysed, events: list[tuple[Span, str, Any]]) -> list[Want]:
    markers = [m.start() for m in _NEW_ALTERNATIVE.finditer(text.folded)]
    soft_from = [m.start() for m in _SOFT.finditer(text.folded)]
    ends = [m.start() for m in _SENTENCE_END.finditer(text.folded)] + [len(text.folded)]
    wants = [Want()]
    last = -1
    for span, kind, payload in events:
        want = wants[-1]
        if any(last < p <= span[0] for p in markers) and not want.empty():
            want = want.copy()
            wants.append(want)
        last = span[1]
        soft = any(s <= span[0] < min(e for e in ends if e > s) for s in soft_from)
        if kind == "relation":
            want.relations = [r for r in want.relations if r.option != payload.option] + [payload]
            continue
        if kind == "keep":
            option, kept = payload
            want.values[option] = set(kept)
            continue
        group: list[Mention] = payload
        keys = {(m.option, m.value) for m in group}
        if len({o for o, _ in keys}) > 1:
            want.either.append(keys)
            continue
        option = group[0].option
        value = {m.value for m in group}
        before = want.values.get(option)
        if option in want.said and before is not None and before != value and not before >= value:
            want = want.copy()
            wants.append(want)
        want.values[option] = value
        want.said.append(option)
        if soft:
            want.soft.add(option)
    if wants[-1].soft:
        relaxed = wants[-1].copy()
        for option in relaxed.soft:
            relaxed.values.pop(option, None)
        relaxed.soft.clear()
        wants.append(relaxed)
    return wants
