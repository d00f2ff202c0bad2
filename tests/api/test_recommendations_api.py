"""``GET /v1/recommendations`` over the demo shop: reasons from the customer's history, popular
products for a new customer, admin only, bad input refused with a message."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kefu.app import create_app
from kefu.demo import seed_demo
from kefu_test_support import ADMIN, make_settings


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    settings = make_settings(sqlite_url)
    seed_demo(settings)
    with TestClient(create_app(settings)) as found:
        yield found


def _customer(client: TestClient) -> str:
    shop: Any = client.app.state.retail_shop  # type: ignore[attr-defined]
    return str(next(uid for uid, u in shop.snapshot().users.items() if u["orders"]))


def test_recommendations_for_a_customer_and_a_new_one(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {ADMIN}"}
    user = _customer(client)
    found = client.get("/v1/recommendations", params={"customer": user, "k": 3, "lang": "zh"}, headers=auth)
    assert found.status_code == 200, found.text
    recs = found.json()["recommendations"]
    assert len(recs) == 3 and all(r["reason"] for r in recs)
    new = client.get("/v1/recommendations", params={"customer": "nobody"}, headers=auth).json()
    assert {r["kind"] for r in new["recommendations"]} == {"popular"}


def test_recommendations_need_an_admin_and_good_input(client: TestClient) -> None:
    assert client.get("/v1/recommendations", params={"customer": "x"}).status_code == 401
    auth = {"Authorization": f"Bearer {ADMIN}"}
    bad = client.get("/v1/recommendations", params={"customer": "x", "k": 0}, headers=auth)
    assert 400 <= bad.status_code < 500
