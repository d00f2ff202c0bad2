"""The analytics summary and Prometheus metrics over HTTP, with conversations driven through the real app."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from customer_client import Customer
from kefu.analytics.summary import sentiment_bucket
from kefu.app import create_app
from kefu.domain.ids import ConversationId
from kefu_test_support import ADMIN, make_settings

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}
SUMMARY = "/v1/analytics/summary"


def agent_auth(client: TestClient, name: str, role: str = "agent") -> dict[str, str]:
    store = client.app.state.services.handoffs  # type: ignore[attr-defined]
    _, token = store.add_agent(name, role=role)
    return {"Authorization": f"Bearer {token}"}


def act(client: TestClient, c: Customer, action: str) -> None:
    response = client.post(f"/v1/agent/conversations/{c.id}/{action}", headers=ADMIN_AUTH)
    assert response.status_code == 200, response.text


def rate(client: TestClient, c: Customer, csat: int) -> None:
    response = client.post(f"/v1/conversations/{c.id}/feedback", json={"csat": csat}, headers=c.auth)
    assert response.status_code == 200, response.text


def summary(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get(SUMMARY, params=params, headers=ADMIN_AUTH)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def today(client: TestClient) -> datetime:
    return datetime.now(ZoneInfo(client.app.state.settings.timezone))  # type: ignore[attr-defined]


def metric(text: str, line_start: str) -> float:
    found = [line for line in text.splitlines() if line.startswith(line_start + " ")]
    assert len(found) == 1, f"{line_start} not in\n{text}"
    return float(found[0].rsplit(" ", 1)[1])


@pytest.fixture
def shop(demo_app: TestClient) -> dict[str, Customer]:
    """Five conversations: resolved by the bot and rated 5; handed off, closed by an agent and rated 2;
    handed off and returned to the bot (zh); an unanswerable question; and one nobody wrote in."""
    happy = Customer(demo_app, locale="en")
    happy.say("hello")
    rate(demo_app, happy, 5)

    closed = Customer(demo_app, locale="en")
    closed.say("I want to talk to a human")
    assert closed.status == "waiting_human"
    act(demo_app, closed, "claim")
    act(demo_app, closed, "close")
    rate(demo_app, closed, 2)

    returned = Customer(demo_app, locale="zh")
    returned.say("帮我转人工")
    assert returned.status == "waiting_human"
    act(demo_app, returned, "claim")
    act(demo_app, returned, "release")

    unanswered = Customer(demo_app, locale="en")
    reply = unanswered.say("What is the weather on Mars?")
    assert reply.startswith("Sorry, I can't help with that.") and unanswered.status == "bot"

    silent = Customer(demo_app, locale="zh")
    return {
        "happy": happy,
        "closed": closed,
        "returned": returned,
        "unanswered": unanswered,
        "silent": silent,
    }


def expected_sentiment(client: TestClient, customers: dict[str, Customer]) -> dict[str, int]:
    store = client.app.state.services.conversations.store  # type: ignore[attr-defined]
    counts = {"negative": 0, "neutral": 0, "positive": 0, "unscored": 0}
    for c in customers.values():
        scores = store.load_state(ConversationId(c.id)).memory.get("sentiment_scores") or []
        counts[sentiment_bucket(scores[-1]) if scores else "unscored"] += 1
    return counts


def test_summary_of_driven_conversations(demo_app: TestClient, shop: dict[str, Customer]) -> None:
    s = summary(demo_app)

    day = today(demo_app).date()
    assert (s["first_day"], s["last_day"]) == ((day - timedelta(days=29)).isoformat(), day.isoformat())
    assert (s["timezone"], s["pack"]) == ("Asia/Shanghai", None)
    assert (s["conversations"], s["engaged_conversations"]) == (5, 4)
    assert (s["contained"], s["containment_rate"]) == (3, pytest.approx(3 / 5))
    assert (s["handed_off"], s["handoff_rate"], s["handoffs"]) == (2, pytest.approx(2 / 5), 2)
    assert s["handoffs_by_reason"] == [{"label": "customer_request", "count": 2}]
    assert s["handoffs_by_outcome"] == {"closed": 1, "returned": 1}
    for span in ("wait", "handle"):
        assert s[span]["count"] == 2
        assert 0 <= s[span]["p50_s"] < 60 and 0 <= s[span]["average_s"] < 60
    assert s["csat"] == {
        "rated": 2,
        "average": 3.5,
        "distribution": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1},
        "response_rate": pytest.approx(2 / 5),
    }
    assert s["fcr"] == {"resolved": 2, "eligible": 4, "rate": 0.5}  # "happy" and "unanswered"
    assert s["sentiment"] == expected_sentiment(demo_app, shop)
    assert s["sentiment"]["unscored"] >= 1  # the silent conversation
    assert s["top_actions"] == [{"label": "handoff:customer_request", "count": 2}]
    assert s["knowledge_gaps"] == [{"label": "what is the weather on mars?", "count": 1}]
    assert len(s["daily"]) == 30
    assert s["daily"][-1] == {"day": day.isoformat(), "conversations": 5, "handoffs": 2}
    assert sum(p["conversations"] for p in s["daily"]) == 5


def test_ranges_and_packs(demo_app: TestClient, shop: dict[str, Customer]) -> None:
    day = today(demo_app).date()
    assert summary(demo_app, pack="retail")["conversations"] == 5
    earlier = summary(demo_app, **{"from": "2020-01-01", "to": "2020-01-31"})
    assert earlier["conversations"] == 0 and earlier["containment_rate"] is None
    assert [p["day"] for p in earlier["daily"]][:2] == ["2020-01-01", "2020-01-02"]
    single = summary(demo_app, **{"from": day.isoformat(), "to": day.isoformat()})
    assert len(single["daily"]) == 1
    only_from = summary(demo_app, **{"from": (day - timedelta(days=6)).isoformat()})
    assert (only_from["last_day"], len(only_from["daily"])) == (day.isoformat(), 7)
    unknown = demo_app.get(SUMMARY, params={"pack": "nosuchpack"}, headers=ADMIN_AUTH)
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2024-13-01"}, "'from' must be a date as YYYY-MM-DD"),
        ({"to": "yesterday"}, "'to' must be a date as YYYY-MM-DD"),
        ({"from": "2024-5-1"}, "'from' must be a date as YYYY-MM-DD"),
        ({"from": "2024-05-02", "to": "2024-05-01"}, "must not be after"),
        ({"from": "2020-01-01", "to": "2024-01-01"}, "at most 366"),
        ({"from": "0001-01-01", "to": "0001-01-05"}, "'from' must be a day from 1900-01-01"),
        ({"from": "9999-12-31"}, "'from' must be a day from 1900-01-01 to 9000-12-31"),
    ],
)
def test_bad_dates_are_422(demo_app: TestClient, params: dict[str, str], message: str) -> None:
    response = demo_app.get(SUMMARY, params=params, headers=ADMIN_AUTH)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and message in error["message"]


def test_only_admins_see_analytics(demo_app: TestClient) -> None:
    assert demo_app.get(SUMMARY).status_code == 401
    assert demo_app.get(SUMMARY, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert demo_app.get(SUMMARY, headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401
    forbidden = demo_app.get(SUMMARY, headers=agent_auth(demo_app, "Ann"))
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    customer = Customer(demo_app)
    assert demo_app.get(SUMMARY, headers=customer.auth).status_code == 401
    assert demo_app.get(SUMMARY, headers=agent_auth(demo_app, "Boss", role="admin")).status_code == 200


def test_prometheus_metrics(demo_app: TestClient, shop: dict[str, Customer]) -> None:
    c = Customer(demo_app, locale="en")
    c.send("hello", client_msg_id="same-id")
    c.send("hello", client_msg_id="same-id")  # an idempotent retry is not a second turn
    c.say("I want to talk to a human")
    c.say("are you there?")  # still waiting: no second handoff

    response = demo_app.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    for name in ("kefu_turns_total", "kefu_turn_seconds", "kefu_handoffs_total", "kefu_queue_waiting"):
        assert f"# TYPE {name} " in text
    assert metric(text, 'kefu_turns_total{pack="retail"}') == 4 + 3  # the shop's 4 turns and 3 here
    assert metric(text, 'kefu_turn_seconds_count{pack="retail"}') == 7
    assert metric(text, 'kefu_handoffs_total{pack="retail",reason="customer_request"}') == 3
    assert metric(text, "kefu_queue_waiting") == 1


def test_each_app_has_its_own_registry(demo_app: TestClient, tmp_path: Path) -> None:
    Customer(demo_app).say("hello")
    other = create_app(make_settings(f"sqlite:///{tmp_path}/other.db"))
    with TestClient(other) as second:
        text = second.get("/metrics").text
    assert "# TYPE kefu_turns_total counter" in text
    assert not re.search(r"^kefu_turns_total\{", text, re.MULTILINE)
    assert metric(demo_app.get("/metrics").text, 'kefu_turns_total{pack="retail"}') == 1


def test_summary_on_every_backend(database_url: str) -> None:
    """The SQL behind the summary (sub-selects, LIKE, time bounds, follow-ups) on SQLite and PostgreSQL."""
    from kefu.demo import seed_demo

    settings = make_settings(database_url)
    seed_demo(settings)
    with TestClient(create_app(settings)) as client:
        signed = client.app.state.services.tokens.sign_customer_token("shopper-1")  # type: ignore[attr-defined]
        first = Customer(client, locale="en", customer_token=signed)
        first.say("hello")
        follow_up = Customer(client, locale="en", customer_token=signed)
        follow_up.say("What is the weather on Mars?")
        human = Customer(client, locale="en")
        human.say("I want to talk to a human")
        act(client, human, "claim")
        act(client, human, "close")
        rate(client, human, 4)

        s = summary(client)
        assert (s["conversations"], s["handed_off"], s["contained"]) == (3, 1, 2)
        assert s["fcr"] == {"resolved": 1, "eligible": 3, "rate": pytest.approx(1 / 3)}  # only the follow-up
        assert s["knowledge_gaps"] == [{"label": "what is the weather on mars?", "count": 1}]
        assert (s["csat"]["rated"], s["csat"]["average"]) == (1, 4.0)
        assert (s["wait"]["count"], s["handle"]["count"]) == (1, 1)
        assert s["handoffs_by_outcome"] == {"closed": 1}
