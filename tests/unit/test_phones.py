"""Telephone numbers: CN mobiles and landlines, US and international."""

from __future__ import annotations

import pytest

from kefu.nlu.phones import Phone, phone_numbers


@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("13812345678", "+8613812345678", "cn_mobile"),
        ("138-1234-5678", "+8613812345678", "cn_mobile"),
        ("138 1234 5678", "+8613812345678", "cn_mobile"),
        ("+86 138 1234 5678", "+8613812345678", "cn_mobile"),
        ("+8613812345678", "+8613812345678", "cn_mobile"),
        ("+86-138-1234-5678", "+8613812345678", "cn_mobile"),
        ("008613812345678", "+8613812345678", "cn_mobile"),
        ("我的手机是１３９１２３４５６７８，谢谢", "+8613912345678", "cn_mobile"),
        ("010-12345678", "+861012345678", "cn_landline"),
        ("021 87654321", "+862187654321", "cn_landline"),
        ("(010) 12345678", "+861012345678", "cn_landline"),
        ("0755-12345678", "+8675512345678", "cn_landline"),
        ("0571-8765432", "+865718765432", "cn_landline"),
        ("02187654321", "+862187654321", "cn_landline"),
        ("+86 10 1234 5678", "+861012345678", "cn_landline"),
        ("+86 010-12345678", "+861012345678", "cn_landline"),
        ("客服热线400-800-1234", "4008001234", "cn_landline"),
        ("(512) 555-0199", "+15125550199", "us"),
        ("512-555-0199", "+15125550199", "us"),
        ("512.555.0199", "+15125550199", "us"),
        ("+1 512 555 0199", "+15125550199", "us"),
        ("+1 (512) 555-0199", "+15125550199", "us"),
        ("1-800-555-0199", "+18005550199", "us"),
        ("call me at 5125550199", "+15125550199", "us"),
        ("+44 20 7946 0958", "+442079460958", "intl"),
        ("+44 (0)20 7946 0958", "+442079460958", "intl"),
        ("0044 20 7946 0958", "+442079460958", "intl"),
        ("+33 1 23 45 67 89", "+33123456789", "intl"),
        ("+81 3-1234-5678", "+81312345678", "intl"),
    ],
)
def test_phone(text: str, number: str, kind: str) -> None:
    found = phone_numbers(text)
    assert [(p.number, p.kind) for p in found] == [(number, kind)]
    assert found[0].number_e164_or_digits == number


@pytest.mark.parametrize(
    "text",
    [
        "#W2611340",
        "W2611340",
        "order #W2611340 and #W1234567",
        "tracking 357962501027",
        "075512345678",  # 12 solid digits: a tracking number, not 0755-12345678
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "1234567890123456",
        "2026-12-03",
        "12/03/2026",
        "2026.12.03",
        "20261203",
        "2026-12-03 15:00",
        "10:30",
        "$1,234.50",
        "3.14159",
        "192.168.1.1",
        "zip 100083",
        "order 5125550199",  # solid 10 digits without a phone word
        "138123456789",  # 12 digits
        "1381234567",  # 10 digits starting 1
        "12345",
        "+12",
        "",
    ],
)
def test_not_a_phone(text: str) -> None:
    assert phone_numbers(text) == []


def test_two_numbers_side_by_side() -> None:
    text = "13812345678 13987654321"
    assert phone_numbers(text) == [
        Phone("+8613812345678", "cn_mobile", 0, 11),
        Phone("+8613987654321", "cn_mobile", 12, 23),
    ]


def test_spans_in_mixed_text() -> None:
    text = "Call +1 (512) 555-0199 or 010-12345678 about order #W2611340 on 2026-12-03."
    found = phone_numbers(text)
    assert [text[p.start : p.end] for p in found] == ["+1 (512) 555-0199", "010-12345678"]
    assert [p.kind for p in found] == ["us", "cn_landline"]


def test_mobile_followed_by_a_time() -> None:
    text = "13812345678 10:30"
    assert [(p.number, p.end) for p in phone_numbers(text)] == [("+8613812345678", 11)]
