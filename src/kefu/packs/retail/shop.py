"""The retail business system as kefu sees it: a port, plus the data shape it exchanges.

Records use the τ-bench retail shape (users, orders, products as JSON objects), so the demo shop,
the τ-bench import and a business's own system can all stand behind the same tools.
Demo data may add ``name_zh`` to products and items (Chinese display names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

Record = dict[str, Any]


@dataclass
class ShopData:
    """A whole shop: ``users`` by user id, ``orders`` by order id (``#W…``), ``products`` by product id."""

    users: dict[str, Record] = field(default_factory=dict)
    orders: dict[str, Record] = field(default_factory=dict)
    products: dict[str, Record] = field(default_factory=dict)


class RetailShop(Protocol):
    """What the retail tools need from a shop. Mutations take an idempotency key: a retry with the same
    key returns the first result and changes nothing. They return the order after the change
    (``modify_user_address``: the user), leave the state τ²-bench's tools leave (``changes``), and raise
    ``ToolError`` whose ``user_message`` is the refusal reason."""

    def find_user_by_email(self, email: str) -> str | None: ...

    def find_user_by_name_zip(self, first_name: str, last_name: str, zip_code: str) -> str | None: ...

    def get_user(self, user_id: str) -> Record | None: ...

    def get_order(self, order_id: str) -> Record | None: ...

    def list_orders(self, user_id: str) -> list[Record]: ...

    def get_product(self, product_id: str) -> Record | None: ...

    def list_products(self) -> list[Record]: ...

    def snapshot(self) -> ShopData:
        """A copy of every user, order and product (for export and for scoring by state)."""
        ...

    def cancel_order(self, order_id: str, reason: str, idempotency_key: str) -> Record: ...

    def modify_address(self, order_id: str, address: Record, idempotency_key: str) -> Record: ...

    def return_items(
        self, order_id: str, item_ids: list[str], payment_method_id: str, idempotency_key: str
    ) -> Record: ...

    def exchange_items(
        self,
        order_id: str,
        item_ids: list[str],
        new_item_ids: list[str],
        payment_method_id: str,
        idempotency_key: str,
    ) -> Record: ...

    def modify_items(
        self,
        order_id: str,
        item_ids: list[str],
        new_item_ids: list[str],
        payment_method_id: str,
        idempotency_key: str,
    ) -> Record: ...

    def modify_payment(self, order_id: str, payment_method_id: str, idempotency_key: str) -> Record: ...

    def modify_user_address(self, user_id: str, address: Record, idempotency_key: str) -> Record: ...
