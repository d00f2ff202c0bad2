"""Money amounts with ISO 4217 currencies, Chinese and English."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.nlu.money import Money, money_amounts


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$25", "25", "USD"),
        ("it was $25.99", "25.99", "USD"),
        ("25 dollars", "25", "USD"),
        ("twenty five bucks", "25", "USD"),
        ("a dollar", "1", "USD"),
        ("USD 1,234.50", "1234.50", "USD"),
        ("usd1234", "1234", "USD"),
        ("US$ 40", "40", "USD"),
        ("$25k", "25000", "USD"),
        ("1.2 million dollars", "1200000", "USD"),
        ("50 cents", "0.50", "USD"),
        ("25 dollars and 50 cents", "25.50", "USD"),
        ("€10", "10", "EUR"),
        ("20 euros", "20", "EUR"),
        ("£3", "3", "GBP"),
        ("it costs 20 pounds", "20", "GBP"),
        ("¥200", "200", "CNY"),
        ("￥１２０", "120", "CNY"),
        ("¥500元", "500", "CNY"),
        ("200円", "200", "JPY"),
        ("¥200円", "200", "JPY"),
        ("¥200 yen", "200", "JPY"),
        ("JPY ¥200", "200", "JPY"),
        ("3000 yen", "3000", "JPY"),
        ("5000日元", "5000", "JPY"),
        ("200元", "200", "CNY"),
        ("两百块", "200", "CNY"),
        ("花了两百块钱", "200", "CNY"),
        ("十块钱", "10", "CNY"),
        ("3.5万元", "35000", "CNY"),
        ("一万二千元", "12000", "CNY"),
        ("RMB 500", "500", "CNY"),
        ("500rmb", "500", "CNY"),
        ("100 yuan", "100", "CNY"),
        ("人民币五百元", "500", "CNY"),
        ("人民币500", "500", "CNY"),
        ("100 HKD", "100", "HKD"),
        ("HK$ 100", "100", "HKD"),
        ("50 Hong Kong dollars", "50", "HKD"),
        ("港币100元", "100", "HKD"),
        ("五百美元", "500", "USD"),
        ("30美金", "30", "USD"),
        ("50欧元", "50", "EUR"),
        ("C$ 15", "15", "CAD"),
        ("五毛", "0.5", "CNY"),
        ("五毛钱", "0.5", "CNY"),
        ("一块五", "1.5", "CNY"),
        ("三块五毛", "3.5", "CNY"),
        ("两块五毛五", "2.55", "CNY"),
        ("三毛五", "0.35", "CNY"),
        ("五分钱", "0.05", "CNY"),
        ("两块", "2", "CNY"),
    ],
)
def test_single_amount(text: str, amount: str, currency: str) -> None:
    found = money_amounts(text)
    assert [(m.amount, m.currency) for m in found] == [(Decimal(amount), currency)]


@pytest.mark.parametrize(
    "text",
    [
        "25",
        "I want 25 of them",
        "#W1234567",
        "order W2611340 please",
        "13812345678",
        "call (512) 555-0199",
        "12月3日",
        "2026-12-03",
        "12/03/2026",
        "3件",
        "两块手表",  # 块 as a measure word
        "周五毛衣到了吗",  # Friday + sweater, not 五毛
        "3点15分",  # a time
        "元旦快乐",
        "打五折",
        "5%",
        "5 pounds of rice",
        "it weighs 5 pounds",
        "tracking 357962501027",
        "",
    ],
)
def test_not_money(text: str) -> None:
    assert money_amounts(text) == []


def test_several_amounts_with_spans() -> None:
    text = "衬衫$25，裤子两百块，总共RMB 500"
    found = money_amounts(text)
    assert found == [
        Money(Decimal("25"), "USD", 2, 5),
        Money(Decimal("200"), "CNY", 8, 11),
        Money(Decimal("500"), "CNY", 14, 21),
    ]
    assert [text[m.start : m.end] for m in found] == ["$25", "两百块", "RMB 500"]


def test_money_next_to_an_order_id_and_phone() -> None:
    text = "订单#W1234567退款¥99.50，联系13812345678"
    assert [(m.amount, m.currency, text[m.start : m.end]) for m in money_amounts(text)] == [
        (Decimal("99.50"), "CNY", "¥99.50")
    ]


def test_amount_is_exact_decimal() -> None:
    (found,) = money_amounts("USD 0.10")
    assert found.amount == Decimal("0.10")
    assert isinstance(found.amount, Decimal)
