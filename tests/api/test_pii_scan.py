"""200 scripted conversations full of personal data (zh + en) through the real app over SQLite; then every
text and JSON column of every table, and every log record (DEBUG and up), is scanned for the raw values.
None may be found: PII is masked before anything is stored, logged or sent."""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from customer_client import Customer
from kefu.app import create_app
from kefu.demo import seed_demo
from kefu.eval.pii_synth import card, cn_id, cn_mobile, email, format_card, iban, ip, phone, ssn
from kefu_test_support import make_settings

CONVERSATIONS = 200
SURNAMES = ["欧阳", "王", "李", "张", "刘", "陈", "赵", "周", "吴", "诸葛", "司马", "林"]
GIVEN = "明轩浩然子涵欣怡梓萱俊杰雨桐思远嘉怡博文"
FIRST = ["Quentin", "Marisol", "Thaddeus", "Ingrid", "Oluwaseun", "Beatrix", "Caspian", "Yolanda"]
LAST = ["Zabrowski", "Okonkwo-Reyes", "Lindqvist", "Abernathy", "Vasquez", "Haugland", "Pemberton"]
CITIES = [("上海", "浦东新"), ("北京", "朝阳"), ("广州", "天河"), ("成都", "武侯"), ("杭州", "西湖")]
ROADS = ["张杨", "建国", "天河", "人民南", "文三", "中山", "解放"]
STREETS = ["Maple Street", "Harbour Road", "Linden Avenue", "Quarry Lane", "Juniper Drive"]


@dataclass
class Script:
    lang: str
    messages: list[str]
    secrets: list[str] = field(default_factory=list)  # raw values that must never be stored or logged


def zh_script(rng: random.Random) -> Script:
    mobile, ident = cn_mobile(rng), cn_id(rng)
    number = card(rng, "unionpay")
    typed_card = format_card(number, rng)
    mail = email(rng)
    name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
    city, district = rng.choice(CITIES)
    road, house = rng.choice(ROADS), rng.randrange(1, 999)
    address = f"{city}市{district}区{road}路{house}号{rng.randrange(1, 30)}栋{rng.randrange(101, 2999)}室"
    expiry = f"{rng.randrange(1, 13):02d}/{rng.randrange(26, 35)}"
    cvv = f"{rng.randrange(100, 1000)}"
    order = f"#W{rng.randrange(10**6, 10**7)}"
    messages = rng.sample(
        [
            f"你好，我的订单{order}到哪了？",
            f"我的手机号是{mobile}，身份证号{ident}",
            f"退款请打到我的银行卡{typed_card}，有效期{expiry}，安全码{cvv}",
            f"我叫{name}，收货地址是{address}",
            f"邮箱{mail}，手机{mobile}，麻烦尽快处理",
            f"我要投诉！身份证{ident}，卡号{typed_card}",
            f"转人工，我的电话{mobile}",
        ],
        k=rng.randrange(3, 6),
    )
    secrets = [mobile, ident, typed_card, number, mail, name, address, f"有效期{expiry}", f"安全码{cvv}"]
    return Script("zh", messages, secrets)


def en_script(rng: random.Random) -> Script:
    tel, mail, social, account, addr_ip = phone(rng), email(rng), ssn(rng), iban(rng), ip(rng)
    number = card(rng)
    typed_card = format_card(number, rng)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    street = f"{rng.randrange(10, 9999)} {rng.choice(STREETS)}"
    passport = f"{rng.choice('EG')}{rng.randrange(10**7, 10**8)}"
    expiry = f"{rng.randrange(1, 13):02d}/{rng.randrange(26, 35)}"
    cvv = f"{rng.randrange(100, 1000)}"
    messages = rng.sample(
        [
            f"Where is my order #W{rng.randrange(10**6, 10**7)}?",
            f"Hi, my name is {name}, email {mail}, phone {tel}",
            f"Please refund to card {typed_card} exp {expiry} cvv {cvv}",
            f"My SSN is {social} and my IBAN is {account}",
            f"I moved to {street}, please update it. My passport is {passport}",
            f"I want to talk to a human. Call me on {tel} or write to {mail}",
            f"Login fails from {addr_ip}, this is ridiculous, my card {typed_card} was charged twice!",
        ],
        k=rng.randrange(3, 6),
    )
    secrets = [tel, mail, social, account, addr_ip, typed_card, number, name, street, passport]
    secrets += [f"exp {expiry}", f"cvv {cvv}"]
    return Script("en", messages, secrets)


def forms(value: str) -> set[str]:
    """The raw value as typed, and its digits alone when it is a long number."""
    found = {value}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 9:
        found.add(digits)
    return found


DEMO_CUSTOMERS: list[dict[str, str]] = []


@pytest.fixture
def app_and_url(sqlite_url: str) -> Iterator[tuple[TestClient, str]]:
    settings = make_settings(sqlite_url)
    _, customers = seed_demo(settings)
    DEMO_CUSTOMERS[:] = customers
    with TestClient(create_app(settings)) as client:
        yield client, sqlite_url


def stored_texts(url: str) -> Iterator[tuple[str, str]]:
    engine = sa.create_engine(url)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                for row in connection.execute(sa.select(table)).mappings():
                    for column, value in row.items():
                        if isinstance(value, bytes):
                            value = value.decode("utf-8", "replace")
                        if isinstance(value, dict | list):
                            value = json.dumps(value, ensure_ascii=False)
                        if isinstance(value, str):
                            yield f"{table.name}.{column}", value
    finally:
        engine.dispose()


def test_no_raw_personal_data_in_database_or_logs(
    app_and_url: tuple[TestClient, str], caplog: pytest.LogCaptureFixture
) -> None:
    client, url = app_and_url
    caplog.set_level(logging.DEBUG)
    rng = random.Random(2026)
    secrets: set[str] = set()
    sent = 0
    for index in range(CONVERSATIONS):
        script = zh_script(rng) if index % 2 else en_script(rng)
        customer = Customer(client, locale=script.lang)
        for text in script.messages:
            customer.send(text)
            sent += 1
        for value in script.secrets:
            secrets |= forms(value)
    assert sent >= 3 * CONVERSATIONS

    leaks: dict[str, set[str]] = {}
    for where, text in stored_texts(url):
        for value in secrets:
            if value in text:
                leaks.setdefault(where, set()).add(value)
    logged = [caplog.text] + [
        json.dumps([str(r.msg), str(r.args)], ensure_ascii=False) for r in caplog.records
    ]
    for value in secrets:
        if any(value in text for text in logged):
            leaks.setdefault("logs", set()).add(value)
    summary = {where: sorted(values)[:5] for where, values in leaks.items()}
    assert not leaks, f"raw personal data found: {summary}"


def test_masked_messages_keep_typed_placeholders(app_and_url: tuple[TestClient, str]) -> None:
    client, _ = app_and_url
    zh = Customer(client, locale="zh")
    stored = zh.client.post(
        f"/v1/conversations/{zh.id}/messages",
        json={"text": "我的手机号是13812345678，卡号6222 0212 3456 7890 128，有效期12/28"},
        headers=zh.auth,
    ).json()["messages"][0]["text"]
    assert stored == "我的手机号是[手机号]，卡号[银行卡 ••••0128]"
    en = Customer(client, locale="en")
    stored = en.client.post(
        f"/v1/conversations/{en.id}/messages",
        json={"text": "email me at jane.doe@example.com, card 4111 1111 1111 1111 cvv 123"},
        headers=en.auth,
    ).json()["messages"][0]["text"]
    assert stored == "email me at [EMAIL], card [CARD ••••1111]"


KEFU_TABLES = ("events", "conversations", "handoffs", "audit", "review_items", "vault_entries")


def test_verified_address_change_keeps_the_new_address_out_of_kefus_tables(
    app_and_url: tuple[TestClient, str],
) -> None:
    client, url = app_and_url
    rng = random.Random(7)
    typed: set[str] = set()
    for index, demo in enumerate(DEMO_CUSTOMERS[:6]):
        zh = index % 2 == 0  # the demo customers alternate: zh, en, zh …
        customer = Customer(client, locale="zh" if zh else "en")
        order = demo["pending_order_id"]
        street = f"{rng.randrange(100, 9999)} {rng.choice(STREETS)}"
        road = f"{rng.choice(ROADS)}路{rng.randrange(1, 999)}号{rng.randrange(1, 30)}栋"
        road += f"{rng.randrange(101, 2999)}室"
        script = (
            [f"我要改订单{order}的收货地址", demo["email"], f"新地址是上海市浦东新区{road} 200120"]
            if zh
            else [
                f"I need to change the delivery address of {order}",
                demo["email"],
                f"new address is {street}, Austin, TX 78701",
            ]
        )
        if index >= 2:
            script.append("是的" if zh else "yes")  # the tool runs: its arguments go into an event
        replies = [customer.say(text) for text in script]  # the first two stop at the confirmation
        typed.add(road if zh else street)
        # the customer reads their new address back in the live confirmation; the history shows a placeholder
        assert (road if zh else street) in replies[2]
        history = client.get(f"/v1/conversations/{customer.id}/messages", headers=customer.auth).json()
        assert all((road if zh else street) not in m["text"] for m in history["messages"])
    leaks = {
        (where, value)
        for where, text in stored_texts(url)
        for value in typed
        if where.split(".")[0] in KEFU_TABLES and value in text
    }
    assert not leaks, sorted(leaks)[:5]
