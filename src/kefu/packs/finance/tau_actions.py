"""Replaying τ²-bench banking gold actions on a ``Bank`` through the bank's own procedures
(``operations``), as the expected state of a scripted customer.

τ² reaches most procedures through "discoverable" tools (``call_discoverable_agent_tool`` with a tool
name and JSON arguments); the replay unwraps them. Reads, unlocking and transfers change nothing. The
τ² bookkeeping of which discoverable tools were given or called is not bank state and is not replayed.
A procedure the bank refuses is skipped (as τ² does) and reported; one kefu does not know makes the
task unscorable (``InvalidInput``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kefu.domain.errors import InvalidInput, ToolError
from kefu.packs.finance.operations import BankOperations

NO_CHANGE = frozenset(
    {
        "transfer_to_human_agents", "request_human_agent_transfer", "unlock_discoverable_agent_tool",
        "give_discoverable_user_tool", "get_current_time", "get_referrals_by_user",
        "get_credit_card_accounts_by_user", "get_credit_card_transactions_by_user",
        "get_user_information_by_id", "get_user_information_by_name", "get_user_information_by_email",
        "list_discoverable_agent_tools", "KB_search",
        # discoverable reads and notices
        "get_all_user_accounts_by_user_id_3847", "get_bank_account_transactions_9173",
        "get_card_last_4_digits", "get_closure_reason_history_8293", "get_credit_limit_increase_history_4829",
        "get_debit_cards_by_account_id_7823", "get_debit_dispute_status_7483", "get_payment_history_6183",
        "get_pending_replacement_orders_5765", "get_user_dispute_history_7291",
        "emergency_credit_bureau_incident_transfer_1114",
    }
)  # fmt: skip
Handler = Callable[[BankOperations, Mapping[str, Any]], object]


def _s(args: Mapping[str, Any], key: str) -> str:
    if key not in args:
        raise InvalidInput(f"missing argument {key!r}")
    return str(args[key])


def _dispute(ops: BankOperations, a: Mapping[str, Any]) -> object:
    return ops.record_card_dispute(dict(a))


HANDLERS: dict[str, Handler] = {
    "log_verification": lambda ops, a: ops.log_verification(_s(a, "user_id")),
    "change_user_email": lambda ops, a: ops.change_email(_s(a, "user_id"), _s(a, "new_email")),
    "apply_for_credit_card": lambda ops, a: ops.apply_for_credit_card(
        _s(a, "card_type"),
        _s(a, "customer_name"),
        float(a.get("annual_income", 0)),
        bool(a.get("rho_bank_subscription", False)),
    ),
    "submit_referral": lambda ops, a: ops.submit_referral(_s(a, "user_id"), _s(a, "account_type")),
    "update_transaction_rewards_3847": lambda ops, a: ops.update_rewards(
        _s(a, "transaction_id"), _s(a, "new_rewards_earned")
    ),
    "submit_cash_back_dispute_0589": lambda ops, a: ops.submit_cash_back_dispute(
        _s(a, "user_id"), _s(a, "transaction_id")
    ),
    "file_credit_card_transaction_dispute_4829": _dispute,
    "order_replacement_credit_card_7291": lambda ops, a: ops.order_replacement_credit_card(
        _s(a, "user_id"),
        _s(a, "credit_card_account_id"),
        _s(a, "shipping_address"),
        _s(a, "reason"),
        bool(a.get("expedited_shipping", False)),
    ),
    "log_credit_card_closure_reason_4521": lambda ops, a: ops.log_closure_reason(
        _s(a, "user_id"), _s(a, "credit_card_account_id"), _s(a, "closure_reason")
    ),
    "freeze_debit_card_3892": lambda ops, a: _card_status(ops, a, True),
    "unfreeze_debit_card_3893": lambda ops, a: _card_status(ops, a, False),
}


def _card_status(ops: BankOperations, a: Mapping[str, Any], frozen: bool) -> object:
    card = ops.bank.get("debit_cards", _s(a, "card_id"))
    owner = str((card or {}).get("user_id", ""))
    return ops.set_debit_card_status(owner, _s(a, "card_id"), frozen)


def action_parts(action: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The procedure an action runs and its arguments, unwrapping τ²'s discoverable tools."""
    name = action.get("name")
    args = action.get("arguments") or {}
    if not isinstance(name, str) or not isinstance(args, dict):
        raise InvalidInput("an action needs a name and an arguments object")
    if name in ("call_discoverable_agent_tool", "call_discoverable_user_tool"):
        inner = args.get("agent_tool_name") or args.get("discoverable_tool_name")
        raw = args.get("arguments") or "{}"
        try:
            inner_args = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{name}({inner}): arguments are not JSON") from exc
        if not isinstance(inner, str) or not isinstance(inner_args, dict):
            raise InvalidInput(f"{name}: needs a tool name and an arguments object")
        return inner, inner_args
    return name, args


def supported(name: str) -> bool:
    return name in NO_CHANGE or name in HANDLERS


@dataclass
class Replay:
    applied: list[str] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)


def apply_gold_actions(ops: BankOperations, actions: list[Mapping[str, Any]]) -> Replay:
    replay = Replay()
    for index, action in enumerate(actions):
        name, args = action_parts(action)
        if name in NO_CHANGE:
            continue
        handler = HANDLERS.get(name)
        if handler is None:
            raise InvalidInput(f"gold action {index} ({name}) is a procedure kefu's bank does not have")
        try:
            handler(ops, args)
        except ToolError as exc:
            replay.refused.append((index, name, f"{exc.user_message}: {exc.detail}"))
            continue
        replay.applied.append(name)
    return replay
