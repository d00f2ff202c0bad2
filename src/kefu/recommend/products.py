"""Product recommendations for a shop in the τ-bench retail record shape (users, orders, products).

The retail pack calls ``for_customer`` ("有什么推荐的", "recommend me something") and ``goes_with`` /
``like`` ("what goes with my earbuds?", "something like this?"); the business's site calls the same through
``GET /v1/recommendations``. Collaborative filtering on every customer's orders; popularity for a new
customer; content similarity for "like this" and for products nobody has bought. Only products with a
variant for sale are offered, and nothing the customer already has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from kefu.recommend.content import ContentIndex
from kefu.recommend.item_knn import ItemKNN
from kefu.recommend.matrix import Interaction, Interactions
from kefu.recommend.types import Recommendation

Record = dict[str, Any]

# How much an order says about taste: a cancelled or returned item still says something.
_STATUS_WEIGHT = {"cancelled": 0.5, "returned": 0.5}


class ShopSnapshot(Protocol):
    orders: dict[str, Record]
    products: dict[str, Record]


class ShopReader(Protocol):
    def snapshot(self) -> Any: ...


@dataclass(frozen=True)
class ProductSuggestion:
    product_id: str
    name: str
    reason: str  # one sentence in the asked language
    kind: str  # co_occurrence | similar | popular
    because: tuple[str, ...]  # product ids of the customer's own items behind it
    min_price: float
    score: float


def history_of(orders: Mapping[str, Record], user_id: str) -> dict[str, float]:
    """Product id → weight over the customer's orders."""
    weights: dict[str, float] = {}
    for order in orders.values():
        if order.get("user_id") != user_id:
            continue
        w = _STATUS_WEIGHT.get(str(order.get("status", "")), 1.0)
        for item in order.get("items") or ():
            pid = str(item.get("product_id"))
            weights[pid] = weights.get(pid, 0.0) + w
    return weights


def interactions_of(orders: Mapping[str, Record]) -> list[Interaction]:
    out: list[Interaction] = []
    for order in orders.values():
        w = _STATUS_WEIGHT.get(str(order.get("status", "")), 1.0)
        user = str(order["user_id"])
        out.extend(Interaction(user, str(i["product_id"]), w) for i in order.get("items") or ())
    return out


class ProductRecommender:
    """Built once from a shop snapshot (a few ms for τ-bench's 1,000 orders); rebuild it when orders
    change enough to matter — a nightly or hourly rebuild is the usual rhythm."""

    def __init__(self, orders: Mapping[str, Record], products: Mapping[str, Record]) -> None:
        self.orders = orders
        self.products = products
        self.by_user: dict[str, dict[str, Record]] = {}
        for order_id, order in orders.items():
            self.by_user.setdefault(str(order.get("user_id")), {})[order_id] = order
        data = Interactions.build(interactions_of(orders), items=sorted(products))
        self.model = ItemKNN.fit(data, neighbours=20, shrink=10.0)
        self.content = ContentIndex.build(products)
        self.for_sale = frozenset(pid for pid, p in products.items() if _for_sale(p))

    @classmethod
    def from_shop(cls, shop: ShopReader) -> ProductRecommender:
        snap = shop.snapshot()
        return cls(snap.orders, snap.products)

    def for_customer(self, user_id: str | None, k: int = 5, lang: str = "en") -> list[ProductSuggestion]:
        history = history_of(self.by_user.get(user_id, {}), user_id) if user_id else {}
        recs = self.model.recommend(history, k=k, exclude=history, allowed=self.for_sale)
        return [self._suggest(r, lang) for r in recs]

    def goes_with(
        self, product_id: str, k: int = 5, lang: str = "en", owned: Mapping[str, float] | None = None
    ) -> list[ProductSuggestion]:
        """Bought together with ``product_id`` by other customers; content-similar products fill in."""
        owned = owned or {}
        recs = self.model.neighbours(product_id, k=k * 3, exclude=owned)
        recs = [r for r in recs if r.item_id in self.for_sale]
        if len(recs) < k:
            taken = {r.item_id for r in recs} | set(owned) | {product_id}
            recs += self._similar(product_id, k - len(recs), taken)
        return [self._suggest(r, lang) for r in recs[:k]]

    def like(self, product_id: str, k: int = 5, lang: str = "en") -> list[ProductSuggestion]:
        """Products of the same kind as ``product_id`` ("something like this?")."""
        return [self._suggest(r, lang) for r in self._similar(product_id, k, {product_id})]

    def _similar(self, product_id: str, k: int, taken: set[str]) -> list[Recommendation]:
        pairs = self.content.similar(product_id, k=k * 3)
        pairs = [(p, s) for p, s in pairs if p in self.for_sale and p not in taken]
        return [Recommendation(p, s, "similar", (product_id,)) for p, s in pairs[:k]]

    def name(self, product_id: str, lang: str) -> str:
        product = self.products.get(product_id) or {}
        if lang == "zh" and product.get("name_zh"):
            return str(product["name_zh"])
        return str(product.get("name", product_id))

    def _suggest(self, rec: Recommendation, lang: str) -> ProductSuggestion:
        variants = (self.products.get(rec.item_id) or {}).get("variants") or {}
        prices = [float(v["price"]) for v in variants.values() if v.get("available") and "price" in v]
        return ProductSuggestion(
            product_id=rec.item_id,
            name=self.name(rec.item_id, lang),
            reason=self.explain(rec, lang),
            kind=rec.reason,
            because=rec.because,
            min_price=min(prices) if prices else 0.0,
            score=rec.score,
        )

    def explain(self, rec: Recommendation, lang: str) -> str:
        names = [self.name(b, lang) for b in rec.because]
        zh = lang == "zh"
        if rec.reason == "co_occurrence" and names:
            joined = "、".join(names) if zh else " and ".join(names)
            if zh:
                return f"买过{joined}的顾客常常也买它"
            return f"customers who bought {joined} often buy this too"
        if rec.reason == "similar" and names:
            return f"和{names[0]}是同类商品" if zh else f"the same kind of product as the {names[0]}"
        return "很受其他顾客欢迎" if zh else "popular with other customers"


def _for_sale(product: Record) -> bool:
    return any(v.get("available") for v in (product.get("variants") or {}).values())


def for_customer(
    shop: ShopReader | ShopSnapshot,
    user_id: str | None,
    k: int = 5,
    lang: str = "en",
    recommender: ProductRecommender | None = None,
) -> list[ProductSuggestion]:
    """Recommendations for ``user_id`` (None or unknown: a new customer, popular products) with a reason
    each. Pass a kept ``recommender`` to skip rebuilding the model per call."""
    if recommender is None:
        recommender = _build(shop)
    return recommender.for_customer(user_id, k=k, lang=lang)


def _build(shop: ShopReader | ShopSnapshot) -> ProductRecommender:
    if hasattr(shop, "orders") and hasattr(shop, "products"):
        return ProductRecommender(shop.orders, shop.products)
    return ProductRecommender.from_shop(shop)
