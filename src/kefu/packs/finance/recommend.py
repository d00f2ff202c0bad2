"""Card recommendations from the customer's stated needs and eligibility, with the reasons and the bank's
documents they rest on (``products.yaml``): the highest flat cash back within the annual fee the
customer accepts (a fee rebate earned by the customer's monthly spend lowers the effective fee; a card
that needs a Rho-Bank+ subscription only for subscribers), or the sign-up offer open today with the
lowest annual fee. It recommends; it never promises approval."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kefu.packs.finance.reading import amounts

PRODUCTS = Path(__file__).resolve().parent / "products.yaml"
ANY_FEE = 1_000_000.0
NOT_NEEDED = "n/a"


@dataclass(frozen=True)
class Card:
    name: str
    annual_fee: float
    cash_back: float
    subscription_required: bool = False
    rebate_amount: float = 0.0
    rebate_spend: float = 0.0
    bonus: str = ""
    bonus_from: date | None = None
    bonus_to: date | None = None
    sources: tuple[str, ...] = ()

    def effective_fee(self, monthly_spend: float | None) -> float:
        if self.rebate_amount and monthly_spend is not None and monthly_spend >= self.rebate_spend:
            return self.annual_fee - self.rebate_amount
        return self.annual_fee

    def bonus_open(self, today: date) -> bool:
        return (
            bool(self.bonus)
            and self.bonus_from is not None
            and self.bonus_to is not None
            and (self.bonus_from <= today <= self.bonus_to)
        )


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) else (date.fromisoformat(str(value)) if value else None)


def load_cards(path: Path = PRODUCTS) -> tuple[Card, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]
    cards = []
    for c in raw:
        rebate, bonus = c.get("rebate") or {}, c.get("signup_bonus") or {}
        cards.append(
            Card(
                name=c["name"],
                annual_fee=float(c["annual_fee"]),
                cash_back=float(c["cash_back"]),
                subscription_required=bool(c.get("subscription_required", False)),
                rebate_amount=float(rebate.get("amount", 0)),
                rebate_spend=float(rebate.get("monthly_spend", 0)),
                bonus=str(bonus.get("text", "")),
                bonus_from=_date(bonus.get("from")),
                bonus_to=_date(bonus.get("to")),
                sources=tuple(c.get("sources") or ()),
            )
        )
    return tuple(cards)


CARDS = load_cards()
_BONUS = re.compile(r"sign[- ]?up|bonus|promo|welcome offer|开卡礼|迎新|奖励|新客", re.IGNORECASE)
_CASH = re.compile(r"cash ?back|返现", re.IGNORECASE)
_NO_FEE = re.compile(
    r"\b(no|without|zero|\$?0) (annual )?fees?\b|\bno annual\b|won'?t (accept|pay).{0,30}fee"
    r"|无年费|不要年费|免年费",
    re.IGNORECASE,
)
_ANY_FEE = re.compile(r"don'?t (mind|care)|any fee|doesn'?t matter|无所谓|都可以", re.IGNORECASE)
_FEE_WORDS = re.compile(r"fee|年费|费用", re.IGNORECASE)


def goal(text: str) -> str | None:
    if _BONUS.search(text):
        return "signup_bonus"
    if _CASH.search(text):
        return "cash_back"
    return None


def max_fee(text: str, asked: bool) -> float | None:
    if _NO_FEE.search(text):
        return 0.0
    if _FEE_WORDS.search(text) or asked:
        figures = amounts(text)
        if figures:
            return figures[0]
    if asked and _ANY_FEE.search(text):
        return ANY_FEE
    return None


def needs_subscription_answer(slots: dict[str, Any]) -> bool:
    return slots.get("goal") == "cash_back" and any(c.subscription_required for c in _within_fee(slots, True))


def needs_spend_answer(slots: dict[str, Any]) -> bool:
    limit = float(slots.get("max_fee", ANY_FEE))
    return slots.get("goal") == "cash_back" and any(
        c.rebate_amount and c.annual_fee > limit >= c.annual_fee - c.rebate_amount for c in CARDS
    )


def _within_fee(slots: dict[str, Any], optimistic: bool = False) -> list[Card]:
    limit = float(slots.get("max_fee", ANY_FEE))
    spend = slots.get("monthly_spend")
    spend_value = None if spend in (None, NOT_NEEDED) else float(spend)
    subscribed = slots.get("subscription")
    out = []
    for card in CARDS:
        fee = card.effective_fee(ANY_FEE if optimistic and card.rebate_amount else spend_value)
        if fee > limit:
            continue
        if card.subscription_required and not optimistic and subscribed != "yes":
            continue
        out.append(card)
    return out


def recommend(slots: dict[str, Any], today: date) -> Card | None:
    if slots.get("goal") == "signup_bonus":
        open_offers = [c for c in CARDS if c.bonus_open(today)]
        return min(open_offers, key=lambda c: c.annual_fee, default=None)
    eligible = _within_fee(slots)
    return max(eligible, key=lambda c: (c.cash_back, -c.annual_fee), default=None)


def reasons(card: Card, slots: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    parts: list[str] = []
    if slots.get("goal") == "signup_bonus":
        parts.append(
            f"{card.bonus}"
            + (f"（开户截止 {card.bonus_to}）" if zh else f" (accounts opened by {card.bonus_to})")
        )
    else:
        parts.append(
            f"{card.cash_back:g}% 全部消费返现" if zh else f"{card.cash_back:g}% cash back on all purchases"
        )
    parts.append(f"年费 ${card.annual_fee:,.0f}" if zh else f"annual fee ${card.annual_fee:,.0f}")
    if card.rebate_amount and slots.get("monthly_spend") not in (None, NOT_NEEDED):
        rebate = f"${card.rebate_amount:,.0f}"
        parts.append(
            f"每月消费满 ${card.rebate_spend:,.0f} 可返还 {rebate} 年费"
            if zh
            else f"{rebate} of the fee rebated when you spend ${card.rebate_spend:,.0f} every month"
        )
    if card.subscription_required:
        parts.append("需要 Rho-Bank+ 订阅" if zh else "requires a Rho-Bank+ subscription")
    return ("；" if zh else "; ").join(parts)
