"""Access control across every staff endpoint: 401 without a valid staff token, 403 for the wrong role;
customers reach only their own conversation; agent tokens are stored only as hashes."""

from __future__ import annotations

import hashlib
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import MetaData

from customer_client import Customer
from kefu.store.sql.database import make_engine
from kefu.store.sql.schema import AgentRow
from kefu_test_support import ADMIN

STAFF_PREFIXES = ("/v1/agent", "/v1/review", "/v1/audit", "/v1/customers", "/v1/analytics", "/v1/knowledge")
ADMIN_ONLY = ("/v1/audit", "/v1/customers", "/v1/analytics")


def agent_auth(client: TestClient, name: str, role: str = "agent") -> dict[str, str]:
    _, token = client.app.state.services.handoffs.add_agent(name, role=role)  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}"}


def staff_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every HTTP operation under the staff prefixes, as published in the OpenAPI document."""
    paths = client.get("/openapi.json").json()["paths"]
    routes = [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in paths.items()
        if path.startswith(STAFF_PREFIXES)
        for method in operations
    ]
    assert len(routes) >= 15  # agent desk, review, analytics, audit, erasure
    return routes


def test_every_staff_endpoint_wants_a_staff_token(demo_app: TestClient) -> None:
    customer = Customer(demo_app)
    for method, path in staff_routes(demo_app):
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic YTpi"}, customer.auth):
            response = demo_app.request(method, path, headers=headers, json={})
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.headers["www-authenticate"] == "Bearer"
            assert response.json()["error"]["code"] == "unauthorized"


def test_admin_endpoints_refuse_agents(demo_app: TestClient) -> None:
    agent = agent_auth(demo_app, "Ann")
    for method, path in staff_routes(demo_app):
        if path.startswith(ADMIN_ONLY):
            response = demo_app.request(method, path, headers=agent)
            assert response.status_code == 403, (method, path, response.text)


def test_a_customer_token_opens_only_its_own_conversation(demo_app: TestClient) -> None:
    mine, theirs = Customer(demo_app), Customer(demo_app)
    base = f"/v1/conversations/{theirs.id}"
    assert demo_app.get(f"{base}/messages", headers=mine.auth).status_code == 403
    assert demo_app.post(f"{base}/messages", json={"text": "hi"}, headers=mine.auth).status_code == 403
    assert demo_app.post(f"{base}/feedback", json={"csat": 1}, headers=mine.auth).status_code == 403
    assert demo_app.get(f"{base}/messages", headers=theirs.auth).status_code == 200


@pytest.mark.parametrize("role", ["agent", "admin"])
def test_agent_tokens_are_stored_only_as_hashes(demo_app: TestClient, sqlite_url: str, role: str) -> None:
    headers = agent_auth(demo_app, f"Zed-{role}", role=role)
    token = headers["Authorization"].removeprefix("Bearer ")
    engine = make_engine(sqlite_url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        stored = repr(connection.execute(AgentRow.__table__.select()).all())
        everything = repr([connection.execute(t.select()).all() for t in metadata.sorted_tables])
    engine.dispose()
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert token not in everything and ADMIN not in everything  # the admin token stays in the settings
    assert demo_app.get("/v1/agent/me", headers=headers).json()["role"] == role
