"""Held replies over HTTP: the customer is told a specialist is checking, a reviewer approves (maybe
edited) or rejects through ``/v1/review``, and the customer then gets the reply in order.

The turns run the real retail pack plus one holding output rail (tests/review_pack.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from customer_client import Customer
from kefu.app import create_app
from kefu.demo import seed_demo
from kefu_test_support import ADMIN, make_settings
from review_pack import PACK, QUESTION_EN, QUESTION_ZH, REASON, RISK

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


def agent_auth(client: TestClient, name: str, **skills: Any) -> dict[str, str]:
    store = client.app.state.services.handoffs  # type: ignore[attr-defined]
    _, token = store.add_agent(name, skills=skills)
    return {"Authorization": f"Bearer {token}"}


def agent_id(client: TestClient, auth: dict[str, str]) -> str:
    return str(client.get("/v1/agent/me", headers=auth).json()["id"])


def history(client: TestClient, c: Customer, after_seq: int = 0) -> list[dict[str, Any]]:
    response = client.get(f"/v1/conversations/{c.id}/messages?after_seq={after_seq}", headers=c.auth)
    assert response.status_code == 200
    return list(response.json()["messages"])


def audit(client: TestClient, conversation_id: str) -> list[dict[str, Any]]:
    store = client.app.state.services.conversations.store  # type: ignore[attr-defined]
    return list(store.audit_trail(conversation_id))


def brief(message: dict[str, Any]) -> tuple[Any, ...]:
    return message["id"], message["seq"], message["role"], message["text"], message["lang"]


def first_part(item: dict[str, Any]) -> str:
    """The first held reply of the item (its text joins the turn's held replies with blank lines)."""
    return str(item["text"]).split("\n\n")[0]


def pending(client: TestClient, **params: str) -> list[dict[str, Any]]:
    response = client.get("/v1/review", params=params, headers=ADMIN_AUTH)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def held_conversation(client: TestClient, lang: str = "en") -> tuple[Customer, dict[str, Any]]:
    c = Customer(client, pack=PACK, locale=lang)
    question = QUESTION_EN if lang == "en" else QUESTION_ZH
    [notice] = c.send(question)
    assert ("specialist" in notice["text"]) if lang == "en" else ("专员" in notice["text"])
    [item] = [i for i in pending(client) if i["conversation_id"] == c.id]
    assert item["customer_message"] == question
    return c, item


@pytest.fixture
def app(demo_app: TestClient) -> TestClient:
    return demo_app


def test_held_reply_is_not_sent_until_approved_then_arrives_in_order(app: TestClient) -> None:
    c, item = held_conversation(app)
    assert item["text"] and item["status"] == "pending" and item["pack"] == PACK
    assert item["risk"] == RISK and item["reasons"] == [REASON]
    assert item["lang"] == "en" and item["reply_to"] == 2 and item["created_at"]
    assert not any(first_part(item) in m["text"] for m in history(app, c))
    assert c.say("hello") and c.status == "bot"  # the customer keeps talking meanwhile
    before = history(app, c)

    reviewer = agent_auth(app, "Rita")
    approved = app.post(f"/v1/review/{item['id']}/approve", headers=reviewer)
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert (
        body["item"]["status"] == "approved"
        and body["item"]["decided_by"] == f"agent:{agent_id(app, reviewer)}"
    )
    sent = body["messages"]
    assert {m["role"] for m in sent} == {"bot"} and "\n\n".join(m["text"] for m in sent) == item["text"]
    assert [m["seq"] for m in sent] == list(range(before[-1]["seq"] + 1, before[-1]["seq"] + 1 + len(sent)))

    after = history(app, c)
    assert [m["seq"] for m in after] == list(range(1, len(after) + 1))
    assert [brief(m) for m in after[-len(sent) :]] == [brief(m) for m in sent]
    assert [brief(m) for m in history(app, c, after_seq=before[-1]["seq"])] == [brief(m) for m in sent]
    assert pending(app) == [] or all(i["id"] != item["id"] for i in pending(app))
    assert [i["id"] for i in pending(app, status="approved")] == [item["id"]]
    last = audit(app, c.id)[-1]
    assert last["action"] == "review_approved" and last["actor"] == f"agent:{agent_id(app, reviewer)}"
    assert last["detail"] == {"review_id": item["id"], "edited": False}

    again = app.post(f"/v1/review/{item['id']}/approve", headers=ADMIN_AUTH)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert app.post(f"/v1/review/{item['id']}/reject", headers=ADMIN_AUTH).status_code == 409
    assert len(history(app, c)) == len(after)


def test_a_retried_send_returns_the_notice_not_the_held_reply(app: TestClient) -> None:
    c = Customer(app, pack=PACK, locale="en")
    first = c.send(QUESTION_EN, client_msg_id="retry-1")
    assert c.send(QUESTION_EN, client_msg_id="retry-1") == first
    assert len([i for i in pending(app) if i["conversation_id"] == c.id]) == 1


def test_live_feeds_see_the_hold_and_the_approved_reply(app: TestClient) -> None:
    with app.websocket_connect(f"/v1/agent/ws?token={ADMIN}") as agents:
        c = Customer(app, pack=PACK, locale="zh")
        c.send(QUESTION_ZH)
        held = _next(agents, lambda e: e.get("type") == "review")
        assert held == {"type": "review", "event": "held", "conversation_id": c.id, "pack": PACK}
        [item] = [i for i in pending(app) if i["conversation_id"] == c.id]
        with app.websocket_connect(f"/v1/conversations/{c.id}/ws?token={c.token}") as customer:
            assert app.post(f"/v1/review/{item['id']}/approve", headers=ADMIN_AUTH).status_code == 200
            pushed = _next(customer, lambda e: e.get("type") == "message")
            assert pushed["message"]["text"] == first_part(item) and pushed["message"]["role"] == "bot"
        decided = _next(agents, lambda e: e.get("type") == "review")
        assert decided["event"] == "approved" and decided["conversation_id"] == c.id


def _next(socket: Any, wanted: Any) -> dict[str, Any]:
    for _ in range(50):
        event = socket.receive_json()
        if wanted(event):
            return dict(event)
    raise AssertionError("event not pushed")


def test_an_edit_is_sent_instead_with_card_numbers_masked(app: TestClient) -> None:
    c, item = held_conversation(app, "zh")
    edited = "请提供订单号。退款将退回卡 4111 1111 1111 1111。"
    response = app.post(f"/v1/review/{item['id']}/approve", json={"text": edited}, headers=ADMIN_AUTH)
    assert response.status_code == 200, response.text
    [sent] = response.json()["messages"]
    assert "4111" not in sent["text"] and sent["text"].startswith("请提供订单号。") and sent["lang"] == "zh"
    assert response.json()["item"]["final_text"] == sent["text"]
    assert history(app, c)[-1]["text"] == sent["text"]
    assert audit(app, c.id)[-1]["detail"] == {"review_id": item["id"], "edited": True}


def test_reject_tells_the_customer_and_queues_a_human(app: TestClient) -> None:
    c, item = held_conversation(app)
    reviewer = agent_auth(app, "Rex")
    response = app.post(f"/v1/review/{item['id']}/reject", json={"reason": "off policy"}, headers=reviewer)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "waiting_human" and body["item"]["status"] == "rejected"
    [notice] = body["messages"]
    assert "human agent" in notice["text"] and notice["lang"] == "en"
    messages = history(app, c)
    assert not any(first_part(item) in m["text"] for m in messages) and messages[-1]["text"] == notice["text"]
    queue = app.get("/v1/agent/queue", headers=ADMIN_AUTH).json()
    [waiting] = [w for w in queue["waiting"] if w["conversation_id"] == c.id]
    assert waiting["reason"] == "policy" and waiting["priority"] == 0
    assert (
        waiting["summary"]["review_id"] == item["id"]
        and waiting["summary"]["last_message"] == item["customer_message"]
    )
    last = audit(app, c.id)[-1]
    assert last["action"] == "review_rejected" and last["detail"]["reason"] == "off policy"
    assert last["actor"] == f"agent:{agent_id(app, reviewer)}"
    assert app.post(f"/v1/review/{item['id']}/approve", headers=ADMIN_AUTH).status_code == 409


def test_review_needs_an_agent_or_admin_token(app: TestClient) -> None:
    c, item = held_conversation(app)
    for method, path in (
        ("GET", "/v1/review"),
        ("GET", f"/v1/review/{item['id']}"),
        ("POST", f"/v1/review/{item['id']}/approve"),
        ("POST", f"/v1/review/{item['id']}/reject"),
    ):
        for headers in ({}, {"Authorization": "Bearer nope"}, c.auth, {"Authorization": "Basic abc"}):
            response = app.request(method, path, headers=headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.json()["error"]["code"] == "unauthorized"
    other_pack = agent_auth(app, "Fiona", packs=["finance"])
    assert app.get("/v1/review", headers=other_pack).json()["items"] == []
    for action in ("approve", "reject"):
        assert app.post(f"/v1/review/{item['id']}/{action}", headers=other_pack).status_code == 403
    same_pack = agent_auth(app, "Pat", packs=[PACK])
    assert [i["id"] for i in app.get("/v1/review", headers=same_pack).json()["items"]] == [item["id"]]
    assert app.get(f"/v1/review/{item['id']}", headers=same_pack).json()["status"] == "pending"
    assert len(history(app, c)) == 3  # welcome, question, notice: the refused calls sent nothing
    assert pending(app)[0]["status"] == "pending"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/v1/review/999999/approve", None, 404),
        ("POST", "/v1/review/999999/reject", None, 404),
        ("GET", "/v1/review/999999", None, 404),
        ("POST", "/v1/review/0/approve", None, 422),
        ("POST", "/v1/review/abc/approve", None, 422),
        ("POST", "/v1/review/99999999999/approve", None, 422),
        ("POST", "/v1/review/{id}/approve", {"text": ""}, 422),
        ("POST", "/v1/review/{id}/approve", {"text": "   "}, 422),
        ("POST", "/v1/review/{id}/approve", {"text": 5}, 422),
        ("POST", "/v1/review/{id}/approve", {"text": "x" * 100_001}, 422),
        ("POST", "/v1/review/{id}/approve", {"text": "ok", "extra": 1}, 422),
        ("POST", "/v1/review/{id}/approve", {"text": "a\x00b"}, 422),
        ("POST", "/v1/review/{id}/approve", [1, 2], 422),
        ("POST", "/v1/review/{id}/reject", {"reason": "r" * 501}, 422),
        ("POST", "/v1/review/{id}/reject", {"reason": None, "x": 1}, 422),
        ("GET", "/v1/review?status=maybe", None, 422),
        ("GET", "/v1/review?pack=", None, 422),
    ],
)
def test_bad_requests_are_4xx_and_change_nothing(
    app: TestClient, method: str, path: str, body: Any, status: int
) -> None:
    c, item = held_conversation(app)
    before = history(app, c)
    response = app.request(method, path.replace("{id}", str(item["id"])), json=body, headers=ADMIN_AUTH)
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]
    assert history(app, c) == before
    assert [i["id"] for i in pending(app)] == [item["id"]]


def test_malformed_json_is_422(app: TestClient) -> None:
    _, item = held_conversation(app)
    response = app.post(
        f"/v1/review/{item['id']}/approve",
        content=b"{not json",
        headers={**ADMIN_AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert pending(app)[0]["status"] == "pending"


def test_approving_in_a_closed_conversation_is_refused_but_rejecting_records_it(app: TestClient) -> None:
    c, item = held_conversation(app)
    assert app.post(f"/v1/agent/conversations/{c.id}/close", headers=ADMIN_AUTH).status_code == 200
    assert app.post(f"/v1/review/{item['id']}/approve", headers=ADMIN_AUTH).status_code == 409
    rejected = app.post(f"/v1/review/{item['id']}/reject", headers=ADMIN_AUTH)
    assert rejected.status_code == 200 and rejected.json()["messages"] == []
    assert rejected.json()["status"] == "closed"


@pytest.fixture
def compliance_app(tmp_path: Path) -> Iterator[TestClient]:
    """The real app and retail pack, with a deployment sensitive-words file (``KEFU_SENSITIVE_WORDS_FILE``)
    naming words of the bot's own verification question: the compliance rail holds that reply."""
    words = tmp_path / "sensitive.txt"
    words.write_text("# held for review in this test\nverify you\n验证身份\n", encoding="utf-8")
    settings = make_settings(f"sqlite:///{tmp_path}/kefu.db", sensitive_words_file=str(words))
    seed_demo(settings)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize(
    ("lang", "word", "notice"), [("en", "verify you", "specialist"), ("zh", "验证身份", "专员")]
)
def test_the_compliance_rail_holds_a_reply_with_a_sensitive_word(
    compliance_app: TestClient, lang: str, word: str, notice: str
) -> None:
    app = compliance_app
    c = Customer(app, pack="retail", locale=lang)
    question = "where is my order?" if lang == "en" else "我的订单到哪了？"
    [told] = c.send(question)
    assert notice in told["text"] and word not in told["text"]
    [item] = pending(app)
    assert item["conversation_id"] == c.id and item["pack"] == "retail" and item["lang"] == lang
    assert word in item["text"] and item["customer_message"] == question
    assert item["risk"] >= 0.7 and any(f"sensitive_word:{word}" in r for r in item["reasons"])
    approved = app.post(f"/v1/review/{item['id']}/approve", headers=ADMIN_AUTH)
    assert approved.status_code == 200, approved.text
    messages = history(app, c)
    assert messages[-1]["text"] == item["text"] and messages[-1]["role"] == "bot"
    assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))
