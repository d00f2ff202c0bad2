"""Dialogue state at rest: what the customer told us for the active flow (``slots``) and an action
waiting for their "yes" (``pending``) can hold personal data — a new shipping address, say — so the store
keeps those two parts sealed with AES-GCM under the vault's keys. The rest (language, verified customer,
flow name, sentiment memory, turn count) stays queryable for analytics and erasure.

The conversation id is the associated data, so a sealed blob cannot be moved to another conversation.
A state sealed under a retired key still opens (``KEFU_RETIRED_SECRET_KEYS``) and is sealed under the
current key the next time the conversation is written.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from kefu.guard.vault import Keyring

SEALED_PARTS = ("slots", "pending", "private")
SEALED_FIELD = "sealed"


class StateSealer:
    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    def seal(self, conversation_id: str, state: dict[str, Any]) -> dict[str, Any]:
        stored = {key: value for key, value in state.items() if key not in SEALED_PARTS}
        private = {key: state[key] for key in SEALED_PARTS if state.get(key)}
        if private:
            key_id, blob = self.keyring.encrypt(json.dumps(private), _associated(conversation_id))
            stored[SEALED_FIELD] = {"key": key_id, "data": base64.b64encode(blob).decode("ascii")}
        return stored

    def unseal(self, conversation_id: str, stored: dict[str, Any]) -> dict[str, Any]:
        sealed = stored.get(SEALED_FIELD)
        state = {key: value for key, value in stored.items() if key != SEALED_FIELD}
        if isinstance(sealed, dict):
            plain = self.keyring.decrypt(
                str(sealed.get("key", "")),
                base64.b64decode(str(sealed.get("data", ""))),
                _associated(conversation_id),
                entry_id=f"state of {conversation_id}",
            )
            state.update(json.loads(plain))
        return state


def _associated(conversation_id: str) -> bytes:
    return f"kefu-state:{conversation_id}".encode()
