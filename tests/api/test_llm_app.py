"""app.py and the optional LLM: nothing without KEFU_LLM_BASE_URL; with it, packs get a resilient
OpenAI-compatible model as ``systems["llm"]``, per-use model names honoured, and kefu still answers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from kefu.app import create_app
from kefu.config import Settings
from kefu.llm.resilient import ResilientModel
from kefu.llm.types import ChatMessage, ChatRequest
from kefu.testing.openai_server import ScriptedChatServer
from kefu_test_support import make_settings


def systems(app: Any) -> dict[str, Any]:
    return app.state.services.conversations._pack.environment.systems  # type: ignore[no-any-return]


def test_without_a_base_url_there_is_no_model(sqlite_url: str) -> None:
    assert "llm" not in systems(create_app(make_settings(sqlite_url)))


def test_with_a_base_url_packs_get_the_model_and_kefu_still_answers(sqlite_url: str) -> None:
    with ScriptedChatServer(["Hello from the model."]) as server:
        settings = make_settings(
            sqlite_url, llm_base_url=server.url, llm_model="qwen2.5:7b", llm_model_answers="qwen2.5:3b"
        )
        app = create_app(settings)
        model = systems(app)["llm"]
        assert isinstance(model, ResilientModel)
        reply = model.complete(ChatRequest((ChatMessage("user", "hi"),), use="answers"))
        assert reply.text == "Hello from the model."
        assert server.requests[0]["model"] == "qwen2.5:3b"
        with TestClient(app) as client:
            created = client.post("/v1/conversations", json={"pack": "retail", "locale": "en"})
            assert created.status_code == 201
            token = created.json()["token"]
            sent = client.post(
                f"/v1/conversations/{created.json()['id']}/messages",
                json={"text": "hello"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert sent.status_code == 200 and sent.json()["messages"]


def test_llm_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("KEFU_LLM_MODEL_COMMANDS", "qwen2.5:7b-instruct-q4_K_M")
    monkeypatch.setenv("KEFU_LLM_CONVERSATION_TOKENS", "0")
    settings = Settings()
    assert settings.llm_base_url == "http://127.0.0.1:11434/v1"
    assert settings.llm_model_commands == "qwen2.5:7b-instruct-q4_K_M"
    assert settings.llm_conversation_tokens == 0


@pytest.mark.parametrize(
    "override", [{"llm_commands": "sometimes"}, {"llm_timeout_s": 0}, {"llm_max_concurrency": 0}]
)
def test_bad_llm_settings_are_refused_clearly(override: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="llm_"):
        Settings(**override)
