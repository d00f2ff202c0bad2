"""One immutable Settings object, read from ``KEFU_*`` environment variables or ``kefu.toml``."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_DATABASE_URL = "sqlite:///./kefu.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KEFU_", frozen=True, toml_file="kefu.toml", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    secret_key: str | None = None
    admin_token: str | None = None
    default_pack: str = "retail"
    max_message_chars: int = Field(default=2000, ge=1)
    host: str = "127.0.0.1"
    port: int = 8000
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    # Optional LLM (issue #11, docs/llm.md): a model per use (unset = KEFU_LLM_MODEL), and its limits.
    llm_model_commands: str | None = None
    llm_model_answers: str | None = None
    llm_model_summaries: str | None = None
    llm_model_rewording: str | None = None
    llm_timeout_s: float = Field(default=20.0, gt=0)  # per read, the first token included
    llm_connect_timeout_s: float = Field(default=3.0, gt=0)
    llm_retries: int = Field(default=2, ge=0, le=10)
    llm_retry_window_s: float = Field(default=5.0, ge=0)  # no retry starts later after the first try
    llm_max_concurrency: int = Field(default=256, ge=1)  # calls (and, separately, streams) in flight
    llm_conversation_tokens: int = Field(default=50_000, ge=0)  # a conversation's token budget; 0 = none
    llm_breaker_failures: int = Field(default=5, ge=1)  # consecutive failures that open the breaker
    llm_breaker_reset_s: float = Field(default=30.0, gt=0)
    llm_json_schema: bool = True  # ask for JSON-schema structured output (dropped by itself on a 400)
    llm_commands: str = Field(default="fallback", pattern="^(fallback|off)$")  # model only when unsure
    turn_timeout_s: float = 30.0
    # Scale-out (issue #17, docs/operations.md): the Redis turn lock's lease, renewed four times per lease
    # while a turn runs; HTTP requests one worker serves at once before it answers 503 + Retry-After.
    lock_lease_ms: int = Field(default=4000, ge=300, le=60_000)
    max_inflight: int = Field(default=256, ge=0)  # 0 = no limit
    timezone: str = "Asia/Shanghai"
    support_hours: str | None = None
    knowledge_dir: str | None = None  # cache of built search indexes; default beside the SQLite file
    retention_days: int | None = Field(default=None, ge=1)  # purge conversations idle this long; unset = keep
    retired_secret_keys: str | None = None  # comma-separated older KEFU_SECRET_KEYs, still able to decrypt
    review_threshold: float = Field(default=0.7, ge=0.0, le=1.0)  # outgoing risk at or above → held
    sensitive_words_file: str | None = None  # extra words (one per line) the compliance rail holds
    emergency_ambulance_zh: str = "120"
    emergency_police_zh: str = "110"
    emergency_ambulance_en: str = "911"  # 999 in the UK, 112 in the EU
    emergency_police_en: str = "911"
    emergency_crisis_zh: str = "12356"
    emergency_crisis_en: str = "988"  # "09:00-21:00" local; outside them handoffs become tickets
    # Abuse limits (issue #16, docs/security.md): "COUNT/SECONDS", "0/1" switches one off.
    rate_conversations_per_ip: str = "30/60"
    rate_conversations_per_customer: str = "20/3600"
    rate_messages_per_conversation: str = "120/60"
    rate_requests_per_ip: str = "600/60"
    rate_staff_auth_failures_per_ip: str = "20/300"
    ws_max_per_conversation: int = Field(default=5, ge=1)
    ws_frames_per_second: int = Field(default=5, ge=1)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)  # JSON bodies
    max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)  # knowledge uploads
    ws_ticket_ttl_s: int = Field(default=30, ge=1, le=600)
    frame_ancestors: str = "*"  # CSP frame-ancestors of the chat page: the sites that embed the widget
    header_timeout_s: float = Field(default=10.0, gt=0)  # `kefu serve`: request line + headers
    body_timeout_s: float = Field(default=60.0, gt=0)  # `kefu serve`: the whole body after the headers
    max_connections: int = Field(default=900, ge=10)  # `kefu serve`: open sockets before slow ones go
    keep_alive_s: int = Field(default=5, ge=1)
    verification_free_attempts: int = Field(default=3, ge=1)
    verification_lockout_after: int = Field(default=8, ge=2)
    verification_lockout_s: int = Field(default=900, ge=1)

    @field_validator(
        "rate_conversations_per_ip",
        "rate_conversations_per_customer",
        "rate_messages_per_conversation",
        "rate_requests_per_ip",
        "rate_staff_auth_failures_per_ip",
    )
    @classmethod
    def _valid_limit(cls, value: str) -> str:
        from kefu.guard.rate_limits import Limit

        Limit.parse("limit", value)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)") from exc
        return value

    @field_validator("support_hours")
    @classmethod
    def _valid_hours(cls, value: str | None) -> str | None:
        from kefu.handoff.triggers import parse_support_hours

        parse_support_hours(value)
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def secret_file_for(database_url: str) -> Path:
    """Where a generated secret lives: beside a SQLite file, else in the working directory."""
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        return Path(database_url.removeprefix("sqlite:///")).resolve().parent / ".kefu_secret"
    return Path(".kefu_secret").resolve()


def with_secrets(settings: Settings, announce: Any = None) -> Settings:
    """Fill in ``secret_key`` and ``admin_token`` when unset: generated once and kept in a file."""
    if settings.secret_key and settings.admin_token:
        return settings
    path = secret_file_for(settings.database_url)
    stored: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if value:
                stored[key.strip()] = value.strip()
    created = False
    if "secret_key" not in stored:
        stored["secret_key"] = secrets.token_urlsafe(32)
        created = True
    if "admin_token" not in stored:
        stored["admin_token"] = secrets.token_urlsafe(24)
        created = True
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{k}={v}\n" for k, v in stored.items()), encoding="utf-8")
        path.chmod(0o600)
        if announce is not None:
            announce(f"kefu: generated a secret key and an admin token in {path}")
            if not settings.admin_token:
                announce(f"kefu: admin bearer token: {stored['admin_token']}")
    return settings.model_copy(
        update={
            "secret_key": settings.secret_key or stored["secret_key"],
            "admin_token": settings.admin_token or stored["admin_token"],
        }
    )
