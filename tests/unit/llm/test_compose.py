"""deploy/compose/llm.yaml: kefu points at the model service it starts, and nothing publishes the model."""

from __future__ import annotations

from pathlib import Path

import yaml

from kefu.config import Settings

COMPOSE = Path(__file__).resolve().parents[3] / "deploy" / "compose" / "llm.yaml"


def test_kefu_is_wired_to_the_model_service() -> None:
    spec = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    services = spec["services"]
    assert {"kefu", "ollama", "vllm"} <= set(services)
    env = services["kefu"]["environment"]
    assert "http://ollama:11434/v1" in env["KEFU_LLM_BASE_URL"]
    assert "ports" not in services["ollama"] and "ports" not in services["vllm"]
    assert services["vllm"]["profiles"] == ["vllm"]
    settings = Settings(**{k.removeprefix("KEFU_").lower(): v for k, v in env.items() if "${" not in v})
    assert settings.llm_timeout_s == 30 and settings.llm_max_concurrency == 8
