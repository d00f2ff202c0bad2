"""Knowledge endpoints over the real app: admins add, list and delete documents; agents search."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from fpdf import FPDF

from kefu.app import create_app
from kefu_test_support import ADMIN, make_settings

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}
POLICY = """# Returns policy

## Refund timing

Refunds reach the original card within 5 business days after the warehouse receives the item.

## Return shipping

Return shipping is free for defective items; otherwise a 10 yuan fee is deducted.
"""


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(sqlite_url))) as test_client:
        yield test_client


def _agent_token(client: TestClient) -> str:
    store = client.app.state.services.handoffs  # type: ignore[attr-defined]
    _, token = store.add_agent("Li", role="agent")
    token_text: str = token
    return token_text


def test_add_search_replace_and_delete(client: TestClient) -> None:
    body = {"pack": "shop1", "source": "policy.md", "content": POLICY, "format": "md"}
    added = client.post("/v1/knowledge/documents", json=body, headers=ADMIN_AUTH)
    assert added.status_code == 201, added.text
    document = added.json()["documents"][0]
    assert document["chunks"] == 2 and document["changed"] is True and document["title"] == "Returns policy"

    again = client.post("/v1/knowledge/documents", json=body, headers=ADMIN_AUTH)
    assert again.json()["documents"][0]["changed"] is False

    found = client.get(
        "/v1/knowledge/search", params={"pack": "shop1", "q": "退款多久到账？"}, headers=ADMIN_AUTH
    )
    assert found.status_code == 200, found.text
    best = found.json()["hits"][0]
    assert best["title"] == "Returns policy › Refund timing"
    assert best["anchor"] == "refund-timing" and best["source"] == "policy.md"
    assert 0.0 <= best["confidence"] <= 1.0

    changed = {**body, "content": POLICY.replace("5 business days", "3 business days")}
    client.post("/v1/knowledge/documents", json=changed, headers=ADMIN_AUTH)
    refreshed = client.get(
        "/v1/knowledge/search", params={"pack": "shop1", "q": "refund days"}, headers=ADMIN_AUTH
    )
    assert "3 business days" in refreshed.json()["hits"][0]["text"]

    other = client.get("/v1/knowledge/search", params={"pack": "shop2", "q": "refund"}, headers=ADMIN_AUTH)
    assert other.json()["hits"] == []

    listed = client.get("/v1/knowledge/documents", params={"pack": "shop1"}, headers=ADMIN_AUTH).json()
    assert [d["source"] for d in listed["documents"]] == ["policy.md"]
    deleted = client.delete(f"/v1/knowledge/documents/{document['id']}", headers=ADMIN_AUTH)
    assert deleted.status_code == 200
    gone = client.get("/v1/knowledge/search", params={"pack": "shop1", "q": "refund"}, headers=ADMIN_AUTH)
    assert gone.json()["hits"] == []
    assert client.delete(f"/v1/knowledge/documents/{document['id']}", headers=ADMIN_AUTH).status_code == 404


def test_faq_and_pdf_uploads(client: TestClient) -> None:
    faq = (
        '{"question": "营业时间？", "answer": "每天 9:00-21:00。"}\n'
        '{"question": "Do you ship abroad?", "answer": "Yes, to 20 countries."}\n'
    )
    added = client.post(
        "/v1/knowledge/documents",
        json={"pack": "p", "source": "faq.jsonl", "content": faq, "format": "faq_jsonl"},
        headers=ADMIN_AUTH,
    )
    assert added.status_code == 201 and added.json()["documents"][0]["chunks"] == 2
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "Warranty: every appliance has a two year warranty covering manufacturing defects.")
    encoded = base64.b64encode(bytes(pdf.output())).decode()
    uploaded = client.post(
        "/v1/knowledge/documents",
        json={"pack": "p", "source": "warranty.pdf", "content_base64": encoded, "format": "pdf"},
        headers=ADMIN_AUTH,
    )
    assert uploaded.status_code == 201, uploaded.text
    hits = client.get(
        "/v1/knowledge/search", params={"pack": "p", "q": "保修多久"}, headers=ADMIN_AUTH
    ).json()["hits"]
    assert hits[0]["source"] == "warranty.pdf" and hits[0]["anchor"] == "page=1"


@pytest.mark.parametrize(
    "body",
    [
        {"pack": "p", "source": "a.md", "content": "   ", "format": "md"},
        {"pack": "p", "source": "a.md", "format": "md"},
        {"pack": "p", "source": "a.pdf", "content_base64": "bm90IGEgcGRm", "format": "pdf"},
        {"pack": "p", "source": "a.pdf", "content_base64": "***", "format": "pdf"},
        {"pack": "p", "source": "a.jsonl", "content": "{oops", "format": "jsonl"},
        {"pack": "bad pack!", "source": "a.md", "content": "x", "format": "md"},
        {"pack": "p", "source": "a.doc", "content": "x", "format": "doc"},
    ],
)
def test_bad_documents_are_4xx_and_store_nothing(client: TestClient, body: dict[str, str]) -> None:
    response = client.post("/v1/knowledge/documents", json=body, headers=ADMIN_AUTH)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error"]["message"]
    listed = client.get("/v1/knowledge/documents", params={"pack": "p"}, headers=ADMIN_AUTH)
    assert listed.json()["documents"] == []


def test_authentication_and_roles(client: TestClient) -> None:
    body = {"pack": "p", "source": "a.md", "content": "# A\n\nText.", "format": "md"}
    assert client.post("/v1/knowledge/documents", json=body).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert (
        client.get("/v1/knowledge/search", params={"pack": "p", "q": "x"}, headers=wrong).status_code == 401
    )
    agent = {"Authorization": f"Bearer {_agent_token(client)}"}
    assert client.post("/v1/knowledge/documents", json=body, headers=agent).status_code == 403
    assert client.get("/v1/knowledge/documents", params={"pack": "p"}, headers=agent).status_code == 403
    assert (
        client.get("/v1/knowledge/search", params={"pack": "p", "q": "text"}, headers=agent).status_code
        == 200
    )
    bad_k = client.get("/v1/knowledge/search", params={"pack": "p", "q": "x", "k": 0}, headers=agent)
    assert bad_k.status_code == 422


def test_multipart_upload_of_a_pdf_and_a_gb18030_text_file(client: TestClient) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "Opening hours: our stores open from 9 am to 9 pm every day, holidays included.")
    uploaded = client.post(
        "/v1/knowledge/documents/upload",
        data={"pack": "up"},
        files={"file": ("hours.pdf", bytes(pdf.output()), "application/pdf")},
        headers=ADMIN_AUTH,
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["documents"][0]["source"] == "hours.pdf"
    text = "退货政策\n\n收到商品后七天内可以无理由退货，退款三个工作日内原路退回。".encode("gb18030")
    second = client.post(
        "/v1/knowledge/documents/upload",
        data={"pack": "up", "source": "returns-zh"},
        files={"file": ("returns.txt", text, "text/plain")},
        headers=ADMIN_AUTH,
    )
    assert second.status_code == 201, second.text
    hits = client.get(
        "/v1/knowledge/search", params={"pack": "up", "q": "退款多久到账"}, headers=ADMIN_AUTH
    ).json()["hits"]
    assert hits[0]["source"] == "returns-zh"


def test_bad_uploads_are_4xx_and_store_nothing(client: TestClient) -> None:
    agent = {"Authorization": f"Bearer {_agent_token(client)}"}
    files = {"file": ("a.md", b"# Title\n\nbody text", "text/markdown")}
    assert client.post("/v1/knowledge/documents/upload", data={"pack": "up"}, files=files).status_code == 401
    assert (
        client.post("/v1/knowledge/documents/upload", data={"pack": "up"}, files=files, headers=agent)
    ).status_code == 403
    for data, upload in (
        ({"pack": "up"}, ("broken.pdf", b"not a pdf", "application/pdf")),
        ({"pack": "up"}, ("empty.md", b"", "text/markdown")),
        ({"pack": "up"}, ("notes.doc", b"hello", "application/msword")),
        ({"pack": "bad pack!"}, ("a.md", b"# T\n\nbody", "text/markdown")),
    ):
        response = client.post(
            "/v1/knowledge/documents/upload", data=data, files={"file": upload}, headers=ADMIN_AUTH
        )
        assert 400 <= response.status_code < 500, (upload[0], response.text)
        assert "error" in response.json()
    assert (
        client.post("/v1/knowledge/documents/upload", data={"pack": "up"}, headers=ADMIN_AUTH).status_code
        == 422
    )
    listed = client.get("/v1/knowledge/documents", params={"pack": "up"}, headers=ADMIN_AUTH).json()
    assert listed["documents"] == []
