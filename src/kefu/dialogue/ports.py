"""Ports the dialogue toolkit depends on; ``app.py`` wires implementations."""

from __future__ import annotations

from typing import Protocol


class VerificationAttempts(Protocol):
    """Failed-verification accounting per *claimed identity* (e.g. ``"retail:name_zip:ivan santos"``),
    shared across conversations and, with Redis, across workers (issue #16: brute-force limits).

    ``retry_after`` is ``None`` when the identity may be tried now, else the seconds to wait (locked
    out). ``failed`` records one wrong attempt and returns the new ``retry_after``; ``succeeded`` clears
    the count."""

    def retry_after(self, identity: str) -> float | None: ...

    def failed(self, identity: str) -> float | None: ...

    def succeeded(self, identity: str) -> None: ...
