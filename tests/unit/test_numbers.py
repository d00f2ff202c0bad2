"""Chinese / English numerals and counted quantities."""

from __future__ import annotations

import pytest

from kefu.nlu.numbers import Quantity, fold, parse_chinese_number, parse_english_number, quantities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三", 3),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十一", 21),
        ("一百", 100),
        ("一百零五", 105),
        ("一百二", 120),
        ("一百一十", 110),
        ("两千三百", 2300),
        ("两千三", 2300),
        ("两千零三", 2003),
        ("一万二", 12000),
        ("一万零二", 10002),
        ("三万五千二", 35200),
        ("一亿三千万", 130_000_000),
        ("一万亿", 10**12),
        ("3万", 30000),
        ("1.5万", 15000),
        ("3千", 3000),
        ("半", 0.5),
        ("一半", 0.5),
        ("３", 3),
        ("１２", 12),
        ("42", 42),
        ("2.5", 2.5),
        ("1,234", 1234),
        ("两", 2),
        ("零", 0),
        ("三点五", 3.5),
        ("二〇二六", 2026),
        ("壹佰贰拾", 120),
        ("廿一", 21),
    ],
)
def test_parse_chinese_number(text: str, expected: float) -> None:
    assert parse_chinese_number(text) == expected


@pytest.mark.parametrize("text", ["", "万", "十十", "三五百", "abc", "三件", "一百百", "1.2.3", "点"])
def test_not_a_chinese_number(text: str) -> None:
    assert parse_chinese_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five", 5),
        ("twelve", 12),
        ("twenty", 20),
        ("twenty-one", 21),
        ("twenty one", 21),
        ("a hundred", 100),
        ("one hundred and five", 105),
        ("two thousand", 2000),
        ("half", 0.5),
        ("a couple", 2),
        ("7", 7),
    ],
)
def test_parse_english_number(text: str, expected: float) -> None:
    assert parse_english_number(text) == expected


@pytest.mark.parametrize("text", ["", "dozen", "lots", "five apples", "and"])
def test_not_an_english_number(text: str) -> None:
    assert parse_english_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三件", [(3, "件")]),
        ("我要买三件衬衫", [(3, "件")]),
        ("2个", [(2, "个")]),
        ("两箱", [(2, "箱")]),
        ("十二瓶水", [(12, "瓶")]),
        ("３件", [(3, "件")]),
        ("一个半", [(1.5, "个")]),
        ("半箱", [(0.5, "箱")]),
        ("两斤半", [(2.5, "斤")]),
        ("5公斤", [(5, "公斤")]),
        ("一打", [(12, "个")]),
        ("两打鸡蛋", [(24, "个")]),
        ("半打", [(6, "个")]),
        ("两块手表", [(2, "块")]),
        ("三双鞋和两条裤子", [(3, "双"), (2, "条")]),
        ("five items", [(5, "item")]),
        ("3 pcs", [(3, "piece")]),
        ("3pcs", [(3, "piece")]),
        ("2 boxes of tea", [(2, "box")]),
        ("twenty-one pieces", [(21, "piece")]),
        ("a dozen", [(12, "item")]),
        ("two dozen eggs", [(24, "item")]),
        ("half a dozen", [(6, "item")]),
        ("one pair", [(1, "pair")]),
        ("I need 4 units and 2 bags", [(4, "unit"), (2, "bag")]),
    ],
)
def test_quantities(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(q.value, q.unit) for q in quantities(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "两个小时",  # a duration
        "三个月",
        "两个半小时",
        "第三件",  # an ordinal
        "两块钱",  # money
        "两块",
        "200元",
        "#W1234567",
        "order W1234567",
        "12月3日",
        "3点",
        "a case number",  # "a" counts only for dozens
        "5 pounds",  # weight or money, not a count
        "周一个人来",
        "",
    ],
)
def test_no_quantities(text: str) -> None:
    assert quantities(text) == []


def test_quantity_spans_index_the_original_text() -> None:
    text = "我要３件，还要five items"
    found = quantities(text)
    assert found == [Quantity(3, "件", 2, 4), Quantity(5, "item", 7, 17)]
    assert [text[q.start : q.end] for q in found] == ["３件", "five items"]


def test_fold_keeps_length() -> None:
    text = "＃Ｗ１２３ ½ ㎏ İ"
    assert len(fold(text)) == len(text)
    assert len(fold(text, lower=True)) == len(text)
    assert fold("ＡＢＣ１２３", lower=True) == "abc123"
