"""In a real browser: a policy question gets the cited answer from the retail help centre, and an
unanswerable one offers a human."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

if not Path("/usr/bin/chromium").exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium", allow_module_level=True)

LAST_BOT = "#messages .msg[data-role=bot]"


def ask(page: Any, text: str) -> Any:
    """Send ``text`` and wait for the bot's reply to it; returns that message's locator."""
    before = page.locator(LAST_BOT).count()
    page.fill("#input", text)
    page.press("#input", "Enter")
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[LAST_BOT, before])
    return page.locator(LAST_BOT).last


@pytest.mark.browser
def test_policy_question_shows_the_cited_answer(live_server: Any, new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto(f"{live_server.url}/?lang=en")
    page.locator(LAST_BOT).first.wait_for(state="visible")
    reply = ask(page, "how long do refunds take?")
    assert "5 to 7 business days" in (reply.locator(".bubble").text_content() or "")
    cites = reply.locator(".citations")
    cites.wait_for(state="visible")
    assert "Refund timing" in (cites.text_content() or "")
    cited = reply.locator(".citations .citation").first
    assert cited.get_attribute("title") == "shop-help.en.md"  # a file source: shown as text, not a link


@pytest.mark.browser
def test_unanswerable_question_offers_a_human_chip(live_server: Any, new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto(f"{live_server.url}/?lang=zh")
    page.locator(LAST_BOT).first.wait_for(state="visible")
    reply = ask(page, "你们在北京有实体店吗")
    assert "不想随便猜测" in (reply.locator(".bubble").text_content() or "")
    assert reply.locator(".citations").count() == 0
    chip = page.locator("#chips .chip").first
    chip.wait_for(state="visible")
    assert chip.text_content() == "转人工"
