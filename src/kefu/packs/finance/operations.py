"""The bank's procedures as code, over any ``Bank``: τ²-bench banking's state semantics (which table a
procedure writes, which fields, which statuses) with the bank's rules checked before any write. A refused
request raises ``ToolError`` with the reason; record ids are deterministic in their arguments, so a
replayed procedure writes the same record.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kefu.domain.errors import ToolError
from kefu.packs.finance.bank import Bank, Record
from kefu.packs.finance.clock import BankClock

CARD_DISPUTE_REASONS = (
    "unauthorized_fraudulent_charge", "duplicate_charge", "incorrect_amount", "goods_services_not_received",
    "goods_services_not_as_described", "canceled_subscription_still_charging", "refund_never_processed",
)  # fmt: skip
RESOLUTIONS = ("full_refund", "partial_refund")
REPLACEMENT_REASONS = ("fraud_suspected", "lost", "stolen", "damaged", "expired", "other")
CLOSURE_REASONS = (
    "annual_fee", "not_using_card", "found_better_card", "unhappy_with_rewards", "simplifying_finances",
    "negative_experience", "other",
)  # fmt: skip


def record_id(prefix: str, *parts: Any) -> str:
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"{prefix}_{digest[:12]}"


def money(value: Any) -> float:
    """'$2,850.00', 2850, '2850' → 2850.0 (the bank's records spell amounts both ways)."""
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace("$", "").replace(",", "").strip() or 0)
    except ValueError:
        return 0.0


class BankOperations:
    def __init__(self, bank: Bank, clock: BankClock | None = None) -> None:
        self.bank = bank
        self.clock = clock or BankClock()

    # -- reads ----------------------------------------------------------------------------------
    def user(self, user_id: str) -> Record:
        found = self.bank.get("users", user_id)
        if found is None:
            raise ToolError("not_found", f"user {user_id!r} not found")
        return found

    def users(self) -> list[Record]:
        return [r for _, r in self.bank.find("users")]

    def accounts(self, user_id: str) -> list[Record]:
        return [r for _, r in self.bank.find("accounts", user_id=user_id)]

    def credit_cards(self, user_id: str) -> list[Record]:
        return [r for _, r in self.bank.find("credit_card_accounts", user_id=user_id)]

    def debit_cards(self, user_id: str) -> list[Record]:
        return [r for _, r in self.bank.find("debit_cards", user_id=user_id)]

    def account_transactions(self, user_id: str) -> list[Record]:
        mine = {str(a.get("account_id")) for a in self.accounts(user_id)}
        return [
            r for _, r in self.bank.find("bank_account_transaction_history") if r.get("account_id") in mine
        ]

    def card_transactions(self, user_id: str) -> list[Record]:
        return [r for _, r in self.bank.find("credit_card_transaction_history", user_id=user_id)]

    def referrals(self, user_id: str) -> list[Record]:
        return [r for _, r in self.bank.find("referrals", referrer_id=user_id)]

    def disputes(self, user_id: str) -> list[Record]:
        return [r for _, r in self.bank.find("transaction_disputes", user_id=user_id)]

    def _own(self, table: str, key: str, user_id: str, what: str) -> Record:
        record = self.bank.get(table, key)
        if record is None or str(record.get("user_id")) != user_id:
            raise ToolError("not_found", f"{what} {key!r} not found")  # another's is "not found" too
        return record

    # -- verification ---------------------------------------------------------------------------
    def log_verification(self, user_id: str, user: Record | None = None) -> Record:
        """The verification log of τ²: the verified user's details and when (one record per day)."""
        user = user or self.user(user_id)
        stamp = self.clock.stamp()
        record = {
            "name": user.get("name"),
            "user_id": user_id,
            "address": user.get("address"),
            "email": user.get("email"),
            "phone_number": user.get("phone_number"),
            "date_of_birth": user.get("date_of_birth"),
            "time_verified": stamp,
        }
        self.bank.insert("verification_history", f"{user_id}_{stamp[:10].replace('-', '')}", record)
        return record

    # -- changes --------------------------------------------------------------------------------
    def change_email(self, user_id: str, new_email: str) -> Record:
        self.user(user_id)
        if "@" not in new_email:
            raise ToolError("invalid_email", f"{new_email!r} is not an email address")
        updated = self.bank.update("users", user_id, {"email": new_email})
        assert updated is not None
        return updated

    def apply_for_credit_card(
        self, card_type: str, customer_name: str, annual_income: float, subscription: bool
    ) -> Record:
        if annual_income < 0:
            raise ToolError("invalid_income", "annual income cannot be negative")
        key = record_id("app", card_type, customer_name, float(annual_income), subscription)
        record = {
            "application_id": key,
            "card_type": card_type,
            "customer_name": customer_name,
            "annual_income": float(annual_income),
            "rho_bank_subscription": subscription,
            "status": "PENDING",
            "date": self.clock.us_date(),
        }
        if not self.bank.insert("credit_card_applications", key, record):
            raise ToolError("duplicate", "this application was already submitted")
        return record

    def submit_referral(self, user_id: str, account_type: str) -> Record:
        self.user(user_id)
        key = record_id("ref", user_id, account_type, self.clock.us_date())
        record = {
            "referral_id": key,
            "referrer_id": user_id,
            "referred_account_type": account_type,
            "referral_status": "NO_PROGRESS",
            "date": self.clock.us_date(),
        }
        if not self.bank.insert("referrals", key, record):
            raise ToolError("duplicate", "this referral was already submitted today")
        return record

    def set_debit_card_status(self, user_id: str, card_id: str, frozen: bool) -> Record:
        card = self._own("debit_cards", card_id, user_id, "debit card")
        status = str(card.get("status", "")).upper()
        if frozen and status != "ACTIVE":
            raise ToolError("not_active", f"only an active card can be frozen; this one is {status}")
        if not frozen and status != "FROZEN":
            raise ToolError("not_frozen", f"this card is not frozen (it is {status})")
        updated = self.bank.update("debit_cards", card_id, {"status": "FROZEN" if frozen else "ACTIVE"})
        assert updated is not None
        return updated

    def order_replacement_credit_card(
        self, user_id: str, account_id: str, shipping_address: str, reason: str, expedited: bool = False
    ) -> Record:
        self._own("credit_card_accounts", account_id, user_id, "credit card account")
        if reason not in REPLACEMENT_REASONS:
            raise ToolError("invalid_reason", f"reason must be one of {', '.join(REPLACEMENT_REASONS)}")
        if not shipping_address.strip():
            raise ToolError("no_address", "a shipping address is needed")
        key = record_id("ccord", account_id, user_id, reason)
        record = {
            "order_id": key,
            "credit_card_account_id": account_id,
            "user_id": user_id,
            "shipping_address": shipping_address,
            "reason": reason,
            "expedited_shipping": expedited,
            "order_date": self.clock.us_date(),
            "status": "ORDERED",
            "old_card_cancelled": True,
        }
        if not self.bank.insert("credit_card_orders", key, record):
            raise ToolError("duplicate", "a replacement was already ordered for this card")
        self.bank.update(
            "credit_card_accounts", account_id, {"status": "CLOSED", "closed_date": self.clock.us_date()}
        )
        return record

    def log_closure_reason(self, user_id: str, account_id: str, reason: str) -> Record:
        self._own("credit_card_accounts", account_id, user_id, "credit card account")
        if reason not in CLOSURE_REASONS:
            raise ToolError("invalid_reason", f"reason must be one of {', '.join(CLOSURE_REASONS)}")
        key = record_id("clsr", account_id, user_id, reason)
        record = {
            "record_id": key,
            "credit_card_account_id": account_id,
            "user_id": user_id,
            "closure_reason": reason,
            "logged_at": self.clock.us_date(),
            "status": "LOGGED",
        }
        self.bank.insert("credit_card_closure_reasons", key, record)
        return record

    def file_card_dispute(
        self,
        user_id: str,
        transaction_id: str,
        reason: str,
        resolution: str,
        *,
        card_action: str = "keep_active",
        contacted_merchant: bool = False,
        issue_noticed_date: str | None = None,
        partial_amount: float | None = None,
        provisional_credit: bool | None = None,
    ) -> Record:
        """A credit-card transaction dispute (τ²'s ``file_credit_card_transaction_dispute_4829``)."""
        txn = self._own("credit_card_transaction_history", transaction_id, user_id, "transaction")
        if reason not in CARD_DISPUTE_REASONS:
            raise ToolError("invalid_reason", f"reason must be one of {', '.join(CARD_DISPUTE_REASONS)}")
        if resolution not in RESOLUTIONS:
            raise ToolError("invalid_resolution", "resolution must be full_refund or partial_refund")
        if resolution == "partial_refund" and not partial_amount:
            raise ToolError("no_amount", "a partial refund needs an amount")
        if card_action not in ("keep_active", "cancel_and_reissue"):
            raise ToolError("invalid_card_action", "card action must be keep_active or cancel_and_reissue")
        user = self.user(user_id)
        account = next(
            (a for a in self.credit_cards(user_id) if a.get("card_type") == txn.get("credit_card_type")), {}
        )
        eligible = (
            provisional_credit if provisional_credit is not None else reason != "refund_never_processed"
        )
        return self.record_card_dispute(
            {
                "transaction_id": transaction_id,
                "card_action": card_action,
                "card_last_4_digits": str(
                    account.get("last_4_digits", account.get("card_last_4_digits", ""))
                ),
                "full_name": user.get("name"),
                "user_id": user_id,
                "phone": user.get("phone_number"),
                "email": user.get("email"),
                "address": user.get("address"),
                "contacted_merchant": contacted_merchant,
                "purchase_date": txn.get("transaction_date"),
                "issue_noticed_date": issue_noticed_date or self.clock.us_date(),
                "dispute_reason": reason,
                "resolution_requested": resolution,
                "partial_refund_amount": partial_amount,
                "eligible_for_provisional_credit": eligible,
            }
        )

    def record_card_dispute(self, fields: dict[str, Any]) -> Record:
        """The dispute record exactly as τ²'s procedure writes it from its arguments."""
        if fields.get("dispute_reason") not in CARD_DISPUTE_REASONS:
            raise ToolError("invalid_reason", f"reason must be one of {', '.join(CARD_DISPUTE_REASONS)}")
        if fields.get("resolution_requested") not in RESOLUTIONS:
            raise ToolError("invalid_resolution", "resolution must be full_refund or partial_refund")
        if fields.get("card_action") not in ("keep_active", "cancel_and_reissue"):
            raise ToolError("invalid_card_action", "card action must be keep_active or cancel_and_reissue")
        user_id, transaction_id = str(fields.get("user_id")), str(fields.get("transaction_id"))
        key = record_id("dsp", user_id, transaction_id)
        eligible = bool(fields.get("eligible_for_provisional_credit"))
        names = (
            "transaction_id", "user_id", "card_action", "card_last_4_digits", "full_name", "phone", "email",
            "address", "contacted_merchant", "purchase_date", "issue_noticed_date", "dispute_reason",
            "resolution_requested", "partial_refund_amount",
        )  # fmt: skip
        record = {"dispute_id": key, **{n: fields.get(n) for n in names}}
        record.update(
            eligible_for_provisional_credit=eligible,
            provisional_credit_given=eligible,
            submitted_at=self.clock.us_date(),
            status="SUBMITTED",
        )
        if not self.bank.insert("transaction_disputes", key, record):
            raise ToolError("duplicate", "a dispute is already open for this transaction")
        return record

    def update_rewards(self, transaction_id: str, rewards: str) -> Record:
        updated = self.bank.update(
            "credit_card_transaction_history", transaction_id, {"rewards_earned": rewards}
        )
        if updated is None:
            raise ToolError("not_found", f"transaction {transaction_id!r} not found")
        return updated

    def submit_cash_back_dispute(self, user_id: str, transaction_id: str) -> Record:
        """A customer's dispute of the cash back or points a card transaction earned."""
        self._own("credit_card_transaction_history", transaction_id, user_id, "transaction")
        key = record_id("dsp", "cash_back", user_id, transaction_id)
        record = {
            "dispute_id": key,
            "user_id": user_id,
            "transaction_id": transaction_id,
            "submitted_at": self.clock.us_date(),
            "status": "SUBMITTED",
        }
        if not self.bank.insert("cash_back_disputes", key, record):
            raise ToolError("duplicate", "a cash back dispute is already open for this transaction")
        return record
