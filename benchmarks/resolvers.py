"""Latency of the grounded resolvers (``kefu.dialogue.resolve``) on the τ² retail data, per call.

Each resolver runs over customer-like messages in English and Chinese against a real customer's orders,
a real order's items, the real catalogue and real variants; after one warm-up pass (patterns are cached
per catalogue) every call is timed. Prints p50 / p90 / max in milliseconds per resolver, and the sum of
the p50s (what a message costs that needs an order, its items and a variant resolved).

Run from the repository root::

    .venv/bin/python benchmarks/resolvers.py [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kefu.dialogue.resolve.addresses import resolve_address
from kefu.dialogue.resolve.glossary import Glossary
from kefu.dialogue.resolve.items import resolve_items
from kefu.dialogue.resolve.orders import resolve_order
from kefu.dialogue.resolve.payment import resolve_payment_method
from kefu.dialogue.resolve.products import resolve_product
from kefu.dialogue.resolve.variants import resolve_variant

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tau_bench_retail" / "tau2_db.json"
GLOSSARY = ROOT / "src" / "kefu" / "packs" / "retail" / "glossary.yaml"


def _cases(db: dict[str, Any], glossary: Glossary) -> dict[str, list[Callable[[], object]]]:
    user = db["users"]["yusuf_rossi_9620"]
    orders = [db["orders"][o] for o in user["orders"]]
    listed = [o["order_id"] for o in orders]
    items = db["orders"]["#W2378156"]["items"]
    keyboard = next(p for p in db["products"].values() if p["name"] == "Mechanical Keyboard")
    lamp = next(p for p in db["products"].values() if p["name"] == "Desk Lamp")
    current_keyboard = next(i for i in items if i["name"] == "Mechanical Keyboard")
    current_lamp = lamp["variants"]["8384507844"]
    methods = user["payment_methods"]
    address = user["address"]
    order_texts = ["the one with the mechanical keyboard", "the pending one", "第二个", "the other one",
                   "#W2378156", "有机械键盘的那个"]  # fmt: skip
    item_texts = [
        "the keyboard and the thermostat",
        "all of it except the smart watch",
        "吸尘器和耳机",
        "everything",
    ]
    variant_texts = [
        ("the same one but with clicky switches; if there is no clicky RGB full size, no backlight", keyboard,
         current_keyboard),
        ("换成青轴的，如果没有RGB背光全尺寸的，就不要背光", keyboard, current_keyboard),
        ("a less bright one (prefer battery > USB > AC)", lamp, current_lamp),
        ("暗一点的，最好电池供电，其次USB", lamp, current_lamp),
    ]  # fmt: skip
    address_texts = ["It's 12 Oak Road, Apt 5, Austin, TX 78701", "only the apartment number changes to 5B",
                     "上海市浦东新区世纪大道100号 200120", "邮编改成10001"]  # fmt: skip
    payment_texts = ["the credit card", "original payment method", "paypal please", "礼品卡"]
    product_texts = ["tshirt", "蓝牙耳机", "the camera", "mechanical keybaord"]
    return {
        "orders": [
            lambda t=t: resolve_order(
                t, "en", orders, last_listed=listed, current=listed[0], glossary=glossary
            )
            for t in order_texts
        ],
        "items": [lambda t=t: resolve_items(t, "en", items, glossary=glossary) for t in item_texts],
        "variants": [
            lambda t=t, p=p, c=c: resolve_variant(t, "en", p, current=c, glossary=glossary)
            for t, p, c in variant_texts
        ],
        "addresses": [lambda t=t: resolve_address(t, "en", current=address) for t in address_texts],
        "payment": [lambda t=t: resolve_payment_method(t, "en", methods) for t in payment_texts],
        "products": [
            lambda t=t: resolve_product(t, "en", db["products"], glossary=glossary) for t in product_texts
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not DATA.is_file():
        raise SystemExit(f"τ² retail data not found at {DATA}")
    db = json.loads(DATA.read_text(encoding="utf-8"))
    glossary = Glossary.load(GLOSSARY)
    figures: dict[str, dict[str, float]] = {}
    for name, calls in _cases(db, glossary).items():
        for call in calls:
            call()  # warm the per-catalogue caches
        timings = []
        for _ in range(args.repeat):
            for call in calls:
                start = time.perf_counter()
                call()
                timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        figures[name] = {
            "p50_ms": round(statistics.median(timings), 3),
            "p90_ms": round(timings[int(len(timings) * 0.9)], 3),
            "max_ms": round(timings[-1], 3),
        }
    per_message = sum(figures[k]["p50_ms"] for k in ("orders", "items", "variants"))
    for name, row in figures.items():
        p50, p90, top = row["p50_ms"], row["p90_ms"], row["max_ms"]
        print(f"{name:10s} p50 {p50:7.3f} ms   p90 {p90:7.3f} ms   max {top:7.3f} ms")
    print(f"order + items + variant, sum of p50: {per_message:.3f} ms")
    if args.json:
        print(json.dumps({"resolvers": figures, "order_items_variant_p50_ms": round(per_message, 3)}))


if __name__ == "__main__":
    main()
