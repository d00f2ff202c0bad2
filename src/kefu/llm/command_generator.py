"""Understanding by a model: a ``CommandGenerator`` (``kefu.dialogue.generator``) that asks the model for
commands in the toolkit's schema, then validates them as strictly as the deterministic generator's.

The model receives the flow state (active flow, the slot being asked, filled slots, the pending action),
the flows the customer may start with their slots, the customer's own candidate data (their orders,
items, addresses …: the only values a grounded slot may take) and the customer's message, fenced — all
redacted (``Redactor``): placeholders, never raw PII. Its reply is parsed with ``command_from_json`` and
checked; one bad command rejects the whole reply, and the generator returns ``[]`` so the deterministic
path answers (a timeout, garbage and invalid JSON do the same):

- ``start_flow``: only a flow the customer may start now (``allowed``); model tool calls are read as
  ``start_flow`` and meet the same check.
- ``set_slot`` / ``edit_pending``: only a slot of the active, focused or just-started flow; its value
  must be one of the candidates for that slot, one of the slot's choices, or (text, date, amount) words
  the customer actually wrote. Placeholders are restored to the originals first; an invented one fails.
- ``confirm``: only with a pending action and only when ``kefu.nlu.yesno`` reads the message as yes —
  a side effect never rests on the model's word alone (``trust_confirm`` relaxes the second part).
- ``provide_identity``: facts restored from placeholders; the verification strategy still checks them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kefu.dialogue.commands import (
    COMMAND_JSON_SCHEMA,
    Command,
    Confirm,
    EditPending,
    SetSlot,
    StartFlow,
    command_from_json,
    to_json,
)
from kefu.dialogue.flows import FlowBook, FlowSpec
from kefu.engine.context import TurnContext
from kefu.llm.ports import ChatModel
from kefu.llm.prompts import fence, system_message
from kefu.llm.redaction import Redactor
from kefu.llm.types import ChatMessage, ChatRequest, LLMBadReply, LLMError
from kefu.nlu.yesno import yes_or_no

log = logging.getLogger("kefu.llm")

TASK = (
    "You are the understanding step of a customer-service assistant. Read the customer's message in the "
    'context given and answer ONLY with a JSON object {"commands": [...]} whose items follow the '
    "command schema: start_flow, set_slot, clarify, answer_question, confirm, deny, edit_pending, "
    "cancel_flow, hand_off, chit_chat, provide_identity, cannot_provide. Use only the flows and slots "
    "listed; a grounded slot's value must be copied exactly from its candidates. Return an empty list "
    "when you are unsure. Never write a reply to the customer."
)
RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "commands": {k: v for k, v in COMMAND_JSON_SCHEMA.items() if k not in ("$schema", "title")}
    },
    "required": ["commands"],
    "additionalProperties": False,
}
FREE_TYPES = frozenset({"text"})
QUOTED_TYPES = frozenset({"date", "amount"})  # must be words the customer wrote


@dataclass(frozen=True)
class Candidates:
    """The customer's own data a model may pick from: ``slots[slot]`` lists the grounded values a slot
    may take (order ids, item records, address records …); ``context`` is background (order summaries)."""

    slots: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    commands: tuple[Command, ...]
    rejected: str | None = None  # why the model's reply was not used (the deterministic path answers)


CandidateSource = Callable[[TurnContext, str | None], Candidates]
AllowedFlows = Callable[[TurnContext], Collection[str]]


class LLMCommandGenerator:
    def __init__(
        self,
        model: ChatModel,
        flows: FlowBook,
        candidates: CandidateSource | None = None,
        allowed: AllowedFlows | None = None,
        trust_confirm: bool = False,
        max_commands: int = 4,
    ) -> None:
        self.model = model
        self.flows = flows
        self.candidates = candidates or (lambda ctx, focus: Candidates())
        self.allowed = allowed or (lambda ctx: flows.names())
        self.trust_confirm = trust_confirm
        self.max_commands = max_commands

    def generate(self, ctx: TurnContext, text: str, focus: str | None = None) -> list[Command]:
        proposal = self.propose(ctx, text, focus)
        if proposal.rejected:
            log.info("llm commands not used: %s", proposal.rejected)
        return list(proposal.commands)

    def propose(self, ctx: TurnContext, text: str, focus: str | None = None) -> Proposal:
        redactor = Redactor()
        allowed = [name for name in self.allowed(ctx) if name in self.flows]
        candidates = self.candidates(ctx, focus)
        request = self.request(ctx, text, focus, allowed, candidates, redactor)
        try:
            reply = self.model.complete(request)
            items = self._items(reply.json() if reply.text.strip() else {"commands": []}, reply.tool_calls)
            commands = [self._check(ctx, text, focus, allowed, candidates, redactor, item) for item in items]
        except LLMError as exc:
            return Proposal((), f"{exc.code}: {exc.message}")
        except ValueError as exc:
            return Proposal((), f"invalid command: {exc}")
        kept = tuple(c for c in commands if c is not None)
        return Proposal(kept[: self.max_commands])

    # ---- the prompt ------------------------------------------------------------------------------

    def request(
        self,
        ctx: TurnContext,
        text: str,
        focus: str | None,
        allowed: Sequence[str],
        candidates: Candidates,
        redactor: Redactor,
    ) -> ChatRequest:
        state = ctx.state
        context = {
            "language": ctx.lang,
            "active_flow": state.flow,
            "asking_for": state.asking,
            "focus_flow": focus,
            "filled_slots": redactor.data(state.slots),
            "pending_action": redactor.data(state.pending),
            "customer_verified": state.verified_customer is not None,
            "flows": [_describe(self.flows[name]) for name in allowed],
            "candidates": redactor.data({k: list(v) for k, v in candidates.slots.items()}),
            "customer_data": redactor.data(dict(candidates.context)),
        }
        user = (
            "Context (JSON):\n"
            + fence("CONTEXT", json.dumps(context, ensure_ascii=False, default=str))
            + "\nThe customer's message:\n"
            + fence("CUSTOMER", redactor.text(text))
        )
        return ChatRequest(
            (system_message(TASK), ChatMessage("user", user)),
            use="commands",
            conversation=str(ctx.conversation.id),
            response_schema=RESPONSE_SCHEMA,
            max_tokens=400,
        )

    # ---- the checks ------------------------------------------------------------------------------

    @staticmethod
    def _items(data: Any, tool_calls: Sequence[Any]) -> list[dict[str, Any]]:
        items = data.get("commands") if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise LLMBadReply("the reply has no list of command objects")
        for call in tool_calls:  # a model that answers with function calls: each one asks for a flow
            hint = str(call.arguments.get("hint", ""))
            items.append({"kind": "start_flow", "flow": call.name, "hint": hint})
        return items

    def _check(
        self,
        ctx: TurnContext,
        text: str,
        focus: str | None,
        allowed: Sequence[str],
        candidates: Candidates,
        redactor: Redactor,
        item: dict[str, Any],
    ) -> Command | None:
        invented = redactor.invented(item)
        if invented:
            raise LLMBadReply(f"the model invented placeholders {invented}")
        command = command_from_json(redactor.restore(item))
        if isinstance(command, StartFlow):
            if command.flow not in allowed:
                raise LLMBadReply(f"flow {command.flow!r} is not one the customer may start")
            return command
        if isinstance(command, SetSlot | EditPending):
            self._check_slot(ctx, text, focus, candidates, command.slot, command.value)
            return command
        if isinstance(command, Confirm):
            if ctx.state.pending is None:
                raise LLMBadReply("confirm without a pending action")
            if not self.trust_confirm and yes_or_no(text) != "yes":
                return None  # not explicit enough: the engine asks again
            return command
        return command

    def _check_slot(
        self,
        ctx: TurnContext,
        text: str,
        focus: str | None,
        candidates: Candidates,
        slot: str,
        value: Any,
    ) -> None:
        # a slot of a flow started in the same reply is not taken: the engine reads those slots itself
        specs = [self.flows.get(name) for name in (ctx.state.flow, focus)]
        spec = next((s.slot(slot) for s in specs if s is not None and s.slot(slot) is not None), None)
        if spec is None:
            raise LLMBadReply(f"slot {slot!r} is not a slot of the active flow")
        options = candidates.slots.get(slot)
        if options is not None:
            if not any(_same(value, option) for option in options):
                raise LLMBadReply(f"value for {slot!r} is not one of the customer's candidates")
        elif spec.choices:
            if value not in spec.choices:
                raise LLMBadReply(f"value for {slot!r} is not one of its choices")
        elif spec.type in FREE_TYPES:
            if not isinstance(value, str) or len(value) > 500:
                raise LLMBadReply(f"value for {slot!r} is not a short text")
        elif spec.type in QUOTED_TYPES:
            if not isinstance(value, str | int | float) or str(value).lower() not in text.lower():
                raise LLMBadReply(f"value for {slot!r} is not in the customer's words")
        else:
            raise LLMBadReply(f"grounded slot {slot!r} has no candidates to choose from")


def _same(value: Any, option: Any) -> bool:
    if value == option:
        return True
    try:
        as_json = json.dumps(value, sort_keys=True, default=str)
        return as_json == json.dumps(option, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return False


def _describe(flow: FlowSpec) -> dict[str, Any]:
    return {
        "name": flow.name,
        "changes_something": flow.tool is not None,
        "slots": [
            {"name": s.name, "type": s.type, **({"choices": list(s.choices)} if s.choices else {})}
            for s in flow.slots
        ],
    }


def commands_json(commands: Sequence[Command]) -> list[dict[str, Any]]:
    """The JSON form of ``commands`` (what a scripted model in a test answers)."""
    return [to_json(c) for c in commands]


class WhenUnsure:
    """The deterministic generator decides when it is confident; the model's is asked only when it is
    not (no command, or the intent classifier's confidence under ``threshold``). ``mode="off"`` never
    asks the model (``KEFU_LLM_COMMANDS``)."""

    def __init__(
        self,
        deterministic: Any,
        model: Any,
        threshold: float = 0.6,
        mode: str = "fallback",
    ) -> None:
        if mode not in ("fallback", "off"):
            raise ValueError(f"unknown LLM commands mode {mode!r} (fallback | off)")
        self.deterministic = deterministic
        self.model = model
        self.threshold = threshold
        self.mode = mode

    def confident(self, ctx: TurnContext, commands: Sequence[Command]) -> bool:
        if not commands:
            return False
        return ctx.understanding is None or ctx.understanding.confidence >= self.threshold

    def generate(self, ctx: TurnContext, text: str, focus: str | None = None) -> list[Command]:
        commands: list[Command] = self.deterministic.generate(ctx, text, focus)
        if self.mode == "off" or self.confident(ctx, commands):
            return commands
        return self.model.generate(ctx, text, focus) or commands
