"""Real-browser tests of the agent console (``/console``).

A customer (the chat page) and an agent (the console) run in two separate browser contexts against the
real app (see conftest.py); the agent takes the conversation over from the bot and hands it back.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from chat_pages import customer_says, open_customer
from playwright.sync_api import expect

CJK = re.compile(r"[\u3400-\u9fff]")
QUEUE_LATENCY_LIMIT_S = 5.0

# The text of the first bot message after the latest customer message `sent` (null while there is none).
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

_TRANSCRIPT_SEQS_JS = "rows => rows.map(r => Number(r.dataset.seq))"


# ---------------------------------------------------------------------------------------------- helpers


def bot_reply_after(page: Any, text: str) -> str:
    reply = page.wait_for_function(_BOT_REPLY_AFTER_JS, arg=text).json_value()
    assert isinstance(reply, str)
    return reply


def open_console(new_page: Callable[..., Any], base_url: str, token: str, locale: str = "en-US") -> Any:
    """The console, signed in with `token`, its live feed connected."""
    page = new_page(locale=locale, viewport={"width": 1400, "height": 900})
    page.goto(f"{base_url}/console")
    page.fill("#token", token)
    page.click("#login")
    page.locator("#queue").wait_for(state="visible")
    page.locator('#conn[data-state="open"]').wait_for(state="attached")
    return page


def queue_item(console: Any, conversation_id: str) -> Any:
    return console.locator(f'#queue .queue-item[data-conversation-id="{conversation_id}"]')


def transcript_texts(console: Any, role: str) -> list[str]:
    texts = console.eval_on_selector_all(
        f"#transcript .msg[data-role={role}][data-seq] .bubble", "els => els.map(e => e.textContent)"
    )
    return [str(t) for t in texts]


def assert_transcript_in_order(console: Any) -> None:
    seqs = console.eval_on_selector_all("#transcript .msg[data-seq]", _TRANSCRIPT_SEQS_JS)
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs)), f"transcript out of order/duplicated: {seqs}"


# ---------------------------------------------------------------------------------------------- browser


@pytest.mark.browser
def test_agent_takes_over_and_hands_back(
    live_server: Any,
    new_page: Callable[..., Any],
    make_agent: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    customer, conversation_id = open_customer(new_page, live_server.url, "en")
    console = open_console(new_page, live_server.url, make_agent("Ann"))
    assert console.text_content("#me") == "Ann"
    console.evaluate("() => { window.__kefuSamePage = true; }")
    item = queue_item(console, conversation_id)
    assert item.count() == 0

    customer.fill("#input", "I want to talk to a human")
    started = time.monotonic()  # an upper bound: it includes Playwright's own round trips
    customer.press("#input", "Enter")
    item.wait_for(state="visible", timeout=int(QUEUE_LATENCY_LIMIT_S * 2000))
    latency = time.monotonic() - started
    with capsys.disabled():
        print(f"\n[console] conversation appeared in the agent queue {latency * 1000:.0f} ms after the send")
    assert latency < QUEUE_LATENCY_LIMIT_S
    assert console.evaluate("() => window.__kefuSamePage") is True, "the console must not reload"

    queued = bot_reply_after(customer, "I want to talk to a human")
    assert "queue" in queued.lower(), queued
    assert item.get_attribute("data-priority") == "0"
    assert item.locator(".reason").text_content() == "Customer asked for a human"
    assert item.locator(".last").text_content() == "I want to talk to a human"
    assert item.locator(".lang-tag").text_content() == "English"
    # The waiting time ticks without a round trip.  (Console-page waits use locators: its CSP forbids the
    # eval() that page.wait_for_function() relies on.)
    expect(item.locator(".wait")).not_to_have_text(item.locator(".wait").text_content() or "")

    item.click()
    reason = console.locator("#summary [data-field=reason]")
    reason.wait_for(state="visible")
    assert reason.get_attribute("data-value") == "customer_request"
    assert console.locator("#summary [data-field=lastMessage]").text_content() == "I want to talk to a human"
    console.locator("#transcript .msg[data-role=customer]").first.wait_for(state="visible")
    assert console.is_disabled("#reply") and console.is_disabled("#send"), "replying needs a claim first"
    assert console.is_disabled("#release")

    console.click("#claim")
    console.locator("#reply:enabled").wait_for()
    assert console.is_disabled("#claim")
    console.locator("#transcript .msg[data-role=system]", has_text="Ann").wait_for()
    assert customer.locator("#status").text_content() == "You are now chatting with an agent"

    console.fill("#reply", "Hello, this is Ann")
    console.press("#reply", "Enter")
    customer_agent = customer.locator("#messages .msg[data-role=agent][data-seq] .bubble", has_text="Ann")
    customer_agent.wait_for(state="visible")
    assert customer_agent.text_content() == "Hello, this is Ann"
    assert console.input_value("#reply") == ""

    customer_says(customer, "thanks, my parcel is late")
    console.locator("#transcript .msg[data-role=customer]", has_text="my parcel is late").wait_for()
    assert transcript_texts(console, "agent") == ["Hello, this is Ann"], "each message shows exactly once"
    assert_transcript_in_order(console)

    console.click("#release")
    console.locator("#reply:disabled").wait_for()
    customer.locator("#messages .msg[data-role=bot] .bubble", has_text="back with the assistant").wait_for()
    queue_item(console, conversation_id).wait_for(state="detached")

    reply = bot_reply_after_send(customer, "where is my order?")
    assert reply.strip()
    assert console.evaluate("() => window.__kefuSamePage") is True


def bot_reply_after_send(page: Any, text: str) -> str:
    customer_says(page, text)
    return bot_reply_after(page, text)


@pytest.mark.browser
def test_chinese_customer_summary_in_a_chinese_console(
    live_server: Any, new_page: Callable[..., Any], make_agent: Callable[..., str]
) -> None:
    customer, conversation_id = open_customer(new_page, live_server.url, "zh")
    console = open_console(new_page, live_server.url, make_agent("小李", langs=["zh"]), locale="zh-CN")
    assert console.get_attribute("html", "lang") == "zh-CN"
    assert console.text_content("#claim") == "接入"

    customer_says(customer, "转人工")
    item = queue_item(console, conversation_id)
    item.wait_for(state="visible", timeout=int(QUEUE_LATENCY_LIMIT_S * 1000))
    assert CJK.search(bot_reply_after(customer, "转人工") or "")
    assert item.locator(".reason").text_content() == "客户要求人工"
    assert item.locator(".last").text_content() == "转人工"

    item.click()
    summary = console.locator("#summary")
    reason = summary.locator("[data-field=reason]")
    reason.wait_for(state="visible")
    assert reason.get_attribute("data-value") == "customer_request"
    assert "客户要求人工" in (reason.text_content() or "")
    assert summary.locator("[data-field=lang]").get_attribute("data-value") == "zh"
    assert summary.locator("[data-field=lastMessage]").text_content() == "转人工"
    assert CJK.search(summary.locator("dt").first.text_content() or "")
    canned = console.locator("#canned .canned-reply")
    assert canned.count() >= 3 and all(CJK.search(t) for t in canned.all_text_contents())
    assert canned.first.is_disabled(), "quick replies wait for the claim too"

    console.click("#claim")
    console.locator("#reply:enabled").wait_for()
    console.fill("#reply", "第一行")
    console.press("#reply", "Shift+Enter")  # a newline, not a send
    console.locator("#reply").press_sequentially("第二行")
    assert console.input_value("#reply") == "第一行\n第二行"
    console.fill("#reply", "")
    canned.first.click()
    assert console.input_value("#reply") == canned.first.text_content()
    console.click("#send")
    customer.locator("#messages .msg[data-role=agent][data-seq]").wait_for()

    console.click("#lang-toggle")  # the UI language switches in place
    assert console.text_content("#claim") == "Claim"
    assert "Customer asked for a human" in (reason.text_content() or "")

    console.click("#close")
    console.locator('#conversation-status[data-status="closed"]').wait_for()
    assert console.is_disabled("#close") and console.is_disabled("#reply")
    customer.locator("#closed").wait_for(state="visible")
    console.wait_for_timeout(500)  # late answers to earlier requests must not bring an older state back
    assert console.get_attribute("#conversation-status", "data-status") == "closed"
    assert console.is_disabled("#close") and console.is_disabled("#reply") and console.is_disabled("#claim")


@pytest.mark.browser
def test_queue_catches_up_after_the_live_feed_reconnects(
    live_server: Any, new_page: Callable[..., Any], make_agent: Callable[..., str]
) -> None:
    customer, conversation_id = open_customer(new_page, live_server.url, "en")
    console = new_page(viewport={"width": 1400, "height": 900})
    sockets: list[Any] = []

    def route(ws: Any) -> None:
        sockets.append(ws)
        if len(sockets) > 1:
            ws.connect_to_server()  # the reconnection reaches the real server
        # The first socket is a dead end: open, but it never delivers anything (a half-open connection).

    console.route_web_socket(re.compile(r"/v1/agent/ws"), route)
    queue_fetches = {"started": 0, "done": 0}

    def counts_queue_fetch(key: str) -> Callable[[Any], None]:
        def count(request: Any) -> None:
            if request.url.endswith("/v1/agent/queue"):
                queue_fetches[key] += 1

        return count

    console.on("request", counts_queue_fetch("started"))
    console.on("requestfinished", counts_queue_fetch("done"))
    console.on("requestfailed", counts_queue_fetch("done"))
    console.goto(f"{live_server.url}/console")
    console.fill("#token", make_agent("Bob"))
    console.click("#login")
    console.locator('#conn[data-state="open"]').wait_for(state="attached")
    # Sign-in and the socket's open each fetch the queue; a fetch still on its way when the customer asks
    # for a human could legitimately bring the conversation in, so let them settle first.
    deadline = time.monotonic() + 10
    while queue_fetches["started"] < 2 or queue_fetches["done"] < queue_fetches["started"]:
        assert time.monotonic() < deadline, f"queue fetches never settled: {queue_fetches}"
        console.wait_for_timeout(50)

    customer_says(customer, "I want to talk to a human")
    bot_reply_after(customer, "I want to talk to a human")
    console.wait_for_timeout(1000)
    assert queue_item(console, conversation_id).count() == 0, "nothing arrives over the dead socket"

    started = time.monotonic()
    sockets[0].close(code=4000, reason="test: connection dropped")
    queue_item(console, conversation_id).wait_for(state="visible", timeout=10_000)
    assert time.monotonic() - started < QUEUE_LATENCY_LIMIT_S, "the queue is refreshed on reconnect"
    assert len(sockets) == 2
    console.locator('#conn[data-state="open"]').wait_for(state="attached")


@pytest.mark.browser
def test_sign_in_errors_session_and_sign_out(
    live_server: Any, new_page: Callable[..., Any], make_agent: Callable[..., str]
) -> None:
    console = new_page()
    console.goto(f"{live_server.url}/console")
    assert console.is_visible("#token") and not console.is_visible("#queue")

    console.fill("#token", "ka_not-a-real-token")
    console.click("#login")
    error = console.locator("#login-error")
    error.wait_for(state="visible")
    assert error.text_content() == "That token was not accepted. Check it and try again."
    assert not console.is_visible("#queue")

    token = make_agent("Cleo")
    console.fill("#token", token)
    console.press("#token", "Enter")
    console.locator("#queue").wait_for(state="visible")
    assert console.evaluate("t => Object.values(sessionStorage).includes(t)", token) is True

    console.reload()  # the token survives a reload of the tab (sessionStorage)...
    console.locator("#queue").wait_for(state="visible")
    assert console.text_content("#me") == "Cleo"

    # ...API errors are shown with the server's explanation...
    console.evaluate("id => sessionStorage.setItem('kefu.console.open.v1', id)", "no-such-conversation")
    console.reload()
    banner = console.locator("#error")
    banner.wait_for(state="visible")
    assert "Could not load the conversation" in (banner.text_content() or "")
    assert "HTTP 404" in (banner.text_content() or "")

    console.click("#logout")  # ...and signing out forgets it.
    console.locator("#token").wait_for(state="visible")
    assert not console.is_visible("#queue")
    assert console.evaluate("() => sessionStorage.getItem('kefu.console.token.v1')") is None
    console.reload()
    console.locator("#token").wait_for(state="visible")

    console.fill("#token", live_server.settings.admin_token)  # the admin token works too
    console.click("#login")
    console.locator("#queue").wait_for(state="visible")
    assert console.text_content("#me") == "admin"


# ---------------------------------------------------------------------------------------------- plain HTTP


def test_console_page_is_a_static_shell(live_server: Any, make_agent: Callable[..., str]) -> None:
    token = make_agent("Dora")
    with httpx.Client(base_url=live_server.url) as client:
        page = client.get(
            "/console",
            params={"lang": "<script>alert(1)</script>", "token": token, "name": "Dora"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-store"
        assert "script-src 'self'" in page.headers["content-security-policy"]
        html = page.text
        assert token not in html and "Dora" not in html, "the page carries no user data"
        assert "alert(1)" not in html
        assert 'data-lang=""' in html
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
        assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts), (
            "no inline JS"
        )
        assert not re.search(r"\son[a-z]+\s*=", html), "no inline event handlers"
        for selector in ('id="token"', 'id="login"', 'id="queue"', 'id="claim"', 'id="release"'):
            assert selector in html, selector
        for asset in re.findall(r'(?:src|href)="(/static/console\.(?:js|css)\?v=[0-9a-f]+)"', html):
            response = client.get(asset)
            assert response.status_code == 200, asset
        assert len(re.findall(r"/static/console\.(?:js|css)\?v=", html)) == 2

        chinese = client.get("/console", params={"lang": "zh"})
        assert chinese.status_code == 200
        assert '<html lang="zh-CN">' in chinese.text and 'data-lang="zh"' in chinese.text
