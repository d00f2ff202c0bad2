"""The finance flows, as data for the dialogue toolkit's flow engine. Validators are rule names the
``FinanceHost`` checks against the customer's own records (``rules.py``)."""

from __future__ import annotations

from kefu.dialogue.flows import FlowBook, FlowSpec, SlotSpec
from kefu.packs.finance.operations import CARD_DISPUTE_REASONS, REPLACEMENT_REASONS

CARD_ACTIVE = "debit_card_active"
CARD_FROZEN = "debit_card_frozen"
ACCOUNT_OPEN = "credit_card_active"
DISPUTABLE = "transaction_disputable"
YES_NO = ("yes", "no")
PERSONAL_CARDS = (
    "Bronze Rewards Card", "Silver Rewards Card", "Gold Rewards Card", "Platinum Rewards Card",
    "Diamond Elite Card", "EcoCard", "Crypto-Cash Back",
)  # fmt: skip

FLOWS = FlowBook(
    (
        FlowSpec("balance", (), tool=None),
        FlowSpec("transactions", (), tool=None),
        FlowSpec("referral_status", (), tool=None),
        FlowSpec("fee_rebate", (), tool=None),
        FlowSpec(
            "recommend_card",
            (
                SlotSpec("goal", "choice", "ask.goal", choices=("cash_back", "signup_bonus")),
                SlotSpec("max_fee", "amount", "ask.max_fee"),
                SlotSpec("monthly_spend", "amount", "ask.monthly_spend"),
                SlotSpec("subscription", "choice", "ask.subscription", choices=YES_NO),
            ),
            tool=None,
            needs_identity=False,
        ),
        FlowSpec(
            "freeze_card",
            (SlotSpec("card", "choice", "ask.card", validate=CARD_ACTIVE),),
            tool="freeze_debit_card",
        ),
        FlowSpec(
            "unfreeze_card",
            (SlotSpec("card", "choice", "ask.card", validate=CARD_FROZEN),),
            tool="unfreeze_debit_card",
        ),
        FlowSpec(
            "replace_card",
            (
                SlotSpec("account", "choice", "ask.account", validate=ACCOUNT_OPEN),
                SlotSpec("reason", "choice", "ask.replace_reason", choices=REPLACEMENT_REASONS),
                SlotSpec("expedited", "choice", "ask.expedited", choices=YES_NO),
            ),
            tool="order_replacement_credit_card",
        ),
        FlowSpec(
            "dispute",
            (
                SlotSpec("transaction", "choice", "ask.transaction", validate=DISPUTABLE),
                SlotSpec("reason", "choice", "ask.dispute_reason", choices=CARD_DISPUTE_REASONS),
                SlotSpec("resolution", "choice", "ask.resolution", choices=("full_refund", "partial_refund")),
                SlotSpec("amount", "amount", "ask.partial_amount", when=("resolution", ("partial_refund",))),
                SlotSpec("contacted", "choice", "ask.contacted_merchant", choices=YES_NO),
            ),
            tool="file_card_dispute",
        ),
        FlowSpec(
            "cash_back_dispute",
            (SlotSpec("transaction", "choice", "ask.transaction.cash_back"),),
            tool="submit_cash_back_dispute",
        ),
        FlowSpec(
            "apply_card",
            (
                SlotSpec("card_type", "choice", "ask.card_type", choices=PERSONAL_CARDS),
                SlotSpec("name", "text", "ask.applicant_name"),
                SlotSpec("income", "amount", "ask.income"),
                SlotSpec("subscription", "choice", "ask.subscription", choices=YES_NO),
            ),
            tool="apply_for_credit_card",
            needs_identity=False,
        ),
        FlowSpec("change_email", (SlotSpec("email", "text", "ask.new_email"),), tool="change_email"),
        FlowSpec(
            "referral",
            (SlotSpec("account_type", "choice", "ask.referral_product", choices=PERSONAL_CARDS),),
            tool="submit_referral",
        ),
    )
)
INTENT_FLOWS = {
    "check_balance": "balance",
    "transactions": "transactions",
    "freeze_card": "freeze_card",
    "unfreeze_card": "unfreeze_card",
    "replace_card": "replace_card",
    "dispute_transaction": "dispute",
    "cash_back_dispute": "cash_back_dispute",
    "apply_card": "apply_card",
    "change_email": "change_email",
    "referral": "referral",
}
