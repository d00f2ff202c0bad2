"""One scripted OpenAI-compatible server (a real local HTTP server) per module, reset for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kefu.llm.openai_compat import Endpoint, OpenAICompatModel
from kefu.llm.resilience import Backoff
from kefu.llm.resilient import Policy, ResilientModel
from kefu.testing.openai_server import ScriptedChatServer


@pytest.fixture(scope="module")
def running_server() -> Iterator[ScriptedChatServer]:
    with ScriptedChatServer() as server:
        yield server


@pytest.fixture
def server(running_server: ScriptedChatServer) -> ScriptedChatServer:
    running_server.reset()
    return running_server


@pytest.fixture
def raw_model(server: ScriptedChatServer) -> Iterator[OpenAICompatModel]:
    model = OpenAICompatModel(Endpoint(server.url, "scripted", timeout_s=0.5, connect_timeout_s=0.5))
    yield model
    model.close()


@pytest.fixture
def model(raw_model: OpenAICompatModel) -> ResilientModel:
    """The adapter as app.py builds it: retries (fast back-off), breaker, budget."""
    policy = Policy(retries=1, backoff=Backoff(0.01, 0.02), breaker_failures=3, breaker_reset_s=60)
    return ResilientModel(raw_model, policy)
