"""A ``RetailShop`` held in memory: the same rules and state changes as the SQL shop (``changes``), for
scoring by state (replaying gold actions on a copy of the initial data) and for tests of the tools."""

from __future__ import annotations

import copy
from collections.abc import Callable

from kefu.domain.errors import NotFound
from kefu.packs.retail import changes
from kefu.packs.retail.shop import Record, ShopData


class MemoryRetailShop:
    """Never changes ``data``: records are shared with it until a mutation replaces one with a changed
    copy (a refusal changes nothing), and reads return copies. So a shop per task is cheap."""

    def __init__(self, data: ShopData) -> None:
        self._data = ShopData(
            users={uid: {**user, "user_id": uid} for uid, user in data.users.items()},  # as the SQL shop
            orders=dict(data.orders),
            products=dict(data.products),
        )
        self._done: dict[str, Record] = {}

    # -- reads ---------------------------------------------------------------------------------
    def find_user_by_email(self, email: str) -> str | None:
        wanted = email.strip().lower()
        found = (uid for uid, u in self._data.users.items() if str(u.get("email", "")).lower() == wanted)
        return next(found, None)

    def find_user_by_name_zip(self, first_name: str, last_name: str, zip_code: str) -> str | None:
        wanted = (first_name.strip().lower(), last_name.strip().lower(), zip_code.strip())
        for user_id, user in self._data.users.items():
            name = user.get("name", {})
            found = (
                str(name.get("first_name", "")).lower(),
                str(name.get("last_name", "")).lower(),
                str(user.get("address", {}).get("zip", "")),
            )
            if found == wanted:
                return user_id
        return None

    def get_user(self, user_id: str) -> Record | None:
        return copy.deepcopy(self._data.users.get(user_id))

    def get_order(self, order_id: str) -> Record | None:
        return copy.deepcopy(self._data.orders.get(order_id))

    def list_orders(self, user_id: str) -> list[Record]:
        return [copy.deepcopy(o) for _, o in sorted(self._data.orders.items()) if o.get("user_id") == user_id]

    def get_product(self, product_id: str) -> Record | None:
        return copy.deepcopy(self._data.products.get(product_id))

    def list_products(self) -> list[Record]:
        return [copy.deepcopy(p) for p in self._data.products.values()]

    def snapshot(self) -> ShopData:
        return copy.deepcopy(self._data)

    # -- mutations -----------------------------------------------------------------------------
    def _mutate(self, order_id: str, key: str, change: Callable[[Record, Record], None]) -> Record:
        if key in self._done:
            return copy.deepcopy(self._done[key])
        if order_id not in self._data.orders:
            raise NotFound(f"order {order_id} not found")
        order = copy.deepcopy(self._data.orders[order_id])
        user_id = str(order["user_id"])
        if user_id not in self._data.users:
            raise NotFound(f"user {user_id} not found")
        user = copy.deepcopy(self._data.users[user_id])
        change(order, user)
        self._data.orders[order_id], self._data.users[user_id] = order, user
        self._done[key] = copy.deepcopy(order)
        return copy.deepcopy(order)

    def cancel_order(self, order_id: str, reason: str, idempotency_key: str) -> Record:
        return self._mutate(order_id, idempotency_key, lambda o, u: changes.cancel(o, u, reason))

    def modify_address(self, order_id: str, address: Record, idempotency_key: str) -> Record:
        return self._mutate(order_id, idempotency_key, lambda o, _: changes.modify_address(o, address))

    def return_items(
        self, order_id: str, item_ids: list[str], payment_method_id: str, idempotency_key: str
    ) -> Record:
        return self._mutate(
            order_id, idempotency_key, lambda o, u: changes.return_items(o, u, item_ids, payment_method_id)
        )

    def exchange_items(
        self,
        order_id: str,
        item_ids: list[str],
        new_item_ids: list[str],
        payment_method_id: str,
        idempotency_key: str,
    ) -> Record:
        def change(order: Record, user: Record) -> None:
            products = self._data.products
            changes.exchange_items(order, user, products, item_ids, new_item_ids, payment_method_id)

        return self._mutate(order_id, idempotency_key, change)

    def modify_items(
        self,
        order_id: str,
        item_ids: list[str],
        new_item_ids: list[str],
        payment_method_id: str,
        idempotency_key: str,
    ) -> Record:
        def change(order: Record, user: Record) -> None:
            products = self._data.products
            changes.modify_items(order, user, products, item_ids, new_item_ids, payment_method_id)

        return self._mutate(order_id, idempotency_key, change)

    def modify_payment(self, order_id: str, payment_method_id: str, idempotency_key: str) -> Record:
        return self._mutate(
            order_id, idempotency_key, lambda o, u: changes.modify_payment(o, u, payment_method_id)
        )

    def modify_user_address(self, user_id: str, address: Record, idempotency_key: str) -> Record:
        if idempotency_key in self._done:
            return copy.deepcopy(self._done[idempotency_key])
        if user_id not in self._data.users:
            raise NotFound(f"user {user_id} not found")
        user = copy.deepcopy(self._data.users[user_id])
        changes.modify_user_address(user, address)
        self._data.users[user_id] = user
        self._done[idempotency_key] = copy.deepcopy(user)
        return copy.deepcopy(user)
