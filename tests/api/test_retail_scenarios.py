"""The retail pack end to end over HTTP, on the real τ-bench retail data (the issue's "done when")."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from customer_client import Customer
from kefu.packs.retail.shop import RetailShop

IVAN_EMAIL = "ivan.santos3158@example.com"  # ivan_santos_6635: delivered #W6893533, pending #W8770097 …
DELIVERED = "#W6893533"
PENDING = "#W8770097"
PENDING_2 = "#W5183325"


def shop(client: TestClient) -> RetailShop:
    catalog = client.app.state.services.conversations.pack("retail")  # type: ignore[attr-defined]
    found: RetailShop = catalog.shop
    return found


def test_status_needs_verification_then_shows_real_order_en(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    asked = c.say(f"Where is my order {PENDING}?")
    assert "verify" in asked.lower()
    answer = c.say(f"my email is {IVAN_EMAIL}")
    assert "Ivan" in answer
    assert PENDING in answer and "pending" in answer
    assert "Office Chair" in answer


def test_verification_by_name_and_zip_zh(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="zh")
    assert "验证" in c.say("我的订单到哪了")
    answer = c.say("我叫 Ivan Santos，邮编 75277")
    assert "身份验证成功" in answer
    assert "哪个订单" in answer and PENDING in answer  # several orders: asks which one, listing them
    status = c.say(DELIVERED)
    assert "已签收" in status and "浇花水管" in status  # product names in the customer's language


def test_wrong_identity_is_refused(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    c.say("where is my order?")
    assert "couldn't find" in c.say("nobody@example.com")
    assert PENDING not in c.say("my name is Ivan Santos and my zip is 99999")


def test_cancel_pending_order_after_confirmation_changes_business_data(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    c.say(f"I want to cancel order {PENDING}")
    ask_reason = c.say(IVAN_EMAIL)
    assert "no longer needed" in ask_reason
    confirm = c.say("I ordered it by mistake")
    assert "confirm" in confirm.lower() and PENDING in confirm and "$544.29" in confirm
    assert shop(tau_app).get_order(PENDING)["status"] == "pending"  # nothing changes before "yes"
    done = c.say("yes")
    assert "cancelled" in done
    order = shop(tau_app).get_order(PENDING)
    assert order["status"] == "cancelled" and order["cancel_reason"] == "ordered by mistake"
    assert order["payment_history"][-1]["transaction_type"] == "refund"


def test_cancel_declined_changes_nothing(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="zh")
    c.say(f"帮我取消订单 {PENDING}")
    c.say(IVAN_EMAIL)
    assert "确认" in c.say("不需要了")
    assert "没有做任何更改" in c.say("不要")
    assert shop(tau_app).get_order(PENDING)["status"] == "pending"


def test_cancel_delivered_order_is_refused_with_reason(tau_app: TestClient) -> None:
    for locale, text, expected in (
        ("en", f"cancel {DELIVERED} please", "only pending orders"),
        ("zh", f"取消订单{DELIVERED}", "只有待发货的订单"),
    ):
        c = Customer(tau_app, locale=locale)
        c.say(text)
        refusal = c.say(IVAN_EMAIL)
        assert expected in refusal, refusal
    assert shop(tau_app).get_order(DELIVERED)["status"] == "delivered"


def test_return_delivered_items_zh(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="zh")
    c.say(f"我要退货，订单号 {DELIVERED}")
    which = c.say(IVAN_EMAIL)
    assert "哪些商品" in which and "浇花水管" in which
    confirm = c.say("第二个")
    assert "无线耳机" in confirm and "PayPal" in confirm and "确认退货" in confirm
    done = c.say("确认")
    assert "退货申请" in done
    order = shop(tau_app).get_order(DELIVERED)
    assert order["status"] == "return requested"
    assert order["return_items"] == ["1646531091"]
    assert order["return_payment_method_id"] == "paypal_6151711"


def test_return_on_pending_order_is_refused(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    assert "verified" in c.say(IVAN_EMAIL)  # identity given before any request is used at once
    refusal = c.say(f"I want to return the items of {PENDING}")
    assert "only delivered orders" in refusal
    assert shop(tau_app).get_order(PENDING)["status"] == "pending"


def test_that_order_and_correction_to_the_other_one(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    c.say(f"where is {PENDING}?")
    assert PENDING in c.say(IVAN_EMAIL)
    c.say(f"and {PENDING_2}?")
    confirm = c.say("cancel that order, I no longer need it")
    assert PENDING_2 in confirm and "confirm" in confirm.lower()
    corrected = c.say("no, the other one")
    assert PENDING in corrected and PENDING_2 not in corrected
    assert "cancelled" in c.say("yes")
    assert shop(tau_app).get_order(PENDING)["status"] == "cancelled"
    assert shop(tau_app).get_order(PENDING_2)["status"] == "pending"


def test_previous_order_reference_in_chinese(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="zh")
    c.say(f"{PENDING_2} 到哪了")
    assert "待发货" in c.say(IVAN_EMAIL)
    confirm = c.say("上一个订单帮我取消，买错了")
    assert PENDING_2 in confirm and "确认取消" in confirm


def test_customer_token_skips_dialogue_verification(tau_app: TestClient) -> None:
    tokens = tau_app.app.state.services.tokens  # type: ignore[attr-defined]
    c = Customer(tau_app, locale="en", customer_token=tokens.sign_customer_token("ivan_santos_6635"))
    assert "Ivan" in c.welcome[0]["text"]
    listing = c.say("show me all my orders")
    assert all(oid in listing for oid in (DELIVERED, PENDING, PENDING_2))


def test_other_customers_orders_stay_hidden(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    c.say("where is order #W2611340?")  # belongs to james_li_5688
    answer = c.say(IVAN_EMAIL)
    assert "can't find order #W2611340" in answer
    assert "Water Bottle" not in answer


def test_change_address_of_pending_order(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    c.say(f"I need to change the shipping address of {PENDING}")
    assert "new shipping address" in c.say(IVAN_EMAIL)
    confirm = c.say("12 Oak Street, Apt 5, Austin, TX 78701")
    assert "12 Oak Street" in confirm and "78701" in confirm
    c.say("yes")
    assert shop(tau_app).get_order(PENDING)["address"]["zip"] == "78701"


def test_exchange_delivered_item_for_another_option(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    c.say(f"I'd like to exchange the earbuds from {DELIVERED}")
    ask = c.say(IVAN_EMAIL)
    assert "Available options" in ask
    options = re.findall(r"\b(black|white|red|green|blue)\b", ask.split("→", 1)[1])
    wanted = next(color for color in options if color != "blue")
    confirm = c.say(f"in {wanted} please")
    if "Which one" in confirm:  # several variants in that colour: the bot asks, it never guesses
        first = confirm.split("→", 1)[1].split("/")[0]
        confirm = c.say(first.rsplit("$", 1)[0].strip())
    assert "exchange" in confirm and wanted in confirm
    c.say("yes")
    order = shop(tau_app).get_order(DELIVERED)
    assert order["status"] == "exchange requested"
    assert order["exchange_items"] == ["1646531091"]


def test_human_request_hands_off(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="zh")
    assert "人工" in c.say("转人工")
    assert c.status == "waiting_human"
    assert c.send("还在吗")  # while waiting for a human, the bot keeps answering


def test_replies_follow_the_customers_language(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    assert re.search(r"[\u4e00-\u9fff]", c.say("你好"))
    assert not re.search(r"[\u4e00-\u9fff]", c.say("hello"))


def test_side_question_while_verifying_keeps_the_request_open(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    c.say(f"where is {PENDING}?")
    catalogue = c.say("what products do you sell?")
    assert "We sell" in catalogue and "couldn't find an account" not in catalogue
    answer = c.say(IVAN_EMAIL)
    assert PENDING in answer and "pending" in answer


def test_side_effects_and_verification_are_audited(tau_app: TestClient) -> None:
    c = Customer(tau_app, locale="en")
    c.say(f"cancel {PENDING}, I no longer need it")
    c.say(IVAN_EMAIL)
    c.say("yes")
    store = tau_app.app.state.services.conversations.store  # type: ignore[attr-defined]
    actions = [entry["action"] for entry in store.audit_trail(c.id)]
    assert actions == ["customer_verified", "cancel_pending_order"]
    cancelled = store.audit_trail(c.id)[1]["detail"]
    assert cancelled["arguments"] == {"order_id": PENDING, "reason": "no longer needed"}


def test_upset_customers_get_an_empathetic_opening(tau_app: TestClient) -> None:
    calm = Customer(tau_app, locale="zh")
    assert not calm.say("我的订单到哪了").startswith("非常抱歉")
    upset = Customer(tau_app, locale="zh")
    assert upset.say("等了半个月还没到，气死我了，我的订单到底在哪！！！").startswith("非常抱歉")
    english = Customer(tau_app, locale="en")
    assert english.say("This is ridiculous, where is my order?!").startswith("I'm sorry about the trouble")
    complaint = Customer(tau_app, locale="en")
    reply = complaint.say("worst service ever, I want to complain")
    assert reply.count("sorry") == 1  # the complaint reply apologises once, not twice
