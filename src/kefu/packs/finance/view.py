"""The verified customer's bank records as one turn sees them, read through the tools (authorization
stays with the tool rails), each read once per turn."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from kefu.engine.context import TurnContext
from kefu.packs.finance.bank import Record
from kefu.tools.registry import ToolRegistry


class BankView:
    def __init__(self, tools: ToolRegistry, ctx: TurnContext) -> None:
        self.tools = tools
        self.ctx = ctx
        self._cache: dict[str, list[Record]] = {}

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
        return result.output

    def records(self, tool: str) -> list[Record]:
        if not self.ctx.state.verified_customer:
            return []
        if tool not in self._cache:
            self._cache[tool] = list(self.call(tool)["records"])
        return self._cache[tool]

    def user(self) -> Record:
        found = self.records("get_profile")
        return found[0] if found else {}

    def debit_cards(self) -> list[Record]:
        return self.records("list_debit_cards")

    def credit_cards(self) -> list[Record]:
        return self.records("list_credit_cards")

    def card_transactions(self) -> list[Record]:
        return self.records("list_card_transactions")

    def account_transactions(self) -> list[Record]:
        return self.records("list_account_transactions")

    def accounts(self) -> list[Record]:
        return self.records("list_accounts")

    def find(self, tool: str, field: str, value: Any) -> Record:
        return next((r for r in self.records(tool) if r.get(field) == value), {})


_CURRENT: ContextVar[BankView | None] = ContextVar("finance_bank_view", default=None)


def view_of(tools: ToolRegistry, ctx: TurnContext) -> BankView:
    """The view of this turn (one per turn, shared by the generator and the host)."""
    current = _CURRENT.get()
    if current is None or current.ctx is not ctx:
        current = BankView(tools, ctx)
        _CURRENT.set(current)
    return current
