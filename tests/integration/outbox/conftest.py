"""Fixtures for the outbox: real SQLite files, real PostgreSQL / MariaDB databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from outbox_support import NOW, create_outbox_tables, new_version, server_database
from sqlalchemy import Engine

from adapter.outbox.open import make_engine
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import NewVersion


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{(tmp_path / 'outbox.db').as_posix()}")
    create_outbox_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(sqlite_engine: Engine) -> OutboxStore:
    return OutboxStore(sqlite_engine)


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    with server_database("postgres", "adapter_t_outbox") as engine:
        yield engine


@pytest.fixture
def maria_engine() -> Iterator[Engine]:
    with server_database("mariadb", "adapter_t_outbox") as engine:
        yield engine


@pytest.fixture
def make_version() -> Callable[..., NewVersion]:
    return new_version
