"""Real-browser test of the manager dashboard: sign in with the admin token, read the tiles and charts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from kefu.store.sql.database import make_engine
from kefu.store.sql.handoffs import SqlHandoffStore

if not Path("/usr/bin/chromium").exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium", allow_module_level=True)

ADMIN_TOKEN = "test-admin"  # what tests/e2e/conftest.py configures
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


class Visitor:
    def __init__(self, http: httpx.Client, locale: str = "en") -> None:
        created = http.post("/v1/conversations", json={"pack": "retail", "locale": locale})
        assert created.status_code == 201, created.text
        self.http, self.id = http, created.json()["id"]
        self.auth = {"Authorization": f"Bearer {created.json()['token']}"}
        self.status = created.json()["status"]

    def say(self, text: str) -> str:
        response = self.http.post(
            f"/v1/conversations/{self.id}/messages", json={"text": text}, headers=self.auth
        )
        assert response.status_code == 200, response.text
        self.status = response.json()["status"]
        return "\n".join(m["text"] for m in response.json()["messages"][1:])

    def rate(self, csat: int) -> None:
        response = self.http.post(
            f"/v1/conversations/{self.id}/feedback", json={"csat": csat}, headers=self.auth
        )
        assert response.status_code == 200, response.text

    def agent(self, action: str) -> None:
        response = self.http.post(f"/v1/agent/conversations/{self.id}/{action}", headers=ADMIN)
        assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def traffic(live_server: Any) -> None:
    """Three conversations: one the bot handles (rated 5), one handed to a human and closed (rated 3),
    one question the bot cannot answer."""
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        happy = Visitor(http)
        happy.say("hello")
        happy.rate(5)
        human = Visitor(http)
        human.say("I want to talk to a human")
        assert human.status == "waiting_human"
        human.agent("claim")
        human.agent("close")
        human.rate(3)
        lost = Visitor(http)
        assert lost.say("What is the weather on Mars?").startswith("Sorry")


def sign_in(page: Any, url: str, token: str) -> None:
    page.goto(url)
    page.locator("#login-form").wait_for(state="visible")
    page.fill("#token", token)
    page.click("#login")


def tile(page: Any, kpi: str) -> str:
    return str(page.locator(f'.tile[data-kpi="{kpi}"] .value').text_content()).strip()


@pytest.mark.browser
def test_dashboard_shows_the_figures(
    live_server: Any, traffic: None, new_page: Callable[..., Any], tmp_path: Path
) -> None:
    page = new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, f"{live_server.url}/dashboard?lang=en", ADMIN_TOKEN)
    page.wait_for_selector("body[data-state=ready]")

    assert page.is_hidden("#login-view") and page.is_visible("#board")
    assert tile(page, "conversations") == "3"
    assert tile(page, "containment") == "66.7%"
    assert tile(page, "handoff_rate") == "33.3%"
    assert tile(page, "csat") == "4.00 / 5"
    assert tile(page, "fcr") == "66.7%"
    assert re.fullmatch(r"\d+(\.\d)?s|\d+m \d+s", tile(page, "wait")), tile(page, "wait")
    assert re.fullmatch(r"\d+(\.\d)?s|\d+m \d+s", tile(page, "handle")), tile(page, "handle")
    assert "2 of 3" in str(page.locator('.tile[data-kpi="fcr"] .sub').text_content())

    assert page.locator("#chart-daily svg rect.bar").count() == 30  # the last 30 days
    assert page.locator("#chart-daily svg polyline.line").count() == 1
    assert page.locator("#chart-reasons svg rect.bar").count() == 1
    assert "Customer asked" in str(page.locator("#chart-reasons svg").text_content())
    assert page.locator("#chart-csat svg rect.bar").count() == 5
    csat_bars = page.eval_on_selector_all("#chart-csat rect.bar", "bars => bars.map(b => b.dataset.value)")
    assert csat_bars == ["0", "0", "1", "0", "1"]
    assert page.locator("#chart-sentiment svg rect.bar").count() == 3
    assert page.locator("#gaps tbody tr").first.text_content() == "what is the weather on mars?1"
    assert "Handoff · Customer asked" in str(page.locator("#actions tbody").text_content())
    assert page.input_value("#from") and page.input_value("#to")

    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 30_000

    page.click("#lang-toggle")
    assert page.locator('.tile[data-kpi="conversations"] .tile-label').text_content() == "会话数"
    assert tile(page, "containment") == "66.7%"

    page.reload()  # the token stays in this tab's sessionStorage
    page.wait_for_selector("body[data-state=ready]")
    assert tile(page, "conversations") == "3"


@pytest.mark.browser
def test_dashboard_range_and_pack(live_server: Any, traffic: None, new_page: Callable[..., Any]) -> None:
    page = new_page()
    sign_in(page, f"{live_server.url}/dashboard?lang=en", ADMIN_TOKEN)
    page.wait_for_selector("body[data-state=ready]")
    page.fill("#from", "2020-01-01")
    page.fill("#to", "2020-01-07")
    page.select_option("#pack", "retail")
    page.click("#apply")
    expect(page.locator('.tile[data-kpi="conversations"] .value')).to_have_text("0")
    page.wait_for_selector("body[data-state=ready]")
    assert tile(page, "containment") == "—"
    assert page.locator("#chart-daily svg rect.bar").count() == 7
    assert page.locator("#chart-csat .empty").count() == 1

    page.fill("#from", "2020-01-08")
    page.click("#apply")
    page.wait_for_selector("#error:not([hidden])")
    assert "must not be after" in str(page.locator("#error-text").text_content())


@pytest.mark.browser
def test_dashboard_refuses_agents_and_bad_tokens(live_server: Any, new_page: Callable[..., Any]) -> None:
    page = new_page()
    sign_in(page, f"{live_server.url}/dashboard?lang=en", "wrong-token")
    page.wait_for_selector("#login-error:not([hidden])")
    assert "not accepted" in str(page.locator("#login-error").text_content())

    engine = make_engine(live_server.settings.database_url)
    try:
        _, token = SqlHandoffStore(engine).add_agent("Dana")
    finally:
        engine.dispose()
    page.fill("#token", token)
    page.click("#login")
    expect(page.locator("#login-error")).to_contain_text("admin token")
    assert page.is_hidden("#board")
