"""What a finance flow proposes once its slots are filled: the tool, its arguments, and what the
confirmation shows the customer (every value that will change)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kefu.dialogue.flows import FlowSpec
from kefu.engine.context import TurnContext
from kefu.packs.finance import render

if TYPE_CHECKING:
    from kefu.packs.finance.host import FinanceHost


def _yes(value: Any) -> bool:
    return value in ("yes", True)


def proposal(host: FinanceHost, ctx: TurnContext, flow: FlowSpec) -> dict[str, Any] | None:
    slots, view, lang = ctx.state.slots, host.view(ctx), ctx.lang
    args: dict[str, Any]
    show: dict[str, Any]
    if flow.name in ("freeze_card", "unfreeze_card"):
        card = view.find("list_debit_cards", "card_id", slots["card"])
        args, show = {"card_id": slots["card"]}, {"card": render.debit_card(card)}
    elif flow.name == "replace_card":
        account = view.find("list_credit_cards", "account_id", slots["account"])
        address = str(view.user().get("address", ""))
        fast = _yes(slots.get("expedited"))
        args = {
            "account_id": slots["account"],
            "reason": slots["reason"],
            "expedited": fast,
            "shipping_address": address,
        }
        shipping = (
            ("加急" if fast else "普通") if lang == "zh" else ("expedited" if fast else "by standard mail")
        )
        show = {
            "card": render.credit_card(account),
            "reason": render.reason(str(slots["reason"]), lang),
            "shipping": shipping,
            "address": address,
        }
    elif flow.name == "dispute":
        txn = view.find("list_card_transactions", "transaction_id", slots["transaction"])
        args = {
            "transaction_id": slots["transaction"],
            "reason": slots["reason"],
            "resolution": slots["resolution"],
            "partial_amount": slots.get("amount"),
            "contacted_merchant": _yes(slots.get("contacted")),
        }
        show = {
            "transaction": render.card_transaction(txn),
            "reason": render.reason(str(slots["reason"]), lang),
            "resolution": render.reason(str(slots["resolution"]), lang),
        }
    elif flow.name == "cash_back_dispute":
        txn = view.find("list_card_transactions", "transaction_id", slots["transaction"])
        args, show = {"transaction_id": slots["transaction"]}, {"transaction": render.card_transaction(txn)}
    elif flow.name == "apply_card":
        subscribed = _yes(slots.get("subscription"))
        args = {
            "card_type": slots["card_type"],
            "customer_name": slots["name"],
            "annual_income": float(slots["income"]),
            "rho_bank_subscription": subscribed,
        }
        yes_no = ("是" if subscribed else "否") if lang == "zh" else ("yes" if subscribed else "no")
        show = {
            "card_type": slots["card_type"],
            "name": slots["name"],
            "income": render.amount(slots["income"]),
            "subscription": yes_no,
        }
    elif flow.name == "change_email":
        args, show = {"new_email": slots["email"]}, {"email": slots["email"]}
    elif flow.name == "referral":
        args, show = {"account_type": slots["account_type"]}, {"account_type": slots["account_type"]}
    else:
        return None
    return {"tool": flow.tool, "args": args, "show": show}
