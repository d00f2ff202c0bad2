"""Optional: the adapter against a real OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp, hosted).
Set KEFU_LLM_TEST_BASE_URL (and KEFU_LLM_TEST_MODEL, KEFU_LLM_TEST_API_KEY); skipped otherwise."""

from __future__ import annotations

import os

import anyio
import pytest

from kefu.llm.openai_compat import Endpoint, OpenAICompatModel
from kefu.llm.rewording import Rewording
from kefu.llm.types import ChatMessage, ChatRequest

BASE_URL = os.environ.get("KEFU_LLM_TEST_BASE_URL")
pytestmark = pytest.mark.skipif(
    not BASE_URL, reason="KEFU_LLM_TEST_BASE_URL is not set (no real model endpoint)"
)


@pytest.fixture
def real_model() -> OpenAICompatModel:
    assert BASE_URL
    endpoint = Endpoint(
        BASE_URL,
        os.environ.get("KEFU_LLM_TEST_MODEL", "qwen2.5:0.5b"),
        api_key=os.environ.get("KEFU_LLM_TEST_API_KEY"),
        timeout_s=120,
    )
    return OpenAICompatModel(endpoint)


def test_a_real_reply_and_stream(real_model: OpenAICompatModel) -> None:
    request = ChatRequest((ChatMessage("user", "Reply with the single word: ready"),), max_tokens=10)
    assert real_model.complete(request).text.strip()

    async def run() -> str:
        return "".join([d.text async for d in real_model.stream(request)])

    assert anyio.run(run).strip()


def test_real_rewording_keeps_the_facts_or_the_template(real_model: OpenAICompatModel) -> None:
    template = "Refund of $129.99 for order #W2378156 issued."
    result = Rewording(real_model).reword(template, "en")
    assert result.text == template or ("129.99" in result.text and "W2378156" in result.text)
