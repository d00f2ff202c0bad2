"""The retail flows, as data for the dialogue toolkit's flow engine (``kefu.dialogue``).

Validators are rule names that ``RetailHost.validate`` checks with ``rules.py``: an order of the right
status for the action (a pending order's items are *modified*, a delivered one's *exchanged*: the same
request, switched by the order's status).
"""

from __future__ import annotations

from kefu.dialogue.flows import FlowBook, FlowSpec, SlotSpec
from kefu.packs.retail.rules import CANCEL_REASONS

PENDING = "order_pending"
DELIVERED = "order_delivered"
ITEMS_CHANGEABLE = "order_items_changeable"  # delivered → exchange, pending → modify items


def _order(validate: str | None = None) -> SlotSpec:
    return SlotSpec("order", "order", "ask.order", validate=validate)


_ITEMS = SlotSpec("items", "items", "ask.items", needs=("order",))
_VARIANTS = SlotSpec("variants", "variant", needs=("items",), required=False)  # picked so far, per item
_CHOICES = SlotSpec("variant_choices", "variant", needs=("items",), required=False)  # still to choose from
_NEW_ITEMS = SlotSpec("new_items", "variant", "ask.new_items", needs=("items",))
_REASON = SlotSpec("reason", "choice", "ask.reason", choices=CANCEL_REASONS)
_ADDRESS = SlotSpec("address", "address", "ask.address")


def _payment(needs: str) -> SlotSpec:
    return SlotSpec("payment", "payment_method", "ask.payment", needs=(needs,))


FLOWS = FlowBook(
    (
        FlowSpec("order_status", (_order(),), tool=None),
        FlowSpec("list_orders", (), tool=None),
        FlowSpec("cancel_order", (_order(PENDING), _REASON), tool="cancel_pending_order"),
        FlowSpec("change_address", (_order(PENDING), _ADDRESS), tool="modify_pending_order_address"),
        FlowSpec(
            "return_items",
            (_order(DELIVERED), _ITEMS, _payment("order")),
            tool="return_delivered_order_items",
        ),
        FlowSpec(
            "exchange_items",
            (_order(ITEMS_CHANGEABLE), _ITEMS, _VARIANTS, _CHOICES, _NEW_ITEMS, _payment("order")),
            tool="exchange_delivered_order_items",
        ),
        FlowSpec(
            "modify_items",
            (_order(ITEMS_CHANGEABLE), _ITEMS, _VARIANTS, _CHOICES, _NEW_ITEMS, _payment("order")),
            tool="modify_pending_order_items",
        ),
        FlowSpec(
            "change_payment",
            (_order(PENDING), SlotSpec("payment", "payment_method", "ask.payment.order", needs=("order",))),
            tool="modify_pending_order_payment",
        ),
        FlowSpec(
            "change_user_address",
            (SlotSpec("address", "address", "ask.address.user"),),
            tool="modify_user_address",
        ),
    )
)

ORDER_FLOWS = tuple(f for f in FLOWS.names() if f not in ("list_orders", "change_user_address"))
