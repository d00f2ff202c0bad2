"""The reviewer's side of held replies: list them, approve (maybe edited) or reject.

A held reply reaches the customer only through ``approve``, which appends it under the conversation's
lock (so it lands in order after whatever was said meanwhile) and pushes it to the customer's live feed.
``reject`` tells the customer a human will follow up and queues the conversation for an agent.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread

from kefu.domain.errors import Conflict, Forbidden, InvalidInput
from kefu.domain.handoff import HandoffReason, HandoffRequest, Priority
from kefu.domain.ids import ConversationId
from kefu.domain.messages import Citation, ConversationStatus, Message, OutgoingMessage
from kefu.engine.conversations import ConversationService
from kefu.engine.ports import Agent, ReviewDecision, ReviewItem, ReviewStore
from kefu.engine.review import rejected_notice
from kefu.guard.pii import mask
from kefu.guard.rails import LEAK_KINDS

MAX_REASON_CHARS = 500


def _held_replies(item: ReviewItem) -> list[OutgoingMessage]:
    """The replies as the bot meant to send them (several if more than one reply of the turn was held)."""
    stored = item.payload.get("replies") or [{"text": item.text}]
    return [
        OutgoingMessage(
            text=str(r.get("text", "")),
            lang=item.lang,
            suggestions=tuple(str(s) for s in r.get("suggestions", ())),
            citations=tuple(Citation(**c) for c in r.get("citations", ())),
            meta={**(r.get("meta") or {}), "review_id": item.id},
        )
        for r in stored
    ]


def item_json(item: ReviewItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "conversation_id": item.conversation_id,
        "pack": item.pack,
        "lang": item.lang,
        "status": item.status,
        "text": item.text,
        "final_text": item.final_text,
        "risk": round(item.risk, 3),
        "reasons": list(item.reasons),
        "reply_to": item.reply_to,
        "customer_message": item.customer_text,
        "created_at": item.created_at.isoformat(),
        "decided_at": item.decided_at.isoformat() if item.decided_at else None,
        "decided_by": item.decided_by,
    }


class ReviewService:
    def __init__(self, conversations: ConversationService, reviews: ReviewStore) -> None:
        self.conversations = conversations
        self.reviews = reviews

    @staticmethod
    def _packs(agent: Agent) -> list[str] | None:
        packs = agent.skills.get("packs") if agent.role != "admin" else None
        return [str(p) for p in packs] if packs else None

    async def items(self, agent: Agent, status: str | None, pack: str | None) -> list[ReviewItem]:
        found = await anyio.to_thread.run_sync(self.reviews.review_items, status, pack)
        packs = self._packs(agent)
        return [i for i in found if packs is None or i.pack in packs]

    async def item(self, agent: Agent, item_id: int) -> ReviewItem:
        found = await anyio.to_thread.run_sync(self.reviews.review_item, item_id)
        packs = self._packs(agent)
        if packs is not None and found.pack not in packs:
            raise Forbidden(f"review item {item_id} belongs to pack {found.pack!r}, outside your skills")
        return found

    async def approve(self, agent: Agent, item_id: int, text: str | None) -> tuple[ReviewItem, list[Message]]:
        item = await self.item(agent, item_id)
        _pending(item)
        final_text: str | None = None
        if text is not None:  # an edit: the same checks as any message, and no card or ID number leaks
            final_text, _ = mask(self.conversations.clean_text(text), LEAK_KINDS, lang=item.lang)
        service = self.conversations
        conversation_id = ConversationId(item.conversation_id)
        async with service.lock.hold(conversation_id):
            conversation = await service.get(conversation_id)
            if conversation.status is ConversationStatus.CLOSED:
                raise Conflict(f"conversation {conversation_id} is closed; reject the item instead")
            outgoing = (
                [OutgoingMessage(final_text, item.lang, meta={"review_id": item.id, "edited": True})]
                if final_text is not None
                else _held_replies(item)
            )
            decision = ReviewDecision(
                "approved", f"agent:{agent.id}", final_text=final_text, edited=final_text is not None
            )
            messages = await anyio.to_thread.run_sync(
                self.reviews.decide, item.id, decision, conversation.last_seq, outgoing, conversation.status
            )
            await service.publish(conversation_id, messages, conversation.status)
            await service.publish_review("approved", conversation_id, item.pack)
        return await anyio.to_thread.run_sync(self.reviews.review_item, item.id), messages

    async def reject(
        self, agent: Agent, item_id: int, reason: str | None
    ) -> tuple[ReviewItem, list[Message], ConversationStatus]:
        item = await self.item(agent, item_id)
        _pending(item)
        if reason is not None:
            reason = reason.strip()
            if len(reason) > MAX_REASON_CHARS:
                raise InvalidInput(f"reason is {len(reason)} characters; the limit is {MAX_REASON_CHARS}")
        service = self.conversations
        conversation_id = ConversationId(item.conversation_id)
        async with service.lock.hold(conversation_id):
            conversation = await service.get(conversation_id)
            status = conversation.status
            outgoing: list[OutgoingMessage] = []
            handoff = None
            if status is not ConversationStatus.CLOSED:  # a closed conversation only records the verdict
                outgoing = [
                    OutgoingMessage(rejected_notice(item.lang), item.lang, meta={"review_id": item.id})
                ]
                handoff = HandoffRequest(
                    HandoffReason.POLICY,
                    Priority.NORMAL,
                    "review_rejected",
                    summary={
                        "reason": HandoffReason.POLICY.value,
                        "detail": "review_rejected",
                        "review_id": item.id,
                        "review_reason": reason or None,
                        "held_reply": item.text,
                        "last_message": item.customer_text,
                        "lang": item.lang,
                    },
                )
                if status is ConversationStatus.BOT:
                    status = ConversationStatus.WAITING_HUMAN
            decision = ReviewDecision("rejected", f"agent:{agent.id}", reason=reason or None)
            messages = await anyio.to_thread.run_sync(
                self.reviews.decide, item.id, decision, conversation.last_seq, outgoing, status, handoff
            )
            await service.publish(conversation_id, messages, status)
            await service.publish_review("rejected", conversation_id, item.pack)
        return await anyio.to_thread.run_sync(self.reviews.review_item, item.id), messages, status


def _pending(item: ReviewItem) -> None:
    if item.status != "pending":
        raise Conflict(f"review item {item.id} was already {item.status} by {item.decided_by}")
