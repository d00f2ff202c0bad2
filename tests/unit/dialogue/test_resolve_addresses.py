"""Addresses: whole ones in either format and language, lead-ins dropped, field edits, known ones."""

from __future__ import annotations

import pytest
from resolve_support import tau_db

from kefu.dialogue.resolve.addresses import resolve_address

CURRENT = {
    "address1": "215 River Road",
    "address2": "Suite 991",
    "city": "New York",
    "country": "USA",
    "state": "NY",
    "zip": "10083",
}
OAK = {
    "address1": "12 Oak Road",
    "address2": "",
    "city": "Austin",
    "state": "TX",
    "country": "USA",
    "zip": "78701",
}


def _a(address1: str, address2: str, city: str, state: str, country: str, zip_code: str) -> dict[str, str]:
    return {"address1": address1, "address2": address2, "city": city, "state": state, "country": country,
            "zip": zip_code}  # fmt: skip


WHOLE = [
    ("12 Oak Road, Austin, TX 78701", OAK),
    ("It's 12 Oak Road, Austin, TX 78701", OAK),
    ("my new address is 12 Oak Road, Austin, Texas 78701, USA. Thanks!", OAK),
    ("Please ship it to 12 Oak Road, Austin, TX 78701", OAK),
    ("change it to 12 oak road, Austin TX 78701 please", {**OAK, "address1": "12 oak road"}),
    ("12 Oak Road Austin TX 78701", OAK),
    ("改成 12 Oak Road, Austin, TX 78701", OAK),
    ("新地址是12 Oak Road, Austin, TX 78701，谢谢", OAK),
    ("It's 12 Oak Road, Apt 5, Austin, TX 78701", {**OAK, "address2": "Apt 5"}),
    ("12 Oak Road Apt 5B, Austin, TX 78701", {**OAK, "address2": "Apt 5B"}),
    ("45 Maple Ave, #3, Portland, OR 97201-1234", _a("45 Maple Ave", "#3", "Portland", "OR", "USA", "97201")),
    ("1234 Elm Street, Suite 200, Springfield, IL 62704",
     _a("1234 Elm Street", "Suite 200", "Springfield", "IL", "USA", "62704")),
    ("上海市浦东新区世纪大道100号 200120",
     _a("浦东新区世纪大道100号", "", "上海市", "上海市", "China", "200120")),
    ("My new address is 上海市浦东新区世纪大道100号3号楼502室，邮编200120",
     _a("浦东新区世纪大道100号", "3号楼502室", "上海市", "上海市", "China", "200120")),
    ("新地址：广东省深圳市南山区科技园路1号 518000",
     _a("南山区科技园路1号", "", "深圳市", "广东省", "China", "518000")),
    ("地址改成中国浙江省杭州市西湖区文三路90号，邮编310012",
     _a("西湖区文三路90号", "", "杭州市", "浙江省", "China", "310012")),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), WHOLE)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_whole_addresses_in_either_format_and_language(
    text: str, expected: dict[str, str], lang: str
) -> None:
    result = resolve_address(text, lang, current=CURRENT)
    assert result.outcome == "resolved", (text, result)
    assert result.value == expected
    assert result.note == "parsed"


EDITS = [
    ("only the apartment number changes to 5B", {"address2": "Suite 5B"}),
    ("address line 2 should be Apt 12", {"address2": "Apt 12"}),
    ("same street, zip 10001", {"zip": "10001"}),
    ("the zip code is 10001", {"zip": "10001"}),
    ("邮编改成10001", {"zip": "10001"}),
    ("the city is Boston and the zip is 02110", {"city": "Boston", "zip": "02110"}),
    ("street address: 9 Elm Street", {"address1": "9 Elm Street"}),
]


@pytest.mark.parametrize(("text", "changed"), EDITS)
def test_partial_edits_of_the_current_address(text: str, changed: dict[str, str]) -> None:
    result = resolve_address(text, "en", current=CURRENT)
    assert result.outcome == "resolved", (text, result)
    assert result.value == {**CURRENT, **changed}
    assert result.note == "edited:" + ",".join(changed)


def test_an_edit_without_a_current_address_is_not_guessed() -> None:
    result = resolve_address("zip 10001", "en")
    assert (result.outcome, result.note) == ("none", "no_current:zip")


MISSING = [
    ("12 Oak Road, Austin", "missing:state,zip"),
    ("12 Oak Road, Austin, TX", "missing:zip"),
    ("上海市浦东新区世纪大道100号", "missing:zip"),
]


@pytest.mark.parametrize(("text", "note"), MISSING)
def test_missing_fields_are_named(text: str, note: str) -> None:
    result = resolve_address(text, "en")
    assert (result.outcome, result.note, result.value) == ("none", note, None)


def test_known_addresses_are_reused() -> None:
    default = {**OAK, "address1": "1 Main St"}
    known = [("default", default), ("order:#W1111111", CURRENT)]
    for text in ("use my default address", "the address on my account", "默认地址就行"):
        result = resolve_address(text, "en", known=known)
        assert (result.value, result.note) == (default, "known:default"), text
    for text in (
        "the address on my other order",
        "same address as order #W1111111",
        "和另一个订单的地址一样",
    ):
        result = resolve_address(text, "en", known=known)
        assert (result.value, result.note) == (CURRENT, "known:order:#W1111111"), text
    two = [*known, ("order:#W2222222", OAK)]
    assert resolve_address("the address on my other order", "en", known=two).outcome == "ambiguous"
    by_id = resolve_address("same address as order #W2222222", "en", known=two)
    assert by_id.value == OAK


@pytest.mark.parametrize(
    "text", ["hello", "yes", "I want to change my address", "我想改地址", "order #W2378156"]
)
def test_no_address_given(text: str) -> None:
    result = resolve_address(text, "en", current=CURRENT)
    assert (result.outcome, result.note) == ("none", "")


def test_every_tau_user_address_round_trips_through_its_own_text() -> None:
    users = list(tau_db()["users"].values())
    failures = []
    for user in users:
        a = user["address"]
        line = (
            ", ".join(p for p in (a["address1"], a["address2"], a["city"]) if p)
            + f", {a['state']} {a['zip']}"
        )
        result = resolve_address(f"my new address is {line}", "en")
        if result.value != a:
            failures.append((line, result))
    assert not failures[:5]
    assert len(users) == 500


@pytest.mark.parametrize(
    "text",
    [
        "12 Oak Road, Austin, TX 78701 - for my profile and every order you can change.",
        "12 Oak Road, Austin, TX 78701 please and thanks",
        "my address is 12 Oak Road, Austin, TX 78701 and that is for both orders",
    ],
)
def test_words_after_the_address_are_left_out(text: str) -> None:
    assert resolve_address(text, "en").value == OAK


def test_the_state_comes_from_the_zip_code_when_not_given() -> None:
    result = resolve_address("12 Oak Road, Austin, 78701", "en")
    assert (result.value, result.note) == (OAK, "parsed:state_from_zip")
    city = resolve_address("都改成 101 Highway, New York, 10001。", "zh")
    assert city.value == {"address1": "101 Highway", "address2": "", "city": "New York", "state": "NY",
                          "country": "USA", "zip": "10001"}  # fmt: skip


def test_every_tau_zip_code_gives_its_state() -> None:
    from kefu.dialogue.resolve.address_text import state_of_zip

    records = [u["address"] for u in tau_db()["users"].values()] + [
        o["address"] for o in tau_db()["orders"].values()
    ]
    assert all(state_of_zip(a["zip"]) == a["state"] for a in records)


def test_an_english_address_followed_by_chinese() -> None:
    text = "正确的地址是 445 Maple Drive, Suite 394, Fort Worth, Texas 76165。麻烦都改成这个。"
    assert resolve_address(text, "zh").value == _a(
        "445 Maple Drive", "Suite 394", "Fort Worth", "TX", "USA", "76165"
    )


def test_a_new_default_address_is_not_the_old_default() -> None:
    known = [("default", CURRENT)]
    text = "change my default address to 12 Oak Road, Austin, TX 78701"
    assert resolve_address(text, "en", known=known).value == OAK
    assert resolve_address("账户默认地址改成 12 Oak Road, Austin, TX 78701", "zh", known=known).value == OAK
