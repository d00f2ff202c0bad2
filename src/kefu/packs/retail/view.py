"""The verified customer's shop data as one turn sees it, read through the tools (so authorization stays
with the tool rails) and read once per turn."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from kefu.domain.errors import ToolError
from kefu.engine.context import TurnContext
from kefu.packs.retail.shop import Record
from kefu.tools.registry import ToolRegistry


class ShopView:
    def __init__(self, tools: ToolRegistry, ctx: TurnContext) -> None:
        self.tools = tools
        self.ctx = ctx
        self._cache: dict[tuple[str, str], Any] = {}
        self.memo: dict[Any, Any] = {}  # results of understanding already worked out this turn

    def call(self, name: str, confirmed: bool = False, **arguments: Any) -> dict[str, Any]:
        result = self.tools.call(
            name,
            arguments,
            customer_id=self.ctx.state.verified_customer,
            idempotency_key=self.ctx.idempotency_prefix,
            confirmed=confirmed,
        )
        if confirmed:
            self.ctx.tool_events.append(result.event())
            self._cache.clear()
            self.memo.clear()
        return result.output

    def _cached(self, key: tuple[str, str], name: str, **arguments: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = self.call(name, **arguments)
        return self._cache[key]

    def orders(self) -> list[Record]:
        if not self.ctx.state.verified_customer:
            return []
        found: list[Record] = self._cached(("orders", ""), "list_orders")["orders"]
        return found

    def order(self, order_id: str | None) -> Record:
        if not order_id:
            return {}
        return next((o for o in self.orders() if o.get("order_id") == order_id), {})

    def user(self) -> Record:
        if not self.ctx.state.verified_customer:
            return {}
        found: Record = self._cached(("user", ""), "get_user_details")
        return found

    def product(self, product_id: str) -> Record:
        try:
            found: Record = self._cached(
                ("product", product_id), "get_product_details", product_id=product_id
            )
        except ToolError:
            return {}
        return found

    def products(self) -> list[Record]:
        found: list[Record] = self._cached(("products", ""), "list_products")["products"]
        return found

    def has_tool(self, name: str) -> bool:
        return name in self.tools.names()


_CURRENT: ContextVar[ShopView | None] = ContextVar("retail_shop_view", default=None)


def view_of(tools: ToolRegistry, ctx: TurnContext) -> ShopView:
    """The view of this turn (one per turn, shared by understanding and the flows)."""
    current = _CURRENT.get()
    if current is None or current.ctx is not ctx:
        current = ShopView(tools, ctx)
        _CURRENT.set(current)
    return current
