"""Failed-verification limits per claimed identity: the ``VerificationAttempts`` port of the dialogue.

A claimed identity (``"retail:name_zip:ivan santos"``) gets ``free`` wrong answers; after that each new
attempt waits ``base_delay_s × 2^(failures − free)`` seconds (capped at ``max_delay_s``), and after
``lockout_after`` failures it is locked out for ``lockout_s``: the dialogue then hands the customer to a
human. The lock-out is audited once. Counts are kept per identity, not per conversation, so opening new
conversations does not reset them; with Redis they are shared by every worker. Identities are stored
only as keyed hashes (they hold names).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class AttemptRecord:
    failures: int
    last_failure_at: float  # time.time()


class AttemptStore(Protocol):
    def failed(self, key: str, ttl_s: float) -> AttemptRecord: ...

    def get(self, key: str) -> AttemptRecord | None: ...

    def clear(self, key: str) -> None: ...


class InProcessAttemptStore:
    def __init__(self, max_keys: int = 100_000) -> None:
        self._records: dict[str, tuple[AttemptRecord, float]] = {}
        self._guard = threading.Lock()
        self._max_keys = max_keys

    def failed(self, key: str, ttl_s: float) -> AttemptRecord:
        now = time.time()
        with self._guard:
            found = self.get(key)
            record = AttemptRecord((found.failures if found else 0) + 1, now)
            self._records.pop(key, None)
            self._records[key] = (record, now + ttl_s)
            while len(self._records) > self._max_keys:
                del self._records[next(iter(self._records))]  # the least recently failed go first
            return record

    def get(self, key: str) -> AttemptRecord | None:
        found = self._records.get(key)
        if found is None or found[1] <= time.time():
            return None
        return found[0]

    def clear(self, key: str) -> None:
        with self._guard:
            self._records.pop(key, None)


@dataclass(frozen=True)
class AttemptPolicy:
    free: int = 3
    base_delay_s: float = 2.0
    max_delay_s: float = 60.0
    lockout_after: int = 8
    lockout_s: float = 15 * 60.0

    def wait_s(self, record: AttemptRecord, now: float) -> float | None:
        """Seconds ``record``'s identity must still wait, or ``None``."""
        if record.failures >= self.lockout_after:
            span = self.lockout_s
        elif record.failures >= self.free:
            span = min(self.max_delay_s, self.base_delay_s * 2 ** (record.failures - self.free))
        else:
            return None
        left = record.last_failure_at + span - now
        return left if left > 0 else None


LockoutAudit = Callable[[str, int], None]  # (identity hash, failures)


class VerificationLimits:
    """Implements ``kefu.dialogue.ports.VerificationAttempts``."""

    def __init__(
        self,
        store: AttemptStore,
        secret: str,
        policy: AttemptPolicy | None = None,
        on_lockout: LockoutAudit | None = None,
    ) -> None:
        self._store = store
        self._secret = secret.encode()
        self.policy = policy or AttemptPolicy()
        self._on_lockout = on_lockout

    def key(self, identity: str) -> str:
        normal = " ".join(identity.casefold().split())
        return hmac.new(self._secret, normal.encode(), hashlib.sha256).hexdigest()[:32]

    def retry_after(self, identity: str) -> float | None:
        record = self._store.get(self.key(identity))
        return None if record is None else self.policy.wait_s(record, time.time())

    def failed(self, identity: str) -> float | None:
        key = self.key(identity)
        record = self._store.failed(key, self.policy.lockout_s)
        if record.failures == self.policy.lockout_after and self._on_lockout is not None:
            self._on_lockout(key, record.failures)
        return self.policy.wait_s(record, record.last_failure_at)

    def succeeded(self, identity: str) -> None:
        self._store.clear(self.key(identity))

    def locked_out(self, identity: str) -> bool:
        record = self._store.get(self.key(identity))
        return (
            record is not None
            and record.failures >= self.policy.lockout_after
            and self.policy.wait_s(record, time.time()) is not None
        )
