"""Alembic environment: kefu passes its own Engine through ``config.attributes``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from kefu.store.sql.schema import Base

engine: Engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
