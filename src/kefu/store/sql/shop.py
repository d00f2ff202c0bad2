"""The demo business system of the retail pack, kept in kefu's database (tables ``shop_*``).

It enforces the retail rules itself, like a real shop's back office would (``changes``: τ²-bench's state
semantics), and records every mutation under its idempotency key so that a retried side effect is
applied once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kefu.domain.errors import NotFound, ToolError
from kefu.packs.retail import changes
from kefu.packs.retail.shop import Record, ShopData
from kefu.store.sql.schema import ShopActionRow, ShopCustomerRow, ShopOrderRow, ShopProductRow

Change = Callable[[Session, Record, Record], None]


class SqlRetailShop:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # -- loading -------------------------------------------------------------------------------
    def load(self, shop: ShopData, replace: bool = True) -> dict[str, int]:
        with self._sessions() as session, session.begin():
            if replace:
                for table in (ShopActionRow, ShopOrderRow, ShopProductRow, ShopCustomerRow):
                    session.execute(delete(table))
            for user_id, user in shop.users.items():
                name = user.get("name", {})
                session.merge(
                    ShopCustomerRow(
                        user_id=user_id,
                        email=str(user.get("email", "")).lower(),
                        first_name=str(name.get("first_name", "")).lower(),
                        last_name=str(name.get("last_name", "")).lower(),
                        zip=str(user.get("address", {}).get("zip", "")),
                        data={**user, "user_id": user_id},
                    )
                )
            for product_id, product in shop.products.items():
                session.merge(
                    ShopProductRow(product_id=product_id, name=str(product.get("name", "")), data=product)
                )
            for order_id, order in shop.orders.items():
                session.merge(
                    ShopOrderRow(
                        order_id=order_id,
                        user_id=str(order["user_id"]),
                        status=str(order.get("status", "")),
                        data=order,
                    )
                )
        return {"users": len(shop.users), "orders": len(shop.orders), "products": len(shop.products)}

    def counts(self) -> dict[str, int]:
        with self._sessions() as session:
            return {
                "users": session.scalar(select(func.count()).select_from(ShopCustomerRow)) or 0,
                "orders": session.scalar(select(func.count()).select_from(ShopOrderRow)) or 0,
                "products": session.scalar(select(func.count()).select_from(ShopProductRow)) or 0,
            }

    # -- reads ---------------------------------------------------------------------------------
    def find_user_by_email(self, email: str) -> str | None:
        with self._sessions() as session:
            return session.scalar(
                select(ShopCustomerRow.user_id).where(ShopCustomerRow.email == email.strip().lower()).limit(1)
            )

    def find_user_by_name_zip(self, first_name: str, last_name: str, zip_code: str) -> str | None:
        with self._sessions() as session:
            return session.scalar(
                select(ShopCustomerRow.user_id)
                .where(
                    ShopCustomerRow.first_name == first_name.strip().lower(),
                    ShopCustomerRow.last_name == last_name.strip().lower(),
                    ShopCustomerRow.zip == zip_code.strip(),
                )
                .limit(1)
            )

    def get_user(self, user_id: str) -> Record | None:
        with self._sessions() as session:
            row = session.get(ShopCustomerRow, user_id)
            return copy.deepcopy(row.data) if row else None

    def get_order(self, order_id: str) -> Record | None:
        with self._sessions() as session:
            row = session.get(ShopOrderRow, order_id)
            return copy.deepcopy(row.data) if row else None

    def list_orders(self, user_id: str) -> list[Record]:
        with self._sessions() as session:
            rows = session.scalars(
                select(ShopOrderRow).where(ShopOrderRow.user_id == user_id).order_by(ShopOrderRow.order_id)
            ).all()
            return [copy.deepcopy(r.data) for r in rows]

    def get_product(self, product_id: str) -> Record | None:
        with self._sessions() as session:
            row = session.get(ShopProductRow, product_id)
            return copy.deepcopy(row.data) if row else None

    def list_products(self) -> list[Record]:
        with self._sessions() as session:
            return [copy.deepcopy(r.data) for r in session.scalars(select(ShopProductRow)).all()]

    def snapshot(self) -> ShopData:
        """Rows come in the database's order (SQLite: as loaded)."""
        with self._sessions() as session:
            users = session.scalars(select(ShopCustomerRow)).all()
            orders = session.scalars(select(ShopOrderRow)).all()
            products = session.scalars(select(ShopProductRow)).all()
            return ShopData(
                users={r.user_id: copy.deepcopy(r.data) for r in users},
                orders={r.order_id: copy.deepcopy(r.data) for r in orders},
                products={r.product_id: copy.deepcopy(r.data) for r in products},
            )

    # -- mutations -----------------------------------------------------------------------------
    def _replayed(self, session: Session, key: str) -> Record | None:
        done = session.get(ShopActionRow, key)
        return copy.deepcopy(done.result) if done else None

    def _order_for_update(self, session: Session, order_id: str) -> ShopOrderRow:
        row = session.scalar(select(ShopOrderRow).where(ShopOrderRow.order_id == order_id).with_for_update())
        if row is None:
            raise NotFound(f"order {order_id} not found")
        return row

    def _user_for_update(self, session: Session, user_id: str) -> ShopCustomerRow:
        row = session.scalar(
            select(ShopCustomerRow).where(ShopCustomerRow.user_id == user_id).with_for_update()
        )
        if row is None:
            raise NotFound(f"user {user_id} not found")
        return row

    def _products(self, session: Session) -> dict[str, Record]:
        return {r.product_id: r.data for r in session.scalars(select(ShopProductRow)).all()}

    @staticmethod
    def _record(session: Session, key: str, action: str, order_id: str, result: Record) -> None:
        session.add(
            ShopActionRow(
                idempotency_key=key,
                order_id=order_id,
                action=action,
                result=result,
                created_at=datetime.now(UTC),
            )
        )

    def _mutate(self, order_id: str, key: str, action: str, change: Change) -> Record:
        """Apply ``change`` to copies of the order and its customer (gift-card balances) under row locks
        and record it under ``key``; a key seen before returns its first result and changes nothing.
        ``change`` raises ``ToolError`` to refuse."""
        try:
            with self._sessions() as session, session.begin():
                if (done := self._replayed(session, key)) is not None:
                    return done
                row = self._order_for_update(session, order_id)
                user_row = self._user_for_update(session, row.user_id)
                order, user = copy.deepcopy(row.data), copy.deepcopy(user_row.data)
                change(session, order, user)
                row.data = order
                row.status = str(order["status"])
                if user != user_row.data:
                    user_row.data = user
                self._record(session, key, action, row.order_id, order)
                return copy.deepcopy(order)
        except IntegrityError:
            return self._replay_after_race(key)

    def cancel_order(self, order_id: str, reason: str, idempotency_key: str) -> Record:
        def change(_: Session, order: Record, user: Record) -> None:
            changes.cancel(order, user, reason)

        return self._mutate(order_id, idempotency_key, "cancel", change)

    def modify_address(self, order_id: str, address: Record, idempotency_key: str) -> Record:
        def change(_: Session, order: Record, __: Record) -> None:
            changes.modify_address(order, address)

        return self._mutate(order_id, idempotency_key, "modify_address", change)

    def return_items(
        self, order_id: str, item_ids: list[str], payment_method_id: str, idempotency_key: str
    ) -> Record:
        def change(_: Session, order: Record, user: Record) -> None:
            changes.return_items(order, user, item_ids, payment_method_id)

        return self._mutate(order_id, idempotency_key, "return", change)

    def exchange_items(
        self,
        order_id: str,
        item_ids: list[str],
        new_item_ids: list[str],
        payment_method_id: str,
        idempotency_key: str,
    ) -> Record:
        def change(session: Session, order: Record, user: Record) -> None:
            products = self._products(session)
            changes.exchange_items(order, user, products, item_ids, new_item_ids, payment_method_id)

        return self._mutate(order_id, idempotency_key, "exchange", change)

    def modify_items(
        self,
        order_id: str,
        item_ids: list[str],
        new_item_ids: list[str],
        payment_method_id: str,
        idempotency_key: str,
    ) -> Record:
        def change(session: Session, order: Record, user: Record) -> None:
            products = self._products(session)
            changes.modify_items(order, user, products, item_ids, new_item_ids, payment_method_id)

        return self._mutate(order_id, idempotency_key, "modify_items", change)

    def modify_payment(self, order_id: str, payment_method_id: str, idempotency_key: str) -> Record:
        def change(_: Session, order: Record, user: Record) -> None:
            changes.modify_payment(order, user, payment_method_id)

        return self._mutate(order_id, idempotency_key, "modify_payment", change)

    def modify_user_address(self, user_id: str, address: Record, idempotency_key: str) -> Record:
        """The customer's default address; the action is recorded with an empty ``order_id``."""
        try:
            with self._sessions() as session, session.begin():
                if (done := self._replayed(session, idempotency_key)) is not None:
                    return done
                row = self._user_for_update(session, user_id)
                user = copy.deepcopy(row.data)
                changes.modify_user_address(user, address)
                row.data = user
                row.zip = str(user["address"]["zip"])
                self._record(session, idempotency_key, "modify_user_address", "", user)
                return copy.deepcopy(user)
        except IntegrityError:
            return self._replay_after_race(idempotency_key)

    def _replay_after_race(self, key: str) -> Record:
        with self._sessions() as session:
            done = self._replayed(session, key)
        if done is None:
            raise ToolError("conflict", f"concurrent change under key {key}")
        return done
