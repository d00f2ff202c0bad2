"""Which items of ONE order the customer means: by product name (Chinese, synonyms, typos), by option
("the black one"), by count ("both shirts", "两件T恤"), by position ("the second one"), everything, or
everything except something ("all of it except the speaker", "除了音箱都退").

Naming one of two similar items (same product, different options) without the options that decide it
is ambiguous: the candidates come back with the options that tell them apart. An order may hold the
same item id twice; each line counts, so "both shirts" can return the same id twice.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kefu.dialogue.resolve.catalogue import Mention, find_products, find_values, negated, option_values
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.text import Analysed, Span, analyse, number_value
from kefu.dialogue.resolve.types import Resolution
from kefu.nlu import entities

Record = Mapping[str, Any]
Selection = tuple[str, ...]

_ALL = re.compile(
    r"\b(?:all|everything|every item|every thing|whole order|entire order|the lot|the rest|all the rest|"
    r"rest of (?:it|them))\b|全部|所有|整单|全都|统统|都退|都换|都要|都取消|其他的?都|其余的?"
)
_NOT_ALL = re.compile(
    r"\b(?:that'?s all|that is all|all good|all right|alright|all set|is that all|at all)\b"
)
_BOTH = re.compile(r"\bboth\b|两个都|两件都|两样都|都要|都退|都换")
# "all except X": the rest of the order; "leave X" / "X不换了": X is out of whatever was chosen
_EXCEPT_EN = re.compile(
    r"\b(?:except(?: for)?|but not|other than|apart from|excluding|not including|save for)\b"
)
_WITHOUT_EN = re.compile(
    r"\b(?:keep(?:ing)?|leave|forget(?: about)?|never mind|skip|drop|no longer (?:want|need)(?: to \w+)?|"
    r"(?:don'?t|do not) (?:want|need) to (?:return|exchange|cancel|change|swap)|"
    r"not (?:return|exchange|cancel|swap)(?:ing)?)\b"
)
_EXCLUSION_END = re.compile(r"[.;!?。；]|\b(?:but|only|just|instead|please)\b")
_EXCLUDE_ZH = re.compile(r"除了|除去|不包括|不含")
_EXCLUDE_ZH_END = re.compile(r"以外|之外|外|都|全|其他|其余|，|,|。|；")
_KEEP_ZH = re.compile(
    r"(?:留着|不退了?|不换了?|不改了?|不要退|不用退|不用换|不用改|不要改|不动|保留|算了|不要了)"
)
_CLAUSE = re.compile(r",|;|\band\b|&|\bplus\b|\bas well as\b|\balso\b|和|、|以及|还有|跟|与|，|；|。|\.")
_COUNT = re.compile(
    r"(?:^|\s)(\d+|one|two|three|four|five|[一二两三四五六])\s*(?:件|个|双|台|条|只|副|把|本|样)?\s*$"
)
_POSITION = re.compile(r"\b(?:item|number|no\.?|#)\s*(\d{1,2})\b|第\s*(\d{1,2})\s*(?:个|件|样|项)")
_UNSPOKEN = frozenset({"yes", "no", "none"})
_PRICIER = re.compile(
    r"\b(?:more expensive|pricier|priciest|most expensive|costlier|dearer)\b|更贵|最贵|贵的|贵一点的|价格高的"
)
_CHEAPER = re.compile(
    r"\b(?:cheaper|cheapest|less expensive|least expensive)\b|更便宜|最便宜|便宜的|价格低的"
)
_REFERENT = re.compile(
    r"\b(?:one|ones|item|items|pair|thing|things)\b|那个|这个|那件|这件|那款|这款|那双|的\s*$"
)
_TARGET = re.compile(
    r"\b(?:for|to|into|instead)\b(?:\s+(?:a|an|the|one|some|size)\b)?|\bswap\w*\b|"
    r"换成|改成|换为|改为|换一个|换个|换"
)


@dataclass
class _Group:
    candidates: list[int]
    count: int | None  # how many the customer asked for; None = "one", -1 = all of them
    price: str = ""  # "max" for "the pricier one", "min" for "the cheaper one"


def resolve_items(
    text: str,
    lang: str,
    items: Sequence[Record],
    *,
    glossary: Glossary | None = None,
    order_id: str | None = None,
) -> Resolution[Selection]:
    """Item ids out of one order's ``items`` (τ shape: name, product_id, item_id, price, options).
    With ``order_id``, a message about several orders ("for #W1 the kettle, for #W2 the lamp") is read
    only where it speaks of this one."""
    del lang
    glossary = glossary or Glossary.empty()
    if not items:
        return Resolution.nothing("no_items")
    analysed = analyse(_about_order(text, order_id))
    names = [str(item.get("name", "")) for item in items]
    products, missing = _products(analysed, names, glossary)
    spoken = {o: [v for v in vs if v.lower() not in _UNSPOKEN] for o, vs in option_values(items).items()}
    values = find_values(analysed, spoken, glossary)
    excluded_regions, except_means_rest = _exclusion_regions(analysed)

    def excluded(span: Span) -> bool:
        return any(s <= span[0] < e for s, e in excluded_regions) or negated(analysed, span)

    included: list[_Group] = []
    removed: set[int] = set()
    last_product: str | None = None
    for clause in _merged(analysed, _clauses(analysed), products):
        in_clause = [m for m in products if clause[0] <= m.span[0] < clause[1]]
        clause_values = [
            m for m in values if clause[0] <= m.span[0] < clause[1] and not _inside(m, in_clause)
        ]
        if not in_clause and not clause_values:
            if included and (price := price_word(analysed.folded[clause[0] : clause[1]])):
                included[-1].price = price  # "the tablet, the more expensive one"
            continue
        price = price_word(analysed.folded[clause[0] : clause[1]])
        for group, out in _groups(
            analysed, items, names, in_clause, clause_values, last_product, excluded, clause[0]
        ):
            group.price = price
            if out:
                removed.update(group.candidates)
            elif not in_clause and included and _refines(included[-1], group):
                included[-1] = group  # "the fleece jacket, the navy one": which of them
            else:
                included.append(group)
        if in_clause:
            last_product = in_clause[-1].key
    wants_all = bool(_ALL.search(analysed.folded)) and not _NOT_ALL.search(analysed.folded)
    if not included and not removed:
        included.extend(_positions(analysed, items))
    if not included and (wants_all or (removed and except_means_rest)):
        included.append(_Group(list(range(len(items))), -1))
    elif not included and removed:
        ids = ",".join(str(items[i].get("item_id")) for i in sorted(removed))
        return Resolution.nothing("without:" + ids)  # "leave the keyboard": take it out of the choice
    elif not included and _BOTH.search(analysed.folded) and len(items) == 2:
        included.append(_Group([0, 1], -1))
    if not included:
        if missing:
            return Resolution("none", unavailable=tuple(missing), note="not_in_order:" + ",".join(missing))
        return Resolution.nothing("no_items_named")
    return _combine(items, included, removed, missing)


def _about_order(text: str, order_id: str | None) -> str:
    """The parts of ``text`` after a mention of ``order_id`` and before the next other order id."""
    if not order_id:
        return text
    marks = [(m.start(), "#W" + m.group(1)[1:]) for m in entities.ORDER_ID.finditer(entities.fold(text))]
    if len({i for _, i in marks}) < 2 or order_id not in {i for _, i in marks}:
        return text
    keep = [False] * len(text)
    for index, (start, found) in enumerate(marks):
        end = marks[index + 1][0] if index + 1 < len(marks) else len(text)
        if found == order_id:
            keep[start:end] = [True] * (end - start)
    return "".join(c if keep[i] else " " for i, c in enumerate(text))


def _products(text: Analysed, names: list[str], glossary: Glossary) -> tuple[list[Mention], list[str]]:
    """Mentions of this order's products, and products named that are not in the order."""
    every = list(dict.fromkeys([*names, *glossary.product_names()]))
    by_span: dict[Span, list[Mention]] = {}
    for mention in find_products(text, every, glossary):
        by_span.setdefault(mention.span, []).append(mention)
    ours: list[Mention] = []
    missing: list[str] = []
    for group in by_span.values():
        mine = [m for m in group if m.key in names]
        if mine:
            ours.extend(mine)
        elif all(m.exact for m in group):
            missing.extend(m.key for m in group)
    return sorted(ours, key=lambda m: m.span), list(dict.fromkeys(missing))


def _inside(value: Mention, products: list[Mention]) -> bool:
    return any(p.span[0] <= value.span[0] and value.span[1] <= p.span[1] for p in products)


def _exclusion_regions(text: Analysed) -> tuple[list[Span], bool]:
    """Where the message rules items out, and whether it means "the rest of the order" by it ("all
    except X", "除了X都退") rather than "drop X from what was chosen" ("leave the keyboard")."""
    regions = []
    rest = False
    for regex, means_rest in ((_EXCEPT_EN, True), (_WITHOUT_EN, False)):
        for match in regex.finditer(text.folded):
            end = _EXCLUSION_END.search(text.folded, match.end())
            regions.append((match.end(), end.start() if end else len(text.folded)))
            rest = rest or means_rest
    for match in _EXCLUDE_ZH.finditer(text.folded):
        end = _EXCLUDE_ZH_END.search(text.folded, match.end() + 1)
        regions.append((match.end(), end.start() if end else len(text.folded)))
        rest = True
    for match in _KEEP_ZH.finditer(text.folded):
        start = max(_last_boundary(text.folded, match.start()), 0)
        regions.append((start, match.start()))
    return regions, rest


def _last_boundary(folded: str, before: int) -> int:
    cut = max(folded.rfind(c, 0, before) for c in "，,。；;和、")
    return cut + 1


def _clauses(text: Analysed) -> list[Span]:
    cuts = [0] + [m.end() for m in _CLAUSE.finditer(text.folded)] + [len(text.folded)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def price_word(text: str) -> str:
    """``max`` for "the pricier one" / "贵的那个", ``min`` for "the cheaper one", else empty."""
    if _PRICIER.search(text):
        return "max"
    return "min" if _CHEAPER.search(text) else ""


def _refines(before: _Group, after: _Group) -> bool:
    return (before.count or 1) < len(before.candidates) and set(after.candidates) < set(before.candidates)


def _merged(text: Analysed, clauses: list[Span], products: list[Mention]) -> list[Span]:
    """A clause that names no product and no new thing ("size L", "4 hours battery") goes on describing
    the one before; "the white one", "白色的那件" name a new one."""
    out: list[Span] = []
    for clause in clauses:
        named = any(clause[0] <= m.span[0] < clause[1] for m in products)
        if out and not named and not _REFERENT.search(text.folded, clause[0], clause[1]):
            out[-1] = (out[-1][0], clause[1])
        else:
            out.append(clause)
    return out


def _groups(
    text: Analysed,
    items: Sequence[Record],
    names: list[str],
    products: list[Mention],
    values: list[Mention],
    last_product: str | None,
    excluded: Any,
    clause_start: int = 0,
) -> list[tuple[_Group, bool]]:
    """The items a clause names. Values after "for a" / "to" / "换成" say what the customer wants
    instead ("the black shirt for a white one"): they do not describe the item, and an item that
    already has them is not the one meant."""
    out: list[tuple[_Group, bool]] = []
    described, wanted = _split_targets(text, products, values, clause_start)
    if products:
        for mention in products:
            candidates = [i for i, n in enumerate(names) if n == mention.key]
            candidates = _filter(items, candidates, described) or candidates
            if wanted and len(candidates) > 1:
                candidates = [i for i in candidates if not _has_all(items[i], wanted)] or candidates
            out.append((_Group(candidates, _count(text, mention)), excluded(mention.span)))
        return out
    if not described:
        return out
    pool = [i for i, n in enumerate(names) if n == last_product] if last_product else []
    candidates = _filter(items, pool, described) if pool else []
    if not candidates:
        candidates = _filter(items, list(range(len(items))), described)
    if candidates:
        first = min(described, key=lambda m: m.span)
        out.append((_Group(candidates, _count(text, first)), all(excluded(m.span) for m in described)))
    return out


def _split_targets(
    text: Analysed, products: list[Mention], values: list[Mention], clause_start: int
) -> tuple[list[Mention], list[Mention]]:
    described: list[Mention] = []
    wanted: list[Mention] = []
    for value in values:
        start = max((p.span[1] for p in products if p.span[1] <= value.span[0]), default=clause_start)
        target = _TARGET.search(text.folded, start, value.span[0]) is not None
        (wanted if target else described).append(value)
    return described, wanted


def _has_all(item: Record, values: list[Mention]) -> bool:
    options = item.get("options") or {}
    return all(str(options.get(m.option)) == m.value for m in values)


def _filter(items: Sequence[Record], candidates: list[int], values: list[Mention]) -> list[int]:
    """The candidates with the most of the named option values (all of them when none is named)."""
    if not values:
        return list(candidates)

    def score(i: int) -> int:
        options = items[i].get("options") or {}
        return sum(str(options.get(m.option)) == m.value for m in values)

    best = max((score(i) for i in candidates), default=0)
    return [i for i in candidates if best and score(i) == best]


def _count(text: Analysed, mention: Mention) -> int | None:
    before = text.folded[max(0, mention.span[0] - 24) : mention.span[0]]
    if re.search(r"\bone of (?:the |my |these |those )?(?:two |three |both |\d+ )?$", before):
        return 1  # "one of the two tablets"
    before = re.sub(r"\b(?:the|my|of|those|these|them|both of the)\b|的", " ", before).rstrip()
    match = _COUNT.search(before)
    if match:
        value = number_value(match.group(1))
        return int(value) if value else None
    if (
        re.search(r"\b(?:both|all|all the|all of the|every)\s*$|都$|全部$|所有$", before + " ")
        or mention.plural
    ):
        return -1
    after = text.folded[mention.span[1] : mention.span[1] + 8]
    if re.match(r"\s*(?:都|全部|两个都|两件都)", after):
        return -1
    return None


def _positions(text: Analysed, items: Sequence[Record]) -> list[_Group]:
    picked = [n if n >= 0 else len(items) + n for n in entities.ordinals(text.original)]
    for match in _POSITION.finditer(text.folded):
        picked.append(int(match.group(1) or match.group(2)) - 1)
    if re.search(r"\b(?:items?|numbers?|nos?\.?)\s*\d", text.folded):
        picked.extend(int(n) - 1 for n in re.findall(r"(?<![\d.#w])(\d{1,2})(?![\d.%])", text.folded))
    return [_Group([i], None) for i in dict.fromkeys(picked) if 0 <= i < len(items)]


def _combine(
    items: Sequence[Record], groups: list[_Group], removed: set[int], missing: list[str]
) -> Resolution[Selection]:
    fixed: list[int] = []
    choices: list[list[tuple[int, ...]]] = []
    differing: list[str] = []
    for group in groups:
        pool = [i for i in group.candidates if i not in removed]
        if not pool:
            continue
        want = len(pool) if group.count == -1 else (group.count or 1)
        if want >= len(pool):
            fixed.extend(pool)
            continue
        if want == 1 and len({_signature(items[i]) for i in pool}) == 1:
            fixed.append(pool[0])  # identical lines: any one of them
            continue
        if group.price:
            ranked = sorted(
                pool, key=lambda i: float(items[i].get("price") or 0), reverse=group.price == "max"
            )
            fixed.extend(ranked[:want])
            continue
        choices.append(list(itertools.combinations(pool, want)))
        differing.extend(_differing(items, pool))
    id_of = [str(item.get("item_id")) for item in items]
    note = "not_in_order:" + ",".join(missing) if missing else ""
    if not choices:
        chosen = sorted(dict.fromkeys(fixed))
        if not chosen:
            return Resolution.nothing("all_excluded")
        return Resolution(
            "resolved", value=tuple(id_of[i] for i in chosen), unavailable=tuple(missing), note=note
        )
    options = []
    for combo in itertools.islice(itertools.product(*choices), 12):
        chosen = sorted(dict.fromkeys([*fixed, *itertools.chain.from_iterable(combo)]))
        options.append(tuple(id_of[i] for i in chosen))
    candidates = tuple(dict.fromkeys(options))
    return Resolution(
        "ambiguous",
        candidates=candidates,
        distinguishing=tuple(dict.fromkeys(differing)) or ("position",),
        unavailable=tuple(missing),
        note=note,
    )


def _signature(item: Record) -> tuple[str, str]:
    return str(item.get("item_id")), repr(sorted((item.get("options") or {}).items()))


def _differing(items: Sequence[Record], pool: list[int]) -> list[str]:
    options = option_values(items[i] for i in pool)
    differ = [o for o in options if len({str((items[i].get("options") or {}).get(o)) for i in pool}) > 1]
    if not differ and len({str(items[i].get("name")) for i in pool}) > 1:
        differ = ["name"]
    return differ
