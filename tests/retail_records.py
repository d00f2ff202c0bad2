"""Small retail records for the rule and state-change tests: two products of the τ² catalogue (prices
as there), one order of both, and a customer with a card, PayPal and a gift card."""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]

BOTTLE = "8310926033"
CHAIR = "4794339885"
BOTTLE_BLUE_GLASS = "6469567736"  # in the order, 47.84
BOTTLE_RED_GLASS = "2439754078"  # available, 49.95
BOTTLE_BLUE_STEEL = "7843064651"  # available, 50.14
BOTTLE_GREEN = "9127591879"  # unavailable, 48.47
CHAIR_BLACK = "8426249116"  # in the order, 488.81
CHAIR_GRAY = "9459890810"  # available, 510.10
CHAIR_CHEAP = "3704016729"  # available, 480.01


def variant(item_id: str, price: float, available: bool = True, **options: str) -> Record:
    return {"item_id": item_id, "options": options, "available": available, "price": price}


PRODUCTS: dict[str, Record] = {
    BOTTLE: {
        "name": "Water Bottle",
        "product_id": BOTTLE,
        "variants": {
            v["item_id"]: v
            for v in (
                variant(BOTTLE_BLUE_GLASS, 47.84, color="blue", material="glass"),
                variant(BOTTLE_RED_GLASS, 49.95, color="red", material="glass"),
                variant(BOTTLE_BLUE_STEEL, 50.14, color="blue", material="stainless steel"),
                variant(BOTTLE_GREEN, 48.47, available=False, color="green", material="glass"),
            )
        },
    },
    CHAIR: {
        "name": "Office Chair",
        "product_id": CHAIR,
        "variants": {
            v["item_id"]: v
            for v in (
                variant(CHAIR_BLACK, 488.81, color="black"),
                variant(CHAIR_GRAY, 510.10, color="gray"),
                variant(CHAIR_CHEAP, 480.01, color="blue"),
            )
        },
    },
}


def item(product_id: str, item_id: str) -> Record:
    product = PRODUCTS[product_id]
    chosen = product["variants"][item_id]
    return {
        "name": product["name"],
        "product_id": product_id,
        "item_id": item_id,
        "price": chosen["price"],
        "options": dict(chosen["options"]),
    }


def order(
    status: str = "delivered", items: list[Record] | None = None, paid_with: str = "credit_card_1"
) -> Record:
    items = items if items is not None else [item(BOTTLE, BOTTLE_BLUE_GLASS), item(CHAIR, CHAIR_BLACK)]
    return {
        "order_id": "#W2611340",
        "user_id": "james_li_5688",
        "address": {
            "address1": "215 River Road",
            "address2": "Suite 991",
            "city": "New York",
            "country": "USA",
            "state": "NY",
            "zip": "10083",
        },
        "items": items,
        "fulfillments": [],
        "status": status,
        "payment_history": [
            {
                "transaction_type": "payment",
                "amount": round(sum(i["price"] for i in items), 2),
                "payment_method_id": paid_with,
            }
        ],
    }


def user(gift_card_balance: float = 100.0) -> Record:
    return {
        "name": {"first_name": "James", "last_name": "Li"},
        "email": "james.li@example.com",
        "payment_methods": {
            "credit_card_1": {
                "source": "credit_card",
                "brand": "visa",
                "last_four": "1111",
                "id": "credit_card_1",
            },
            "paypal_2": {"source": "paypal", "id": "paypal_2"},
            "gift_card_3": {"source": "gift_card", "balance": gift_card_balance, "id": "gift_card_3"},
        },
        "orders": ["#W2611340"],
    }


NEW_ADDRESS = {
    "address1": "123 Main St",
    "address2": "Apt 4",
    "city": "Austin",
    "state": "TX",
    "country": "USA",
    "zip": "78701",
}

STATUSES = [
    "pending",
    "pending (item modified)",
    "processed",
    "delivered",
    "cancelled",
    "return requested",
    "exchange requested",
]
