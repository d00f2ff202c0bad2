"""Replay τ-bench / τ²-bench retail gold actions on a ``RetailShop``, to get the expected business state
of a task (the state a scripted customer's conversation is scored against).

τ² actions are ``{"name", "arguments"}``, v1 actions ``{"name", "kwargs"}``. Write actions go through
the shop's own methods (so its rules apply: a refusal raises ``ToolError``); read-only and generic
tools change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kefu.domain.errors import InvalidInput, ToolError
from kefu.packs.retail.shop import RetailShop

READ_ONLY = frozenset(
    {
        "calculate",
        "think",
        "transfer_to_human_agents",
        "find_user_id_by_email",
        "find_user_id_by_name_zip",
        "get_order_details",
        "get_product_details",
        "get_item_details",
        "get_user_details",
        "list_all_product_types",
    }
)

ADDRESS_KEYS = ("address1", "address2", "city", "state", "country", "zip")


def _str(arguments: Mapping[str, Any], key: str, name: str) -> str:
    value = arguments.get(key)
    if not isinstance(value, str):
        raise InvalidInput(f"gold action {name}: argument {key!r} must be a string, got {value!r}")
    return value


def _ids(arguments: Mapping[str, Any], key: str, name: str) -> list[str]:
    value = arguments.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"gold action {name}: argument {key!r} must be a list of strings, got {value!r}")
    return list(value)


def _address(arguments: Mapping[str, Any], name: str) -> dict[str, str]:
    return {key: _str(arguments, key, name) for key in ADDRESS_KEYS}


Write = Callable[[RetailShop, Mapping[str, Any], str, str], object]

WRITES: dict[str, Write] = {
    "cancel_pending_order": lambda shop, a, key, n: shop.cancel_order(
        _str(a, "order_id", n), _str(a, "reason", n), key
    ),
    "modify_pending_order_address": lambda shop, a, key, n: shop.modify_address(
        _str(a, "order_id", n), _address(a, n), key
    ),
    "modify_pending_order_items": lambda shop, a, key, n: shop.modify_items(
        _str(a, "order_id", n),
        _ids(a, "item_ids", n),
        _ids(a, "new_item_ids", n),
        _str(a, "payment_method_id", n),
        key,
    ),
    "modify_pending_order_payment": lambda shop, a, key, n: shop.modify_payment(
        _str(a, "order_id", n), _str(a, "payment_method_id", n), key
    ),
    "modify_user_address": lambda shop, a, key, n: shop.modify_user_address(
        _str(a, "user_id", n), _address(a, n), key
    ),
    "return_delivered_order_items": lambda shop, a, key, n: shop.return_items(
        _str(a, "order_id", n), _ids(a, "item_ids", n), _str(a, "payment_method_id", n), key
    ),
    "exchange_delivered_order_items": lambda shop, a, key, n: shop.exchange_items(
        _str(a, "order_id", n),
        _ids(a, "item_ids", n),
        _ids(a, "new_item_ids", n),
        _str(a, "payment_method_id", n),
        key,
    ),
}


def is_write(name: str) -> bool:
    return name in WRITES


def apply_gold_action(shop: RetailShop, name: str, arguments: Mapping[str, Any], key: str) -> None:
    """Apply one gold action by its τ² tool name under idempotency key ``key``. Unknown names and
    malformed arguments raise ``InvalidInput``; a refused write raises the shop's ``ToolError``."""
    if name in READ_ONLY:
        return
    replay = WRITES.get(name)
    if replay is None:
        known = ", ".join(sorted(READ_ONLY | WRITES.keys()))
        raise InvalidInput(f"unknown τ-bench retail action {name!r} (known: {known})")
    if not isinstance(arguments, Mapping):
        raise InvalidInput(f"gold action {name}: arguments must be a JSON object")
    replay(shop, arguments, key, name)


@dataclass(frozen=True)
class Refused:
    """A gold write the shop refused; like τ²'s gold replay, it changed nothing and the replay went on."""

    index: int
    name: str
    reason: str
    detail: str


@dataclass(frozen=True)
class Replay:
    writes: int  # write actions applied
    refused: tuple[Refused, ...] = ()


def action_parts(action: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """``(name, arguments)`` of a τ² action (``arguments``) or a v1 action (``kwargs``). A v1 item
    modification drops the pairs that keep an item as it is: v1 accepted them as no-ops, τ² refuses
    them, and without them the state is the one v1 left."""
    name = action.get("name")
    if not isinstance(name, str):
        raise InvalidInput(f"gold action without a name: {dict(action)!r}")
    v1 = "kwargs" in action and "arguments" not in action
    arguments = action.get("kwargs") if v1 else action.get("arguments", {})
    if not isinstance(arguments, Mapping):
        raise InvalidInput(f"gold action {name}: arguments must be a JSON object")
    if v1 and name == "modify_pending_order_items":
        old_ids, new_ids = _ids(arguments, "item_ids", name), _ids(arguments, "new_item_ids", name)
        pairs = list(zip(old_ids, new_ids, strict=False))
        changed = [(old, new) for old, new in pairs if old != new]
        if changed and len(changed) < len(pairs):
            arguments = {
                **arguments,
                "item_ids": [old for old, _ in changed],
                "new_item_ids": [new for _, new in changed],
            }
    return name, arguments


def apply_gold_actions(shop: RetailShop, actions: Sequence[Mapping[str, Any]], key_prefix: str) -> Replay:
    """Apply a task's actions in order (τ² or v1 form) under keys ``{key_prefix}:{index}``. A refused
    write (``ToolError``) is recorded and skipped, as τ² does when it builds the gold state; malformed
    actions raise ``InvalidInput``."""
    writes, refused = 0, []
    for index, action in enumerate(actions):
        name, arguments = action_parts(action)
        try:
            apply_gold_action(shop, name, arguments, f"{key_prefix}:{index}")
        except ToolError as error:
            refused.append(Refused(index, name, error.user_message, error.detail))
            continue
        writes += is_write(name)
    return Replay(writes, tuple(refused))
