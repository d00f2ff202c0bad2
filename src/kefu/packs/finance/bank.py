"""The bank's business system as a port: τ²-bench's banking ``db.json`` is a set of named tables of
records keyed by id (users, accounts, debit cards, disputes, the verification log …), each table with
its field notes. The bank keeps exactly that shape, so an import exports back unchanged and tables the
τ² tools create on the fly (``debit_card_disputes``, ``agent_discoverable_tools`` …) need no schema.

Business rules live in ``operations.py`` and run on any ``Bank``: the SQL one (``kefu.store.sql.bank``)
and the in-memory one (``memory_bank``) used to replay gold actions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

Record = dict[str, Any]


@dataclass(frozen=True)
class Table:
    """One table: records by id, in their order, and the field notes of ``db.json``."""

    records: dict[str, Record] = field(default_factory=dict)
    notes: str = ""


@dataclass(frozen=True)
class BankData:
    tables: dict[str, Table] = field(default_factory=dict)

    def table(self, name: str) -> Table:
        return self.tables.get(name) or Table()

    def counts(self) -> dict[str, int]:
        return {name: len(table.records) for name, table in self.tables.items()}


def matches(record: Mapping[str, Any], match: Mapping[str, Any]) -> bool:
    return all(record.get(key) == value for key, value in match.items())


class Bank(Protocol):
    def get(self, table: str, key: str) -> Record | None: ...

    def find(self, table: str, **match: Any) -> list[tuple[str, Record]]:
        """The records of ``table`` whose fields equal ``match``, with their ids, in table order."""
        ...

    def insert(self, table: str, key: str, record: Record) -> bool:
        """Add a record; False (and nothing written) when ``key`` is taken."""
        ...

    def update(self, table: str, key: str, changes: Mapping[str, Any]) -> Record | None:
        """Change fields of a record; the new record, or None when there is none."""
        ...

    def load(self, data: BankData, replace: bool = True) -> dict[str, int]: ...

    def dump(self) -> BankData: ...

    def is_empty(self) -> bool: ...

    def applied(self, key: str) -> Record | None:
        """The result of the mutation already applied under idempotency ``key``, if any."""
        ...

    def remember(self, key: str, result: Record) -> None: ...
