"""The one error hierarchy of kefu. Mapped to HTTP status codes only in ``kefu.api``."""

from __future__ import annotations


class KefuError(Exception):
    """Base of every error kefu raises on purpose. ``code`` is stable and machine-readable."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(KefuError):
    code = "invalid_input"


class NotFound(KefuError):
    code = "not_found"


class Conflict(KefuError):
    code = "conflict"


class Unauthorized(KefuError):
    code = "unauthorized"


class Forbidden(KefuError):
    code = "forbidden"


class GuardrailTripped(KefuError):
    code = "guardrail_tripped"


class ToolError(KefuError):
    """A business-system call failed or was refused. ``user_message`` may be shown to the customer."""

    code = "tool_error"

    def __init__(self, user_message: str, detail: str = "") -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.detail = detail


class StoreUnavailable(KefuError):
    code = "store_unavailable"
