"""Real-browser tests of the console's review tab and knowledge suggestions.

A customer chats on the chat page with a pack whose output rail holds one kind of reply
(tests/review_pack.py); a reviewer in the console sees it appear live, approves, edits or rejects it,
and the customer's page then shows the outcome in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from chat_pages import customer_says as say
from chat_pages import open_customer as open_chat

from review_pack import PACK, QUESTION_EN, QUESTION_ZH, REASON, RISK

_CUSTOMER_SEQS_JS = "rows => rows.map(r => Number(r.dataset.seq))"


def open_customer(
    new_page: Callable[..., Any], base_url: str, lang: str, pack: str = PACK
) -> tuple[Any, str]:
    return open_chat(new_page, base_url, lang, pack)


def bot_bubble(page: Any, text: str) -> Any:
    return page.locator("#messages .msg[data-role=bot][data-seq] .bubble", has_text=text)


def open_console(new_page: Callable[..., Any], base_url: str, token: str, locale: str = "en-US") -> Any:
    page = new_page(locale=locale, viewport={"width": 1400, "height": 900})
    page.goto(f"{base_url}/console")
    page.fill("#token", token)
    page.click("#login")
    page.locator("#queue").wait_for(state="visible")
    page.locator('#conn[data-state="open"]').wait_for(state="attached")
    return page


def review_card(console: Any, conversation_id: str) -> Any:
    return console.locator(f'#review-list .review-item[data-conversation-id="{conversation_id}"]')


def held_text(card: Any) -> str:
    """The first held reply shown on a review card (the card joins a turn's held replies)."""
    text = (card.locator(".review-text").text_content() or "").split("\n\n")[0].strip()
    assert text
    return text


def assert_customer_in_order(page: Any) -> None:
    seqs = page.eval_on_selector_all("#messages .msg[data-seq]", _CUSTOMER_SEQS_JS)
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs)), seqs


@pytest.mark.browser
def test_reviewer_approves_a_held_reply_and_the_customer_sees_it(
    live_server: Any, new_page: Callable[..., Any], make_agent: Callable[..., str]
) -> None:
    console = open_console(new_page, live_server.url, make_agent("Rita"))
    console.evaluate("() => { window.__kefuSamePage = true; }")
    console.click("#tab-review")
    console.locator("#review-view").wait_for(state="visible")
    assert console.is_hidden("#desk")

    customer, conversation_id = open_customer(new_page, live_server.url, "en")
    say(customer, QUESTION_EN)
    bot_bubble(customer, "specialist is checking").wait_for()

    card = review_card(console, conversation_id)
    card.wait_for(state="visible")  # live: the feed's "review" event, no reload
    assert console.evaluate("() => window.__kefuSamePage") is True
    assert card.locator(".review-question").text_content() == QUESTION_EN
    held = held_text(card)
    assert bot_bubble(customer, held).count() == 0, "the held reply is not shown before review"
    assert float(card.locator(".badge.risk").get_attribute("data-risk") or 0) == RISK
    assert card.locator(".review-reasons").text_content() == REASON
    assert int(console.text_content("#review-count") or "0") >= 1

    say(customer, "hello")  # the customer keeps chatting while the reply waits
    # (the guarantee question opened a request that waits for verification, so "hello" is met with
    # the verification question again)
    bot_bubble(customer, "verify you").first.wait_for()
    held_before = bot_bubble(customer, held).count()  # the same words may have been said meanwhile

    card.locator("button.review-approve").click()
    card.wait_for(state="detached")
    bot_bubble(customer, held).nth(1 if held_before else 0).wait_for()
    last_bot = customer.locator("#messages .msg[data-role=bot][data-seq] .bubble").last
    assert (last_bot.text_content() or "").strip() == held, (
        "the approved reply comes after what was said meanwhile"
    )
    assert_customer_in_order(customer)


@pytest.mark.browser
def test_reviewer_edits_in_chinese_and_rejects_another(
    live_server: Any, new_page: Callable[..., Any], make_agent: Callable[..., str]
) -> None:
    console = open_console(new_page, live_server.url, make_agent("小王"), locale="zh-CN")
    assert console.text_content("#tab-review") and "待审核" in (console.text_content("#tab-review") or "")
    console.click("#tab-review")

    first, first_id = open_customer(new_page, live_server.url, "zh")
    say(first, QUESTION_ZH)
    bot_bubble(first, "专员").wait_for()
    card = review_card(console, first_id)
    card.wait_for(state="visible")
    assert card.locator("button.review-approve").text_content() == "通过"
    held = held_text(card)
    card.locator("button.review-edit").click()
    draft = card.locator("textarea.review-draft")
    assert held in draft.input_value()
    draft.fill("请告诉我您的订单号，我来为您查询退货进度。")
    card.locator("button.review-approve-edited").click()
    card.wait_for(state="detached")
    bot_bubble(first, "请告诉我您的订单号").wait_for()
    assert bot_bubble(first, held).count() == 0
    assert_customer_in_order(first)

    second, second_id = open_customer(new_page, live_server.url, "en")
    say(second, QUESTION_EN)
    card = review_card(console, second_id)
    card.wait_for(state="visible")
    held = held_text(card)
    card.locator("button.review-reject").click()
    card.locator("input.review-reason").fill("needs a person")
    card.locator("button.review-confirm-reject").click()
    card.wait_for(state="detached")
    bot_bubble(second, "human agent will follow up").wait_for()
    assert bot_bubble(second, held).count() == 0

    console.click("#tab-desk")  # the rejected conversation waits for a human in the queue
    item = console.locator(f'#waiting-list .queue-item[data-conversation-id="{second_id}"]')
    item.wait_for(state="visible")
    assert item.locator(".reason").text_content() == "按规定转人工"


@pytest.mark.browser
def test_knowledge_suggestions_can_be_inserted_into_the_reply(
    live_server: Any, new_page: Callable[..., Any], make_agent: Callable[..., str]
) -> None:
    customer, conversation_id = open_customer(new_page, live_server.url, "en", pack="retail")
    say(customer, "I want to talk to a human")
    customer.locator("#messages .msg[data-role=bot][data-seq]").nth(1).wait_for()
    console = open_console(new_page, live_server.url, make_agent("Kim"))
    item = console.locator(f'#waiting-list .queue-item[data-conversation-id="{conversation_id}"]')
    item.wait_for(state="visible")
    item.click()
    console.click("#claim")
    console.locator("#reply:enabled").wait_for()
    question = "how long does a refund take after a return?"
    say(customer, question)
    hits = console.locator(f'#kb-suggestions[data-query="{question}"] .kb-hit')
    hits.first.wait_for(state="visible")
    assert 1 <= hits.count() <= 3
    insert = hits.first.locator("button.kb-insert")
    expected = insert.get_attribute("data-text") or ""
    assert expected.strip()
    assert "refund" in expected.lower()
    insert.click()
    assert console.input_value("#reply") == expected
    console.click("#send")
    customer.locator("#messages .msg[data-role=agent][data-seq] .bubble").first.wait_for()
