"""PII detection and masking: emails, phones, cards (Luhn), Chinese ID numbers (checksum)."""

from __future__ import annotations

import itertools

import pytest

from kefu.guard.pii import PiiSpan, cn_id_valid, find_pii, luhn_valid, mask

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def cn_id(body: str) -> str:
    """A Chinese resident ID number: 17 digits plus the ISO 7064 MOD 11-2 check character."""
    assert len(body) == 17 and body.isdigit()
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def cn_id_ending_in_x() -> str:
    for sequence in range(1000):
        number = cn_id(f"44030419900101{sequence:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence number gives the check character X")


def wrong_check(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


VALID_ID = cn_id("11010519491231002")
VALID_ID_X = cn_id_ending_in_x()


def kinds(text: str) -> list[str]:
    return [span.kind for span in find_pii(text)]


def test_id_helper_matches_a_published_example() -> None:
    assert cn_id("11010519491231002") == "11010519491231002X"
    assert VALID_ID_X.endswith("X")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email me at james.li@example.com", "email me at [EMAIL]"),
        ("邮箱是wang.wei@163.com，谢谢", "邮箱是[EMAIL]，谢谢"),
        ("13812345678", "[PHONE]"),
        ("手机13812345678", "手机[PHONE]"),
        ("手机号138-1234-5678", "手机号[PHONE]"),
        ("call +86 138 1234 5678 please", "call [PHONE] please"),
        ("+8613812345678", "[PHONE]"),
        ("+86-138-1234-5678", "[PHONE]"),
        ("8613812345678", "[PHONE]"),
        ("(512) 555-0199", "[PHONE]"),
        ("my number is 512-555-0199.", "my number is [PHONE]."),
        ("512.555.0199", "[PHONE]"),
        ("+1 512 555 0199", "[PHONE]"),
        ("+44 20 7946 0958", "[PHONE]"),
        ("+49 1512 3456 7890", "[PHONE]"),
        ("card 4111 1111 1111 1111", "card [CARD]"),
        ("card 4111-1111-1111-1111 exp 12/26", "card [CARD] exp 12/26"),
        ("4111111111111111", "[CARD]"),
        ("5555555555554444", "[CARD]"),
        ("amex 378282246310005", "amex [CARD]"),
        ("amex 3782 822463 10005", "amex [CARD]"),
        ("6011111111111117", "[CARD]"),
        (f"身份证号码是{VALID_ID}，谢谢", "身份证号码是[CN_ID]，谢谢"),
        (f"ID {VALID_ID_X.lower()}", "ID [CN_ID]"),
        (f"ID {VALID_ID_X}", "ID [CN_ID]"),
        ("手机13812345678，邮箱a@b.com", "手机[PHONE]，邮箱[EMAIL]"),
        ("4111 1111 1111 1111 and 13812345678", "[CARD] and [PHONE]"),
    ],
)
def test_mask(text: str, expected: str) -> None:
    masked, spans = mask(text)
    assert masked == expected
    assert spans == find_pii(text)


@pytest.mark.parametrize(
    "text",
    [
        "order #W2611340",
        "订单号W2611340",
        "tracking 357962501027",
        "快递单号是357962501027",
        "zip 10083",
        "邮编200120",
        "price $47.84",
        "2024-05-01",
        "order #W2611340 tracking 357962501027 zip 10083 price $47.84",
        "item 6469567736",
        "4111111111111112",  # 16 digits, Luhn-invalid
        "4111 1111 1111 1112",
        "1234 5678 9012 3456",
        "1381234567",  # ten digits
        "138123456789",  # twelve digits
        "12812345678",  # no Chinese mobile starts with 12
        "where is my order?",
        "",
    ],
)
def test_not_pii(text: str) -> None:
    assert find_pii(text) == []
    assert mask(text) == (text, [])


def test_id_with_a_wrong_check_character_is_not_an_id() -> None:
    bad = wrong_check(VALID_ID)
    assert not cn_id_valid(bad)
    assert "CN_ID" not in kinds(f"身份证 {bad}")


def test_spans_point_at_the_pii() -> None:
    text = "mail a@b.com or call 13812345678"
    assert find_pii(text) == [PiiSpan("EMAIL", 5, 12), PiiSpan("PHONE", 21, 32)]
    assert [text[s.start : s.end] for s in find_pii(text)] == ["a@b.com", "13812345678"]


def test_spans_are_sorted_and_disjoint() -> None:
    text = f"13812345678 {VALID_ID} 4111 1111 1111 1111 x@y.cn (512) 555-0199"
    spans = find_pii(text)
    assert [s.kind for s in spans] == ["PHONE", "CN_ID", "CARD", "EMAIL", "PHONE"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_a_valid_id_is_not_also_reported_as_a_card() -> None:
    assert kinds(VALID_ID) == ["CN_ID"]


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        (frozenset({"EMAIL"}), "call 13812345678 or [EMAIL]"),
        (frozenset({"PHONE"}), "call [PHONE] or a@b.com"),
        (frozenset({"CARD"}), "call 13812345678 or a@b.com"),
        (None, "call [PHONE] or [EMAIL]"),
    ],
)
def test_mask_selected_kinds(only: frozenset[str] | None, expected: str) -> None:
    masked, spans = mask("call 13812345678 or a@b.com", kinds=only)
    assert masked == expected
    assert all(only is None or s.kind in only for s in spans)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4111111111111111", True),
        ("5555555555554444", True),
        ("378282246310005", True),
        ("79927398713", True),
        ("4111111111111112", False),
        ("1234567890123456", False),
        ("79927398710", False),
    ],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (VALID_ID, True),
        (VALID_ID_X, True),
        (VALID_ID_X.lower(), True),
        (cn_id("44030419900101123"), True),
        (cn_id("31011519850615002"), True),
        (wrong_check(VALID_ID), False),
        (wrong_check(VALID_ID_X), False),
        (wrong_check(cn_id("44030419900101123")), False),
    ],
)
def test_cn_id_checksum(number: str, valid: bool) -> None:
    assert cn_id_valid(number) is valid
