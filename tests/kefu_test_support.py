"""Constants and helpers shared by the test modules (import this, not conftest)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kefu.config import Settings

ROOT = Path(__file__).resolve().parents[1]
TAU_RETAIL = Path(os.environ.get("KEFU_TAU_RETAIL_DIR", ROOT.parent / "shared" / "data" / "tau_bench_retail"))
PG_ADMIN_URL = os.environ.get("KEFU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SECRET = "test-secret-key-of-at-least-32-bytes!!"
ADMIN = "test-admin-token"


# Every test request comes from one client address, so the per-IP and per-customer limits are off in
# tests unless a test sets them (tests/api/test_security_*.py do); the other limits keep their defaults.
RELAXED_LIMITS = {
    "rate_conversations_per_ip": "0/1",
    "rate_conversations_per_customer": "0/1",
    "rate_requests_per_ip": "0/1",
    "rate_staff_auth_failures_per_ip": "0/1",
}


def make_settings(database_url: str, **overrides: Any) -> Settings:
    overrides = {**RELAXED_LIMITS, **overrides}
    return Settings(database_url=database_url, secret_key=SECRET, admin_token=ADMIN, **overrides)
