"""A bilingual demo bank for ``make demo`` (``kefu demo seed``): customers with Chinese and English
names, checking and savings accounts, debit and credit cards, recent card and account transactions, in
τ²-bench banking's tables, so every flow of the pack can be tried. Deterministic per seed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from kefu.packs.finance.bank import BankData, Record, Table
from kefu.packs.finance.clock import TAU_TODAY

PEOPLE = (
    ("王芳", "Wang Fang", "88 Nanjing Road, Shanghai, SH 20000", "wang.fang@example.cn", "021-555-0101"),
    ("李雷", "Li Lei", "12 Jianguo Road, Beijing, BJ 10000", "li.lei@example.cn", "010-555-0102"),
    ("张伟", "Zhang Wei", "5 Tianhe Road, Guangzhou, GD 51000", "zhang.wei@example.cn", "020-555-0103"),
    ("", "Emma Johnson", "410 Oak Street, Boston, MA 02110", "emma.johnson@example.com", "617-555-0104"),
    ("", "Noah Williams", "77 Pine Avenue, Denver, CO 80202", "noah.williams@example.com", "303-555-0105"),
    ("", "Olivia Brown", "9 Elm Drive, Austin, TX 78701", "olivia.brown@example.com", "512-555-0106"),
)
MERCHANTS = (
    ("Costco", "Groceries"), ("Amazon", "Shopping"), ("Starbucks", "Dining"), ("Shell", "Gas"),
    ("Netflix", "Entertainment"), ("Whole Foods", "Groceries"), ("Uber", "Travel"), ("盒马鲜生", "Groceries"),
)  # fmt: skip
CARDS = ("Gold Rewards Card", "Silver Rewards Card", "EcoCard", "Platinum Rewards Card")


def _us(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def generate_demo_bank(seed: int = 7, today: date = TAU_TODAY) -> BankData:
    rng = random.Random(seed)
    tables: dict[str, dict[str, Record]] = {
        name: {}
        for name in (
            "users", "accounts", "debit_cards", "credit_card_accounts", "credit_card_transaction_history",
            "bank_account_transaction_history", "verification_history", "transaction_disputes",
            "cash_back_disputes", "credit_card_orders", "credit_card_applications", "referrals",
        )
    }  # fmt: skip
    for index, (zh_name, en_name, address, email, phone) in enumerate(PEOPLE):
        user_id = f"demo{index:06d}"
        birth = date(1970 + rng.randrange(30), rng.randrange(1, 13), rng.randrange(1, 28))
        tables["users"][user_id] = {
            "name": zh_name or en_name,
            "user_id": user_id,
            "address": address,
            "email": email,
            "phone_number": phone,
            "date_of_birth": _us(birth),
        }
        checking = f"chk_{user_id}"
        tables["accounts"][checking] = {
            "account_id": checking,
            "user_id": user_id,
            "class": "checking",
            "level": "Blue Account",
            "date_opened": _us(today - timedelta(days=400 + 30 * index)),
            "status": "OPEN",
            "current_holdings": f"{rng.randrange(500, 20000)}.{rng.randrange(100):02d}",
        }
        savings = f"sav_{user_id}"
        tables["accounts"][savings] = {
            **tables["accounts"][checking],
            "account_id": savings,
            "class": "savings",
            "level": "Silver Savings Account",
            "current_holdings": f"{rng.randrange(1000, 50000)}.00",
        }
        card_id = f"dbc_{user_id}_blue"
        tables["debit_cards"][card_id] = {
            "card_id": card_id,
            "account_id": checking,
            "user_id": user_id,
            "cardholder_name": en_name.upper(),
            "last_4_digits": f"{rng.randrange(1000, 10000)}",
            "cvv": f"{rng.randrange(100, 1000)}",
            "status": "FROZEN" if index == 2 else "ACTIVE",
            "issue_date": _us(today - timedelta(days=300)),
            "expiration_date": _us(today + timedelta(days=1200)),
            "issue_reason": "new_account",
        }
        card_type = CARDS[index % len(CARDS)]
        account_id = f"cc_{user_id}_{card_type.split()[0].lower()}"
        tables["credit_card_accounts"][account_id] = {
            "account_id": account_id,
            "user_id": user_id,
            "card_type": card_type,
            "status": "ACTIVE",
            "date_of_account_open": _us(today - timedelta(days=500)),
            "current_balance": f"${rng.randrange(50, 3000)}.{rng.randrange(100):02d}",
            "reward_points": f"{rng.randrange(100, 9000)} points",
        }
        for n in range(8):
            merchant, category = MERCHANTS[rng.randrange(len(MERCHANTS))]
            amount = rng.randrange(500, 30000) / 100
            txn_id = f"txn_demo{index:02d}{n:02d}"
            tables["credit_card_transaction_history"][txn_id] = {
                "transaction_id": txn_id,
                "user_id": user_id,
                "credit_card_type": card_type,
                "merchant_name": merchant,
                "transaction_amount": f"${amount:,.2f}",
                "transaction_date": _us(today - timedelta(days=3 * n + 1)),
                "category": category,
                "status": "COMPLETED",
                "rewards_earned": f"{int(amount * 2)} points",
            }
            btxn_id = f"btxn_demo{index:02d}{n:02d}"
            tables["bank_account_transaction_history"][btxn_id] = {
                "transaction_id": btxn_id,
                "account_id": checking,
                "date": _us(today - timedelta(days=4 * n + 2)),
                "description": "DIRECT DEPOSIT - PAYROLL"
                if n % 4 == 0
                else f"DEBIT CARD PURCHASE - {merchant.upper()}",
                "amount": 2500.0 if n % 4 == 0 else -amount,
                "type": "direct_deposit" if n % 4 == 0 else "debit_card_purchase",
                "status": "posted",
            }
    return BankData({name: Table(records) for name, records in tables.items()})


def demo_customers(data: BankData, limit: int = 4) -> list[Record]:
    """A few customers to try, with two of their verification facts."""
    users = list(data.table("users").records.values())[:limit]
    return [{"name": u["name"], "email": u["email"], "phone": u["phone_number"]} for u in users]
