"""PII detection and masking, zh and en: positives and hard negatives for each type, placeholders,
card secrets (CVV, expiry) dropped, and the checksums behind them."""

from __future__ import annotations

import itertools
import random

import pytest

from kefu.eval.pii_synth import card, cn_id, luhn_complete
from kefu.guard.pii import (
    PiiSpan,
    card_brand,
    cn_id_check_char,
    cn_id_valid,
    find_pii,
    iban_valid,
    luhn_valid,
    mask,
    mask_json,
    ssn_valid,
)

VALID_ID = "11010519491231002X"  # the GB 11643 example
UNIONPAY = luhn_complete("6222021234567890", 19, random.Random(1))


def kinds(text: str) -> list[str]:
    return [span.kind for span in find_pii(text)]


def masked(text: str, lang: str | None = None) -> str:
    return mask(text, lang=lang)[0]


def wrong_check(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # email
        ("email me at james.li@example.com", "email me at [EMAIL]"),
        ("邮箱是wang.wei@163.com，谢谢", "邮箱是[邮箱]，谢谢"),
        # Chinese mobiles and landlines
        ("13812345678", "[PHONE]"),
        ("手机13812345678", "手机[手机号]"),
        ("手机号138-1234-5678", "手机号[手机号]"),
        ("手机：+86 138 1234 5678", "手机：[手机号]"),
        ("call +86 138 1234 5678 please", "call [PHONE] please"),
        ("座机010-12345678", "座机[电话]"),
        ("电话 (0755) 1234 5678", "电话 [电话]"),
        # international and US phones
        ("(512) 555-0199", "[PHONE]"),
        ("my number is 512-555-0199.", "my number is [PHONE]."),
        ("+44 20 7946 0958", "[PHONE]"),
        # national formats: a country code in parentheses, slashes, a trunk prefix written solid, and a
        # phone word after the number
        ("My phone number is (+358) 232860129", "My phone number is [PHONE]"),
        ("call me at (351) 919825979 tonight", "call me at [PHONE] tonight"),
        ("23/286-0129 is my cell", "[PHONE] is my cell"),
        ("You can reach her on 0588762328.", "You can reach her on [PHONE]."),
        ("write it down: 0430830401", "write it down: [PHONE]"),
        # a dialling prefix or a phone word makes a Luhn-valid run of up to 15 digits a phone number
        ("My phone number is +576032024589", "My phone number is [PHONE]"),
        ("call me at +57 300 542 93 82", "call me at [PHONE]"),
        ("call me, my visa is 4111111111111111", "call me, my visa is [CARD ••••1111]"),
        # labels and cues a little further off: "M:", "reach out", "phone number on file:"
        ("Phone number on file: 6320.7898", "Phone number on file: [PHONE]"),
        ("M: 7071898399 | ok", "M: [PHONE] | ok"),
        ("Reach out anytime: 1072.8567!", "Reach out anytime: [PHONE]!"),
        ("call 001-825-741-0957x5184 now", "call [PHONE] now"),
        ("ring (07) 5331 0577", "ring [PHONE]"),
        ("027 896 92 86 is my office", "[PHONE] is my office"),
        ("tel 01 23 45 67 89", "tel [PHONE]"),
        # six-digit subscriber numbers (Greenland), a six-digit German area code, glued punctuation
        ("call me on 84 23 30", "call me on [PHONE]"),
        ("They're not answering at 84 23 30", "They're not answering at [PHONE]"),
        ("Please call 036020 84 12 tomorrow", "Please call [PHONE] tomorrow"),
        ("John Smith,738 3565,john", "[NAME],[PHONE],john"),
        ("Tel.467 3395", "Tel.[PHONE]"),
        ("Ph#9577 9424", "Ph#[PHONE]"),
        ("Phone -467 3395", "Phone -[PHONE]"),
        ("Call 9577 9424/(07) 4550 6193 (home/work)", "Call [PHONE]/[PHONE] (home/work)"),
        ("I prefer 467 3395", "I prefer [PHONE]"),
        ("Nino Mikulić: 9197 5829", "Nino Mikulić: [PHONE]"),
        # the formats of Presidio's phone provider, in any sentence
        ("my phone is (114)534-8050x1265.", "my phone is [PHONE]."),
        ("reach me via (07700)722602.", "reach me via [PHONE]."),
        ("reach me via (07700) 573900.", "reach me via [PHONE]."),
        ("John Smith,+46 (0)95 69 91 03,john", "[NAME],[PHONE],john"),
        ("Tel.+447700 045 097", "Tel.[PHONE]"),
        ("Ph#+913532736524", "Ph#[PHONE]"),
        ("You can text 4019802938x204 or email me.", "You can text [PHONE] or email me."),
        ("Call 0432258499/0432258499 (home/work)", "Call [PHONE]/[PHONE] (home/work)"),
        ("my direct line is 1840110704", "my direct line is [PHONE]"),
        ("Can you verify the caller ID 84 23 30 for me?", "Can you verify the caller ID [PHONE] for me?"),
        # cards: every network, grouped or solid, with the last four kept
        ("card 4111 1111 1111 1111", "card [CARD ••••1111]"),
        ("4111-1111-1111-1111", "[CARD ••••1111]"),
        ("amex 3782 822463 10005", "amex [CARD ••••0005]"),
        ("mc 5555555555554444", "mc [CARD ••••4444]"),
        ("mc 2221000000000009", "mc [CARD ••••0009]"),
        ("discover 6011111111111117", "discover [CARD ••••1117]"),
        ("jcb 3530111333300000", "jcb [CARD ••••0000]"),
        (f"银行卡{UNIONPAY}", f"银行卡[银行卡 ••••{UNIONPAY[-4:]}]"),
        # resident ID
        (f"身份证号码是{VALID_ID}，谢谢", "身份证号码是[身份证号]，谢谢"),
        (f"ID {VALID_ID.lower()}", "ID [ID NUMBER]"),
        # IBAN, SSN, IP, passport
        ("IBAN GB82 WEST 1234 5698 7654 32 please", "IBAN [IBAN] please"),
        ("iban de89370400440532013000", "iban [IBAN]"),
        ("退款到 DE89370400440532013000", "退款到 [银行账号]"),
        ("SSN 078-05-1120", "SSN [SSN]"),
        ("social security number 078051120", "social security number [SSN]"),
        ("from 192.168.10.254.", "from [IP ADDRESS]."),
        ("ip 2001:db8::8a2e:370:7334", "ip [IP ADDRESS]"),
        ("护照号E12345678", "护照号[护照号]"),
        ("passport no. 533380006", "passport no. [PASSPORT]"),
        # names and addresses from context cues
        ("My name is John Smith.", "My name is [NAME]."),
        ("this is ms. Wijtze", "this is ms. [NAME]"),
        ("Dr. Janice Brkić MD will call", "Dr. [NAME] will call"),
        ("我叫王明然，谢谢", "我叫[姓名]，谢谢"),
        ("收件人：司马博文", "收件人：[姓名]"),
        ("我是刘德华", "我是[姓名]"),
        ("张伟先生您好", "[姓名]先生您好"),
        ("Megan Payne called twice", "[NAME] called twice"),
        ("Hi Tyler, thanks", "Hi [NAME], thanks"),
        ("I live at 1755 Nelson Mandela Drive, Apt. 4", "I live at [ADDRESS]"),
        ("ship to 293 1783 49th Avenue", "ship to [ADDRESS]"),
        ("7770 4304 chemin Hudson, Montreal", "[ADDRESS], Montreal"),
        ("31 rue de la Hulotais", "[ADDRESS]"),
        ("call 467 3395 any way you like", "call [PHONE] any way you like"),
        ("467 3395 Court clerk office", "[PHONE] Court clerk office"),
        ("send it to 8 wressle road", "send it to [ADDRESS]"),
        ("地址：北京市朝阳区建国路88号3栋2单元501室", "地址：[地址]"),
        ("寄到上海市浦东新区世纪大道100号", "寄到[地址]"),
        # several at once, in reading order
        ("手机13812345678，邮箱a@b.com", "手机[手机号]，邮箱[邮箱]"),
    ],
)
def test_mask(text: str, expected: str) -> None:
    assert masked(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # order ids, tracking numbers, product ids
        "order #W2611340",
        "订单号W2611340",
        "订单编号：2950123456789012345",
        "tracking 357962501027",
        "快递单号是SF1234567890123",
        "快递单号773012345678901",
        "运单号 YT7375127846041",
        "package 7489 1234 5678 shipped",
        "order 0430830401 shipped",
        "the total is 1072.8567 kg",
        "paid on 12/05/2024, 3/4 of it",
        "item 6469567736",
        "商品编号100012345678",
        # amounts, quantities, dates, times, zips, versions
        "price $47.84",
        "共计 ¥12,345.00",
        "一共3999元",
        "refund 1,299.00 USD",
        "买了2件",
        "2024-05-01",
        "2024年5月1日 14:30",
        "12/27/1986",
        "27.12.1986",
        "1998-06-28 14:48:14",
        "zip 10083",
        "邮编200120",
        "ZIP 80280-1234",
        "version 1.2.3.4",
        "range 1000-2000",
        # postcodes, national ids and house numbers shaped like phone numbers
        "Avenida Noruega 42, Vila Real 5000-047",
        "13851 4304 Hudson, Montreal",
        "Rue de Sidi Bou Zid, Zouarine, 33 13127",
        "NI number ZT 01 87 75 A",
        "ZT 01 87 75 A",
        "CPR 080396-4785",
        "SIN 727 633 539",
        "ticket #3518262791",
        "NINO 12 34 56 78",
        "order 12 3456 7890",
        "at 12 34 56 sharp",
        "sizes 32 34 36",
        "paid on 12/05/2024 and 1/2 of 3/4",
        "ratio 1920/1080",
        "file 2023/004512",
        # Luhn-invalid and wrong-length digit strings
        "4111111111111112",
        "4111 1111 1111 1112",
        "1234 5678 9012 3456",
        "1381234567",
        "138123456789",
        "12812345678",
        # invalid IDs, SSNs, IPs, IBANs
        f"身份证 {wrong_check(VALID_ID)}",
        "ID 991234199001011234",
        "SSN 000-12-3456",
        "666-12-3456",
        "999.1.1.1",
        "GB82 WEST 1234 5698 7654 33",
        # names: no cue, or no name after the cue
        "我是高级会员",
        "我是新用户，想问一下",
        "I'm looking for Nike shoes",
        "Send it to Austin Texas",
        "Dear Support Team",
        "Hello World",
        "where is my order?",
        "",
    ],
)
def test_not_pii(text: str) -> None:
    assert find_pii(text) == [], [text[s.start : s.end] for s in find_pii(text)]
    assert mask(text) == (text, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("card 4111-1111-1111-1111 exp 12/26 cvv 123", "card [CARD ••••1111]"),
        ("card 4111 1111 1111 1111, 12/26, 123 thanks", "card [CARD ••••1111] thanks"),
        ("卡号6222 0212 3456 7890 128，有效期12/28，安全码 123", "卡号[银行卡 ••••0128]"),
        ("信用卡4111111111111111 有效期2027年3月 背面三位数 456", "信用卡[银行卡 ••••1111]"),
        ("my cvv is 987", "my  is"),  # a CVV is dropped even without its card
        ("expiry 12/26 for my gym pass", "expiry 12/26 for my gym pass"),  # no card: not a card secret
    ],
)
def test_card_secrets_are_dropped(text: str, expected: str) -> None:
    result = masked(text)
    if text.startswith("my cvv"):
        assert "987" not in result
    else:
        assert result == expected


def test_placeholders_follow_the_language_asked_for() -> None:
    assert masked("call 13812345678", lang="zh") == "call [手机号]"
    assert masked("电话13812345678", lang="en") == "电话[PHONE]"
    assert masked(f"ID {VALID_ID} card 4111111111111111", lang="zh") == "ID [身份证号] card [银行卡 ••••1111]"


def test_card_placeholder_keeps_last_four_only() -> None:
    text = "card 4111 1111 1111 1234"
    number = luhn_complete("411111111111", 16, random.Random(3))
    out = masked(f"card {number}")
    assert out == f"card [CARD ••••{number[-4:]}]"
    assert number[:6] not in out and "4111" not in masked(text.replace("1234", number[-4:]))


def test_keep_hook_sees_every_original_but_card_secrets() -> None:
    kept: list[tuple[str, str]] = []
    out, spans = mask(
        "phone 13812345678 card 4111111111111111 exp 12/26 cvv 123",
        keep=lambda span, value: kept.append((span.kind, value)),
    )
    assert kept == [("PHONE", "13812345678"), ("CARD", "4111111111111111")]
    assert [s.kind for s in spans] == ["PHONE", "CARD", "CARD_SECRET", "CARD_SECRET"]
    assert out == "phone [PHONE] card [CARD ••••1111]"


def test_spans_point_at_the_pii_and_are_disjoint() -> None:
    text = "mail a@b.com or call 13812345678"
    assert find_pii(text) == [PiiSpan("EMAIL", 5, 12), PiiSpan("PHONE", 21, 32)]
    many = f"13812345678 {VALID_ID} 4111 1111 1111 1111 x@y.cn (512) 555-0199"
    spans = find_pii(many)
    assert [s.kind for s in spans] == ["PHONE", "CN_ID", "CARD", "EMAIL", "PHONE"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_full_width_digits_are_found_with_the_right_offsets() -> None:
    text = "手机１３８１２３４５６７８"
    assert find_pii(text) == [PiiSpan("PHONE", 2, 13)]


def test_a_valid_id_is_not_also_a_card_and_an_email_wins_over_its_digits() -> None:
    assert kinds(VALID_ID) == ["CN_ID"]
    assert kinds("13812345678@163.com") == ["EMAIL"]


def test_mask_selected_kinds() -> None:
    assert mask("call 13812345678 or a@b.com", kinds=frozenset({"EMAIL"}))[0] == "call 13812345678 or [EMAIL]"


def test_mask_json_masks_nested_strings() -> None:
    payload = {"tool": "x", "arguments": {"address1": "4821 Juniper Drive", "n": 2, "to": ["a@b.com"]}}
    assert mask_json(payload) == {
        "tool": "x",
        "arguments": {"address1": "[ADDRESS]", "n": 2, "to": ["[EMAIL]"]},
    }


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4111111111111111", True),
        ("378282246310005", True),
        ("79927398713", True),
        ("4111111111111112", False),
    ],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


def test_resident_id_checks_region_birth_date_and_check_character() -> None:
    assert cn_id_check_char("11010519491231002") == "X"
    assert cn_id_valid(VALID_ID) and cn_id_valid(VALID_ID.lower())
    assert not cn_id_valid(wrong_check(VALID_ID))
    body = "99010519491231002"  # no province 99
    assert not cn_id_valid(body + cn_id_check_char(body))
    body = "11010519491331002"  # month 13
    assert not cn_id_valid(body + cn_id_check_char(body))
    body = "11010529991231002"  # born in the future
    assert not cn_id_valid(body + cn_id_check_char(body))
    rng = random.Random(5)
    assert all(cn_id_valid(cn_id(rng)) for _ in range(200))


def test_iban_ssn_and_card_brand_rules() -> None:
    assert iban_valid("GB82WEST12345698765432") and iban_valid("DE89370400440532013000")
    assert not iban_valid("GB82WEST12345698765433") and not iban_valid("SF9032646898835")
    assert (
        ssn_valid("078", "05", "1120")
        and not ssn_valid("900", "12", "3456")
        and not ssn_valid("123", "00", "4567")
    )
    assert card_brand("4111111111111111") == "visa" and card_brand("378282246310005") == "amex"
    assert card_brand("6222021234567890128") == "unionpay" and card_brand("2720990000000007") == "mastercard"
    assert card_brand("1234567890123456") is None and card_brand("411111111111111") is None
    rng = random.Random(9)
    for _ in range(300):
        number = card(rng)
        assert luhn_valid(number) and card_brand(number) is not None, number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("085 773 3897\n381 646 Tait St", [("PHONE", "085 773 3897"), ("ADDRESS", "381 646 Tait St")]),
        ("Huntly Street\n081 234 5678", [("PHONE", "081 234 5678")]),
        ("(88) 279-120, Rákóczi út 81., Hungary", [("PHONE", "(88) 279-120")]),
        ("06783 39 77 14, Koepenicker Str. 74", [("PHONE", "06783 39 77 14")]),
        (
            "02 6766 6617 - 2443 North Haven Road",
            [("PHONE", "02 6766 6617"), ("ADDRESS", "2443 North Haven Road")],
        ),
        (
            "403-608-2814, 9332 3911 Fourth Avenue Apt. 581",
            [("PHONE", "403-608-2814"), ("ADDRESS", "9332 3911 Fourth Avenue Apt. 581")],
        ),
        ("21 259 903 5696 tel Avenida Noruega 42", [("PHONE", "21 259 903 5696")]),
        ("Lisboa 40738\n0319 3144400", [("PHONE", "0319 3144400")]),
        ("40738 0319 3144400", [("PHONE", "0319 3144400")]),  # Luhn-valid, but no card is grouped 5-4-7
        # a date, a year, an age, an SSN or an IP address written next to the number is cut off
        ("born 3/2/1954 67 788 02 83", [("PHONE", "67 788 02 83")]),
        ("5/5/1937 / 082 692 3461", [("PHONE", "082 692 3461")]),
        ("2013 / 077 5138 5842", [("PHONE", "077 5138 5842")]),
        ("79 02.83.73.92.39", [("PHONE", "02.83.73.92.39")]),
        ("0489 33 97 26 1989-08-10 04:30:01", [("PHONE", "0489 33 97 26")]),
        ("561-28-7696 96 63 21", [("US_SSN", "561-28-7696"), ("PHONE", "96 63 21")]),
        ("492-95-2589 733 162 319", [("US_SSN", "492-95-2589"), ("PHONE", "733 162 319")]),
        ("162.137.22.37 (62) 9976-7986", [("IP", "162.137.22.37"), ("PHONE", "(62) 9976-7986")]),
        ("card 4111111111111111 082 490 1693", [("CARD", "4111111111111111"), ("PHONE", "082 490 1693")]),
        ("$301.36\n(11) 7113-8192", [("PHONE", "(11) 7113-8192")]),
        ("$64.48 (62) 9976-7986", [("PHONE", "(62) 9976-7986")]),
    ],
)
def test_a_phone_next_to_an_address_or_another_value_is_kept_apart_from_it(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(s.kind, text[s.start : s.end]) for s in find_pii(text)] == expected
