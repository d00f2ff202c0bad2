"""Driving the customer's chat page in the browser tests: open a conversation, type a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The chat page keeps its conversation ({id, token}) in sessionStorage under "kefu.conversation.v1:...".
CONVERSATION_ID_JS = """
() => {
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i);
    if (key && key.startsWith('kefu.conversation.v1:')) {
      try { return JSON.parse(sessionStorage.getItem(key)).id || null; } catch (_) { return null; }
    }
  }
  return null;
}
"""


def open_customer(
    new_page: Callable[..., Any], base_url: str, lang: str, pack: str | None = None
) -> tuple[Any, str]:
    """A customer on the chat page with a fresh conversation; returns the page and the conversation id."""
    page = new_page(locale="zh-CN" if lang == "zh" else "en-US")
    page.goto(f"{base_url}/?lang={lang}" + (f"&pack={pack}" if pack else ""))
    page.locator("#messages .msg[data-role=bot]").first.wait_for(state="visible")
    conversation_id = page.wait_for_function(CONVERSATION_ID_JS).json_value()
    assert isinstance(conversation_id, str) and conversation_id
    return page, conversation_id


def customer_says(page: Any, text: str) -> None:
    page.fill("#input", text)
    page.press("#input", "Enter")
