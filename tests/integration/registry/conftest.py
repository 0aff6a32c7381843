"""Engines for the registry integration tests: SQLite always, PostgreSQL and MariaDB when reachable.

Each test gets a fresh database named ``adapter_t_registry_<random>``, dropped afterwards.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

# The sample data lives beside the unit tests; share it rather than copy it.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "unit" / "registry"))

SERVERS = {
    "postgres": "postgresql+psycopg://postgres@127.0.0.1:5432/{db}",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/{db}?charset=utf8mb4",
}
ADMIN_DB = {"postgres": "postgres", "mariadb": "mysql"}


def _admin(kind: str) -> Engine:
    return create_engine(SERVERS[kind].format(db=ADMIN_DB[kind]), isolation_level="AUTOCOMMIT")


def _server_database(kind: str) -> Iterator[Engine]:
    name = f"adapter_t_registry_{secrets.token_hex(4)}"
    admin = _admin(kind)
    try:
        with admin.connect() as conn:
            suffix = " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" if kind == "mariadb" else ""
            conn.execute(text(f"CREATE DATABASE {name}{suffix}"))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"{kind} server not reachable on 127.0.0.1: {exc.__class__.__name__}")
    engine = create_engine(SERVERS[kind].format(db=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name}"))
        admin.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        sqlite = create_engine(f"sqlite:///{tmp_path / 'registry.db'}")
        yield sqlite
        sqlite.dispose()
        return
    yield from _server_database(request.param)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    sqlite = create_engine(f"sqlite:///{tmp_path / 'registry.db'}")
    yield sqlite
    sqlite.dispose()
