"""Which catalogue product the customer names: its English name, a synonym or a Chinese name from the
glossary, loosely spelled ("tshirt", "headphone", "蓝牙耳机"). Several products fitting ("camera",
"kettle") are candidates; option values named with it ("the 4K camera") narrow them down.

With ``encoder=`` (the shared sentence encoder), a name no word matches is compared by meaning with the
catalogue's names in both languages; that costs one encoding (about a millisecond) and is only used
when the words found nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from kefu.dialogue.resolve.catalogue import find_products, find_values, negated, option_values
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.text import analyse
from kefu.dialogue.resolve.types import Resolution

Record = Mapping[str, Any]
Products = Sequence[Record] | Mapping[str, Record]
ENCODER_THRESHOLD = 0.55


class Encoder(Protocol):
    def encode(self, texts: Sequence[str], batch_size: int = ...) -> npt.NDArray[np.float32]: ...


def resolve_product(
    text: str,
    lang: str,
    products: Products,
    *,
    glossary: Glossary | None = None,
    encoder: Encoder | None = None,
) -> Resolution[str]:
    """A ``product_id`` from ``products`` (τ shape: name, product_id, variants)."""
    del lang
    glossary = glossary or Glossary.empty()
    catalogue = list(products.values()) if isinstance(products, Mapping) else list(products)
    by_name: dict[str, list[Record]] = {}
    for product in catalogue:
        by_name.setdefault(str(product.get("name", "")), []).append(product)
    analysed = analyse(text)
    mentions = [m for m in find_products(analysed, list(by_name), glossary) if not negated(analysed, m.span)]
    if not mentions:
        return _by_meaning(text, catalogue, glossary, encoder) if encoder else Resolution.nothing()
    exact = [m for m in mentions if m.exact]
    named = list(dict.fromkeys(m.key for m in (exact or mentions)))
    found = [p for name in named for p in by_name[name]]
    if len(found) > 1:
        found = _narrowed(analysed, found, glossary)
    ids = tuple(str(p.get("product_id")) for p in found)
    if len(ids) == 1:
        return Resolution.found(ids[0])
    return Resolution.choose(ids, ("name",))


def _narrowed(analysed: Any, found: list[Record], glossary: Glossary) -> list[Record]:
    """Keep the products that have the option values the customer named, if any do."""
    scored = []
    for product in found:
        options = option_values((product.get("variants") or {}).values())
        scored.append((len(find_values(analysed, options, glossary)), product))
    best = max(score for score, _ in scored)
    return [p for score, p in scored if score == best] if best else found


_VECTORS: dict[tuple[int, int, tuple[str, ...]], tuple[list[str], npt.NDArray[np.float32]]] = {}


def _by_meaning(text: str, catalogue: list[Record], glossary: Glossary, encoder: Encoder) -> Resolution[str]:
    key = (id(encoder), id(glossary), tuple(str(p.get("product_id")) for p in catalogue))
    if key not in _VECTORS:
        labels, names = [], []
        for product in catalogue:
            name = str(product.get("name", ""))
            for form in (name, *glossary.product_terms(name).zh[:1]):
                labels.append(str(product.get("product_id")))
                names.append(form)
        _VECTORS[key] = (labels, encoder.encode(names))
    labels, vectors = _VECTORS[key]
    query = encoder.encode([text])[0]
    scores = vectors @ query
    best = int(np.argmax(scores))
    if float(scores[best]) < ENCODER_THRESHOLD:
        return Resolution.nothing("no_product")
    return Resolution.found(labels[best], note=f"by_meaning:{float(scores[best]):.2f}")
