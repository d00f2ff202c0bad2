"""The conversation service: the one place that orders turns, applies idempotency and stores results."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import anyio.to_thread

from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.errors import Conflict, InvalidInput, StoreUnavailable
from kefu.domain.ids import ConversationId
from kefu.domain.messages import ConversationStatus, Message, OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.engine.ports import ConversationStore, IncomingMessage, MessageBroker, TurnLock, TurnRecord
from kefu.engine.rails import RailAction
from kefu.engine.review import held_notice
from kefu.engine.turn import TurnPipeline
from kefu.nlu.langid import detect_language


class PackRuntime(Protocol):
    name: str
    pipeline: TurnPipeline

    def welcome(self, lang: str, state: DialogueState) -> list[OutgoingMessage]: ...

    def initial_state(self, lang: str, customer_ref: str | None) -> DialogueState: ...

    def waiting_for_human(self, lang: str) -> OutgoingMessage: ...

    def render(self, key: str, lang: str, **fields: object) -> str: ...


log = logging.getLogger("kefu.conversations")
AGENTS_CHANNEL = ConversationId("__agents__")  # the live feed of the agent console
TURN_ATTEMPTS = 3  # holds of the lock one customer message may take before its conflict is reported


@dataclass(frozen=True)
class TurnResult:
    messages: list[Message]
    status: ConversationStatus
    replayed: bool = False
    pack: str = ""
    handoff_reason: str | None = None  # set when this turn asked for a human
    held: int = 0  # replies of this turn held for human review (the customer got a notice instead)


class TurnObserver(Protocol):
    """Told about every turn that ran (not replays), whatever the channel: metrics, tracing."""

    def turn_completed(self, result: TurnResult, seconds: float) -> None: ...


def message_payload(message: Message) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": message.id,
        "seq": message.seq,
        "role": message.role.value,
        "text": message.text,
        "lang": message.lang,
        "created_at": message.created_at.isoformat(),
    }
    if message.client_msg_id:
        payload["client_msg_id"] = message.client_msg_id
    if message.suggestions:
        payload["suggestions"] = list(message.suggestions)
    if message.citations:
        payload["citations"] = [
            {"source": c.source, "title": c.title, **({"anchor": c.anchor} if c.anchor else {})}
            for c in message.citations
        ]
    return payload


class ConversationService:
    def __init__(
        self,
        store: ConversationStore,
        lock: TurnLock,
        broker: MessageBroker,
        packs: Callable[[str], PackRuntime],
        max_message_chars: int,
        observers: Sequence[TurnObserver] = (),
    ) -> None:
        self.store = store
        self.lock = lock
        self.broker = broker
        self._pack = packs
        self.max_message_chars = max_message_chars
        self.observers = list(observers)

    def pack(self, name: str) -> PackRuntime:
        return self._pack(name)

    async def start(
        self, pack_name: str, locale: str | None, customer_ref: str | None
    ) -> tuple[Conversation, list[Message]]:
        pack = self.pack(pack_name)
        lang = locale if locale in ("zh", "en") else "en"
        state = pack.initial_state(lang, customer_ref)
        conversation = await anyio.to_thread.run_sync(
            self.store.create_conversation, pack_name, locale, customer_ref, state
        )
        welcome = pack.welcome(lang, state)
        messages = await anyio.to_thread.run_sync(self.store.append_bot_messages, conversation.id, welcome)
        return conversation, messages

    def clean_text(self, text: str) -> str:
        stripped = text.strip()
        if not stripped:
            raise InvalidInput("text must not be empty or only whitespace")
        if len(stripped) > self.max_message_chars:
            raise InvalidInput(f"text is {len(stripped)} characters; the limit is {self.max_message_chars}")
        if "\x00" in stripped:
            raise InvalidInput("text must not contain NUL characters")
        return stripped

    async def send(self, conversation_id: ConversationId, text: str, client_msg_id: str | None) -> TurnResult:
        """Run one customer turn under the conversation's lock. If the write is refused because another
        writer got there first (a lock lease that lapsed, a fenced stale holder), the turn is retried
        under a fresh hold, or its stored result replayed, instead of answering the customer 409."""
        cleaned = self.clean_text(text)
        for attempt in range(1, TURN_ATTEMPTS + 1):
            last = attempt == TURN_ATTEMPTS
            outcome = await self._attempt(conversation_id, cleaned, client_msg_id, last)
            if outcome is None:
                continue
            result, elapsed = outcome
            if not result.replayed:
                for observer in self.observers:
                    observer.turn_completed(result, elapsed)
            return result
        raise AssertionError("unreachable: the last attempt raises or returns")

    async def _attempt(
        self, conversation_id: ConversationId, text: str, client_msg_id: str | None, last: bool
    ) -> tuple[TurnResult, float] | None:
        """One hold of the lock: a replay, a stored turn, or ``None`` to try again under a new hold."""
        async with self.lock.hold(conversation_id) as fence:
            replay = await self._replay(conversation_id, client_msg_id)
            if replay is not None:
                return replay, 0.0
            started = time.perf_counter()
            try:
                result = await anyio.to_thread.run_sync(
                    self._run_turn, conversation_id, text, client_msg_id, fence
                )
            except Conflict:
                replay = await self._replay(conversation_id, client_msg_id)
                if replay is not None:
                    return replay, 0.0
                conversation = await anyio.to_thread.run_sync(self.store.get_conversation, conversation_id)
                if last or conversation.status is ConversationStatus.CLOSED:
                    raise
                return None
            try:
                await self.publish(conversation_id, result.messages, result.status)
                if result.held:
                    await self.publish_review("held", conversation_id, result.pack)
            except StoreUnavailable as exc:  # the turn is stored: live sockets catch up with ?after_seq=
                log.warning(
                    "conversation %s: live push failed after the turn was stored: %s", conversation_id, exc
                )
        return result, time.perf_counter() - started

    async def _replay(self, conversation_id: ConversationId, client_msg_id: str | None) -> TurnResult | None:
        if not client_msg_id:
            return None
        found = await anyio.to_thread.run_sync(self.store.find_turn, conversation_id, client_msg_id)
        if found is None:
            return None
        conversation = await anyio.to_thread.run_sync(self.store.get_conversation, conversation_id)
        return TurnResult(found, conversation.status, replayed=True)

    async def publish(
        self, conversation_id: ConversationId, messages: list[Message], status: ConversationStatus
    ) -> None:
        """Push new messages to the conversation's subscribers, and to agents while a human is involved.
        Callers hold the conversation's lock, so subscribers see messages in their stored order."""
        for message in messages:
            await self.broker.publish(
                conversation_id, {"type": "message", "message": message_payload(message)}
            )
        await self.broker.publish(conversation_id, {"type": "status", "status": status.value})
        if status in (ConversationStatus.WAITING_HUMAN, ConversationStatus.HUMAN) or any(
            m.role.value == "agent" for m in messages
        ):
            for message in messages:
                await self.broker.publish(
                    AGENTS_CHANNEL,
                    {
                        "type": "message",
                        "conversation_id": conversation_id,
                        "message": message_payload(message),
                    },
                )
        await self.broker.publish(
            AGENTS_CHANNEL, {"type": "status", "conversation_id": conversation_id, "status": status.value}
        )

    async def publish_review(self, event: str, conversation_id: ConversationId, pack: str) -> None:
        """Tell the agent consoles that the review queue changed (an item was held or decided)."""
        await self.broker.publish(
            AGENTS_CHANNEL,
            {"type": "review", "event": event, "conversation_id": conversation_id, "pack": pack},
        )

    def _run_turn(
        self, conversation_id: ConversationId, text: str, client_msg_id: str | None, fence: int | None = None
    ) -> TurnResult:
        conversation = self.store.get_conversation(conversation_id)
        if conversation.status is ConversationStatus.CLOSED:
            raise Conflict(f"conversation {conversation_id} is closed")
        pack = self.pack(conversation.pack)
        state = self.store.load_state(conversation_id)
        detected = detect_language(text, default=state.lang)
        lang = detected if detected in ("zh", "en") else state.lang
        turn_key = client_msg_id or f"seq{conversation.last_seq + 1}"
        ctx = TurnContext(
            conversation=conversation,
            state=state,
            text=text,
            lang=lang,
            idempotency_prefix=f"{conversation_id}:{turn_key}",
        )
        if conversation.status in (ConversationStatus.BOT, ConversationStatus.WAITING_HUMAN):
            pack.pipeline.run(ctx)  # while waiting for a human the customer may keep talking to the bot
        else:
            # A human has the conversation: store the message, let the agent answer.
            for rail in pack.pipeline.input_rails:  # masking and emergencies still apply
                outcome = rail.check(ctx)
                if outcome is not None and outcome.action in (RailAction.MASK, RailAction.HANDOFF):
                    TurnPipeline.apply_input(ctx, rail.name, outcome)
        if ctx.lang in ("zh", "en"):
            ctx.state.lang = ctx.lang
        if ctx.held:  # the customer hears that a specialist is checking, the replies wait for review
            ctx.replies.append(OutgoingMessage(held_notice(ctx.lang), ctx.lang, meta={"review": "held"}))
        record = TurnRecord(
            incoming=IncomingMessage(
                text=ctx.stored_text,
                lang=ctx.lang,
                client_msg_id=client_msg_id,
                meta={"rails": ctx.rail_log} if ctx.rail_log else {},
            ),
            replies=ctx.replies,
            state=ctx.state,
            status=ctx.status,
            tool_events=ctx.tool_events,
            handoff=ctx.handoff,
            held=ctx.held,
            fence=fence,
        )
        messages = self.store.commit_turn(conversation_id, conversation.last_seq, record)
        messages[1:] = [  # this turn's response shows the customer their own details, unmasked
            replace(message, text=reply.live_text) if reply.live_text else message
            for message, reply in zip(messages[1:], record.replies, strict=True)
        ]
        reason = record.handoff.reason.value if record.handoff else None
        return TurnResult(
            messages, ctx.status, pack=conversation.pack, handoff_reason=reason, held=len(ctx.held)
        )

    async def history(self, conversation_id: ConversationId, after_seq: int) -> TurnResult:
        if after_seq < 0:
            raise InvalidInput("after_seq must be 0 or more")
        messages = await anyio.to_thread.run_sync(self.store.list_messages, conversation_id, after_seq)
        conversation = await anyio.to_thread.run_sync(self.store.get_conversation, conversation_id)
        return TurnResult(messages, conversation.status)

    async def feedback(self, conversation_id: ConversationId, csat: int, comment: str | None) -> None:
        if not 1 <= csat <= 5:
            raise InvalidInput("csat must be an integer from 1 to 5")
        async with self.lock.hold(conversation_id):
            await anyio.to_thread.run_sync(self.store.record_feedback, conversation_id, csat, comment)

    async def get(self, conversation_id: ConversationId) -> Conversation:
        return await anyio.to_thread.run_sync(self.store.get_conversation, conversation_id)
