"""Building the model from settings: ``None`` when ``KEFU_LLM_BASE_URL`` is unset (kefu without an LLM,
the default); else the OpenAI-compatible adapter behind ``ResilientModel``. Only ``app.py`` calls this."""

from __future__ import annotations

from kefu.config import Settings
from kefu.llm.openai_compat import Endpoint, OpenAICompatModel
from kefu.llm.resilience import Backoff
from kefu.llm.resilient import Policy, ResilientModel

USES = ("commands", "answers", "summaries", "rewording")


def endpoint_from(settings: Settings) -> Endpoint | None:
    if not settings.llm_base_url:
        return None
    overrides = {use: getattr(settings, f"llm_model_{use}") for use in USES}
    return Endpoint(
        base_url=settings.llm_base_url,
        model=settings.llm_model or "default",
        api_key=settings.llm_api_key,
        models={use: name for use, name in overrides.items() if name},
        timeout_s=settings.llm_timeout_s,
        connect_timeout_s=settings.llm_connect_timeout_s,
        json_schema=settings.llm_json_schema,
        max_connections=settings.llm_max_concurrency,
    )


def policy_from(settings: Settings) -> Policy:
    return Policy(
        retries=settings.llm_retries,
        backoff=Backoff(),
        max_concurrency=settings.llm_max_concurrency,
        conversation_tokens=settings.llm_conversation_tokens,
        breaker_failures=settings.llm_breaker_failures,
        breaker_reset_s=settings.llm_breaker_reset_s,
        retry_window_s=settings.llm_retry_window_s,
    )


def build_chat_model(settings: Settings) -> ResilientModel | None:
    endpoint = endpoint_from(settings)
    if endpoint is None:
        return None
    return ResilientModel(OpenAICompatModel(endpoint), policy_from(settings))
