"""Shared fixtures: databases (SQLite, and the real PostgreSQL at 127.0.0.1:5432), apps and clients."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from kefu.app import create_app
from kefu_test_support import PG_ADMIN_URL, TAU_RETAIL, make_settings


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/kefu.db"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the PostgreSQL database ``test`` (trust auth), dropped afterwards."""
    schema = f"kefu_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every contract test runs against SQLite and against the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/kefu.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def tau_dir() -> Path:
    if not (TAU_RETAIL / "v1_orders.json").exists():
        pytest.fail(f"τ-bench retail data not found at {TAU_RETAIL} (set KEFU_TAU_RETAIL_DIR)")
    return TAU_RETAIL


@pytest.fixture
def tau_app(sqlite_url: str, tau_dir: Path) -> Iterator[TestClient]:
    """The real app over SQLite with the τ-bench retail shop imported."""
    from kefu.demo import import_tau_retail

    settings = make_settings(sqlite_url)
    import_tau_retail(settings, tau_dir)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def demo_app(sqlite_url: str) -> Iterator[TestClient]:
    """The real app over SQLite with the generated demo shop."""
    from kefu.demo import seed_demo

    settings = make_settings(sqlite_url)
    seed_demo(settings)
    with TestClient(create_app(settings)) as client:
        yield client
