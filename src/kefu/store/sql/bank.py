"""The finance pack's bank kept in kefu's database (tables ``bank_*``): τ²-bench's banking tables as
JSON records, in their order, with their notes; applied mutations by idempotency key."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kefu.packs.finance.bank import BankData, Record, Table, matches
from kefu.store.sql.schema import BankActionRow, BankRecordRow, BankTableRow


class SqlBank:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def get(self, table: str, key: str) -> Record | None:
        with self._sessions() as session:
            row = session.get(BankRecordRow, (table, key))
            return copy.deepcopy(row.data) if row is not None else None

    def find(self, table: str, **match: Any) -> list[tuple[str, Record]]:
        with self._sessions() as session:
            rows = session.scalars(
                select(BankRecordRow)
                .where(BankRecordRow.table_name == table)
                .order_by(BankRecordRow.position)
            ).all()
            return [(r.record_id, copy.deepcopy(r.data)) for r in rows if matches(r.data, match)]

    def insert(self, table: str, key: str, record: Record) -> bool:
        try:
            with self._sessions() as session, session.begin():
                if session.get(BankRecordRow, (table, key)) is not None:
                    return False
                self._ensure_table(session, table)
                last = session.scalar(
                    select(func.max(BankRecordRow.position)).where(BankRecordRow.table_name == table)
                )
                session.add(
                    BankRecordRow(
                        table_name=table, record_id=key, position=(last or 0) + 1, data=copy.deepcopy(record)
                    )
                )
        except IntegrityError:  # another writer took the key first
            return False
        return True

    def update(self, table: str, key: str, changes: Mapping[str, Any]) -> Record | None:
        with self._sessions() as session, session.begin():
            row = session.get(BankRecordRow, (table, key), with_for_update=True)
            if row is None:
                return None
            row.data = {**row.data, **copy.deepcopy(dict(changes))}  # a new object: JSON change detected
            return copy.deepcopy(row.data)

    def _ensure_table(self, session: Session, table: str) -> None:
        if session.get(BankTableRow, table) is None:
            last = session.scalar(select(func.max(BankTableRow.position)))
            session.add(BankTableRow(name=table, position=(last or 0) + 1, notes=""))
            session.flush()

    def load(self, data: BankData, replace: bool = True) -> dict[str, int]:
        with self._sessions() as session, session.begin():
            if replace:
                for model in (BankActionRow, BankRecordRow, BankTableRow):
                    session.execute(delete(model))
            for position, (name, table) in enumerate(data.tables.items(), start=1):
                session.merge(BankTableRow(name=name, position=position, notes=table.notes))
                for index, (key, record) in enumerate(table.records.items(), start=1):
                    session.merge(
                        BankRecordRow(
                            table_name=name, record_id=key, position=index, data=copy.deepcopy(record)
                        )
                    )
        return data.counts()

    def dump(self) -> BankData:
        with self._sessions() as session:
            tables = session.scalars(select(BankTableRow).order_by(BankTableRow.position)).all()
            rows = session.scalars(
                select(BankRecordRow).order_by(BankRecordRow.table_name, BankRecordRow.position)
            ).all()
            records: dict[str, dict[str, Record]] = {}
            for row in rows:
                records.setdefault(row.table_name, {})[row.record_id] = copy.deepcopy(row.data)
            return BankData({t.name: Table(records.get(t.name, {}), t.notes) for t in tables})

    def is_empty(self) -> bool:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(BankRecordRow)) == 0

    # -- idempotency ----------------------------------------------------------------------------
    def applied(self, key: str) -> Record | None:
        with self._sessions() as session:
            row = session.get(BankActionRow, key)
            return copy.deepcopy(row.result) if row is not None else None

    def remember(self, key: str, result: Record) -> None:
        try:
            with self._sessions() as session, session.begin():
                session.add(BankActionRow(key=key, result=result, created_at=datetime.now(UTC)))
        except IntegrityError:
            pass
