"""Real-browser tests of the customer chat page and the embeddable widget.

They start the real app (see conftest.py) and drive Debian's /usr/bin/chromium through Playwright.
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

if not Path("/usr/bin/chromium").exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium", allow_module_level=True)

CJK = re.compile(r"[\u3400-\u9fff]")

# Returns the text of the first bot message after the latest customer message with text `sent`,
# or null while there is none yet.
_BOT_REPLY_AFTER_JS = """
(sent) => {
  const rows = Array.from(document.querySelectorAll('#messages .msg[data-seq]'));
  const mine = rows.filter((r) => r.dataset.role === 'customer'
                                && r.querySelector('.bubble').textContent.trim() === sent);
  if (!mine.length) return null;
  const after = Number(mine[mine.length - 1].dataset.seq);
  const reply = rows.find((r) => r.dataset.role === 'bot' && Number(r.dataset.seq) > after
                                 && r.querySelector('.bubble').textContent.trim() !== '');
  return reply ? reply.querySelector('.bubble').textContent : null;
}
"""


def send_and_wait_for_reply(page: Any, text: str) -> str:
    page.fill("#input", text)
    page.press("#input", "Enter")
    handle = page.wait_for_function(_BOT_REPLY_AFTER_JS, arg=text)
    reply = handle.json_value()
    assert isinstance(reply, str)
    return reply


def wait_for_welcome(page_or_frame: Any) -> str:
    welcome = page_or_frame.locator("#messages .msg[data-role=bot]").first
    welcome.wait_for(state="visible")
    text = welcome.locator(".bubble").text_content() or ""
    assert text.strip(), "the welcome message is empty"
    return text


def seqs(page: Any) -> list[int]:
    values = page.eval_on_selector_all("#messages .msg[data-seq]", "rows => rows.map(r => r.dataset.seq)")
    return [int(v) for v in values]


# ---------------------------------------------------------------------------------------------- chat page


@pytest.mark.browser
def test_english_chat_round_trip(live_server: Any, new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto(f"{live_server.url}/?lang=en")
    wait_for_welcome(page)
    assert page.get_attribute("html", "lang") == "en"
    assert page.is_disabled("#send"), "send must be disabled while the input is empty"
    page.fill("#input", "   ")
    assert page.is_disabled("#send")

    reply = send_and_wait_for_reply(page, "hello")

    assert reply.strip()
    assert page.input_value("#input") == ""
    customer = page.locator("#messages .msg[data-role=customer]").last
    assert customer.get_attribute("data-seq"), "the customer's message is confirmed with a seq"
    order = seqs(page)
    assert order == sorted(order) and len(order) == len(set(order)), (
        f"messages out of order/duplicated: {order}"
    )


@pytest.mark.browser
def test_chinese_chat_round_trip(live_server: Any, new_page: Callable[..., Any]) -> None:
    page = new_page(locale="en-US")
    page.goto(f"{live_server.url}/?lang=zh")
    welcome = wait_for_welcome(page)
    assert CJK.search(welcome), f"welcome message is not Chinese: {welcome!r}"
    assert CJK.search(page.get_attribute("#input", "placeholder") or "")

    reply = send_and_wait_for_reply(page, "你好")

    assert CJK.search(reply), f"bot reply has no Chinese characters: {reply!r}"


@pytest.mark.browser
def test_language_falls_back_to_navigator(live_server: Any, new_page: Callable[..., Any]) -> None:
    page = new_page(locale="zh-CN")
    page.goto(f"{live_server.url}/?lang=klingon")  # unknown lang: ignored, navigator.language decides
    welcome = wait_for_welcome(page)
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert CJK.search(welcome)


@pytest.mark.browser
def test_reload_resumes_the_conversation(live_server: Any, new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto(f"{live_server.url}/?lang=en")
    wait_for_welcome(page)
    send_and_wait_for_reply(page, "hello")
    before = seqs(page)

    page.reload()
    page.locator("#messages .msg[data-role=customer]").first.wait_for(state="visible")
    page.wait_for_function(
        "n => document.querySelectorAll('#messages .msg[data-seq]').length >= n", arg=len(before)
    )

    assert seqs(page)[: len(before)] == before, "the reloaded page shows the same conversation"


@pytest.mark.browser
def test_message_text_is_escaped(live_server: Any, new_page: Callable[..., Any]) -> None:
    payload = '<img src=x onerror="window.__kefu_xss = 1"><b>bold</b>'
    page = new_page()
    page.goto(f"{live_server.url}/?lang=en")
    wait_for_welcome(page)
    page.fill("#input", payload)
    page.click("#send")
    page.wait_for_function(
        "p => Array.from(document.querySelectorAll('#messages .msg[data-role=customer][data-seq] .bubble'))"
        ".some(b => b.textContent === p)",
        arg=payload,
    )
    assert page.locator("#messages img, #messages b").count() == 0
    assert page.evaluate("() => window.__kefu_xss") is None


@pytest.mark.browser
def test_mobile_viewport_keeps_the_input_usable(live_server: Any, new_page: Callable[..., Any]) -> None:
    page = new_page(
        viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page.goto(f"{live_server.url}/?lang=en")
    wait_for_welcome(page)

    for selector in ("#input", "#send"):
        assert page.is_visible(selector)
        box = page.locator(selector).bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, f"{selector} overflows horizontally: {box}"
        assert box["y"] >= 0 and box["y"] + box["height"] <= 667, f"{selector} is off-screen: {box}"
    font_size = page.eval_on_selector("#input", "el => parseFloat(getComputedStyle(el).fontSize)")
    assert font_size >= 16, "inputs under 16px make iOS Safari zoom in"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


@pytest.mark.browser
def test_embed_layout_has_no_header(live_server: Any, new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto(f"{live_server.url}/?embed=1&lang=en")
    wait_for_welcome(page)
    assert page.locator("header").count() == 0
    page.goto(f"{live_server.url}/?lang=en")
    assert page.locator("header").count() == 1


# ---------------------------------------------------------------------------------------------- widget


@pytest.fixture()
def host_site(live_server: Any) -> Iterator[Callable[[str], str]]:
    """A third-party "shop" page on another origin (another port) that embeds the widget.

    Returns a function mapping the widget's data-* attributes to the shop page URL.
    """
    pages: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def make(attributes: str) -> str:
        path = f"/shop-{len(pages)}.html"
        pages[path] = (
            "<!doctype html><html><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'><title>Demo shop</title>"
            "</head><body><h1>Demo shop</h1>"
            f'<script src="{live_server.url}/widget.js" {attributes}></script>'
            "</body></html>"
        ).encode()
        # "localhost" vs the widget's "127.0.0.1": a different origin, like a real customer site.
        return f"http://localhost:{server.server_address[1]}{path}"

    try:
        yield make
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_widget_opens_the_chat_in_an_iframe(
    live_server: Any, new_page: Callable[..., Any], host_site: Callable[[str], str]
) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(host_site('data-pack="retail" data-lang="en"'))
    button = page.locator("#kefu-widget-button")
    button.wait_for(state="visible")
    assert page.locator("#kefu-widget-frame").count() == 0, "the iframe is created on first click only"

    button.click()

    frame_el = page.locator("#kefu-widget-frame")
    frame_el.wait_for(state="visible")
    src = frame_el.get_attribute("src") or ""
    assert src.startswith(f"{live_server.url}/?"), src
    assert "embed=1" in src and "pack=retail" in src and "lang=en" in src
    box = frame_el.bounding_box()
    assert box is not None and round(box["width"]) == 360 and round(box["height"]) == 560, box

    frame = page.frame_locator("#kefu-widget-frame")
    welcome = wait_for_welcome(frame)
    assert welcome.strip()
    assert frame.locator("header").count() == 0

    button.click()
    frame_el.wait_for(state="hidden")


@pytest.mark.browser
def test_widget_is_full_screen_on_phones(
    live_server: Any, new_page: Callable[..., Any], host_site: Callable[[str], str]
) -> None:
    page = new_page(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page.goto(host_site('data-lang="zh"'))
    page.locator("#kefu-widget-button").click()
    frame_el = page.locator("#kefu-widget-frame")
    frame_el.wait_for(state="visible")
    box = frame_el.bounding_box()
    assert box is not None and round(box["width"]) == 375 and round(box["height"]) == 667, box
    welcome = wait_for_welcome(page.frame_locator("#kefu-widget-frame"))
    assert CJK.search(welcome)


# ---------------------------------------------------------------------------------------------- plain HTTP


@pytest.mark.browser
def test_widget_script_and_static_assets_are_served(live_server: Any) -> None:
    with httpx.Client(base_url=live_server.url) as client:
        widget = client.get("/widget.js")
        assert widget.status_code == 200
        assert widget.headers["content-type"].startswith("application/javascript")
        assert "currentScript" in widget.text
        for asset in ("/static/chat.js", "/static/chat.css"):
            assert client.get(asset).status_code == 200, asset
        page = client.get("/", params={"lang": "<script>", "pack": 'x"><script>', "embed": "1"})
        assert page.status_code == 200
        assert 'data-lang=""' in page.text and 'data-pack="retail"' in page.text
        assert "<script>" not in page.text.split("</head>", 1)[1]


def test_masked_message_replaces_its_pending_bubble(live_server: Any, new_page: Any) -> None:
    """The server stores "[EMAIL]" instead of the address: the page shows the stored text, once."""
    page = new_page()
    page.goto(f"{live_server.url}/?lang=en")
    page.wait_for_selector(".msg[data-role=bot]")
    page.fill("#input", "my email is someone@example.com")
    page.press("#input", "Enter")
    page.locator(".msg[data-role=bot]").nth(1).wait_for()
    page.wait_for_timeout(300)
    customer = page.locator(".msg[data-role=customer]")
    assert customer.count() == 1
    assert "[EMAIL]" in customer.first.inner_text()
    assert page.locator(".msg.pending").count() == 0
