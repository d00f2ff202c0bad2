"""Read-only answers: balances of the customer's accounts and cards, and transactions filtered by what
the customer asked (merchant, category, month or date range, amounts over or under a figure)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kefu.engine.context import TurnContext
from kefu.packs.finance import render
from kefu.packs.finance.bank import Record
from kefu.packs.finance.operations import money
from kefu.packs.finance.reading import amounts

if TYPE_CHECKING:
    from kefu.packs.finance.host import FinanceHost

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
SHOWN = 15
_OVER = re.compile(r"\b(over|above|more than|greater than|at least)\b|超过|大于|以上", re.IGNORECASE)
_UNDER = re.compile(r"\b(under|below|less than)\b|低于|小于|以下", re.IGNORECASE)
_ZH_MONTH = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,2})月")
_ZH_NUM = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}


def answer_balance(host: FinanceHost, ctx: TurnContext) -> None:
    view = host.view(ctx)
    lines = [render.account_line(a, ctx.lang) for a in view.accounts()]
    lines += [render.credit_line(c, ctx.lang) for c in view.credit_cards()]
    if not lines:
        host.reply(ctx, "balance.none")
        return
    host.reply(ctx, "balance", host.chips(ctx, "chips.main"), lines="\n".join(lines))


def _month(text: str) -> int | None:
    folded = text.lower()
    for index, name in enumerate(MONTHS, start=1):
        if re.search(rf"\b{name}[a-z]*\b", folded):
            return index
    if m := _ZH_MONTH.search(text):
        raw = m.group(1)
        return int(raw) if raw.isdigit() else _ZH_NUM.get(raw)
    return None


def _when(txn: Record) -> str:
    return str(txn.get("transaction_date") or txn.get("date") or "")


def filter_transactions(text: str, found: list[Record]) -> tuple[list[Record], list[str]]:
    filters: list[str] = []
    folded = text.lower()
    merchants = {str(t.get("merchant_name") or "").lower() for t in found} - {""}
    named = [m for m in merchants if m in folded]
    if named:
        found = [t for t in found if str(t.get("merchant_name") or "").lower() in named]
        filters.append(", ".join(sorted(named)))
    categories = {str(t.get("category") or "").lower() for t in found} - {""}
    said = [c for c in categories if c in folded]
    if said:
        found = [t for t in found if str(t.get("category") or "").lower() in said]
        filters.append(", ".join(sorted(said)))
    if (month := _month(text)) is not None:
        found = [t for t in found if _when(t).startswith(f"{month:02d}/")]
        filters.append(MONTHS[month - 1])
    figures = amounts(re.sub(r"\d{1,2}/\d{1,2}(/\d{2,4})?", " ", text))
    if figures and _OVER.search(text):
        found = [t for t in found if abs(money(t.get("transaction_amount", t.get("amount")))) > figures[0]]
        filters.append(f"> {render.amount(figures[0])}")
    elif figures and _UNDER.search(text):
        found = [t for t in found if abs(money(t.get("transaction_amount", t.get("amount")))) < figures[0]]
        filters.append(f"< {render.amount(figures[0])}")
    return found, filters


def answer_transactions(host: FinanceHost, ctx: TurnContext, hint: str) -> None:
    view = host.view(ctx)
    text = f"{hint} {ctx.text}"
    wants_bank = re.search(r"checking|savings|deposit|paycheck|atm|支票|储蓄|工资|存款", text, re.IGNORECASE)
    wants_card = re.search(r"credit|信用卡", text, re.IGNORECASE)
    found = [] if wants_bank else list(view.card_transactions())
    found += [] if wants_card else view.account_transactions()
    found, filters = filter_transactions(text, found)
    found = sorted(found, key=lambda t: _sortable(_when(t)), reverse=True)
    shown = " (" + "; ".join(filters) + ")" if filters else ""
    if not found:
        host.reply(ctx, "transactions.none", filters=shown)
        return
    lines = "\n".join(
        f"- {render.card_transaction(t) if 'merchant_name' in t else render.account_transaction(t)}"
        for t in found[:SHOWN]
    )
    host.reply(
        ctx, "transactions", host.chips(ctx, "chips.main"), count=len(found), filters=shown, lines=lines
    )


def _sortable(us_date: str) -> str:
    month, _, rest = us_date.partition("/")
    day, _, year = rest.partition("/")
    return f"{year}{month}{day}"


def answer_referrals(host: FinanceHost, ctx: TurnContext) -> None:
    """Each referral the customer made, with what its status means for the bonus."""
    found = host.view(ctx).records("list_referrals")
    if not found:
        host.reply(ctx, "referrals.none")
        return
    lines = "\n".join(
        f"- {r.get('referred_account_type')} ({r.get('date')}): "
        + host.say.render(f"referral.{str(r.get('referral_status', '')).lower()}", ctx.lang)
        for r in found
    )
    host.reply(ctx, "referrals", count=len(found), lines=lines)
