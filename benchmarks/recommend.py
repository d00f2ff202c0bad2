"""Offline evaluation of the recommendation engine (``kefu.recommend``) against the popularity baseline.

Leave-last-out: each customer's last basket (τ: the last order in the user's order list, which has no
dates; demo shop: the same; demo school: the latest enrolment by date) is held out, the model is fitted
on everything else, and the items of that basket the customer had not had before are the targets. Users
with one basket only train. Prints hit-rate@10, NDCG@10 and recall@10 for item kNN and for popularity in
the same run, the relative lift, and p50 ms per request (one ``recommend`` call, warm model).

Run from the repository root::

    .venv/bin/python benchmarks/recommend.py [--k 10] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from kefu.packs.education.demo_data import generate_school
from kefu.packs.retail.demo_data import generate_demo_shop
from kefu.recommend.evaluate import Histories, Metrics, Split, leave_last_out, score
from kefu.recommend.item_knn import ItemKNN, Popularity
from kefu.recommend.matrix import Interactions

ROOT = Path(__file__).resolve().parents[1]
TAU = ROOT.parent / "shared" / "data" / "tau_bench_retail"


def tau_histories() -> Histories:
    users = json.loads((TAU / "v1_users.json").read_text())
    orders = json.loads((TAU / "v1_orders.json").read_text())
    out = {}
    for uid, user in users.items():
        baskets = [[i["product_id"] for i in orders[o]["items"]] for o in user["orders"] if o in orders]
        if baskets:
            out[uid] = baskets
    return out


def demo_shop_histories() -> Histories:
    shop = generate_demo_shop(seed=7, n_customers=200, n_orders=600)
    return {
        uid: [[i["product_id"] for i in shop.orders[o]["items"]] for o in user["orders"]]
        for uid, user in shop.users.items()
        if user["orders"]
    }


def demo_school_histories() -> Histories:
    school = generate_school(seed=7, n_students=400)
    out: dict[str, list[list[str]]] = {}
    for e in sorted(school.enrolments, key=lambda e: (e["student"], e["enrolled_at"])):
        out.setdefault(e["student"], []).append([e["course"]])
    return out


def _run(name: str, histories: Histories, k: int) -> dict[str, Any]:
    split: Split = leave_last_out(histories)
    data = Interactions.build(split.train)
    knn = ItemKNN.fit(data, neighbours=20, shrink=10.0)
    pop = Popularity.fit(data)
    m_knn: Metrics = score(split, lambda h, n, ex: [r.item_id for r in knn.recommend(h, n, ex)], k)
    m_pop: Metrics = score(split, lambda h, n, ex: [r.item_id for r in pop.recommend(h, n, ex)], k)
    timings = []
    for had, _ in list(split.held_out.values()) * 3:
        start = time.perf_counter()
        knn.recommend(had, k, had)
        timings.append((time.perf_counter() - start) * 1000)

    def lift(a: float, b: float) -> float:
        return (a / b - 1.0) * 100 if b else 0.0

    return {
        "dataset": name,
        "users_evaluated": m_knn.users,
        "items": len(data.items),
        f"knn_hit_rate_at_{k}": round(m_knn.hit_rate, 4),
        f"pop_hit_rate_at_{k}": round(m_pop.hit_rate, 4),
        f"knn_ndcg_at_{k}": round(m_knn.ndcg, 4),
        f"pop_ndcg_at_{k}": round(m_pop.ndcg, 4),
        f"knn_recall_at_{k}": round(m_knn.recall, 4),
        f"pop_recall_at_{k}": round(m_pop.recall, 4),
        "hit_rate_lift_pct": round(lift(m_knn.hit_rate, m_pop.hit_rate), 1),
        "ndcg_lift_pct": round(lift(m_knn.ndcg, m_pop.ndcg), 1),
        "p50_ms": round(statistics.median(timings), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.k < 1:
        parser.error("--k must be at least 1")
    results = [
        _run("tau_retail", tau_histories(), args.k),
        _run("demo_shop", demo_shop_histories(), args.k),
        _run("demo_school", demo_school_histories(), args.k),
    ]
    k = args.k
    for r in results:
        print(
            f"{r['dataset']:<12} users={r['users_evaluated']:<4} items={r['items']:<3} "
            f"hit@{k} knn {r[f'knn_hit_rate_at_{k}']:.3f} pop {r[f'pop_hit_rate_at_{k}']:.3f} "
            f"({r['hit_rate_lift_pct']:+.1f} %)  ndcg@{k} knn {r[f'knn_ndcg_at_{k}']:.3f} "
            f"pop {r[f'pop_ndcg_at_{k}']:.3f} ({r['ndcg_lift_pct']:+.1f} %)  p50 {r['p50_ms']:.3f} ms"
        )
    if args.json:
        print(json.dumps({"k": k, "results": results}))


if __name__ == "__main__":
    main()
