"""Adapters that persist kefu's state: SQLAlchemy (SQLite, PostgreSQL), in-process and Redis locks/pub-sub."""
