"""Entity extraction: order ids, emails, zip codes, person names and ordinals, in zh and en."""

from __future__ import annotations

import pytest

from kefu.nlu.entities import PersonName, emails, fold, order_ids, ordinal, ordinals, person_names, zip_codes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#W2611340", ["#W2611340"]),
        ("W2611340", ["#W2611340"]),
        ("w2611340", ["#W2611340"]),
        ("#w2611340", ["#W2611340"]),
        ("order # W2611340", ["#W2611340"]),
        ("where is my order #W2611340?", ["#W2611340"]),
        ("＃Ｗ２６１１３４０", ["#W2611340"]),
        ("订单号Ｗ２６１１３４０到哪了", ["#W2611340"]),
        ("订单号W2611340", ["#W2611340"]),
        ("订单W2611340，谢谢", ["#W2611340"]),
        ("my orders are #W2611340 and #W1234567", ["#W2611340", "#W1234567"]),
        ("W2611340/W1234567", ["#W2611340", "#W1234567"]),
    ],
)
def test_order_ids_are_normalised(text: str, expected: list[str]) -> None:
    assert order_ids(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "W26113401",  # eight digits
        "#W261134",  # six digits
        "AW2611340",  # part of a longer token
        "X2611340",
        "2611340",
        "tracking 357962501027",
        "zip 10083",
        "",
    ],
)
def test_not_order_ids(text: str) -> None:
    assert order_ids(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("james.li@example.com", ["james.li@example.com"]),
        ("James.Li@Example.COM.", ["james.li@example.com"]),
        ("my email is a_b+c@mail.co.uk, thanks", ["a_b+c@mail.co.uk"]),
        ("邮箱是wang.wei@163.com。", ["wang.wei@163.com"]),
        ("邮箱是ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", ["wang@example.com"]),
        ("old a@x.org new b@y.net", ["a@x.org", "b@y.net"]),
        ("no email here", []),
        ("a@b", []),
        ("@example.com", []),
    ],
)
def test_emails(text: str, expected: list[str]) -> None:
    assert emails(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10083", ["10083"]),
        ("zip 10083", ["10083"]),
        ("my zip code is 02101.", ["02101"]),
        ("邮编200120", ["200120"]),
        ("邮编：518000，谢谢", ["518000"]),
        ("１００８３", ["10083"]),
        ("James Li 10083", ["10083"]),
        ("12345-6789", ["12345"]),
        ("W1234567 10083", ["10083"]),
        ("#W2611340 and zip 10083", ["10083"]),
        ("user12345@example.com 10083", ["10083"]),
        # neither order ids nor the digits of an email are zip codes
        ("#W1234567", []),
        ("w1234567", []),
        ("user12345@example.com", []),
        ("wang200120@163.com", []),
        # too short or too long
        ("1234", []),
        ("1234567", []),
        ("phone 13812345678", []),
        ("tracking 357962501027", []),
    ],
)
def test_zip_codes(text: str, expected: list[str]) -> None:
    assert zip_codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my name is James Li", PersonName("James", "Li")),
        ("My Name Is Sofia Rossi", PersonName("Sofia", "Rossi")),
        ("my name's Noah Brown", PersonName("Noah", "Brown")),
        ("I'm Yusuf Rossi", PersonName("Yusuf", "Rossi")),
        ("im fatima ahmed", PersonName("fatima", "ahmed")),
        ("I am Mei Chen, zip 94110", PersonName("Mei", "Chen")),
        ("hi, this is Mei Chen", PersonName("Mei", "Chen")),
        ("name: Omar Khan", PersonName("Omar", "Khan")),
        ("my name is Mary-Jane O'Neil", PersonName("Mary-Jane", "O'Neil")),
        ("我是James Li", PersonName("James", "Li")),
    ],
)
def test_english_names(text: str, expected: PersonName) -> None:
    assert person_names(text) == [expected]
    assert person_names(text, expecting_name=True) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我叫王伟", PersonName("伟", "王")),
        ("我叫王伟，邮编100000", PersonName("伟", "王")),
        ("我是李娜", PersonName("娜", "李")),
        ("姓名：李娜", PersonName("娜", "李")),
        ("名字是张三丰", PersonName("三丰", "张")),
    ],
)
def test_chinese_names_put_the_surname_last(text: str, expected: PersonName) -> None:
    found = person_names(text)
    assert expected in found
    assert found[0] == expected


def test_four_character_chinese_names_also_try_a_two_character_surname() -> None:
    found = person_names("我是欧阳娜娜")
    assert PersonName("娜娜", "欧阳") in found
    assert PersonName("阳娜娜", "欧") in found


@pytest.mark.parametrize(
    "text",
    [
        "I am looking for my order",
        "I'm trying to return something",
        "i'm not sure",
        "I am very happy",
        "I'm just calling about an order",
        "this is the second time",
        "where is my order",
        "",
        # "im" and "name" inside other words are not name prefixes
        "I need to claim my refund please",
        "victim of fraud today",
        "my username is bob smith",
    ],
)
def test_not_names(text: str) -> None:
    assert person_names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("James Li 10083", [PersonName("James", "Li")]),
        ("James Li, zip code 10083", [PersonName("James", "Li")]),
        ("Yusuf Rossi 19122", [PersonName("Yusuf", "Rossi")]),
        ("Mei Chen and 94110", [PersonName("Mei", "Chen")]),
        ("王伟 200120", [PersonName("伟", "王")]),
        ("王伟，邮编200120", [PersonName("伟", "王")]),
        ("王伟", [PersonName("伟", "王")]),
        # not two words
        ("James", []),
        ("10083", []),
        ("James Robert Li 10083", []),
    ],
)
def test_bare_names_when_a_name_is_expected(text: str, expected: list[PersonName]) -> None:
    assert person_names(text, expecting_name=True) == expected


@pytest.mark.parametrize("text", ["James Li 10083", "王伟 200120", "Mei Chen and 94110"])
def test_bare_names_need_the_question_to_have_been_asked(text: str) -> None:
    assert person_names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the first one", 0),
        ("first", 0),
        ("the 1st", 0),
        ("the second one", 1),
        ("Second", 1),
        ("the 2nd one", 1),
        ("the third", 2),
        ("the 3rd", 2),
        ("the fourth one please", 3),
        ("4th", 3),
        ("last one", -1),
        ("the last order", -1),
        ("第一个", 0),
        ("第一个订单", 0),
        ("第二个", 1),
        ("第三", 2),
        ("第四个", 3),
        ("最后一个", -1),
        ("最后那单", -1),
        ("ＬＡＳＴ one", -1),
    ],
)
def test_ordinals(text: str, expected: int) -> None:
    assert ordinal(text) == expected


@pytest.mark.parametrize("text", ["one", "lastly", "firstly", "第五个", "hmm", "", "the blue one"])
def test_not_ordinals(text: str) -> None:
    assert ordinal(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣ１２３", "ABC123"),
        ("＃Ｗ１", "#W1"),
        ("，", ","),
        ("already half-width", "already half-width"),
    ],
)
def test_fold_makes_full_width_half_width(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第二个和第四个", [1, 3]),
        ("the first and the last", [0, -1]),
        ("the third one", [2]),
        ("没有序号", []),
    ],
)
def test_every_ordinal_in_reading_order(text: str, expected: list[int]) -> None:
    assert ordinals(text) == expected


def test_an_email_is_not_an_order_id() -> None:
    assert order_ids("write to w2611340@example.com about #W1234567") == ["#W1234567"]
