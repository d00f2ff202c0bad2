"""The bank in memory: the same behaviour as the SQL bank, for replaying gold actions and for tests."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from kefu.packs.finance.bank import BankData, Record, Table, matches


class MemoryBank:
    def __init__(self, data: BankData | None = None) -> None:
        self._records: dict[str, dict[str, Record]] = {}
        self._notes: dict[str, str] = {}
        self._applied: dict[str, Record] = {}
        if data is not None:
            self.load(data)

    def get(self, table: str, key: str) -> Record | None:
        found = self._records.get(table, {}).get(key)
        return copy.deepcopy(found) if found is not None else None

    def find(self, table: str, **match: Any) -> list[tuple[str, Record]]:
        return [
            (key, copy.deepcopy(record))
            for key, record in self._records.get(table, {}).items()
            if matches(record, match)
        ]

    def insert(self, table: str, key: str, record: Record) -> bool:
        rows = self._records.setdefault(table, {})
        self._notes.setdefault(table, "")
        if key in rows:
            return False
        rows[key] = copy.deepcopy(record)
        return True

    def update(self, table: str, key: str, changes: Mapping[str, Any]) -> Record | None:
        record = self._records.get(table, {}).get(key)
        if record is None:
            return None
        record.update(copy.deepcopy(dict(changes)))
        return copy.deepcopy(record)

    def load(self, data: BankData, replace: bool = True) -> dict[str, int]:
        if replace:
            self._records, self._notes = {}, {}
        for name, table in data.tables.items():
            self._records.setdefault(name, {}).update(copy.deepcopy(table.records))
            self._notes[name] = table.notes
        return data.counts()

    def dump(self) -> BankData:
        return BankData(
            {
                name: Table(copy.deepcopy(self._records.get(name, {})), notes)
                for name, notes in self._notes.items()
            }
        )

    def is_empty(self) -> bool:
        return not any(self._records.values())

    def applied(self, key: str) -> Record | None:
        return copy.deepcopy(self._applied.get(key))

    def remember(self, key: str, result: Record) -> None:
        self._applied.setdefault(key, copy.deepcopy(result))
