"""Keep bearer tokens, socket tickets and JWTs out of every log line (uvicorn's access and WebSocket
lines record URLs, and old clients put ``?token=`` in them)."""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_PATTERNS = (
    re.compile(r"(?i)((?:[?&]|%3F|%26)(?:token|ticket|access_token|customer_token)(?:=|%3D))[^&\s\"']+"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=\-]+"),
    re.compile(r"()\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+"),  # any JWT
    re.compile(r"()\bka_[A-Za-z0-9_\-]{16,}"),  # agent tokens
)
LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn", "kefu", "")


def scrub(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class TokenScrubber(logging.Filter):
    """Rewrites a record's message and arguments in place; never drops a record."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if len(s) >= 8)

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return scrub(text)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self._clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self._clean(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


def install_log_scrubbing(secrets: tuple[str, ...] = ()) -> None:
    """Put one scrubber on kefu's and uvicorn's loggers, and on the root logger's handlers (idempotent:
    a new app replaces the previous scrubber, so the admin token it knows is the current one)."""
    scrubber = TokenScrubber(secrets)
    targets: list[logging.Filterer] = [logging.getLogger(name) for name in LOGGERS]
    targets += list(logging.getLogger().handlers)
    for target in targets:
        for old in [f for f in target.filters if isinstance(f, TokenScrubber)]:
            target.removeFilter(old)
        target.addFilter(scrubber)
