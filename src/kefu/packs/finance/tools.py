"""The finance tools over the bank's procedures (``operations``), behind the tool rails: every read and
write is for the *verified* customer of the call (another customer's card or transaction is "not
found"), writes need the customer's confirmation and are applied once per idempotency key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field

from kefu.domain.errors import ToolError
from kefu.packs.finance.bank import Record
from kefu.packs.finance.identity import locate
from kefu.packs.finance.operations import CARD_DISPUTE_REASONS, REPLACEMENT_REASONS, BankOperations
from kefu.tools.registry import ToolCall, ToolRegistry, ToolSpec

P = TypeVar("P", bound=BaseModel)
Handler = Callable[[ToolCall, P], dict[str, Any]]


class NoParams(BaseModel):
    pass


class FactsLookup(BaseModel):
    dob: str = Field(default="", max_length=64)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=300)


class CardRef(BaseModel):
    card_id: str = Field(min_length=1, max_length=128)


class ReplaceParams(BaseModel):
    account_id: str = Field(min_length=1, max_length=128)
    reason: Literal[REPLACEMENT_REASONS]  # type: ignore[valid-type]
    expedited: bool = False
    shipping_address: str = Field(min_length=5, max_length=300)


class DisputeParams(BaseModel):
    transaction_id: str = Field(min_length=1, max_length=64)
    reason: Literal[CARD_DISPUTE_REASONS]  # type: ignore[valid-type]
    resolution: Literal["full_refund", "partial_refund"] = "full_refund"
    partial_amount: float | None = Field(default=None, gt=0)
    contacted_merchant: bool = False


class TransactionRef(BaseModel):
    transaction_id: str = Field(min_length=1, max_length=64)


class ApplyParams(BaseModel):
    card_type: str = Field(min_length=2, max_length=64)
    customer_name: str = Field(min_length=2, max_length=128)
    annual_income: float = Field(ge=0)
    rho_bank_subscription: bool = False


class EmailParams(BaseModel):
    new_email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ReferralParams(BaseModel):
    account_type: str = Field(min_length=2, max_length=64)


def _me(call: ToolCall) -> str:
    if not call.customer_id:
        raise ToolError("not_verified", "the customer is not verified")
    return call.customer_id


def build_registry(ops: BankOperations) -> ToolRegistry:
    bank = ops.bank
    registry = ToolRegistry()

    def once(run: Callable[[ToolCall, P], Record]) -> Handler[P]:
        """A write applied once per idempotency key: a retried turn gets the first result back."""

        def handler(call: ToolCall, params: P) -> dict[str, Any]:
            done = bank.applied(call.idempotency_key)
            if done is not None:
                return done
            result = {"record": run(call, params)}
            bank.remember(call.idempotency_key, result)
            return result

        return handler

    def read(name: str, description: str, run: Callable[[str], Any]) -> None:
        registry.register(ToolSpec(name, description, NoParams, lambda call, _: {"records": run(_me(call))}))

    read("get_profile", "The verified customer's own profile.", lambda me: [ops.user(me)])
    read("list_accounts", "The customer's checking and savings accounts.", ops.accounts)
    read("list_credit_cards", "The customer's credit card accounts.", ops.credit_cards)
    read("list_debit_cards", "The customer's debit cards.", ops.debit_cards)
    read(
        "list_account_transactions", "Transactions of the customer's bank accounts.", ops.account_transactions
    )
    read("list_card_transactions", "The customer's credit card transactions.", ops.card_transactions)
    read("list_referrals", "Referrals the customer made.", ops.referrals)
    read("list_disputes", "The customer's transaction disputes.", ops.disputes)

    def find(_: ToolCall, p: FactsLookup) -> dict[str, Any]:
        return {"user_id": locate(ops.users(), p.model_dump())}

    registry.register(
        ToolSpec(
            "find_customer_by_facts",
            "Locate a customer by any two of date of birth, email, phone and address (an id only).",
            FactsLookup,
            find,
            requires_customer=False,
            personal=frozenset({"dob", "email", "phone", "address"}),
        )
    )
    # the verification log is the bank's audit record of this verification, not a change the customer
    # confirms: written once per customer and day
    registry.register(
        ToolSpec(
            "log_verification",
            "Record that the customer was verified (τ²'s verification log).",
            NoParams,
            lambda call, _: {"record": ops.log_verification(_me(call))},
        )
    )
    writes: list[tuple[str, str, type[BaseModel], Handler[Any]]] = [
        (
            "freeze_debit_card",
            "Freeze one of the customer's active debit cards.",
            CardRef,
            once(lambda c, p: ops.set_debit_card_status(_me(c), p.card_id, frozen=True)),
        ),
        (
            "unfreeze_debit_card",
            "Unfreeze one of the customer's frozen debit cards.",
            CardRef,
            once(lambda c, p: ops.set_debit_card_status(_me(c), p.card_id, frozen=False)),
        ),
        (
            "order_replacement_credit_card",
            "Order a replacement for a credit card (the old card is cancelled).",
            ReplaceParams,
            once(
                lambda c, p: ops.order_replacement_credit_card(
                    _me(c), p.account_id, p.shipping_address, p.reason, p.expedited
                )
            ),
        ),
        (
            "file_card_dispute",
            "Dispute a credit card transaction.",
            DisputeParams,
            once(
                lambda c, p: ops.file_card_dispute(
                    _me(c),
                    p.transaction_id,
                    p.reason,
                    p.resolution,
                    contacted_merchant=p.contacted_merchant,
                    partial_amount=p.partial_amount,
                )
            ),
        ),
        (
            "submit_cash_back_dispute",
            "Dispute the cash back or points of a card transaction.",
            TransactionRef,
            once(lambda c, p: ops.submit_cash_back_dispute(_me(c), p.transaction_id)),
        ),
        (
            "change_email",
            "Change the customer's email address.",
            EmailParams,
            once(lambda c, p: ops.change_email(_me(c), p.new_email)),
        ),
        (
            "submit_referral",
            "Refer someone for one of the bank's products.",
            ReferralParams,
            once(lambda c, p: ops.submit_referral(_me(c), p.account_type)),
        ),
    ]
    for name, description, params, handler in writes:
        registry.register(ToolSpec(name, description, params, handler, side_effect=True))
    registry.register(
        ToolSpec(
            "apply_for_credit_card",
            "Apply for a credit card (open to anyone; the applicant states name and income).",
            ApplyParams,
            once(
                lambda _, p: ops.apply_for_credit_card(
                    p.card_type, p.customer_name, p.annual_income, p.rho_bank_subscription
                )
            ),
            side_effect=True,
            requires_customer=False,
            personal=frozenset({"customer_name"}),
        )
    )
    return registry
