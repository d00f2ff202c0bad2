"""The vault's cryptography: AES-GCM under an HKDF-derived key, bound to its entry, with key rotation."""

from __future__ import annotations

import hashlib
import re

import pytest

from kefu.domain.errors import InvalidInput
from kefu.guard.erasure import scrub_detail, subject_hasher
from kefu.guard.vault import (
    NONCE_BYTES,
    Keyring,
    VaultKeyUnknown,
    VaultTampered,
    associated_data,
    derive_data_key,
    key_id_of,
)

OLD, NEW = "old-secret-key-of-at-least-32-bytes!!", "new-secret-key-of-at-least-32-bytes!!"
AD = associated_data("e1", "PHONE", "c1")


@pytest.mark.parametrize(
    "value", ["13812345678", "张三 广东省深圳市南山区科技园路1号", "4111 1111 1111 1111"]
)
def test_round_trip_and_the_ciphertext_reveals_nothing(value: str) -> None:
    ring = Keyring(NEW)
    key_id, blob = ring.encrypt(value, AD)
    assert key_id == ring.current_id and re.fullmatch(r"[0-9a-f]{8}", key_id)
    assert ring.decrypt(key_id, blob, AD) == value
    assert value.encode() not in blob and len(blob) == NONCE_BYTES + len(value.encode()) + 16
    again = ring.encrypt(value, AD)[1]
    assert again != blob and again[:NONCE_BYTES] != blob[:NONCE_BYTES]  # a fresh random nonce each time


def test_the_data_key_is_derived_not_the_secret_itself() -> None:
    key = derive_data_key(NEW)
    assert len(key) == 32 and key != NEW.encode()[:32] and key != hashlib.sha256(NEW.encode()).digest()
    assert derive_data_key(NEW) == key and derive_data_key(OLD) != key
    assert Keyring(NEW).current_id == key_id_of(key) != Keyring(OLD).current_id


@pytest.mark.parametrize("position", [0, NONCE_BYTES, NONCE_BYTES + 3, -1])
def test_any_flipped_bit_is_detected(position: int) -> None:
    ring = Keyring(NEW)
    key_id, blob = ring.encrypt("13812345678", AD)
    tampered = bytearray(blob)
    tampered[position] ^= 0x01
    with pytest.raises(VaultTampered, match="does not authenticate"):
        ring.decrypt(key_id, bytes(tampered), AD, "e1")
    with pytest.raises(VaultTampered, match="truncated"):
        ring.decrypt(key_id, blob[: NONCE_BYTES + 8], AD, "e1")


@pytest.mark.parametrize(
    "other",
    [
        associated_data("e2", "PHONE", "c1"),  # moved to another entry
        associated_data("e1", "EMAIL", "c1"),  # relabelled as another kind
        associated_data("e1", "PHONE", "c2"),  # given to another customer
        associated_data("e1", "PHONE", None),
    ],
)
def test_a_ciphertext_only_opens_for_its_own_entry_kind_and_customer(other: bytes) -> None:
    ring = Keyring(NEW)
    key_id, blob = ring.encrypt("13812345678", AD)
    with pytest.raises(VaultTampered):
        ring.decrypt(key_id, blob, other)


def test_retired_keys_still_decrypt_and_unknown_keys_say_what_to_do() -> None:
    old_id, blob = Keyring(OLD).encrypt("alice@example.com", AD)
    rotated = Keyring.from_settings(NEW, f" {OLD} ,, ")
    assert rotated.known(old_id) and rotated.current_id != old_id
    assert rotated.decrypt(old_id, blob, AD) == "alice@example.com"
    assert rotated.encrypt("x", AD)[0] == rotated.current_id  # new values go under the current key only
    with pytest.raises(VaultKeyUnknown) as unknown:
        Keyring(NEW).decrypt(old_id, blob, AD, "e1")
    assert old_id in unknown.value.message and "KEFU_RETIRED_SECRET_KEYS" in unknown.value.message
    assert unknown.value.code == "vault_key_unknown"


def test_a_vault_needs_a_secret() -> None:
    with pytest.raises(InvalidInput, match="KEFU_SECRET_KEY"):
        Keyring.from_settings(None, OLD)
    with pytest.raises(InvalidInput):
        Keyring("")


def test_subject_hash_is_keyed_and_stable() -> None:
    hash_a, hash_b = subject_hasher(NEW), subject_hasher(OLD)
    assert hash_a("cust-42") == hash_a("cust-42") != hash_a("cust-43")
    assert hash_a("cust-42") != hash_b("cust-42")  # salted with the secret: no guessing without it
    assert hash_a("cust-42") != hashlib.sha256(b"cust-42").hexdigest()
    assert "cust-42" not in hash_a("cust-42")


def test_scrubbed_audit_detail_keeps_only_content_free_scalars() -> None:
    detail = {
        "tool": "modify_pending_order_address",
        "ok": True,
        "agent": "Ann",
        "arguments": {"address1": "1 Main St", "order_id": "#W1"},
        "reason": "customer said: my card 4111 1111 1111 1111",
        "purpose": "verify Alice Smith",
        "kind": {"nested": "value"},
    }
    assert scrub_detail(detail) == {
        "tool": "modify_pending_order_address",
        "ok": True,
        "agent": "Ann",
        "scrubbed": True,
    }
    assert scrub_detail(None) == {"scrubbed": True}
