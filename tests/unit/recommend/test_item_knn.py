"""Item kNN on small hand-made purchase histories, and the products API on the τ-bench retail data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.recommend.evaluate import leave_last_out, score
from kefu.recommend.item_knn import ItemKNN, Popularity
from kefu.recommend.matrix import Interaction, Interactions
from kefu.recommend.products import ProductRecommender, for_customer

TAU = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "tau_bench_retail"


def _toy() -> Interactions:
    baskets = {
        "u1": ["earbuds", "case", "charger"],
        "u2": ["earbuds", "case"],
        "u3": ["earbuds", "charger"],
        "u4": ["kettle", "teapot"],
        "u5": ["kettle", "teapot", "mug"],
        "u6": ["mug"],
        "u7": ["mug"],
        "u8": ["mug"],
    }
    events = [Interaction(u, i) for u, items in baskets.items() for i in items]
    return Interactions.build(events, items=["lamp"])


def test_co_purchases_beat_popularity_and_name_their_reason() -> None:
    model = ItemKNN.fit(_toy())
    recs = model.recommend({"earbuds": 1.0}, k=3, exclude={"earbuds"})
    assert [r.item_id for r in recs[:2]] == ["case", "charger"] or [r.item_id for r in recs[:2]] == [
        "charger",
        "case",
    ]
    assert recs[0].reason == "co_occurrence" and recs[0].because == ("earbuds",)
    assert recs[2].reason == "popular"  # filled from popularity once co-purchases run out
    assert Popularity.fit(_toy()).recommend({}, k=1)[0].item_id == "mug"


def test_new_customer_gets_popular_items_and_never_excluded_or_disallowed_ones() -> None:
    model = ItemKNN.fit(_toy())
    recs = model.recommend({}, k=2)
    assert recs[0].item_id == "mug" and all(r.reason == "popular" for r in recs)
    allowed = {"teapot", "mug", "lamp"}
    recs = model.recommend({"kettle": 1.0}, k=10, exclude={"kettle", "teapot"}, allowed=allowed)
    assert {r.item_id for r in recs} <= {"mug", "lamp"}
    assert "lamp" in {r.item_id for r in recs}  # an item nobody bought can still be offered last


def test_neighbours_are_what_goes_with_an_item() -> None:
    model = ItemKNN.fit(_toy())
    assert {r.item_id for r in model.neighbours("kettle", k=2)} == {"teapot", "mug"}
    assert model.neighbours("unknown") == []


def test_bad_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        Interactions.build([Interaction("u", "i", 0.0)])


def test_leave_last_out_scores_a_perfect_and_a_useless_recommender() -> None:
    histories = {"a": [["x"], ["y"]], "b": [["x"], ["y", "x"]], "c": [["z"]]}
    split = leave_last_out(histories)
    assert set(split.held_out) == {"a", "b"}  # c has one basket; b's x is not a discovery
    perfect = score(split, lambda h, k, ex: ["y"], k=10)
    useless = score(split, lambda h, k, ex: ["q"], k=10)
    assert (perfect.hit_rate, perfect.ndcg) == (1.0, 1.0)
    assert useless.hit_rate == 0.0


@pytest.fixture(scope="module")
def tau() -> tuple[dict[str, dict[str, object]], dict[str, dict[str, object]]]:
    orders = json.loads((TAU / "v1_orders.json").read_text())
    products = json.loads((TAU / "v1_products.json").read_text())
    return orders, products


def test_tau_customer_gets_products_they_do_not_have_with_reasons(tau: tuple[dict, dict]) -> None:  # type: ignore[type-arg]
    orders, products = tau
    rec = ProductRecommender(orders, products)
    owned = {i["product_id"] for o in orders.values() if o["user_id"] == "james_li_5688" for i in o["items"]}
    out = rec.for_customer("james_li_5688", k=5)
    assert len(out) == 5 and not owned & {s.product_id for s in out}
    assert all(s.kind == "co_occurrence" and s.reason.startswith("customers who bought") for s in out)
    assert all(set(s.because) <= owned for s in out)
    zh = rec.for_customer("james_li_5688", k=1, lang="zh")[0]
    assert "顾客" in zh.reason


def test_tau_goes_with_and_like_earbuds(tau: tuple[dict, dict]) -> None:  # type: ignore[type-arg]
    orders, products = tau
    rec = ProductRecommender(orders, products)
    earbuds = next(pid for pid, p in products.items() if p["name"] == "Wireless Earbuds")
    goes = rec.goes_with(earbuds, k=3)
    assert len(goes) == 3 and earbuds not in {s.product_id for s in goes}
    assert rec.like(earbuds, k=1)[0].name == "Bluetooth Speaker"  # battery life + water resistance


def test_for_customer_unknown_customer_gets_popular_for_sale_products(tau: tuple[dict, dict]) -> None:  # type: ignore[type-arg]
    orders, products = tau
    out = for_customer(_Snapshot(orders, products), "nobody_0000", k=3)
    assert [s.kind for s in out] == ["popular"] * 3
    for s in out:
        assert any(v["available"] for v in products[s.product_id]["variants"].values())


class _Snapshot:
    def __init__(self, orders: dict, products: dict) -> None:  # type: ignore[type-arg]
        self.orders = orders
        self.products = products
