"""How the bank's records read in a reply, in either language."""

from __future__ import annotations

from kefu.packs.finance.bank import Record
from kefu.packs.finance.operations import money
from kefu.packs.finance.reading import describe

REASONS_ZH = {
    "lost": "丢失", "stolen": "被盗", "damaged": "损坏", "expired": "过期", "fraud_suspected": "疑似盗刷",
    "other": "其他", "duplicate_charge": "重复扣款", "incorrect_amount": "金额不对",
    "unauthorized_fraudulent_charge": "未经授权的交易", "goods_services_not_received": "未收到商品或服务",
    "goods_services_not_as_described": "商品或服务与描述不符",
    "canceled_subscription_still_charging": "取消订阅后仍扣款", "refund_never_processed": "商家未退款",
    "full_refund": "全额退款", "partial_refund": "部分退款",
}  # fmt: skip


def reason(value: str, lang: str) -> str:
    return REASONS_ZH.get(value, describe(value)) if lang == "zh" else describe(value)


def amount(value: object) -> str:
    return f"${money(value):,.2f}"


def debit_card(card: Record) -> str:
    return f"…{card.get('last_4_digits', '????')} ({card.get('status', '').lower()})"


def credit_card(card: Record) -> str:
    return str(card.get("card_type", "card"))


def account_line(account: Record, lang: str) -> str:
    kind = str(account.get("class", "account"))
    if lang == "zh":
        kind = {"checking": "支票账户", "savings": "储蓄账户"}.get(kind, kind)
    holdings = amount(account.get("current_holdings"))
    return f"- {account.get('level', '')} ({kind}, {account.get('status', '')}): {holdings}"


def credit_line(card: Record, lang: str) -> str:
    balance = amount(card.get("current_balance"))
    points = card.get("reward_points", "")
    if lang == "zh":
        return f"- {card.get('card_type')}（{card.get('status')}）：欠款 {balance}，积分 {points}"
    return f"- {card.get('card_type')} ({card.get('status')}): balance {balance}, rewards {points}"


def card_transaction(txn: Record) -> str:
    return (
        f"{txn.get('transaction_date', '')} {txn.get('merchant_name', '')} "
        f"{amount(txn.get('transaction_amount'))} ({txn.get('credit_card_type', '')})"
    )


def account_transaction(txn: Record) -> str:
    return f"{txn.get('date', '')} {txn.get('description', '')} {amount(txn.get('amount'))}"
