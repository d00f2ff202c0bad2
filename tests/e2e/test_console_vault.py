"""Real-browser test of the console's personal-details panel: the transcript shows a placeholder, the
agent reveals the original only with a purpose, and the reveal is in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from chat_pages import customer_says, open_customer
from playwright.sync_api import expect

PHONE = "13812345678"


def open_console(new_page: Callable[..., Any], base_url: str, token: str) -> Any:
    page = new_page(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page.goto(f"{base_url}/console")
    page.fill("#token", token)
    page.click("#login")
    page.locator("#queue").wait_for(state="visible")
    page.locator('#conn[data-state="open"]').wait_for(state="attached")
    return page


def test_agent_reveals_a_masked_phone_number_with_a_purpose(
    live_server: Any, new_page: Callable[..., Any], make_agent: Callable[..., str]
) -> None:
    customer, conversation_id = open_customer(new_page, live_server.url, "zh")
    customer_says(customer, f"我的电话是{PHONE}，请转人工客服")
    console = open_console(new_page, live_server.url, make_agent("小周"))
    item = console.locator(f'#queue .queue-item[data-conversation-id="{conversation_id}"]')
    item.wait_for(state="visible")
    item.click()
    console.click("#claim")  # only the agent the conversation is assigned to may reveal its values
    console.locator("#transcript .msg[data-role=customer]").first.wait_for(state="visible")
    expect(console.locator("#transcript")).not_to_contain_text(PHONE)

    entry = console.locator("#vault .vault-entry")
    entry.wait_for(state="visible")
    assert entry.locator(".vault-kind").text_content() == "电话"
    assert entry.locator(".vault-value").text_content() == "••••"
    entry.locator(".vault-reveal").click()  # no purpose yet: nothing is fetched
    assert entry.locator(".vault-value").text_content() == "••••"
    entry.locator(".vault-purpose").fill("回电确认退货")
    entry.locator(".vault-reveal").click()
    expect(console.locator("#vault .vault-value")).to_have_text(PHONE)

    audit = httpx.get(
        f"{live_server.url}/v1/audit",
        params={"action": "vault.read", "conversation_id": conversation_id},
        headers={"Authorization": f"Bearer {live_server.settings.admin_token}"},
    ).json()["items"]
    assert len(audit) == 1 and audit[0]["detail"]["purpose"] == "回电确认退货"
    assert PHONE not in str(audit)
