"""Parsing a shipping address typed in one message, and formatting it back."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.packs.retail.address import format_address, parse_address


def us(
    address1: str, city: str, state: str, zip_code: str, address2: str = "", country: str = "USA"
) -> dict[str, Any]:
    return {
        "address1": address1,
        "address2": address2,
        "city": city,
        "state": state,
        "country": country,
        "zip": zip_code,
    }


def cn(address1: str, city: str, state: str, zip_code: str) -> dict[str, Any]:
    return {
        "address1": address1,
        "address2": "",
        "city": city,
        "state": state,
        "country": "China",
        "zip": zip_code,
    }


MAIN_ST = us("123 Main St", "Austin", "TX", "78701", address2="Apt 4")

ENGLISH = [
    ("123 Main St, Apt 4, Austin, TX 78701", MAIN_ST),
    ("change it to 123 Main St, Apt 4, Austin, TX 78701", MAIN_ST),
    ("Change it to 123 Main St, Apt 4, Austin, TX 78701.", MAIN_ST),
    ("please change the address to 123 Main St, Apt 4, Austin, TX 78701", MAIN_ST),
    ("ship it to 123 Main St, Apt 4, Austin, TX 78701", MAIN_ST),
    ("123 Main St, Apt 4, Austin, TX 78701, USA", MAIN_ST),
    ("123 Main St, Apt 4, Austin, tx 78701", MAIN_ST),
    ("123 Main St, Apt 4, Austin, TX 78701-1234", MAIN_ST),
    (
        "Please update my address to 123 Main St, Austin, TX 78701.",
        us("123 Main St", "Austin", "TX", "78701"),
    ),
    ("new address: 5 Elm Rd, Boston, MA 02101", us("5 Elm Rd", "Boston", "MA", "02101")),
    ("address is: 5 Elm Rd, Boston, MA 02101", us("5 Elm Rd", "Boston", "MA", "02101")),
    ("send it to 9 Oak Ave\nDenver\nCO 80201", us("9 Oak Ave", "Denver", "CO", "80201")),
    (
        "215 River Road, Suite 991, Building B, New York, NY 10083",
        us("215 River Road", "New York", "NY", "10083", address2="Suite 991, Building B"),
    ),
    (
        "10 King St, Flat 2, Toronto, ON 12345, Canada",
        us("10 King St", "Toronto", "ON", "12345", address2="Flat 2", country="Canada"),
    ),
]

CHINESE = [
    ("上海市浦东新区世纪大道100号 200120", cn("浦东新区世纪大道100号", "上海市", "上海市", "200120")),
    ("广东省深圳市南山区科技园路1号，邮编518000", cn("南山区科技园路1号", "深圳市", "广东省", "518000")),
    ("地址改成北京市朝阳区建国路88号 100022", cn("朝阳区建国路88号", "北京市", "北京市", "100022")),
    ("新地址：浙江省杭州市西湖区文三路90号，310012", cn("西湖区文三路90号", "杭州市", "浙江省", "310012")),
    (
        "改为上海市浦东新区世纪大道100号。邮编：200120",
        cn("浦东新区世纪大道100号", "上海市", "上海市", "200120"),
    ),
    ("200120 上海市浦东新区世纪大道100号", cn("浦东新区世纪大道100号", "上海市", "上海市", "200120")),
    (
        "内蒙古自治区呼和浩特市新城区新华大街1号 010010",
        cn("新城区新华大街1号", "呼和浩特市", "内蒙古自治区", "010010"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_addresses(text: str, expected: dict[str, Any]) -> None:
    assert parse_address(text) == expected


@pytest.mark.parametrize(("text", "expected"), CHINESE)
def test_chinese_addresses(text: str, expected: dict[str, Any]) -> None:
    assert parse_address(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "change it to",
        "123 Main St",
        "123 Main St, Austin",  # no state and zip
        "123 Main St, Austin, Texas",  # no zip
        "123 Main St, TX 78701",  # no city
        "Main St, Austin, TX 78701",  # no house number
        "123 Main St, Austin, TX 787",  # short zip
        "I want to change my address",
        "上海市浦东新区世纪大道100号",  # no zip
        "上海市 200120",  # no street
        "上海市浦东 200120",  # street too short
        "世纪大道100号 200120",  # no city
        "我要改地址",
    ],
)
def test_incomplete_addresses(text: str) -> None:
    assert parse_address(text) is None


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (MAIN_ST, "123 Main St, Apt 4, Austin, TX 78701"),
        (us("5 Elm Rd", "Boston", "MA", "02101"), "5 Elm Rd, Boston, MA 02101"),
        (cn("浦东新区世纪大道100号", "上海市", "上海市", "200120"), "上海市浦东新区世纪大道100号 200120"),
        (cn("南山区科技园路1号", "深圳市", "广东省", "518000"), "广东省深圳市南山区科技园路1号 518000"),
    ],
)
def test_format_address(address: dict[str, Any], expected: str) -> None:
    assert format_address(address) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [(text, expected) for text, expected in ENGLISH if expected["country"] == "USA"] + CHINESE,
)
def test_round_trip(text: str, expected: dict[str, Any]) -> None:
    parsed = parse_address(text)
    assert parsed is not None
    assert parse_address(format_address(parsed)) == expected


def test_format_a_tau_bench_address() -> None:
    address = us("215 River Road", "New York", "NY", "10083", address2="Suite 991")
    assert format_address(address) == "215 River Road, Suite 991, New York, NY 10083"
