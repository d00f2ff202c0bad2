"""Tool specs and the executor that applies the tool rails of DESIGN.md §1 to every call:
schema check, authorization from the *verified* customer id (never from model or user text),
confirmation before side effects, and an idempotency key handed to the business system."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from kefu.domain.errors import KefuError, ToolError
from kefu.guard.pii import mask_json

REDACTED = "[REDACTED]"

Params = TypeVar("Params", bound=BaseModel)


@dataclass(frozen=True)
class ToolCall:
    """What the executor, not the caller's arguments, says about a call."""

    customer_id: str | None
    idempotency_key: str
    confirmed: bool


@dataclass(frozen=True)
class ToolSpec(Generic[Params]):
    name: str
    description: str
    params: type[Params]
    handler: Callable[[ToolCall, Params], dict[str, Any]]
    side_effect: bool = False
    requires_customer: bool = True
    personal: frozenset[str] = frozenset()  # arguments holding personal data, never stored as given

    def json_schema(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "parameters": self.params.model_json_schema(),
        }


@dataclass(frozen=True)
class ToolResult:
    name: str
    arguments: dict[str, Any]
    output: dict[str, Any]
    personal: frozenset[str] = frozenset()

    def event(self) -> dict[str, Any]:
        """What is stored (tool event, audit record): the arguments the spec marks personal are
        replaced, and any PII left in the others is masked."""
        stored = {
            key: (REDACTED if key in self.personal and value else mask_json(value))
            for key, value in self.arguments.items()
        }
        return {"tool": self.name, "arguments": stored, "ok": True}


class ToolRegistry:
    def __init__(self) -> None:
        self._specs: dict[str, ToolSpec[Any]] = {}

    def register(self, spec: ToolSpec[Any]) -> None:
        if spec.name in self._specs:
            raise ValueError(f"tool {spec.name!r} is registered twice")
        self._specs[spec.name] = spec

    def names(self) -> list[str]:
        return sorted(self._specs)

    def schemas(self) -> list[dict[str, Any]]:
        return [spec.json_schema() for spec in self._specs.values()]

    def call(
        self,
        name: str,
        arguments: dict[str, Any],
        *,
        customer_id: str | None,
        idempotency_key: str,
        confirmed: bool = False,
    ) -> ToolResult:
        spec = self._specs.get(name)
        if spec is None:
            raise ToolError("unknown_tool", f"no tool named {name!r}")
        try:
            params = spec.params.model_validate(arguments)
        except ValidationError as exc:
            raise ToolError("invalid_arguments", f"{name}: {exc.errors(include_url=False)}") from exc
        if spec.requires_customer and not customer_id:
            raise ToolError("not_verified", f"{name} needs a verified customer")
        if spec.side_effect and not confirmed:
            raise ToolError("confirmation_required", f"{name} changes business data and needs confirmation")
        call = ToolCall(
            customer_id=customer_id, idempotency_key=f"{idempotency_key}:{name}", confirmed=confirmed
        )
        try:
            output = spec.handler(call, params)
        except ToolError:
            raise
        except KefuError as exc:
            raise ToolError(exc.code, exc.message) from exc
        return ToolResult(name=name, arguments=params.model_dump(), output=output, personal=spec.personal)
