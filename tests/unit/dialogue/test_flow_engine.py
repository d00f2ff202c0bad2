"""The flow engine over a tiny two-flow pack: a host that records what it says, commands given directly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kefu.dialogue.commands import (
    COMMAND_JSON_SCHEMA,
    AnswerQuestion,
    CannotProvide,
    ChitChat,
    Command,
    Confirm,
    Deny,
    EditPending,
    ProvideIdentity,
    SetSlot,
    StartFlow,
    command_from_json,
    to_json,
)
from kefu.dialogue.engine import OK, Check, FlowEngine, IdentityEvent
from kefu.dialogue.flows import FlowBook, FlowSpec, SlotSpec
from kefu.dialogue.verification import Lookup, ToolLookup, Verifier, VerifyResult
from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.ids import ConversationId
from kefu.domain.messages import ConversationStatus
from kefu.engine.context import TurnContext

FLOWS = FlowBook(
    (
        FlowSpec(
            "cancel",
            (SlotSpec("order", "order", validate="pending"), SlotSpec("reason", "choice")),
            tool="cancel_order",
        ),
        FlowSpec(
            "return",
            (SlotSpec("order", "order"), SlotSpec("items", "items", needs=("order",))),
            tool="return_items",
        ),
        FlowSpec("status", (SlotSpec("order", "order"),)),
    )
)
USERS = {"ann@example.com": "ann"}


class Host:
    """Says what happens as short strings, and runs tools by recording them."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.ran: list[tuple[str, dict[str, Any]]] = []

    def _say(self, ctx: TurnContext, text: str) -> None:
        self.said.append(text)
        ctx.reply(text)

    def validate(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, value: Any) -> Check:
        if slot.validate == "pending" and value == "#W2":
            self._say(ctx, "refuse:not_pending")
            return Check.refused()
        return OK

    def autofill(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec) -> Any | None:
        return None

    def ask(self, ctx: TurnContext, flow: FlowSpec, slot: SlotSpec, retry: bool) -> None:
        self._say(ctx, f"ask:{flow.name}.{slot.name}" + (":again" if retry else ""))

    def clarify(self, ctx: TurnContext, flow: FlowSpec, slot: str, candidates: tuple[Any, ...]) -> None:
        self._say(ctx, f"clarify:{slot}:{','.join(map(str, candidates))}")

    def cannot_provide(self, ctx: TurnContext, flow: FlowSpec | None, slot: str) -> None:
        self._say(ctx, f"other_way:{slot}")

    def propose(self, ctx: TurnContext, flow: FlowSpec) -> dict[str, Any] | None:
        self._say(ctx, f"confirm:{flow.name}:{sorted(ctx.state.slots.items())}")
        return {"tool": flow.tool, "arguments": dict(ctx.state.slots)}

    def execute(self, ctx: TurnContext, flow: FlowSpec, pending: dict[str, Any]) -> None:
        self.ran.append((str(pending["tool"]), pending["arguments"]))
        self._say(ctx, f"done:{flow.name}")

    def answer_flow(self, ctx: TurnContext, flow: FlowSpec) -> None:
        self._say(ctx, f"answer:{flow.name}:{ctx.state.slots.get('order')}")

    def answer(self, ctx: TurnContext, question: AnswerQuestion) -> None:
        self._say(ctx, f"answer:{question.topic}")

    def chit_chat(self, ctx: TurnContext, act: str) -> None:
        self._say(ctx, act)

    def hand_off(self, ctx: TurnContext, reason: str) -> None:
        self._say(ctx, f"handoff:{reason}")

    def identity(
        self, ctx: TurnContext, event: IdentityEvent, result: VerifyResult | None, strategy: str = ""
    ) -> None:
        self._say(ctx, f"identity:{event}" + (f":{strategy}" if strategy else ""))

    def confirm_again(self, ctx: TurnContext, flow: FlowSpec) -> None:
        self._say(ctx, "confirm_again")

    def not_changed(self, ctx: TurnContext) -> None:
        self._say(ctx, "not_changed")

    def lookup(self, ctx: TurnContext) -> Lookup:
        def find(tool: str, arguments: dict[str, str]) -> str | None:
            return USERS.get(arguments.get("email", ""))

        return find


class HintReader:
    """A generator for waiting requests: reads "#W<n>" and "because <reason>" out of their words."""

    def generate(self, ctx: TurnContext, text: str, focus: str | None = None) -> list[Command]:
        found: list[Command] = []
        for word in text.split():
            if word.startswith("#W"):
                found.append(SetSlot("order", word))
        if "because" in text:
            found.append(SetSlot("reason", text.split("because", 1)[1].strip()))
        return found


class Attempts:
    """A VerificationAttempts port in memory: locked after two failures."""

    def __init__(self) -> None:
        self.failures: dict[str, int] = {}

    def retry_after(self, identity: str) -> float | None:
        return 60.0 if self.failures.get(identity, 0) >= 2 else None

    def failed(self, identity: str) -> float | None:
        self.failures[identity] = self.failures.get(identity, 0) + 1
        return self.retry_after(identity)

    def succeeded(self, identity: str) -> None:
        self.failures.pop(identity, None)


EMAIL = ToolLookup("email", ("email",), "find_by_email", (("email", "email"),), "ask.email", "test")
NAME_ZIP = ToolLookup(
    "name_zip", ("name", "zip"), "find_by_name", (("name", "name"), ("zip", "zip")), "ask.name", "test"
)


def engine(attempts: Attempts | None = None) -> tuple[FlowEngine, Host]:
    host = Host()
    return FlowEngine(FLOWS, host, HintReader(), Verifier((EMAIL, NAME_ZIP), attempts, 3)), host


def turn(state: DialogueState, text: str = "") -> TurnContext:
    conversation = Conversation(
        ConversationId("c1"), "test", "en", ConversationStatus.BOT, None, datetime.now(UTC)
    )
    return TurnContext(conversation, state, text, "en", "c1:1")


def run(e: FlowEngine, state: DialogueState, *commands: Command) -> list[str]:
    ctx = turn(state)
    e.run(ctx, list(commands))
    return [r.text for r in ctx.replies]


def verified() -> DialogueState:
    return DialogueState(verified_customer="ann")


def test_a_request_waits_for_identity_then_reads_its_own_words() -> None:
    e, _ = engine()
    state = DialogueState()
    assert run(e, state, StartFlow("cancel", "cancel #W1 because no longer needed")) == ["identity:ask"]
    replies = run(e, state, ProvideIdentity({"email": "ann@example.com"}))
    assert replies[0] == "identity:verified"
    assert (
        replies[1].startswith("confirm:cancel") and "#W1" in replies[1] and "no longer needed" in replies[1]
    )


def test_identity_before_any_request_is_used_and_greeting_with_a_request_is_not_answered() -> None:
    e, _ = engine()
    state = DialogueState()
    replies = run(
        e,
        state,
        ChitChat("greeting"),
        ProvideIdentity({"email": "ann@example.com"}),
        StartFlow("status", "#W5"),
    )
    assert replies == ["identity:verified", "answer:status:#W5"]


def test_two_requests_in_one_message_are_done_in_turn() -> None:
    e, host = engine()
    state = verified()
    first = run(e, state, StartFlow("cancel", "#W1 because mistake"), StartFlow("return", "#W3"))
    assert first == ["confirm:cancel:[('order', '#W1'), ('reason', 'mistake')]"]
    assert run(e, state, Confirm()) == ["done:cancel", "ask:return.items"]
    assert host.ran == [("cancel_order", {"order": "#W1", "reason": "mistake"})]


def test_a_question_mid_flow_is_answered_and_the_flow_asks_again() -> None:
    e, _ = engine()
    state = verified()
    assert run(e, state, StartFlow("cancel", "#W1")) == ["ask:cancel.reason"]
    assert run(e, state, AnswerQuestion("knowledge", "how long do refunds take?")) == [
        "answer:knowledge",
        "ask:cancel.reason",
    ]
    assert run(e, state) == ["ask:cancel.reason:again"]


def test_a_change_at_the_confirmation_step_edits_the_pending_action() -> None:
    e, host = engine()
    state = verified()
    run(e, state, StartFlow("return", "#W3"), SetSlot("items", ["lamp", "mug"]))
    assert state.pending is not None
    edited = run(e, state, EditPending("items", ["lamp"]))
    assert edited == ["confirm:return:[('items', ['lamp']), ('order', '#W3')]"]
    assert run(e, state, Confirm()) == ["done:return"]
    assert host.ran == [("return_items", {"order": "#W3", "items": ["lamp"]})]


def test_correcting_a_slot_clears_the_slots_grounded_in_it() -> None:
    e, _ = engine()
    state = verified()
    run(e, state, StartFlow("return", "#W3"), SetSlot("items", ["lamp"]))
    replies = run(e, state, EditPending("order", "#W4"))
    assert replies == ["ask:return.items"] and state.slots == {"order": "#W4"}


def test_no_at_the_confirmation_step_changes_nothing() -> None:
    e, host = engine()
    state = verified()
    run(e, state, StartFlow("cancel", "#W1 because mistake"))
    assert run(e, state, Deny()) == ["not_changed"]
    assert host.ran == [] and state.flow is None


def test_a_refused_slot_ends_the_request_and_the_next_one_starts() -> None:
    e, _ = engine()
    state = verified()
    replies = run(e, state, StartFlow("cancel", "#W2"), StartFlow("status", "#W5"))
    assert replies == ["refuse:not_pending", "answer:status:#W5"]


def test_a_new_request_while_a_question_waits_goes_first_and_the_other_resumes() -> None:
    e, _ = engine()
    state = verified()
    run(e, state, StartFlow("cancel", "#W1"))
    assert run(e, state, StartFlow("status", "#W7")) == ["answer:status:#W7", "ask:cancel.reason"]
    assert state.flow == "cancel" and state.slots == {"order": "#W1"}


def test_the_same_action_on_another_order_is_queued() -> None:
    e, _ = engine()
    state = verified()
    run(
        e,
        state,
        StartFlow("cancel", "#W1 because mistake"),
        StartFlow("cancel", "#W3 because mistake", queued=True),
    )
    assert run(e, state, Confirm()) == [
        "done:cancel",
        "confirm:cancel:[('order', '#W3'), ('reason', 'mistake')]",
    ]


def test_i_dont_remember_is_no_attempt_and_offers_the_other_way() -> None:
    e, _ = engine()
    state = DialogueState()
    run(e, state, StartFlow("status", "#W5"))
    assert run(e, state, CannotProvide("email")) == ["identity:other_way:name_zip"]
    assert state.memory.get("verify_attempts") is None


def test_wrong_identities_count_and_hand_off_at_the_limit() -> None:
    e, _ = engine()
    state = DialogueState()
    run(e, state, StartFlow("status", "#W5"))
    assert run(e, state, ProvideIdentity({"email": "x@example.com"})) == ["identity:failed"]
    assert run(e, state, ProvideIdentity({"email": "y@example.com"})) == ["identity:failed"]
    assert run(e, state, ProvideIdentity({"email": "z@example.com"})) == ["handoff:verification_failed"]


def test_the_attempts_port_locks_a_claimed_identity_across_conversations() -> None:
    attempts = Attempts()
    for _ in range(2):
        e, _ = engine(attempts)
        state = DialogueState()
        run(e, state, StartFlow("status", "#W5"))
        run(e, state, ProvideIdentity({"email": "x@example.com"}))
    e, _ = engine(attempts)
    state = DialogueState()
    run(e, state, StartFlow("status", "#W5"))
    assert run(e, state, ProvideIdentity({"email": "x@example.com"})) == ["handoff:verification_failed"]


def test_identity_facts_given_over_two_messages_are_combined() -> None:
    verifier = Verifier((NAME_ZIP,), None)
    seen: list[dict[str, str]] = []

    def lookup(tool: str, arguments: dict[str, str]) -> str | None:
        seen.append(arguments)
        return "ann"

    assert verifier.attempt({"name": "Ann Lee"}, lookup, 0).missing == ("zip",)
    result = verifier.attempt({"name": "Ann Lee", "zip": "12345"}, lookup, 0)
    assert result.outcome == "verified" and seen == [{"name": "Ann Lee", "zip": "12345"}]


def test_flows_know_their_order_and_dependents() -> None:
    flow = FLOWS["return"]
    assert flow.missing({}) == flow.slot("order")
    assert flow.missing({"order": "#W1"}) == flow.slot("items")
    assert flow.dependents("order") == ("items",)
    assert FLOWS.tools() == {"cancel_order", "return_items"}


def test_commands_round_trip_through_json_and_the_schema_names_every_kind() -> None:
    commands: list[Command] = [StartFlow("cancel", "x", queued=True), SetSlot("items", ["a"]), Confirm()]
    assert [command_from_json(to_json(c)) for c in commands] == commands
    kinds = {item["properties"]["kind"]["const"] for item in COMMAND_JSON_SCHEMA["items"]["oneOf"]}
    assert {"start_flow", "set_slot", "edit_pending", "cannot_provide"} <= kinds
    assert "queued" in COMMAND_JSON_SCHEMA["items"]["oneOf"][0]["properties"]
