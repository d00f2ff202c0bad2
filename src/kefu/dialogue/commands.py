"""The command schema: what understanding (a deterministic generator, or an LLM's) may ask the flow
engine to do. Commands are data; the flow engine validates and executes them. Business logic is never
in a generator.

One customer message may yield several commands ("cancel #W1 and tell me where #W2 is" → two
``StartFlow``). Every command is JSON-serialisable (``to_json`` / ``command_from_json``) and the whole
schema is described by ``COMMAND_JSON_SCHEMA`` so that a generator behind an HTTP model can be asked for
it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class StartFlow:
    """Begin (or queue, if one is active) the flow ``flow``; ``hint`` is the part of the message that
    asked for it, so its slots can be read from that part only. ``queued``: do it after the active
    request even when that is the same flow (the same action on another order)."""

    flow: str
    hint: str = ""
    queued: bool = False
    kind: Literal["start_flow"] = "start_flow"


@dataclass(frozen=True)
class SetSlot:
    """Fill a slot of the active flow. ``value`` is already grounded (an order id, item ids, a variant
    id, an address record …); ``correction`` replaces a value the customer gave earlier."""

    slot: str
    value: Any
    correction: bool = False
    kind: Literal["set_slot"] = "set_slot"


@dataclass(frozen=True)
class Clarify:
    """The generator found several candidates for ``slot``; the engine asks with the details that tell
    them apart. ``candidates`` are grounded values."""

    slot: str
    candidates: tuple[Any, ...] = ()
    kind: Literal["clarify"] = "clarify"


@dataclass(frozen=True)
class AnswerQuestion:
    """A question to answer from knowledge or the business system, after which the flow resumes."""

    topic: str  # "knowledge" | "product" | "order_info" | a pack's own topic
    query: str = ""
    kind: Literal["answer_question"] = "answer_question"


@dataclass(frozen=True)
class Confirm:
    kind: Literal["confirm"] = "confirm"


@dataclass(frozen=True)
class Deny:
    kind: Literal["deny"] = "deny"


@dataclass(frozen=True)
class EditPending:
    """At the confirmation step, change an argument of the pending action ("refund it to my card
    instead", "only the lamp")."""

    slot: str
    value: Any
    kind: Literal["edit_pending"] = "edit_pending"


@dataclass(frozen=True)
class CancelFlow:
    kind: Literal["cancel_flow"] = "cancel_flow"


@dataclass(frozen=True)
class HandOff:
    reason: str = "customer_request"
    kind: Literal["hand_off"] = "hand_off"


@dataclass(frozen=True)
class ChitChat:
    """Greeting, thanks, goodbye and other small talk; ``act`` names which."""

    act: str = "greeting"
    kind: Literal["chit_chat"] = "chit_chat"


@dataclass(frozen=True)
class ProvideIdentity:
    """Identity facts the customer gave (email, name, zip, phone, date of birth …), for the pack's
    verification strategy; never trusted as verified by themselves."""

    facts: dict[str, str] = field(default_factory=dict)
    kind: Literal["provide_identity"] = "provide_identity"


@dataclass(frozen=True)
class CannotProvide:
    """A non-answer ("I don't remember my email"): the engine offers another way."""

    slot: str
    kind: Literal["cannot_provide"] = "cannot_provide"


Command = (
    StartFlow
    | SetSlot
    | Clarify
    | AnswerQuestion
    | Confirm
    | Deny
    | EditPending
    | CancelFlow
    | HandOff
    | ChitChat
    | ProvideIdentity
    | CannotProvide
)

COMMAND_TYPES: dict[str, type[Any]] = {
    "start_flow": StartFlow,
    "set_slot": SetSlot,
    "clarify": Clarify,
    "answer_question": AnswerQuestion,
    "confirm": Confirm,
    "deny": Deny,
    "edit_pending": EditPending,
    "cancel_flow": CancelFlow,
    "hand_off": HandOff,
    "chit_chat": ChitChat,
    "provide_identity": ProvideIdentity,
    "cannot_provide": CannotProvide,
}


def to_json(command: Command) -> dict[str, Any]:
    data = asdict(command)
    if "candidates" in data:
        data["candidates"] = list(data["candidates"])
    return data


def command_from_json(data: dict[str, Any]) -> Command:
    """Build a command from its JSON form; ``ValueError`` for an unknown kind or bad fields."""
    kind = data.get("kind")
    cls = COMMAND_TYPES.get(str(kind))
    if cls is None:
        raise ValueError(f"unknown command kind {kind!r}")
    fields = {k: v for k, v in data.items() if k != "kind"}
    if "candidates" in fields:
        fields["candidates"] = tuple(fields["candidates"])
    try:
        command: Command = cls(**fields)
    except TypeError as exc:
        raise ValueError(f"bad fields for {kind}: {exc}") from exc
    return command


def _schema(kind: str, properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"kind": {"const": kind}, **properties},
        "required": ["kind", *required],
        "additionalProperties": False,
    }


_TEXT = {"type": "string"}
COMMAND_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "kefu dialogue commands",
    "type": "array",
    "items": {
        "oneOf": [
            _schema("start_flow", {"flow": _TEXT, "hint": _TEXT, "queued": {"type": "boolean"}}, ("flow",)),
            _schema(
                "set_slot",
                {"slot": _TEXT, "value": {}, "correction": {"type": "boolean"}},
                ("slot", "value"),
            ),
            _schema("clarify", {"slot": _TEXT, "candidates": {"type": "array"}}, ("slot",)),
            _schema("answer_question", {"topic": _TEXT, "query": _TEXT}, ("topic",)),
            _schema("confirm", {}),
            _schema("deny", {}),
            _schema("edit_pending", {"slot": _TEXT, "value": {}}, ("slot", "value")),
            _schema("cancel_flow", {}),
            _schema("hand_off", {"reason": _TEXT}),
            _schema("chit_chat", {"act": _TEXT}),
            _schema(
                "provide_identity",
                {"facts": {"type": "object", "additionalProperties": {"type": "string"}}},
                ("facts",),
            ),
            _schema("cannot_provide", {"slot": _TEXT}, ("slot",)),
        ]
    },
}
