"""Schemathesis over /openapi.json (a bounded number of examples per operation): no input gives a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from kefu.app import create_app
from kefu.demo import seed_demo
from kefu_test_support import ADMIN, make_settings

_DB = Path(tempfile.mkdtemp(prefix="kefu-fuzz-")) / "kefu.db"
_SETTINGS = make_settings(f"sqlite:///{_DB}")
seed_demo(_SETTINGS)
APP = create_app(_SETTINGS)
with TestClient(APP) as _client:
    _created = _client.post("/v1/conversations", json={"pack": "retail", "locale": "en"}).json()
CONVERSATION: str = _created["id"]
TOKEN: str = _created["token"]

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.generation.update(modes=list(schemathesis.GenerationMode))  # valid and invalid inputs


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_as_anonymous(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_on_a_real_conversation(case: Any) -> None:
    if case.path_parameters and "conversation_id" in case.path_parameters:
        case.path_parameters["conversation_id"] = CONVERSATION
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, (case.method, case.path, response.text)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_as_admin(case: Any) -> None:
    response = case.call(headers={"Authorization": f"Bearer {ADMIN}"})
    assert response.status_code < 500, (case.method, case.path, response.text)
