"""Pack plugins. A pack registers a factory under its name; built-ins register themselves the same way
a third-party pack would (``register_pack`` from its own module)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kefu.domain.errors import NotFound
from kefu.engine.conversations import PackRuntime


@dataclass(frozen=True)
class PackEnvironment:
    """What app.py hands to pack factories: the business systems a pack's tools talk to."""

    systems: dict[str, Any] = field(default_factory=dict)
    timezone: str = "Asia/Shanghai"
    support_hours: str | None = None
    emergency_numbers: dict[str, str] = field(default_factory=dict)
    review_threshold: float = 0.7  # outgoing risk at or above this is held for human review
    sensitive_words_file: str | None = None  # extra sensitive words for the compliance rail


PackFactory = Callable[[PackEnvironment], PackRuntime]
_FACTORIES: dict[str, PackFactory] = {}


def register_pack(name: str, factory: PackFactory) -> None:
    _FACTORIES[name] = factory


def available_packs() -> list[str]:
    _load_builtins()
    return sorted(_FACTORIES)


def _load_builtins() -> None:
    from kefu.packs.retail.pack import register

    register()
    from kefu.packs.healthcare.pack import register as register_healthcare

    register_healthcare()
    from kefu.packs.finance.pack import register as register_finance

    register_finance()
    from kefu.packs.education.pack import register as register_education  # the education pack (#14)

    register_education()


class PackCatalog:
    """Builds each pack once, on first use, and keeps it."""

    def __init__(self, environment: PackEnvironment) -> None:
        self.environment = environment
        self._built: dict[str, PackRuntime] = {}
        self._lock = threading.Lock()
        _load_builtins()

    def names(self) -> list[str]:
        return sorted(_FACTORIES)

    def __call__(self, name: str) -> PackRuntime:
        with self._lock:
            if name not in self._built:
                factory = _FACTORIES.get(name)
                if factory is None:
                    raise NotFound(f"unknown pack {name!r}; available: {', '.join(sorted(_FACTORIES))}")
                self._built[name] = factory(self.environment)
            return self._built[name]
