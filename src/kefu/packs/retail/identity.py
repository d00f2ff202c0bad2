"""The retail pack's verification strategies: the account's email, or full name + zip code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kefu.dialogue.verification import Lookup, ToolLookup

EMAIL = ToolLookup(
    "email", ("email",), "find_user_id_by_email", (("email", "email"),), "verify.other_way.email", "retail"
)


@dataclass(frozen=True)
class NameZip:
    """``name`` holds candidate readings ("Ivan Santos", or both orders of a Chinese name), separated by
    ";"; one lookup per reading, one attempt in all."""

    name: str = "name_zip"
    facts: tuple[str, ...] = ("name", "zip")
    prompt: str = "verify.other_way.name_zip"

    def identity(self, facts: Mapping[str, str]) -> str:
        # The claimed identity is the person named, never the secret tried with it: counting failures
        # per name + zip would make every guessed zip code a fresh identity (issue #16, item 1).
        first = facts.get("name", "").split(";")[0].strip().lower()
        return f"retail:name_zip:{first}"

    def locate(self, facts: Mapping[str, str], lookup: Lookup) -> str | None:
        for reading in facts.get("name", "").split(";"):
            first, _, last = reading.strip().partition(" ")
            if first and last:
                found = lookup(
                    "find_user_id_by_name_zip", {"first_name": first, "last_name": last, "zip": facts["zip"]}
                )
                if found:
                    return found
        return None


STRATEGIES = (EMAIL, NameZip())
