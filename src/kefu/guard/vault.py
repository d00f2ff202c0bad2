"""The vault: original personal values a tool truly needs, encrypted at rest with AES-GCM.

Keys: a 256-bit data key is derived from ``KEFU_SECRET_KEY`` with HKDF-SHA256 under a fixed label; its
*key id* (first 8 hex digits of the SHA-256 of the derived key) is stored beside every entry. Older
secrets listed in ``KEFU_RETIRED_SECRET_KEYS`` still decrypt; ``rotate`` re-encrypts every entry under
the current key. A stored ciphertext is ``nonce (12 random bytes) || AES-GCM(value) || tag`` and its
associated data binds the entry id, kind and customer id, so a ciphertext moved to another row (or
relabelled as another kind or customer) no longer decrypts.

Every ``reveal`` writes an audit record ``vault.read`` (actor, purpose, entry id, kind; never the value).
Storage is a port (``VaultStore``); ``kefu.store.sql.vault`` implements it.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kefu.domain.errors import Conflict, InvalidInput, NotFound

DATA_KEY_LABEL = b"kefu vault data key v1"
NONCE_BYTES = 12
MAX_KIND = 32
MAX_PURPOSE = 200
ROTATE_BATCH = 200

AuditWriter = Callable[[str, str, str | None, dict[str, Any]], None]
"""``(actor, action, conversation_id, detail)``: the shape of ``ConversationStore.audit``."""


class VaultKeyUnknown(Conflict):
    """The entry was encrypted under a key that is neither the current nor a retired one."""

    code = "vault_key_unknown"


class VaultTampered(Conflict):
    """The ciphertext does not authenticate: changed, truncated, or moved to another entry."""

    code = "vault_tampered"


@dataclass(frozen=True)
class VaultEntry:
    id: str
    kind: str
    customer_id: str | None
    conversation_id: str | None
    key_id: str
    ciphertext: bytes
    created_at: datetime


class VaultStore(Protocol):
    def add(self, entry: VaultEntry) -> None: ...

    def get(self, entry_id: str) -> VaultEntry | None: ...

    def key_counts(self) -> dict[str, int]:
        """How many entries each key id encrypts."""
        ...

    def not_under(self, key_id: str, limit: int) -> list[VaultEntry]:
        """Up to ``limit`` entries encrypted under any key other than ``key_id``."""
        ...

    def replace_ciphertexts(self, entries: list[VaultEntry]) -> int:
        """Store the new ``key_id`` and ``ciphertext`` of these entries atomically; returns how many
        still existed (an entry erased meanwhile is skipped)."""
        ...

    def delete_for_customer(self, customer_id: str) -> int: ...

    def for_conversation(self, conversation_id: str) -> list[VaultEntry]:
        """The conversation's entries, oldest first."""
        ...


def derive_data_key(secret: str) -> bytes:
    if not secret:
        raise InvalidInput("the vault needs KEFU_SECRET_KEY")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=DATA_KEY_LABEL)
    return hkdf.derive(secret.encode("utf-8"))


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def associated_data(entry_id: str, kind: str, customer_id: str | None) -> bytes:
    return "\x1f".join(("kefu-vault-v1", entry_id, kind, customer_id or "")).encode("utf-8")


class Keyring:
    """The current data key (encrypts) and retired ones (still decrypt), by key id."""

    def __init__(self, secret_key: str, retired_secret_keys: Iterable[str] = ()) -> None:
        current = derive_data_key(secret_key)
        self.current_id = key_id_of(current)
        self._keys: dict[str, bytes] = {}
        for secret in retired_secret_keys:
            if secret.strip():
                key = derive_data_key(secret.strip())
                self._keys[key_id_of(key)] = key
        self._keys[self.current_id] = current

    @classmethod
    def from_settings(cls, secret_key: str | None, retired: str | None) -> Keyring:
        if not secret_key:
            raise InvalidInput("the vault needs KEFU_SECRET_KEY")
        return cls(secret_key, (retired or "").split(","))

    def known(self, key_id: str) -> bool:
        return key_id in self._keys

    def encrypt(self, value: str, ad: bytes) -> tuple[str, bytes]:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self._keys[self.current_id]).encrypt(nonce, value.encode("utf-8"), ad)
        return self.current_id, nonce + sealed

    def decrypt(self, key_id: str, blob: bytes, ad: bytes, entry_id: str = "") -> str:
        key = self._keys.get(key_id)
        if key is None:
            raise VaultKeyUnknown(
                f"vault entry {entry_id or '?'} is encrypted under key {key_id}, which is neither the "
                f"current KEFU_SECRET_KEY (key {self.current_id}) nor in KEFU_RETIRED_SECRET_KEYS"
            )
        if len(blob) < NONCE_BYTES + 16:
            raise VaultTampered(f"vault entry {entry_id or '?'}: ciphertext is truncated")
        try:
            plain = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], ad)
        except InvalidTag as exc:
            raise VaultTampered(
                f"vault entry {entry_id or '?'} does not authenticate (altered, or not this entry's data)"
            ) from exc
        return plain.decode("utf-8")


@dataclass(frozen=True)
class RotationReport:
    rotated: int
    current_key_id: str
    total: int


class Vault:
    def __init__(self, store: VaultStore, keyring: Keyring, audit: AuditWriter) -> None:
        self.store = store
        self.keyring = keyring
        self._audit = audit

    def put(
        self, kind: str, value: str, customer_id: str | None = None, conversation_id: str | None = None
    ) -> str:
        """Encrypt and keep ``value``; returns the new entry id."""
        if not kind or len(kind) > MAX_KIND or not kind.replace("_", "").isalnum():
            raise InvalidInput(f"vault kind must be 1-{MAX_KIND} letters, digits or '_'")
        if not isinstance(value, str) or not value:
            raise InvalidInput("vault value must be a non-empty string")
        entry_id = uuid.uuid4().hex
        key_id, blob = self.keyring.encrypt(value, associated_data(entry_id, kind, customer_id))
        self.store.add(
            VaultEntry(entry_id, kind, customer_id, conversation_id, key_id, blob, datetime.now(UTC))
        )
        return entry_id

    def reveal(self, entry_id: str, actor: str, purpose: str) -> str:
        """The original value. Writes an audit record ``vault.read`` whether or not it decrypts."""
        if not actor.strip():
            raise InvalidInput("a vault read needs the actor who reads")
        if not purpose.strip() or len(purpose) > MAX_PURPOSE:
            raise InvalidInput(f"a vault read needs a purpose (1-{MAX_PURPOSE} characters)")
        entry = self.store.get(entry_id)
        if entry is None:
            raise NotFound(f"vault entry {entry_id} not found")
        detail: dict[str, Any] = {"entry_id": entry.id, "kind": entry.kind, "purpose": purpose}
        try:
            value = self.keyring.decrypt(
                entry.key_id,
                entry.ciphertext,
                associated_data(entry.id, entry.kind, entry.customer_id),
                entry.id,
            )
        except Conflict as exc:
            self._audit(
                actor, "vault.read", entry.conversation_id, {**detail, "ok": False, "error": exc.code}
            )
            raise
        self._audit(actor, "vault.read", entry.conversation_id, {**detail, "ok": True})
        return value

    def entries(self, conversation_id: str, kind: str | None = None) -> list[tuple[str, str, datetime]]:
        """``(entry id, kind, created_at)`` of a conversation's entries, newest first: no values, no audit."""
        found = self.store.for_conversation(conversation_id)
        return [(e.id, e.kind, e.created_at) for e in reversed(found) if kind is None or e.kind == kind]

    def erase_customer(self, customer_id: str) -> int:
        """Delete every entry of this customer; returns how many."""
        return self.store.delete_for_customer(customer_id)

    def rotate(self) -> RotationReport:
        """Re-encrypt every entry not under the current key. Checks first that every key is known, so a
        missing retired key changes nothing."""
        counts = self.store.key_counts()
        unknown = {k: n for k, n in counts.items() if not self.keyring.known(k)}
        if unknown:
            listed = ", ".join(f"{k} ({n} entries)" for k, n in sorted(unknown.items()))
            raise VaultKeyUnknown(
                f"cannot rotate: key(s) {listed} are unknown; add the old secret to KEFU_RETIRED_SECRET_KEYS"
            )
        current, rotated = self.keyring.current_id, 0
        while batch := self.store.not_under(current, ROTATE_BATCH):
            fresh = []
            for entry in batch:
                ad = associated_data(entry.id, entry.kind, entry.customer_id)
                value = self.keyring.decrypt(entry.key_id, entry.ciphertext, ad, entry.id)
                key_id, blob = self.keyring.encrypt(value, ad)
                fresh.append(replace(entry, key_id=key_id, ciphertext=blob))
            rotated += self.store.replace_ciphertexts(fresh)
        return RotationReport(rotated, current, sum(counts.values()))


# The personal values kept (encrypted) when the redaction rail masks them: what an agent may need to
# call or write back, or a tool to verify. Card numbers and their secrets are never kept.
VAULTED_KINDS = frozenset({"PHONE", "EMAIL", "CN_ID", "PASSPORT", "ADDRESS"})


class HasKind(Protocol):
    @property
    def kind(self) -> str: ...


class VaultKeeper:
    """Adapter for the PII redaction rail's hook ``keep(span, original_value) -> None``: keeps the original
    value of the listed kinds in the vault and notes the entry id in ``kept``; other kinds are ignored.

    The rail is built once per pack but a turn belongs to one conversation: bind the keeper to it with
    ``for_conversation(conversation_id, customer_id)`` and hand that bound keeper's ``keep`` to ``mask``.
    A tool later finds the value with ``vault.entries(conversation_id, kind)`` and ``vault.reveal``.
    """

    def __init__(
        self,
        vault: Vault,
        kinds: Iterable[str],
        conversation_id: str | None = None,
        customer_id: str | None = None,
    ) -> None:
        self.vault = vault
        self.kinds = frozenset(kinds)
        self.conversation_id = conversation_id
        self.customer_id = customer_id
        self.kept: list[str] = []

    def for_conversation(self, conversation_id: str | None, customer_id: str | None) -> VaultKeeper:
        return VaultKeeper(self.vault, self.kinds, conversation_id, customer_id)

    def keep(self, span: HasKind, original_value: str) -> None:
        if span.kind in self.kinds and original_value:
            self.kept.append(
                self.vault.put(span.kind, original_value, self.customer_id, self.conversation_id)
            )
