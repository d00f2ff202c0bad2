"""The flow engine: executes the commands of one message against the conversation's flows.

Per message, in order: every command is applied (identity facts, new requests, slot fills and
corrections, questions, confirmation, edits of the pending action …), then the engine *progresses*: the
active flow asks for its next missing slot, or proposes its action for confirmation, or (read-only) is
answered; a finished flow hands over to the next request waiting in the queue, in the same turn. So
"cancel #W1 and also return the lamp from #W2" does both in turn, a question in the middle of a flow is
answered and the flow's question is asked again, and a change at the confirmation step edits the pending
action instead of starting over.

What the customer asked for (``queue``, the active request's words, identity facts given so far) is kept in
``DialogueState.private``, sealed at rest like the slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from kefu.dialogue.commands import (
    AnswerQuestion,
    CancelFlow,
    CannotProvide,
    ChitChat,
    Clarify,
    Command,
    Confirm,
    Deny,
    EditPending,
    HandOff,
    ProvideIdentity,
    SetSlot,
    StartFlow,
)
from kefu.dialogue.flows import FlowBook, FlowSpec, SlotSpec
from kefu.dialogue.generator import CommandGenerator, slot_commands
from kefu.dialogue.verification import Lookup, Verifier, VerifyResult
from kefu.engine.context import TurnContext

IDENTITY = "identity"
IdentityEvent = Literal["ask", "verified", "failed", "incomplete", "other_way"]


@dataclass(frozen=True)
class Check:
    """What the host says about a slot value: fine, refused (the host has replied; the flow ends), or
    the request is really another flow (a pending order's items are *modified*, not exchanged)."""

    ok: bool = True
    switch_to: str | None = None
    keep_flow: bool = False  # refused, but the flow goes on and asks for the slot again

    @classmethod
    def refused(cls, keep_flow: bool = False) -> Check:
        return cls(ok=False, keep_flow=keep_flow)


OK = Check()


class FlowHost(Protocol):
    """The pack's side of the engine: its business reads and checks, and its replies."""

    def validate(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, value: Any) -> Check: ...

    def autofill(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec) -> Any | None: ...

    def ask(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, retry: bool) -> None: ...

    def clarify(self, ctx: TurnContext, flow: FlowSpec, slot: str, candidates: tuple[Any, ...]) -> None: ...

    def cannot_provide(self, ctx: TurnContext, flow: FlowSpec | None, slot: str) -> None: ...

    def propose(self, ctx: TurnContext, flow: FlowSpec) -> dict[str, Any] | None:
        """The pending action (tool + arguments) after replying the confirmation; ``None`` when
        refused (the host replied); ``{"retry_slot": name}`` when only that slot's value was refused."""
        ...

    def execute(self, ctx: TurnContext, flow: FlowSpec, pending: dict[str, Any]) -> None: ...

    def answer_flow(self, ctx: TurnContext, flow: FlowSpec) -> None: ...

    def answer(self, ctx: TurnContext, question: AnswerQuestion) -> None: ...

    def chit_chat(self, ctx: TurnContext, act: str) -> None: ...

    def hand_off(self, ctx: TurnContext, reason: str) -> None: ...

    def identity(
        self, ctx: TurnContext, event: IdentityEvent, result: VerifyResult | None, strategy: str = ""
    ) -> None: ...

    def confirm_again(self, ctx: TurnContext, flow: FlowSpec) -> None: ...

    def not_changed(self, ctx: TurnContext) -> None: ...

    def lookup(self, ctx: TurnContext) -> Lookup: ...


@dataclass
class _Turn:
    replies_before: int
    clarified: str | None = None
    progressed: bool = False  # a slot was filled or a request started this turn
    identity_said: bool = False
    stop: bool = False


class FlowEngine:
    def __init__(
        self, flows: FlowBook, host: FlowHost, generator: CommandGenerator, verifier: Verifier
    ) -> None:
        self.flows = flows
        self.host = host
        self.generator = generator
        self.verifier = verifier

    # -- the turn ---------------------------------------------------------------------------------
    def run(self, ctx: TurnContext, commands: list[Command]) -> None:
        turn = _Turn(len(ctx.replies))
        substantive = [c for c in commands if not (isinstance(c, ChitChat) and c.act == "greeting")]
        if substantive:
            commands = substantive  # "hi, where is my order?" is a request, not a greeting
        for command in commands:
            if turn.stop or ctx.handoff is not None:
                break
            self.apply(ctx, command, turn)
        if not turn.stop and ctx.handoff is None:
            self._progress(ctx, turn)

    def resume(self, ctx: TurnContext) -> None:
        """After the pack answered something itself (e.g. from knowledge): ask the open question again."""
        self._progress(ctx, _Turn(len(ctx.replies)))

    # -- commands ---------------------------------------------------------------------------------
    def apply(self, ctx: TurnContext, command: Command, turn: _Turn) -> None:
        state = ctx.state
        flow = self.flows.get(state.flow)
        if isinstance(command, ProvideIdentity):
            self._identity(ctx, command.facts, turn)
        elif isinstance(command, StartFlow):
            self._start(ctx, command, turn)
        elif isinstance(command, SetSlot):
            if flow is not None:
                self._set(ctx, flow, command.slot, command.value, turn)
        elif isinstance(command, Clarify):
            if flow is not None and command.slot in flow.slot_names:
                state.asking = command.slot
                turn.clarified = command.slot
                self.host.clarify(ctx, flow, command.slot, command.candidates)
        elif isinstance(command, EditPending):
            if flow is not None and command.slot in flow.slot_names:
                state.pending = None
                self._set(ctx, flow, command.slot, command.value, turn)
        elif isinstance(command, Confirm):
            self._confirm(ctx, turn)
        elif isinstance(command, Deny):
            if state.pending is not None:
                self._finish(ctx)
                self.host.not_changed(ctx)
                turn.stop = not self._queue(ctx)
        elif isinstance(command, CancelFlow):
            if flow is not None:
                self._finish(ctx)
        elif isinstance(command, CannotProvide):
            self._cannot_provide(ctx, command.slot, turn)
        elif isinstance(command, AnswerQuestion):
            self.host.answer(ctx, command)
        elif isinstance(command, ChitChat):
            if command.act == "goodbye":
                self._finish(ctx)
                self._queue(ctx).clear()
            self.host.chit_chat(ctx, command.act)
            turn.stop = command.act == "goodbye" or state.flow is None
        elif isinstance(command, HandOff):
            self._finish(ctx)
            self.host.hand_off(ctx, command.reason)
            turn.stop = True

    def _queue(self, ctx: TurnContext) -> list[dict[str, Any]]:
        queue: list[dict[str, Any]] = ctx.state.private.setdefault("queue", [])
        return queue

    def _start(self, ctx: TurnContext, command: StartFlow, turn: _Turn) -> None:
        """A new request. With none active it starts; at the confirmation step the customer moved on
        (nothing changes); while the active request waits for an answer that did not come, the new one
        goes first and the other resumes after it; otherwise it waits its turn."""
        state = ctx.state
        if command.flow not in self.flows:
            return
        queue = self._queue(ctx)
        request = {"flow": command.flow, "hint": command.hint}
        if command.queued and state.flow is not None:
            # the same action on another order: right after the active one (after its siblings)
            request["same_as"] = state.flow
            at = next((i for i, q in enumerate(queue) if q.get("same_as") != state.flow), len(queue))
            queue.insert(at, request)
            return
        if state.flow == command.flow and state.pending is None:
            return  # the same request again: its words fill slots through SetSlot
        if state.flow is not None:
            if state.pending is not None:
                self._finish(ctx)
            elif not turn.progressed and state.asking and state.asking != IDENTITY:
                queue.insert(0, self._parked(ctx))
                self._finish(ctx)
            else:
                queue.append(request)
                turn.progressed = True
                return
        turn.progressed = True
        self._activate(ctx, command.flow, command.hint)

    def _parked(self, ctx: TurnContext) -> dict[str, Any]:
        state = ctx.state
        return {
            "flow": state.flow,
            "hint": state.private.get("hint", ""),
            "slots": dict(state.slots),
            "prefilled": True,
        }

    def _activate(
        self, ctx: TurnContext, flow: str, hint: str, request: dict[str, Any] | None = None
    ) -> None:
        ctx.state.start_flow(flow)
        ctx.state.private["hint"] = hint
        ctx.state.private["prefilled"] = bool((request or {}).get("prefilled", False))
        ctx.state.slots.update((request or {}).get("slots", {}))

    def _finish(self, ctx: TurnContext) -> None:
        ctx.state.end_flow()
        ctx.state.private.pop("hint", None)
        ctx.state.private.pop("prefilled", None)

    def _set(self, ctx: TurnContext, flow: FlowSpec, slot: str, value: Any, turn: _Turn) -> None:
        spec = flow.slot(slot)
        state = ctx.state
        if spec is None or value is None:
            return
        if state.slots.get(slot) == value:
            return
        if slot in state.slots:
            state.pending = None
            for dependent in flow.dependents(slot):
                state.slots.pop(dependent, None)
        check = self.host.validate(ctx, flow, spec, value)
        if not check.ok:
            if check.keep_flow:
                state.slots.pop(slot, None)
                state.asking = slot
                turn.clarified = slot  # the host's reply asked again
            else:
                state.private["refused_hint"] = state.private.get("hint", "")  # "then return them"
                self._finish(ctx)
            return
        state.slots[slot] = value
        turn.progressed = True
        if state.asking == slot:
            state.asking = None
        if check.switch_to and check.switch_to in self.flows and check.switch_to != flow.name:
            kept = {k: v for k, v in state.slots.items() if k in self.flows[check.switch_to].slot_names}
            hint, prefilled = state.private.get("hint", ""), state.private.get("prefilled", True)
            state.start_flow(check.switch_to)
            state.slots.update(kept)
            state.private.update(hint=hint, prefilled=prefilled)

    def _confirm(self, ctx: TurnContext, turn: _Turn) -> None:
        state = ctx.state
        flow = self.flows.get(state.flow)
        if state.pending is None or flow is None:
            return
        pending = state.pending
        self.host.execute(ctx, flow, pending)
        grounded = {"order", *flow.dependents("order")}
        shared = {k: v for k, v in state.slots.items() if k not in grounded}
        for request in self._queue(ctx):
            if (
                request.get("same_as") == flow.name
            ):  # "cancel both, no longer needed": the reason holds for both
                request["slots"] = {**shared, **request.get("slots", {})}
        self._finish(ctx)
        turn.progressed = True

    def _identity(self, ctx: TurnContext, facts: dict[str, str], turn: _Turn) -> None:
        state = ctx.state
        if state.verified_customer:
            return
        known: dict[str, str] = {**state.private.get("identity", {}), **facts}
        failures = int(state.memory.get("verify_attempts", 0))
        result = self.verifier.attempt(known, self.host.lookup(ctx), failures)
        if result.outcome == "verified":
            state.verified_customer = result.customer_id
            state.private.pop("identity", None)
            state.memory.pop("verify_attempts", None)
            if state.asking == IDENTITY:
                state.asking = None
            self.host.identity(ctx, "verified", result)
            turn.identity_said = True
            return
        if result.outcome == "incomplete":
            state.private["identity"] = known
            if state.asking == IDENTITY:
                self.host.identity(ctx, "incomplete", result)
                turn.identity_said = True
            return
        tried = {f for s in self.verifier.strategies if all(known.get(x) for x in s.facts) for f in s.facts}
        state.private["identity"] = {k: v for k, v in known.items() if k not in tried}
        state.memory["verify_attempts"] = result.attempts
        if result.outcome == "locked" or result.attempts >= self.verifier.max_attempts:
            self._finish(ctx)
            self._queue(ctx).clear()
            self.host.hand_off(ctx, "verification_failed")
            turn.stop = True
            return
        state.asking = IDENTITY
        self.host.identity(ctx, "failed", result)
        turn.identity_said = True

    def _cannot_provide(self, ctx: TurnContext, slot: str, turn: _Turn) -> None:
        state = ctx.state
        if not state.verified_customer and slot in self.verifier.fact_names():
            other = self.verifier.other_way(slot)
            state.asking = IDENTITY
            self.host.identity(ctx, "other_way", None, other.name if other else "")
            turn.identity_said = True
            return
        self.host.cannot_provide(ctx, self.flows.get(state.flow), slot)
        turn.stop = True

    # -- progress ---------------------------------------------------------------------------------
    def _progress(self, ctx: TurnContext, turn: _Turn) -> None:
        state = ctx.state
        for _ in range(12):  # each pass ends a flow or returns; the bound only guards against a loop
            flow = self.flows.get(state.flow)
            if flow is None:
                queue = self._queue(ctx)
                if not queue:
                    return
                request = queue.pop(0)
                self._activate(ctx, str(request.get("flow")), str(request.get("hint", "")), request)
                continue
            if flow.needs_identity and not state.verified_customer:
                state.asking = IDENTITY
                if not turn.identity_said:
                    self.host.identity(ctx, "ask", None)
                return
            if not state.private.get("prefilled", True):
                state.private["prefilled"] = True
                hint = str(state.private.get("hint", ""))
                for command in slot_commands(
                    self.generator.generate(ctx, hint, focus=flow.name) if hint else []
                ):
                    self.apply(ctx, command, turn)
                if turn.clarified or state.flow != flow.name:
                    if turn.clarified:
                        return
                    continue
            if state.pending is not None:
                if len(ctx.replies) == turn.replies_before:
                    self.host.confirm_again(ctx, flow)
                return
            if turn.clarified:
                return
            spec = flow.missing(state.slots)
            if spec is not None:
                value = self.host.autofill(ctx, flow, spec)
                if value is not None:
                    self._set(ctx, flow, spec.name, value, turn)
                    if state.flow == flow.name and spec.name not in state.slots:
                        return
                    continue
                retry = (
                    state.asking == spec.name
                    and not turn.progressed
                    and len(ctx.replies) == turn.replies_before
                )
                state.asking = spec.name
                self.host.ask(ctx, flow, spec, retry)
                return
            state.asking = None
            if flow.tool is None:
                self.host.answer_flow(ctx, flow)
                self._finish(ctx)
                continue
            proposal = self.host.propose(ctx, flow)
            again = str((proposal or {}).get("retry_slot") or "")
            if again and again in state.slots:
                state.slots.pop(again)  # refused for this value only ("refunds go to the original method")
                state.asking = again
                turn.clarified = again
                if len(ctx.replies) == turn.replies_before:
                    continue
                spec = flow.slot(again)
                if spec is not None:
                    self.host.ask(ctx, flow, spec, False)
                return
            if proposal is None:
                state.private["refused_hint"] = state.private.get("hint", "")
                self._finish(ctx)
                continue
            if flow.confirm:
                state.pending = proposal
                return
            self.host.execute(ctx, flow, proposal)
            self._finish(ctx)
