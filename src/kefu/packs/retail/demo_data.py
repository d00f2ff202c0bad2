"""A deterministic bilingual (Chinese + English) demo shop in the τ-bench retail record shape.

Everything comes from one ``random.Random(seed)``: the same seed always yields the same shop.
Products and order items carry an extra ``name_zh``; every other field follows τ-bench.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from kefu.packs.retail.shop import Record, ShopData

# name, name_zh, min price, max price, option axes as "axis=value,value; axis=value,..."
_PRODUCTS: tuple[tuple[str, str, int, int, str], ...] = (
    ("Insulated Tumbler", "保温杯", 25, 80,
     "capacity=350ml,500ml,750ml; color=black,white,pink,green; material=stainless steel,titanium"),
    ("T-Shirt", "T恤", 15, 50,
     "color=black,white,blue,red; size=S,M,L,XL; material=cotton,polyester"),
    ("Bluetooth Earbuds", "蓝牙耳机", 60, 260,
     "color=black,white,blue; battery life=6 hours,8 hours,10 hours; noise cancellation=yes,no"),
    ("Running Shoes", "运动鞋", 70, 180,
     "size=38,39,40,41,42,43,44; color=black,white,grey; material=mesh,leather"),
    ("Backpack", "双肩包", 40, 200,
     "color=black,grey,navy,green; size=small,medium,large; material=nylon,polyester,leather"),
    ("Desk Lamp", "台灯", 25, 150,
     "color=black,white,silver; brightness=low,medium,high; power source=USB,AC adapter,battery"),
    ("Electric Kettle", "电热水壶", 30, 150,
     "capacity=1L,1.5L,1.7L; material=glass,stainless steel,plastic; color=white,silver,black"),
    ("Phone Case", "手机壳", 8, 40,
     "model=iPhone 15,iPhone 15 Pro,Huawei Mate 60,Xiaomi 14; color=clear,black,blue; material=silicone,TPU"),
    ("Yoga Mat", "瑜伽垫", 20, 90,
     "thickness=4mm,6mm,8mm; color=purple,blue,green,pink; material=TPE,natural rubber,PVC"),
    ("Down Jacket", "羽绒服", 120, 480,
     "size=S,M,L,XL; color=black,navy,red,white; fill=duck down,goose down"),
    ("Tea Set", "茶具套装", 40, 300,
     "material=porcelain,ceramic,glass,clay; pieces=4,6,8; color=white,blue-and-white,celadon"),
    ("Rice Cooker", "电饭煲", 50, 260,
     "capacity=2L,3L,4L,5L; color=white,black,silver; features=basic,smart"),
    ("Power Bank", "充电宝", 20, 90,
     "capacity=10000mAh,20000mAh,30000mAh; color=black,white; wireless charging=yes,no"),
    ("Mechanical Keyboard", "机械键盘", 50, 250,
     "switch type=red,brown,blue; layout=full size,tenkeyless,60%; backlight=RGB,white,none"),
    ("Smart Watch", "智能手表", 100, 450,
     "color=black,silver,gold; band material=silicone,leather,metal; display=AMOLED,LCD"),
)  # fmt: skip


def _axes(spec: str) -> dict[str, list[str]]:
    """Parse ``"axis=a,b; other=c,d"`` into option axes."""
    pairs = (part.split("=", 1) for part in spec.split("; "))
    return {axis: values.split(",") for axis, values in pairs}


# (hanzi, pinyin)
_ZH_SURNAMES = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
)  # fmt: skip
_ZH_GIVEN = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("杰", "jie"), ("涛", "tao"),
    ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"), ("晓明", "xiaoming"), ("海燕", "haiyan"),
    ("建国", "jianguo"), ("子涵", "zihan"), ("欣怡", "xinyi"), ("浩然", "haoran"), ("雨桐", "yutong"),
)  # fmt: skip
_EN_FIRST = (
    "Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Sophia", "Lucas", "Mia", "Ethan",
    "Isabella", "Mason", "Amelia", "Logan", "Harper", "Daniel", "Chloe", "Henry", "Grace", "Jack",
)  # fmt: skip
_EN_LAST = (
    "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
    "Thomas", "Moore", "Martin", "Lee", "Clark", "Lewis", "Walker", "Young", "King",
)  # fmt: skip

# city, province, zip prefix (3 digits), streets
_ZH_CITIES = (
    ("上海", "上海市", "200", ("浦东新区世纪大道", "静安区南京西路", "徐汇区漕溪北路")),
    ("北京", "北京市", "100", ("朝阳区建国路", "海淀区中关村大街", "东城区王府井大街")),
    ("广州", "广东省", "510", ("天河区天河路", "越秀区中山五路")),
    ("深圳", "广东省", "518", ("南山区科技园路", "福田区深南大道")),
    ("杭州", "浙江省", "310", ("西湖区文三路", "上城区延安路")),
    ("成都", "四川省", "610", ("锦江区春熙路", "武侯区人民南路")),
    ("南京", "江苏省", "210", ("鼓楼区中山路", "玄武区珠江路")),
    ("武汉", "湖北省", "430", ("武昌区中南路", "江汉区解放大道")),
)
# city, state, zip prefix (3 digits)
_US_CITIES = (
    ("New York", "NY", "100"), ("Los Angeles", "CA", "900"), ("Chicago", "IL", "606"),
    ("Houston", "TX", "770"), ("Phoenix", "AZ", "850"), ("Seattle", "WA", "981"),
    ("Denver", "CO", "802"), ("Boston", "MA", "021"), ("Austin", "TX", "787"),
    ("San Francisco", "CA", "941"), ("Portland", "OR", "972"), ("Atlanta", "GA", "303"),
)  # fmt: skip
_US_STREETS = (
    "Main Street", "Oak Avenue", "Maple Drive", "Cedar Street", "Elm Avenue", "Park Lane",
    "Sunset Drive", "River Road", "Lakeview Drive", "Hillcrest Road", "Pine Lane", "Willow Lane",
)  # fmt: skip

STATUS_SHARES = {"pending": 0.40, "processed": 0.15, "delivered": 0.35, "cancelled": 0.10}
_GUARANTEED = 3  # users who own both a pending and a delivered order


class _Ids:
    """Unique random digit strings, drawn from the shared generator."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def digits(self, n: int) -> str:
        while True:
            value = str(self._rng.randint(10 ** (n - 1), 10**n - 1))
            if value not in self._used:
                self._used.add(value)
                return value


def _make_products(rng: random.Random, ids: _Ids) -> dict[str, Record]:
    products: dict[str, Record] = {}
    for name, name_zh, low, high, spec in _PRODUCTS:
        axes = _axes(spec)
        combos = list(itertools.product(*axes.values()))
        chosen = rng.sample(combos, rng.randint(3, min(8, len(combos))))
        variants: dict[str, Record] = {}
        for combo in chosen:
            item_id = ids.digits(10)
            variants[item_id] = {
                "item_id": item_id,
                "options": dict(zip(axes.keys(), combo, strict=True)),
                "available": rng.random() < 0.85,
                "price": round(rng.uniform(low, high), 2),
            }
        if not any(v["available"] for v in variants.values()):
            next(iter(variants.values()))["available"] = True
        product_id = ids.digits(10)
        products[product_id] = {
            "name": name,
            "name_zh": name_zh,
            "product_id": product_id,
            "variants": variants,
        }
    return products


def _zh_address(rng: random.Random) -> Record:
    city, province, prefix, streets = rng.choice(_ZH_CITIES)
    return {
        "address1": f"{rng.choice(streets)}{rng.randint(1, 999)}号",
        "address2": f"{rng.randint(1, 20)}栋{rng.randint(1, 30)}{rng.randint(1, 8):02d}室",
        "city": city,
        "country": "China",
        "state": province,
        "zip": f"{prefix}{rng.randint(0, 999):03d}",
    }


def _us_address(rng: random.Random) -> Record:
    city, state, prefix = rng.choice(_US_CITIES)
    return {
        "address1": f"{rng.randint(100, 9999)} {rng.choice(_US_STREETS)}",
        "address2": f"Suite {rng.randint(100, 999)}",
        "city": city,
        "country": "USA",
        "state": state,
        "zip": f"{prefix}{rng.randint(0, 99):02d}",
    }


def _payment_methods(rng: random.Random, ids: _Ids, chinese: bool) -> dict[str, Record]:
    methods: dict[str, Record] = {}
    for source in rng.sample(["credit_card", "paypal", "gift_card"], rng.randint(1, 3)):
        method_id = f"{source}_{ids.digits(7)}"
        if source == "credit_card":
            brands = ["unionpay", "visa", "mastercard"] if chinese else ["visa", "mastercard"]
            methods[method_id] = {
                "source": source,
                "brand": rng.choice(brands),
                "last_four": f"{rng.randint(0, 9999):04d}",
                "id": method_id,
            }
        elif source == "gift_card":
            methods[method_id] = {"source": source, "balance": rng.randint(0, 300), "id": method_id}
        else:
            methods[method_id] = {"source": source, "id": method_id}
    return methods


def _make_user(rng: random.Random, ids: _Ids, chinese: bool, taken: set[str]) -> tuple[str, Record]:
    while True:
        if chinese:
            last, last_py = rng.choice(_ZH_SURNAMES)
            first, first_py = rng.choice(_ZH_GIVEN)
            slug, handle = f"{last_py}_{first_py}", f"{last_py}.{first_py}"
        else:
            first, last = rng.choice(_EN_FIRST), rng.choice(_EN_LAST)
            slug, handle = f"{first}_{last}".lower(), f"{first}.{last}".lower()
        user_id = f"{slug}_{rng.randint(1000, 9999)}"
        email = f"{handle}{rng.randint(1000, 9999)}@example.com"
        if user_id not in taken and email not in taken:
            taken.update((user_id, email))
            break
    user: Record = {
        "name": {"first_name": first, "last_name": last},
        "address": _zh_address(rng) if chinese else _us_address(rng),
        "email": email,
        "payment_methods": _payment_methods(rng, ids, chinese),
        "orders": [],
    }
    return user_id, user


def _status_pool(n_orders: int, guaranteed: int) -> list[str]:
    counts = {status: round(share * n_orders) for status, share in STATUS_SHARES.items()}
    counts["pending"] = max(counts["pending"], guaranteed)
    counts["delivered"] = max(counts["delivered"], guaranteed)
    counts["processed"] = 0
    counts["processed"] = n_orders - sum(counts.values())
    for status in ("cancelled", "pending", "delivered"):  # shrink until the total fits
        floor = 0 if status == "cancelled" else guaranteed
        while counts["processed"] < 0 and counts[status] > floor:
            counts[status] -= 1
            counts["processed"] += 1
    return [status for status, count in counts.items() for _ in range(count)]


def _plan_orders(
    rng: random.Random, user_ids: list[str], chinese: dict[str, bool], n_orders: int
) -> list[tuple[str, str]]:
    """(user_id, status) for every order: each user gets one, a few get both pending and delivered."""
    guaranteed = min(_GUARANTEED, len(user_ids))
    zh = [u for u in user_ids if chinese[u]]
    en = [u for u in user_ids if not chinese[u]]
    rng.shuffle(zh)
    rng.shuffle(en)
    mixed = [u for pair in itertools.zip_longest(zh, en) for u in pair if u is not None]
    lucky = mixed[:guaranteed]
    pool = _status_pool(n_orders, guaranteed)
    plan: list[tuple[str, str]] = []
    for user_id in lucky:
        for status in ("pending", "delivered"):
            pool.remove(status)
            plan.append((user_id, status))
    rng.shuffle(pool)
    owners = [u for u in user_ids if u not in lucky]
    owners += [rng.choice(user_ids) for _ in range(len(pool) - len(owners))]
    plan.extend(zip(owners, pool, strict=True))
    rng.shuffle(plan)
    return plan


def _make_order(
    rng: random.Random,
    ids: _Ids,
    order_id: str,
    user_id: str,
    user: Record,
    status: str,
    products: list[Record],
) -> Record:
    items: list[Record] = []
    for product in rng.sample(products, rng.randint(1, 4)):
        variant = rng.choice(list(product["variants"].values()))
        items.append(
            {
                "name": product["name"],
                "name_zh": product["name_zh"],
                "product_id": product["product_id"],
                "item_id": variant["item_id"],
                "price": variant["price"],
                "options": dict(variant["options"]),
            }
        )
    fulfillments: list[Record] = []
    if status in ("processed", "delivered"):
        fulfillments.append({"tracking_id": [ids.digits(12)], "item_ids": [i["item_id"] for i in items]})
    amount = round(sum(i["price"] for i in items), 2)
    method_id = rng.choice(list(user["payment_methods"]))
    history: list[Record] = [
        {"transaction_type": "payment", "amount": amount, "payment_method_id": method_id}
    ]
    if status == "cancelled":
        history.append({"transaction_type": "refund", "amount": amount, "payment_method_id": method_id})
    return {
        "order_id": order_id,
        "user_id": user_id,
        "address": dict(user["address"]),
        "items": items,
        "fulfillments": fulfillments,
        "status": status,
        "payment_history": history,
    }


def generate_demo_shop(seed: int = 7, n_customers: int = 40, n_orders: int = 120) -> ShopData:
    """Build the demo shop: ~half Chinese, ~half English-speaking customers, every one with an order."""
    if n_customers < 1:
        raise ValueError("n_customers must be at least 1")
    needed = n_customers + min(_GUARANTEED, n_customers)
    if n_orders < needed:
        raise ValueError(f"n_orders must be at least {needed} for {n_customers} customers")
    rng = random.Random(seed)
    ids = _Ids(rng)
    products = _make_products(rng, ids)

    kinds = [i % 2 == 0 for i in range(n_customers)]
    rng.shuffle(kinds)
    users: dict[str, Record] = {}
    chinese: dict[str, bool] = {}
    taken: set[str] = set()
    for is_chinese in kinds:
        user_id, user = _make_user(rng, ids, is_chinese, taken)
        users[user_id] = user
        chinese[user_id] = is_chinese

    orders: dict[str, Record] = {}
    product_list = list(products.values())
    for user_id, status in _plan_orders(rng, list(users), chinese, n_orders):
        order_id = f"#W{ids.digits(7)}"
        user = users[user_id]
        orders[order_id] = _make_order(rng, ids, order_id, user_id, user, status, product_list)
        user["orders"].append(order_id)
    return ShopData(users=users, orders=orders, products=products)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def demo_customers_for_docs(shop: ShopData, limit: int = 6) -> list[dict[str, Any]]:
    """Customers owning both a pending and a delivered order, Chinese and English interleaved."""
    zh: list[dict[str, Any]] = []
    en: list[dict[str, Any]] = []
    for user_id, user in shop.users.items():
        by_status: dict[str, str] = {}
        for order_id in user.get("orders", []):
            status = str(shop.orders.get(order_id, {}).get("status", ""))
            by_status.setdefault(status, order_id)
        if "pending" not in by_status or "delivered" not in by_status:
            continue
        first, last = user["name"]["first_name"], user["name"]["last_name"]
        is_zh = _has_cjk(first + last)
        row = {
            "user_id": user_id,
            "email": user["email"],
            "name": f"{last}{first}" if is_zh else f"{first} {last}",
            "first_name": first,
            "last_name": last,
            "zip": user["address"]["zip"],
            "pending_order_id": by_status["pending"],
            "delivered_order_id": by_status["delivered"],
        }
        (zh if is_zh else en).append(row)
    rows = [r for pair in itertools.zip_longest(zh, en) for r in pair if r is not None]
    return rows[:limit]
