"""Erasure of one customer's data, retention of old conversations, and reading the audit log: the ports,
their reports, and the daily retention schedule. ``kefu.store.sql.erasure`` / ``.audit`` implement them.

What a customer id means for erasure: kefu's own ``customers.id``, *or* the business's reference to the
customer — the ``sub`` of the signed ``customer_token`` (``customers.external_ref``), which is also the
id a pack records when it verifies the customer in the dialogue (``verified_customer``). Everything
found through any of these is removed.

Audit records stay (they say who did what, when), but on erasure or purge their ``detail`` keeps only
content-free keys (``AUDIT_SAFE_KEYS``). The tombstone names the customer only by a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import anyio
import anyio.to_thread

log = logging.getLogger("kefu.retention")

SUBJECT_LABEL = b"kefu erasure subject v1"
ERASED_ACTION = "customer.erased"
PURGED_ACTION = "data.purged"
AUDIT_SAFE_KEYS = frozenset(
    {"agent", "status", "ok", "kind", "entry_id", "outcome", "tool", "error", "review_id", "edited"}
    | {"days", "messages"}
)
DAY_S = 24 * 3600.0


def subject_hasher(secret_key: str) -> Callable[[str], str]:
    """A keyed (salted) hash of a customer id: the same id gives the same hash under the same secret, so
    a repeated erasure is recognised, and nobody without the secret can test a guess against it."""
    key = hmac.new(secret_key.encode("utf-8"), SUBJECT_LABEL, hashlib.sha256).digest()

    def hash_subject(subject: str) -> str:
        return hmac.new(key, subject.encode("utf-8"), hashlib.sha256).hexdigest()

    return hash_subject


def scrub_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """What an audit record keeps once its conversation is gone: scalar, content-free keys only."""
    kept = {
        k: v
        for k, v in (detail or {}).items()
        if k in AUDIT_SAFE_KEYS and (v is None or isinstance(v, bool | int | float | str))
    }
    return {**kept, "scrubbed": True}


@dataclass(frozen=True)
class RemovalCounts:
    conversations: int = 0
    events: int = 0
    messages: int = 0
    handoffs: int = 0
    review_items: int = 0
    vault_entries: int = 0
    customers: int = 0
    audit_scrubbed: int = 0

    def plus(self, other: RemovalCounts) -> RemovalCounts:
        return RemovalCounts(**{k: v + getattr(other, k) for k, v in self.as_dict().items()})

    def as_dict(self) -> dict[str, int]:
        return {
            "conversations": self.conversations,
            "events": self.events,
            "messages": self.messages,
            "handoffs": self.handoffs,
            "review_items": self.review_items,
            "vault_entries": self.vault_entries,
            "customers": self.customers,
            "audit_scrubbed": self.audit_scrubbed,
        }


@dataclass(frozen=True)
class ErasureReport:
    tombstone_id: int
    erased_at: datetime
    subject_hash: str
    counts: RemovalCounts


@dataclass(frozen=True)
class PurgeReport:
    days: int
    cutoff: datetime
    counts: RemovalCounts
    audit_id: int | None


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    conversation_id: str | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    action: str | None = None
    conversation_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    before_id: int | None = None
    limit: int = 100


class PrivacyStore(Protocol):
    def erase_customer(self, customer_ref: str, actor: str) -> ErasureReport:
        """Remove everything of this customer in one transaction and leave a tombstone; ``NotFound``
        when nothing is stored for it (unknown, or erased before: the message says which)."""
        ...

    def purge(self, days: int, actor: str, now: datetime | None = None) -> PurgeReport:
        """Remove conversations idle for more than ``days`` days and what hangs off them."""
        ...


class AuditReader(Protocol):
    def query(self, query: AuditQuery) -> list[AuditRecord]:
        """Newest first."""
        ...


@asynccontextmanager
async def retention_schedule(
    purge: Callable[[int, str], PurgeReport], days: int | None, every_s: float = DAY_S
) -> AsyncIterator[None]:
    """While open: when ``days`` is set, purge at once and then every ``every_s`` seconds, in a worker
    thread, logging (never raising) a failure. Unset ``days`` keeps everything."""
    if not days:
        yield
        return

    async def run() -> None:
        while True:
            try:
                report = await anyio.to_thread.run_sync(purge, days, "system:retention")
                log.info("retention: purged %s", report.counts.as_dict())
            except Exception:  # a failed purge must not take the server down; try again next time
                log.exception("retention purge failed")
            await anyio.sleep(every_s)

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(run)
        try:
            yield
        finally:
            tasks.cancel_scope.cancel()
